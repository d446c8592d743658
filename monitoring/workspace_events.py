"""The workspace pages of public monitoring events and draft-act reviews (routes in `monitoring/workspace_urls.py`).

Every view goes through the shared machinery of `councils.workspace`: the tenant gate (404 for outsiders, 403
for read-only staff on writes), the object inside the council, the form (with its formsets), the service, the
redirect.
"""

from __future__ import annotations

from typing import Any

from django.forms import BaseFormSet
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import generic

from councils.workspace import (
    CouncilObjectMixin,
    FormsetsMixin,
    PageTitleMixin,
    SelectorListMixin,
    WorkspaceCreateView,
    WorkspaceListView,
    WorkspaceUpdateView,
    optional_url,
)

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


class MonitoringEventListView(WorkspaceListView, SelectorListMixin):
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


class _EventFormsets(FormsetsMixin):
    def event_for_initial(self) -> MonitoringEvent | None:
        return None

    def build_formsets(self, data: Any | None) -> dict[str, BaseFormSet]:
        event = self.event_for_initial()
        return {
            "participant_formset": participant_formset(
                data,
                council=self.council,  # type: ignore[attr-defined]
                initial=participants_initial(event) if event else None,
            ),
            "link_formset": PublicityLinkFormSet(data, prefix="links", initial=links_initial(event) if event else None),
        }


class MonitoringEventCreateView(_EventFormsets, PageTitleMixin, WorkspaceCreateView):
    form_class = MonitoringEventForm
    template_name = "workspace/monitoring/form.html"
    page_title = gettext_lazy("New monitoring event")
    cancel_url_name = "monitoring_ws:events"
    success_message = gettext_lazy("The monitoring event was saved.")

    def perform(self, form: MonitoringEventForm) -> MonitoringEvent:
        return services.monitoring_event_create(
            council=self.council,
            data=form.to_data(),
            participants=participants_from_formset(self.formsets["participant_formset"]),
            links=links_from_formset(self.formsets["link_formset"]),
        )

    def get_success_url(self) -> str:
        return reverse("monitoring_ws:event_detail", kwargs={"slug": self.council.slug, "pk": self.object.pk})


class MonitoringEventUpdateView(_EventFormsets, PageTitleMixin, WorkspaceUpdateView):
    model = MonitoringEvent
    form_class = MonitoringEventForm
    template_name = "workspace/monitoring/form.html"
    page_title = gettext_lazy("Edit the monitoring event")
    success_message = gettext_lazy("The monitoring event was saved.")

    def event_for_initial(self) -> MonitoringEvent | None:
        return self.object

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse(
            "monitoring_ws:event_detail", kwargs={"slug": self.council.slug, "pk": self.object.pk}
        )
        return context

    def perform(self, form: MonitoringEventForm) -> MonitoringEvent:
        return services.monitoring_event_update(
            event=MonitoringEvent.objects.select_related("council").get(pk=self.object.pk),
            data=form.to_data(),
            participants=participants_from_formset(self.formsets["participant_formset"]),
            links=links_from_formset(self.formsets["link_formset"]),
        )

    def get_success_url(self) -> str:
        return reverse("monitoring_ws:event_detail", kwargs={"slug": self.council.slug, "pk": self.object.pk})


class MonitoringEventDetailView(CouncilObjectMixin, generic.DetailView):
    model = MonitoringEvent
    template_name = "workspace/monitoring/detail.html"

    def get_queryset(self):
        return monitoring_events_for_workspace(council=self.council)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        found = recommendations_for_sources(council=self.council, sources={EVENT_SOURCE: [self.object.pk]})
        context["recommendations"] = found.get((EVENT_SOURCE, self.object.pk), [])
        create_url = optional_url("monitoring_ws:recommendation_create", slug=self.council.slug)
        context["recommendation_create_url"] = (
            f"{create_url}?source=monitoring:{self.object.pk}" if create_url else None
        )
        return context


# ---- draft-act reviews -------------------------------------------------------------------------------------


class DraftReviewListView(WorkspaceListView, SelectorListMixin):
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


class DraftReviewCreateView(PageTitleMixin, WorkspaceCreateView):
    form_class = DraftReviewForm
    template_name = "workspace/drafts/form.html"
    page_title = gettext_lazy("New draft act review")
    cancel_url_name = "monitoring_ws:drafts"
    success_message = gettext_lazy("The draft act review was saved.")

    def perform(self, form: DraftReviewForm) -> DraftActReview:
        return services.draft_review_create(council=self.council, data=form.to_data())

    def get_success_url(self) -> str:
        return reverse("monitoring_ws:drafts", kwargs={"slug": self.council.slug})


class DraftReviewUpdateView(PageTitleMixin, WorkspaceUpdateView):
    model = DraftActReview
    form_class = DraftReviewForm
    template_name = "workspace/drafts/form.html"
    page_title = gettext_lazy("Edit the draft act review")
    cancel_url_name = "monitoring_ws:drafts"
    success_message = gettext_lazy("The draft act review was saved.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        create_url = optional_url("monitoring_ws:recommendation_create", slug=self.council.slug)
        context["recommendation_create_url"] = f"{create_url}?source=draft:{self.object.pk}" if create_url else None
        return context

    def perform(self, form: DraftReviewForm) -> DraftActReview:
        review = DraftActReview.objects.get(pk=self.object.pk)
        return services.draft_review_update(review=review, data=form.to_data())

    def get_success_url(self) -> str:
        return reverse("monitoring_ws:drafts", kwargs={"slug": self.council.slug})
