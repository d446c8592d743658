"""The workspace pages of meetings (with agenda, attendance, minutes PDF and the signed scan) and public hearings,
mounted at workspace/<slug:slug>/meetings/.

Every view goes through the shared machinery of `councils.workspace`: the tenant gate (404 for outsiders, 403
for read-only staff on writes), the object inside the council, the form, the service, the redirect.
"""

from __future__ import annotations

from typing import Any

from django.forms import BaseFormSet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import generic
from django.views.generic.detail import SingleObjectMixin

from councils.workspace import CouncilObjectMixin, WorkspaceActionView, WorkspaceListView

from . import minutes, services
from .forms import (
    AttendanceForm,
    HearingFilter,
    HearingForm,
    MeetingFilter,
    MeetingForm,
    MinutesUploadForm,
    agenda_formset,
    agenda_from_formset,
    agenda_initial,
)
from .models import Meeting, PublicHearing
from .selectors import attendance_roll, hearings_for_workspace, meeting_with_agenda, meetings_for_workspace

AGENDA_ITEM_SOURCE = "hearings.agendaitem"
HEARING_SOURCE = "hearings.publichearing"


def _recommendations_for(council: Any, label: str, ids: list[int]) -> dict[int, list[Any]]:
    """The recommendations made on these records, by record id.

    Recommendations belong to the monitoring app, which stands beside this one: it is read through its
    selector here, where the pages are put together, and never from this app's models or services.
    """
    from monitoring.selectors import recommendations_for_sources

    found = recommendations_for_sources(council=council, sources={label: ids})
    return {source_id: recs for (_label, source_id), recs in found.items()}


# ---- meetings ----------------------------------------------------------------------------------------------


class MeetingListView(WorkspaceListView):
    model = Meeting
    template_name = "workspace/meetings/list.html"
    filterset_class = MeetingFilter
    export_name = "meetings"
    export_columns = (
        (gettext_lazy("Date"), lambda m: m.date),
        (gettext_lazy("Kind"), lambda m: m.get_kind_display()),
        (gettext_lazy("Body"), lambda m: m.body.name if m.body else ""),
        (gettext_lazy("Title"), lambda m: m.title),
        (gettext_lazy("Place"), lambda m: m.place),
        (gettext_lazy("Open to the public"), lambda m: m.is_open),
        (gettext_lazy("Extended"), lambda m: m.is_extended),
        (gettext_lazy("Members present"), lambda m: m.attendance),
        (gettext_lazy("Agenda items"), lambda m: m.agenda_count),
        (gettext_lazy("Signed minutes"), lambda m: bool(m.minutes)),
    )

    def list_queryset(self):
        return meetings_for_workspace(council=self.council)


class MeetingCreateView(WorkspaceActionView):
    form_class = MeetingForm
    template_name = "workspace/meetings/form.html"
    page_title = gettext_lazy("New meeting")
    cancel_url_name = "hearings_ws:meetings"
    success_message = gettext_lazy("The meeting was saved.")

    def build_formsets(self, data: Any | None) -> dict[str, BaseFormSet]:
        return {"agenda_formset": agenda_formset(data)}

    def perform(self, form: MeetingForm) -> Meeting:
        return services.meeting_create(
            council=self.council,
            data=form.to_data(),
            agenda=agenda_from_formset(self.formsets["agenda_formset"]),
        )

    def get_success_url(self) -> str:
        # A meeting already held goes on to who was present and the signed minutes, the next thing the secretary
        # records; one planned ahead goes to its page.
        name = "hearings_ws:meeting_detail"
        if self.object.date <= timezone.localdate():
            name = "hearings_ws:meeting_attendance"
        return reverse(name, kwargs={"slug": self.council.slug, "pk": self.object.pk})


class MeetingUpdateView(WorkspaceActionView):
    model = Meeting
    form_class = MeetingForm
    template_name = "workspace/meetings/form.html"
    page_title = gettext_lazy("Edit the meeting")
    success_message = gettext_lazy("The meeting was saved.")
    success_url_name = cancel_url_name = "hearings_ws:meeting_detail"
    success_url_pk = cancel_url_pk = "pk"

    def build_formsets(self, data: Any | None) -> dict[str, BaseFormSet]:
        return {"agenda_formset": agenda_formset(data, initial=agenda_initial(self.object))}

    def perform(self, form: MeetingForm) -> Meeting:
        item_ids = list(self.object.agenda_items.values_list("pk", flat=True))
        protected = _recommendations_for(self.council, AGENDA_ITEM_SOURCE, item_ids).keys()
        return services.meeting_update(
            meeting=self.object,
            data=form.to_data(),
            agenda=agenda_from_formset(self.formsets["agenda_formset"]),
            protected_item_ids=set(protected),
        )


class MeetingDetailView(CouncilObjectMixin, generic.DetailView):
    model = Meeting
    template_name = "workspace/meetings/detail.html"

    def get_queryset(self):
        return meeting_with_agenda(council=self.council)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting: Meeting = self.object
        items = list(meeting.agenda_items.all())
        by_item = _recommendations_for(self.council, AGENDA_ITEM_SOURCE, [i.pk for i in items])
        for item in items:
            item.recommendations = by_item.get(item.pk, [])
        roll = attendance_roll(meeting=meeting)
        record = minutes.attendance_record(meeting=meeting, roll=roll)
        context.update(
            items=items,
            roll_size=len(roll),
            attendance=record,
            quorum=record.quorum,
            recommendation_create_url=reverse(
                "monitoring_ws:recommendation_create", kwargs={"slug": self.council.slug}
            ),
        )
        return context


class MeetingAttendanceView(WorkspaceActionView):
    """A checklist of those who could attend on the meeting's date, ticked as recorded; the meeting keeps the
    names and their count."""

    model = Meeting
    form_class = AttendanceForm
    template_name = "workspace/meetings/attendance.html"
    page_title = gettext_lazy("Attendance")
    success_message = gettext_lazy("The attendance was recorded.")
    success_url_name = cancel_url_name = "hearings_ws:meeting_detail"
    success_url_pk = cancel_url_pk = "pk"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        self.roll = attendance_roll(meeting=self.object)
        self.record = minutes.attendance_record(meeting=self.object, roll=self.roll)
        kwargs["roll"] = self.roll
        kwargs["initial"] = {"present": [entry.person_id for entry in self.record.present]}
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["roll_size"] = len(self.roll)
        context["attendance"] = self.record
        context["quorum"] = self.record.quorum
        return context

    def perform(self, form: AttendanceForm) -> Meeting:
        return services.meeting_record_held(meeting=self.object, **form.to_data())


class MeetingMinutesUploadView(WorkspaceActionView):
    model = Meeting
    form_class = MinutesUploadForm
    template_name = "workspace/meetings/minutes_upload.html"
    page_title = gettext_lazy("Upload the signed minutes")
    success_message = gettext_lazy("The signed minutes were uploaded.")
    success_url_name = cancel_url_name = "hearings_ws:meeting_detail"
    success_url_pk = cancel_url_pk = "pk"

    def perform(self, form: MinutesUploadForm) -> Meeting:
        return services.meeting_upload_minutes(meeting=self.object, **form.to_data())


class MeetingMinutesPdfView(CouncilObjectMixin, SingleObjectMixin, generic.View):
    """The minutes as PDF, built from the data: `.../meetings/<id>/minutes.pdf`."""

    model = Meeting

    def get_queryset(self):
        return meeting_with_agenda(council=self.council).select_related("council")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        meeting = self.get_object()
        items = [item.pk for item in meeting.agenda_items.all()]
        filename, content_type, content = minutes.render(
            meeting, recommendations_by_item=_recommendations_for(self.council, AGENDA_ITEM_SOURCE, items)
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


class MeetingMinutesScanView(CouncilObjectMixin, SingleObjectMixin, generic.View):
    """The signed scan, served through the tenant gate (never from a public media address)."""

    model = Meeting

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        meeting = self.get_object()
        if not meeting.minutes:
            raise Http404
        response = FileResponse(
            meeting.minutes.open("rb"),
            content_type="application/pdf",
            as_attachment=False,
            filename=f"{meeting.key}-signed.pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


# ---- public hearings ---------------------------------------------------------------------------------------


class HearingListView(WorkspaceListView):
    model = PublicHearing
    template_name = "workspace/hearings/list.html"
    filterset_class = HearingFilter
    export_name = "public-hearings"
    export_columns = (
        (gettext_lazy("Number"), lambda h: h.number),
        (gettext_lazy("Date"), lambda h: h.date),
        (gettext_lazy("Topic"), lambda h: h.topic),
        (gettext_lazy("Organising commission"), lambda h: h.organiser.name if h.organiser else ""),
        (gettext_lazy("Participants"), lambda h: h.participants),
        (gettext_lazy("Resolution"), lambda h: h.resolution),
        (gettext_lazy("Links"), lambda h: " ".join(h.links or [])),
    )

    def list_queryset(self):
        return hearings_for_workspace(council=self.council)


class HearingCreateView(WorkspaceActionView):
    form_class = HearingForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("New public hearing")
    cancel_url_name = "hearings_ws:hearings"
    success_message = gettext_lazy("The public hearing was saved.")
    success_url_name, success_url_pk = "hearings_ws:hearing_detail", "pk"

    def perform(self, form: HearingForm) -> PublicHearing:
        return services.hearing_create(council=self.council, data=form.to_data())


class HearingUpdateView(WorkspaceActionView):
    model = PublicHearing
    form_class = HearingForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit the public hearing")
    success_message = gettext_lazy("The public hearing was saved.")
    success_url_name = cancel_url_name = "hearings_ws:hearing_detail"
    success_url_pk = cancel_url_pk = "pk"

    def perform(self, form: HearingForm) -> PublicHearing:
        return services.hearing_update(hearing=self.object, data=form.to_data())


class HearingDetailView(CouncilObjectMixin, generic.DetailView):
    model = PublicHearing
    template_name = "workspace/hearings/detail.html"

    def get_queryset(self):
        return hearings_for_workspace(council=self.council)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["recommendations"] = _recommendations_for(self.council, HEARING_SOURCE, [self.object.pk]).get(
            self.object.pk, []
        )
        context["recommendation_create_url"] = reverse(
            "monitoring_ws:recommendation_create", kwargs={"slug": self.council.slug}
        )
        return context
