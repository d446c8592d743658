"""Workspace forms and list filters for meetings (with the agenda formset, attendance and minutes) and public
hearings. Choices offer only the council's own records; the services check again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from councils.forms import DateInput, RecordForm, request_council_slug
from councils.models import Body, Council, StateBody
from councils.workspace import ServiceDataForm

from .models import AgendaItem, AgendaItemKind, Meeting, MeetingKind, PublicHearing
from .selectors import RollEntry
from .services import AgendaItemData, HearingData, MeetingData, MeetingHeldInput, MinutesUploadInput


class LinksField(forms.CharField):
    """Web addresses, one per line (the service accepts http and https only)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("One address per line: the council's site, Facebook, news reports."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class MeetingForm(ServiceDataForm, forms.ModelForm):
    data_class = MeetingData
    links = LinksField(label=_("Links"))

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "body",
            "title",
            "goal",
            "date",
            "start_time",
            "duration_minutes",
            "place",
            "is_open",
            "is_extended",
            "links",
        ]
        widgets = {
            "date": DateInput(),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "goal": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Most meetings a secretary records are the council's own: one choice fewer on the commonest path.
        self.fields["kind"].initial = MeetingKind.COUNCIL
        self.fields["body"].queryset = (
            Body.objects.filter(council=council)
            .select_related("convocation")
            .order_by("-convocation__number", "kind", "number")
        )
        self.fields["body"].help_text = _("The presidium or commission that held the meeting; empty for the council.")
        self.fields["start_time"].help_text = _("Almaty time, e.g. 15:00; empty: the calendar shows the whole day.")
        self.fields["duration_minutes"].help_text = _("How long it is planned to last; needs a start time.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("duration_minutes") and not data.get("start_time"):
            self.add_error("start_time", _("Give the start time, or leave the duration empty."))
        return data


class AgendaItemForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    number = forms.IntegerField(label=_("No."), min_value=1, max_value=999, required=False)
    title = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label=_("Kind"), choices=AgendaItemKind.choices, initial=AgendaItemKind.OTHER)
    state_body = forms.ModelChoiceField(label=_("State body"), queryset=StateBody.objects.all(), required=False)
    speakers = forms.CharField(label=_("Speakers"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    decision = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, state_body_choices: list[tuple[Any, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if state_body_choices is not None:
            self.fields["state_body"].widget.choices = state_body_choices


def shared_choices(field: forms.ModelChoiceField) -> list[tuple[Any, str]]:
    """A choice list read once and shared by every row of a formset (one query, not one per row)."""
    return [("", field.empty_label or "")] + [(obj.pk, field.label_from_instance(obj)) for obj in field.queryset]


def agenda_formset(data: Any | None, *, initial: list[dict[str, Any]] | None = None) -> forms.BaseFormSet:
    choices = shared_choices(AgendaItemForm.base_fields["state_body"])
    return AgendaFormSet(data, prefix="agenda", initial=initial, form_kwargs={"state_body_choices": choices})


AgendaFormSet = forms.formset_factory(AgendaItemForm, extra=2, can_delete=True, max_num=200, validate_max=True)


def agenda_initial(meeting: Meeting | None) -> list[dict[str, Any]]:
    if meeting is None or meeting.pk is None:
        return []
    return [
        {
            "id": item.pk,
            "number": item.number,
            "title": item.title,
            "kind": item.kind,
            "state_body": item.state_body_id,
            "speakers": item.speakers,
            "decision": item.decision,
        }
        for item in AgendaItem.objects.filter(meeting=meeting).order_by("number", "id")
    ]


def agenda_from_formset(formset: forms.BaseFormSet) -> list[AgendaItemData]:
    """The agenda as the formset left it: deleted and untouched empty rows dropped, missing numbers filled in
    after the highest number given."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append(data)
    next_number = max((row["number"] or 0 for row in rows), default=0) + 1
    items = []
    for row in rows:
        number = row["number"]
        if number is None:
            number, next_number = next_number, next_number + 1
        items.append(
            AgendaItemData(
                id=row.get("id"),
                number=number,
                title=row["title"],
                kind=row["kind"],
                state_body=row["state_body"],
                speakers=row["speakers"],
                decision=row["decision"],
            )
        )
    return items


class AttendanceForm(ServiceDataForm, RecordForm):
    """Who was present, and (optionally, on the same page) the signed minutes: recording a held meeting is one
    page after the meeting's own form, not three."""

    data_class = MeetingHeldInput
    data_names = {"present": "present_person_ids"}

    present = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.FileField(
        label=_("Signed minutes (PDF)"),
        required=False,
        help_text=_("Optional here: the scan of the signed minutes, as one PDF file of up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args: Any, roll: Sequence[RollEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(e.person_id, f"{e.full_name} — {e.detail}") for e in roll]

    def to_data(self) -> MeetingHeldInput:
        data: MeetingHeldInput = super().to_data()
        return {**data, "minutes": data["minutes"] or None}


class MinutesUploadForm(ServiceDataForm, RecordForm):
    data_class = MinutesUploadInput
    data_names = {"minutes": "upload"}

    minutes = forms.FileField(
        label=_("Signed minutes (PDF)"),
        help_text=_("The scan of the signed minutes, as one PDF file of up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class HearingForm(ServiceDataForm, forms.ModelForm):
    data_class = HearingData
    links = LinksField(label=_("Links"))

    class Meta:
        model = PublicHearing
        fields = ["number", "topic", "date", "organiser", "participants", "resolution", "links"]
        widgets = {
            "date": DateInput(),
            "topic": forms.Textarea(attrs={"rows": 2}),
            "participants": forms.Textarea(attrs={"rows": 3}),
            "resolution": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Body.objects.filter(council=council).order_by("kind", "number", "name")
        self.fields["organiser"].label = _("Organising commission")


# ---- list filters ------------------------------------------------------------------------------------------


def _bodies_of_request(request: Any):
    return Body.objects.filter(council__slug=request_council_slug(request)).order_by("kind", "number", "name")


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MeetingKind.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="date", lookup_expr="year")
    body = django_filters.ModelChoiceFilter(label=_("Body"), queryset=_bodies_of_request)


class HearingFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="date", lookup_expr="year")
    organiser = django_filters.ModelChoiceFilter(label=_("Organising commission"), queryset=_bodies_of_request)
