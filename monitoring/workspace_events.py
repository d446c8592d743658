"""The workspace pages of public monitoring events and draft-act reviews (routes in `monitoring/workspace_urls.py`).

Every view goes through the shared machinery of `councils.workspace`: the tenant gate (404 for outsiders, 403
for read-only staff on writes), the object inside the council, the form (with its formsets), the service, the
redirect.
"""

from __future__ import annotations

from typing import Any

from django.forms import BaseFormSet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from councils.models import Council
from councils.workspace import CouncilObjectMixin, WorkspaceActionView, WorkspaceListView

from . import event_services as services
from .event_forms import (
    DraftReviewFilter,
    DraftReviewForm,
    MonitoringEventFilter,
    MonitoringEventForm,
    PublicityLinkFormSet,
    links_from_formset,
    links_initial,
    participant_formset,
    participants_from_formset,
    participants_initial,
)
from .models import DraftActReview, MonitoringEvent
from .selectors import draft_reviews_for_workspace, monitoring_events_for_workspace, recommendations_for_sources

EVENT_SOURCE = "monitoring.monitoringevent"


def _participants(event: MonitoringEvent) -> str:
    return "; ".join(
        f"{p.person.full_name if p.person_id else p.name} ({p.get_kind_display()})" for p in event.participants.all()
    )


# ---- monitoring events -------------------------------------------------------------------------------------


class MonitoringEventListView(WorkspaceListView):
    model = MonitoringEvent
    template_name = "workspace/monitoring/list.html"
    filterset_class = MonitoringEventFilter
    export_name = "monitoring"
    export_columns = (
        (gettext_lazy("Date"), lambda e: e.date),
        (gettext_lazy("Date precision"), lambda e: e.get_date_precision_display()),
        (gettext_lazy("Topic"), lambda e: e.topic),
        (gettext_lazy("Commission"), lambda e: e.commission.name if e.commission else ""),
        (gettext_lazy("Participants"), _participants),
        (gettext_lazy("Findings"), lambda e: e.findings),
        (gettext_lazy("Recommendations made"), lambda e: e.recommendations_summary),
        (gettext_lazy("How the results were made public"), lambda e: e.publicity_note),
        (gettext_lazy("Links"), lambda e: " ".join(link.url for link in e.publicity_links.all())),
        (gettext_lazy("Results"), lambda e: e.results),
    )

    def list_queryset(self):
        return monitoring_events_for_workspace(council=self.council)


def _event_formsets(data: Any | None, *, council: Council, event: MonitoringEvent | None) -> dict[str, BaseFormSet]:
    """The participants and the publicity links beside an event's form (empty rows for a new event)."""
    return {
        "participant_formset": participant_formset(
            data, council=council, initial=participants_initial(event) if event else None
        ),
        "link_formset": PublicityLinkFormSet(data, prefix="links", initial=links_initial(event) if event else None),
    }


class MonitoringEventCreateView(WorkspaceActionView):
    form_class = MonitoringEventForm
    template_name = "workspace/monitoring/form.html"
    page_title = gettext_lazy("New monitoring event")
    cancel_url_name = "monitoring_ws:events"
    success_message = gettext_lazy("The monitoring event was saved.")
    success_url_name, success_url_pk = "monitoring_ws:event_detail", "pk"

    def build_formsets(self, data: Any | None) -> dict[str, BaseFormSet]:
        return _event_formsets(data, council=self.council, event=None)

    def perform(self, form: MonitoringEventForm) -> MonitoringEvent:
        return services.monitoring_event_create(
            council=self.council,
            data=form.to_data(),
            participants=participants_from_formset(self.formsets["participant_formset"]),
            links=links_from_formset(self.formsets["link_formset"]),
        )


class MonitoringEventUpdateView(WorkspaceActionView):
    model = MonitoringEvent
    form_class = MonitoringEventForm
    template_name = "workspace/monitoring/form.html"
    page_title = gettext_lazy("Edit the monitoring event")
    success_message = gettext_lazy("The monitoring event was saved.")
    success_url_name = cancel_url_name = "monitoring_ws:event_detail"
    success_url_pk = cancel_url_pk = "pk"

    def build_formsets(self, data: Any | None) -> dict[str, BaseFormSet]:
        return _event_formsets(data, council=self.council, event=self.object)

    def perform(self, form: MonitoringEventForm) -> MonitoringEvent:
        return services.monitoring_event_update(
            event=self.object,
            data=form.to_data(),
            participants=participants_from_formset(self.formsets["participant_formset"]),
            links=links_from_formset(self.formsets["link_formset"]),
        )


class MonitoringEventDetailView(CouncilObjectMixin, generic.DetailView):
    model = MonitoringEvent
    template_name = "workspace/monitoring/detail.html"

    def get_queryset(self):
        return monitoring_events_for_workspace(council=self.council)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        found = recommendations_for_sources(council=self.council, sources={EVENT_SOURCE: [self.object.pk]})
        context["recommendations"] = found.get((EVENT_SOURCE, self.object.pk), [])
        create_url = reverse("monitoring_ws:recommendation_create", kwargs={"slug": self.council.slug})
        context["recommendation_create_url"] = f"{create_url}?source=monitoring:{self.object.pk}"
        return context


# ---- draft-act reviews -------------------------------------------------------------------------------------


class DraftReviewListView(WorkspaceListView):
    model = DraftActReview
    template_name = "workspace/drafts/list.html"
    filterset_class = DraftReviewFilter
    paginate_by = 50
    export_name = "draft-reviews"
    export_columns = (
        (gettext_lazy("Draft act"), lambda r: r.title),
        (gettext_lazy("Developer"), lambda r: r.developer.name if r.developer else ""),
        (gettext_lazy("Discussion starts"), lambda r: r.discussion_start),
        (gettext_lazy("Discussion ends"), lambda r: r.discussion_end),
        (gettext_lazy("Days"), lambda r: services.discussion_days(r.discussion_start, r.discussion_end)),
        (gettext_lazy("Conclusion"), lambda r: r.get_conclusion_display()),
        (gettext_lazy("Remarks"), lambda r: r.remarks),
    )

    def list_queryset(self):
        return draft_reviews_for_workspace(council=self.council)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        minimum = services.discussion_min_days()
        for review in context["object_list"]:
            review.days = services.discussion_days(review.discussion_start, review.discussion_end)
            review.too_short = review.days < minimum
        context["min_days"] = minimum
        return context


class DraftReviewFormView(WorkspaceActionView):
    """A new draft act review (`drafts/add/`), or one edited (`drafts/<pk>/edit/`, with the way to a
    recommendation made on it)."""

    model = DraftActReview
    form_class = DraftReviewForm
    template_name = "workspace/drafts/form.html"
    cancel_url_name = success_url_name = "monitoring_ws:drafts"
    success_message = gettext_lazy("The draft act review was saved.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.object is None:
            context["page_title"] = _("New draft act review")
        else:
            context["page_title"] = _("Edit the draft act review")
            create_url = reverse("monitoring_ws:recommendation_create", kwargs={"slug": self.council.slug})
            context["recommendation_create_url"] = f"{create_url}?source=draft:{self.object.pk}"
        return context

    def perform(self, form: DraftReviewForm) -> DraftActReview:
        if self.object is None:
            return services.draft_review_create(council=self.council, data=form.to_data())
        return services.draft_review_update(review=self.object, data=form.to_data())
