"""The workspace pages of the expert registry, mounted under workspace/<slug:slug>/council/experts/: the council's
registry (CSV/XLSX), a candidate's record, the expert's page with the history of decisions, the next step, consent
and engagements, and the search across every council's registry for the staff of any council. Every page goes
through the tenant gate (`councils.workspace`); every write through councils/expert_services.py, audited by
django-simple-history (ExpertAppointment, ExpertEngagement) or append-only (ExpertDecision)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views import generic

from core.access_log import log_personal_data_view
from core.files import stored_file_download

from . import expert_services as services
from .expert_forms import (
    ExpertCandidateForm,
    ExpertConsentForm,
    ExpertDecisionForm,
    ExpertEngagementForm,
    ExpertProfileEditForm,
    ExpertRegistryFilter,
)
from .expert_selectors import engagements_of, expert_decisions, registry_for_council, staff_expert_search
from .models import EXPERT_STEPS, ExpertAppointment, ExpertDecision, ExpertEngagement, ExpertStatus
from .plan import plan_record_kinds
from .workspace import (
    CouncilObjectMixin,
    CouncilScopedMixin,
    WorkspaceActionView,
    WorkspaceListView,
    WorkspaceRemoveView,
)


def _languages(expert: ExpertAppointment) -> str:
    return ", ".join(expert.languages)


class ExpertListView(WorkspaceListView):
    model = ExpertAppointment
    template_name = "workspace/experts/list.html"
    filterset_class = ExpertRegistryFilter
    export_name = "experts"
    export_columns = (
        (gettext_lazy("Full name"), lambda e: e.person.full_name),
        (gettext_lazy("Status"), lambda e: e.get_status_display()),
        (gettext_lazy("Areas of expertise"), lambda e: "; ".join(a.name for a in e.areas.all())),
        (gettext_lazy("Field of expertise"), lambda e: e.field),
        (gettext_lazy("Languages"), _languages),
        (gettext_lazy("Other languages"), lambda e: e.other_languages),
        (gettext_lazy("Region"), lambda e: e.region),
        (gettext_lazy("Start date"), lambda e: e.start_date),
        (gettext_lazy("End date"), lambda e: e.end_date),
        (gettext_lazy("Decision"), lambda e: e.decision),
        (gettext_lazy("Consent given on"), lambda e: e.consent_given_on),
        (gettext_lazy("Consent withdrawn on"), lambda e: e.consent_withdrawn_on),
        (gettext_lazy("CV published"), lambda e: e.cv_public),
    )

    def list_queryset(self) -> QuerySet[ExpertAppointment]:
        return registry_for_council(council=self.council)


class ExpertCreateView(WorkspaceActionView):
    form_class = ExpertCandidateForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Record a candidate expert")
    cancel_url_name = "councils_ws:experts"
    success_message = gettext_lazy("The candidate was recorded in the expert registry.")
    success_url_name = "councils_ws:expert"
    success_url_pk = "pk"

    def perform(self, form: ExpertCandidateForm) -> ExpertAppointment:
        return services.expert_candidate_record(council=self.council, data=form.to_data())


class ExpertEditView(WorkspaceActionView):
    model = ExpertAppointment
    form_class = ExpertProfileEditForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit the expert's profile")
    cancel_url_name = "councils_ws:expert"
    cancel_url_pk = "pk"
    success_message = gettext_lazy("The expert's profile was saved.")
    success_url_name = "councils_ws:expert"
    success_url_pk = "pk"

    def perform(self, form: ExpertProfileEditForm) -> ExpertAppointment:
        return services.expert_profile_update(appointment=self.object, data=form.to_data())


class ExpertDetailView(WorkspaceActionView):
    """The expert, the history of decisions and the engagements; a writer records the next step (POST)."""

    model = ExpertAppointment
    write_required = None  # every member of the staff reads the page; a decision is a write
    template_name = "workspace/experts/detail.html"
    form_class = ExpertDecisionForm
    success_message = gettext_lazy("The decision was recorded.")
    success_url_name = "councils_ws:expert"
    success_url_pk = "appointment_id"

    def perform(self, form: ExpertDecisionForm) -> ExpertDecision:
        return services.expert_decide(appointment=self.object, data=form.to_data())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        expert = self.object
        kinds = plan_record_kinds()
        context["expert"] = expert
        context["decisions"] = expert_decisions(appointment=expert)
        context["engagements"] = [
            (engagement, kinds[engagement.kind].label if engagement.kind in kinds else engagement.kind)
            for engagement in engagements_of(appointment=expert)
        ]
        context["next_steps"] = EXPERT_STEPS[expert.status]
        context["consent_form"] = ExpertConsentForm(council=self.council, instance=expert)
        context["engagement_form"] = ExpertEngagementForm(council=self.council, instance=expert)
        return context


class ExpertConsentView(WorkspaceActionView):
    """Record the expert's consent, or its withdrawal (which hides the expert from every public page)."""

    model = ExpertAppointment
    form_class = ExpertConsentForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("The expert's consent to publication")
    cancel_url_name = "councils_ws:expert"
    cancel_url_pk = "pk"
    success_message = gettext_lazy("The consent was recorded.")
    success_url_name = "councils_ws:expert"
    success_url_pk = "pk"

    def perform(self, form: ExpertConsentForm) -> ExpertAppointment:
        day = form.cleaned_data["day"]
        if form.withdrawing:
            return services.expert_consent_withdraw(appointment=self.object, withdrawn_on=day)
        return services.expert_consent_record(appointment=self.object, given_on=day)


class ExpertEngagementAddView(WorkspaceActionView):
    model = ExpertAppointment
    form_class = ExpertEngagementForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("The expert took part in a record")
    cancel_url_name = "councils_ws:expert"
    cancel_url_pk = "pk"
    success_message = gettext_lazy("The record was linked to the expert.")
    success_url_name = "councils_ws:expert"
    success_url_pk = "appointment_id"

    def perform(self, form: ExpertEngagementForm) -> ExpertEngagement:
        kind, object_id = form.cleaned_data["record"]
        return services.expert_engagement_add(
            appointment=self.object, kind=kind, object_id=object_id, role=form.cleaned_data["role"]
        )


class ExpertEngagementRemoveView(WorkspaceRemoveView):
    """Unlinks a record from the expert (the record itself stays). The button posts the link's id again
    (`engagement`)."""

    model = ExpertEngagement
    pressed_field, pressed_value = "engagement", "pk"
    done_message = gettext_lazy("The record was unlinked from the expert.")
    refused_message = gettext_lazy("Nothing was unlinked: use the button beside the record.")
    back_url_name, back_url_pk = "councils_ws:expert", "appointment_id"

    def remove(self, record: ExpertEngagement) -> None:
        services.expert_engagement_remove(engagement=record)


class ExpertCVView(CouncilObjectMixin, generic.View):
    """The CV for the council's staff (never cached, never from a public address)."""

    model = ExpertAppointment

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        expert = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        log_personal_data_view(request, expert, "attachment", detail="cv")
        return stored_file_download(expert.cv, stem=f"{self.council.slug}-expert-{expert.pk}-cv", private=True)


class ExpertDecisionDocumentView(CouncilObjectMixin, generic.View):
    """The document of one step (an interview's record, the council's decision), for the council's staff."""

    model = ExpertDecision

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        decision = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        stem = f"{self.council.slug}-expert-{decision.appointment_id}-{decision.status}-{decision.date:%Y%m%d}"
        return stored_file_download(decision.document, stem=stem, private=True)


class ExpertSearchView(CouncilScopedMixin, generic.TemplateView):
    """The registries of every council, searched by area («эколог», «градостроитель»): any council's staff may
    look for an expert another council approved. Names, councils, areas, languages, region and status only; the
    CV, consent and decisions stay on the expert's own council's pages."""

    template_name = "workspace/experts/search.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()[:200]
        status = self.request.GET.get("status", "")
        status = status if status in ExpertStatus.values else ""
        context.update(
            q=q,
            status=status,
            statuses=ExpertStatus.choices,
            results=list(staff_expert_search(council=self.council, text=q, status=status)[:100]) if q else [],
        )
        return context
