"""The consultation log and trainings in the workspace, mounted at workspace/<slug:slug>/outreach/. Every view goes
through `councils.workspace`: the tenant gate, the object inside the council, the form, the service, the
redirect. The consultation log names people: it lives here and nowhere public."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import generic

from councils.workspace import (
    CouncilObjectMixin,
    WorkspaceActionView,
    WorkspaceListView,
    choice_labels,
)

from . import services
from .forms import ConsultationFilter, ConsultationForm, TrainingFilter, TrainingForm
from .models import (
    Audience,
    Consultation,
    ConsultationChannel,
    ConsultationKind,
    ConsultationOutcome,
    ConsultationTopic,
    Training,
    TrainingKind,
)
from .selectors import consultations_for_workspace, trainings_for_workspace

_c_kind, _channel = choice_labels(ConsultationKind), choice_labels(ConsultationChannel)
_topic, _outcome = choice_labels(ConsultationTopic), choice_labels(ConsultationOutcome)
_t_kind, _audience = choice_labels(TrainingKind), choice_labels(Audience)


# ---- consultations -------------------------------------------------------------------------------------------


class ConsultationListView(WorkspaceListView):
    model = Consultation
    template_name = "workspace/outreach/consultations.html"
    filterset_class = ConsultationFilter
    export_name = "consultations"
    export_columns = (
        (gettext_lazy("Date"), lambda c: c.date),
        (gettext_lazy("Kind"), lambda c: _c_kind(c.kind)),
        (gettext_lazy("Channel"), lambda c: _channel(c.channel)),
        (gettext_lazy("Topic"), lambda c: _topic(c.topic)),
        (gettext_lazy("Outcome"), lambda c: _outcome(c.outcome)),
        (gettext_lazy("Referred to"), lambda c: c.referred_to),
        (gettext_lazy("Name of the person"), lambda c: c.client_name),
        (gettext_lazy("Contact"), lambda c: c.client_contact),
        (gettext_lazy("Notes"), lambda c: c.notes),
    )

    def list_queryset(self):
        return consultations_for_workspace(council=self.council)


class ConsultationCreateView(WorkspaceActionView):
    form_class = ConsultationForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("New consultation")
    cancel_url_name = "outreach_ws:consultations"
    success_message = gettext_lazy("The consultation was recorded.")
    success_url_name = "outreach_ws:consultation_detail"
    success_url_pk = "pk"

    def perform(self, form: ConsultationForm) -> Consultation:
        return services.consultation_create(council=self.council, data=form.to_data(), today=timezone.localdate())


class ConsultationUpdateView(WorkspaceActionView):
    model = Consultation
    form_class = ConsultationForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit the consultation")
    cancel_url_name = "outreach_ws:consultations"
    success_message = gettext_lazy("The consultation was recorded.")
    success_url_name = "outreach_ws:consultation_detail"
    success_url_pk = "pk"

    def perform(self, form: ConsultationForm) -> Consultation:
        consultation = Consultation.objects.get(pk=self.object.pk)
        return services.consultation_update(consultation=consultation, data=form.to_data(), today=timezone.localdate())


class ConsultationDetailView(CouncilObjectMixin, generic.DetailView):
    model = Consultation
    template_name = "workspace/outreach/consultation_detail.html"
    context_object_name = "consultation"


# ---- trainings ----------------------------------------------------------------------------------------------


class TrainingListView(WorkspaceListView):
    model = Training
    template_name = "workspace/outreach/trainings.html"
    filterset_class = TrainingFilter
    export_name = "trainings"
    export_columns = (
        (gettext_lazy("Date"), lambda t: t.date),
        (gettext_lazy("End date"), lambda t: t.end_date),
        (gettext_lazy("Kind"), lambda t: _t_kind(t.kind)),
        (gettext_lazy("Title"), lambda t: t.title),
        (gettext_lazy("Audience"), lambda t: _audience(t.audience)),
        (gettext_lazy("Participants"), lambda t: t.participants),
        (gettext_lazy("Place"), lambda t: t.place),
        (gettext_lazy("Materials"), lambda t: t.material_count),
        (gettext_lazy("Partners"), lambda t: t.partner_count),
    )

    def list_queryset(self):
        return trainings_for_workspace(council=self.council)


class TrainingCreateView(WorkspaceActionView):
    form_class = TrainingForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("New training or campaign")
    cancel_url_name = "outreach_ws:trainings"
    success_message = gettext_lazy("The training was saved.")
    success_url_name = "outreach_ws:training_detail"
    success_url_pk = "pk"

    def perform(self, form: TrainingForm) -> Training:
        return services.training_create(council=self.council, data=form.to_data())


class TrainingUpdateView(WorkspaceActionView):
    model = Training
    form_class = TrainingForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit the training")
    cancel_url_name = "outreach_ws:trainings"
    success_message = gettext_lazy("The training was saved.")
    success_url_name = "outreach_ws:training_detail"
    success_url_pk = "pk"

    def perform(self, form: TrainingForm) -> Training:
        training = Training.objects.get(pk=self.object.pk)
        return services.training_update(training=training, data=form.to_data())


class TrainingDetailView(CouncilObjectMixin, generic.DetailView):
    model = Training
    template_name = "workspace/outreach/training_detail.html"
    context_object_name = "training"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("materials", "partners")
