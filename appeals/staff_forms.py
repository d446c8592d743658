"""The council staff's forms: registering an appeal from another channel, one small form per workflow action.

The forms only check what the user typed; the workflow rules (which status may follow which, one extension
of at most two months) belong to the services, whose ValidationError the view shows beside the form.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, TypedDict

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import validate_attachment
from councils.forms import OfficialNameForm
from councils.models import Body, Council, StateBody
from councils.workspace import ServiceDataForm

from .categories import CategoryData, LocalityData
from .filters import StaffChoiceField, staff_of
from .forms import StaffAppealForm
from .models import Appeal, AppealCategory, Locality, LocalityKind


class StaffRegistrationForm(StaffAppealForm):
    """StaffAppealForm plus the moment the appeal was received and a key against double registration."""

    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("When the council received it; leave empty for now. It sets the number and the deadline."),
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value and value > timezone.now():
            raise ValidationError(_("The moment of receipt cannot be in the future."), code="future")
        return value


class ActionForm(ServiceDataForm, forms.Form):
    """The form of one workflow action on the appeal's page: `to_data()` gives the keyword arguments of the
    action's service after the appeal and the user (`data_class`)."""

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.council = council


class AssignInput(TypedDict):
    body: Body | None
    assignee: Any


class ForwardInput(TypedDict):
    state_body: StateBody
    letter: str


class TextInput(TypedDict):
    text: str


class AnswerInput(TextInput):
    letter: UploadedFile | None


class CloseInput(TypedDict):
    note: str


class LeaveInput(TypedDict):
    reason: str


class ExtendInput(TypedDict):
    until: dt.date
    reason: str


class MergeInput(TypedDict):
    into: Appeal


class AssignForm(ActionForm):
    data_class = AssignInput

    body = forms.ModelChoiceField(label=_("Commission"), queryset=Body.objects.none(), required=False)
    assignee = StaffChoiceField(label=_("Member"), queryset=get_user_model().objects.none(), required=False)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, council=council, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(council=council)
        self.fields["assignee"].queryset = staff_of(council)


class ForwardForm(ActionForm):
    data_class = ForwardInput

    state_body = forms.ModelChoiceField(label=_("State body"), queryset=StateBody.objects.all())
    letter = forms.CharField(label=_("Outgoing letter"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)


class TextForm(ActionForm):
    data_class = TextInput
    text_label: Any = None

    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.text_label:
            self.fields["text"].label = self.text_label


class BodyAnswerForm(TextForm):
    text_label = _("The state body's answer")


class AnswerForm(TextForm):
    data_class = AnswerInput
    text_label = _("Answer to the applicant")

    letter = forms.FileField(
        label=_("Signed answer letter"),
        required=False,
        help_text=_("Optional: the scan of the signed letter (PDF, JPEG, PNG or DOCX, up to 10 MB)."),
    )

    def clean_letter(self):
        letter = self.cleaned_data.get("letter")
        if letter:
            validate_attachment(letter)  # by its content, not its name; sets the sniffed content type
        return letter or None


class CloseForm(ActionForm):
    data_class = CloseInput

    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text=_("For example: resolved, or closed without the question being resolved."),
    )


class LeaveForm(ActionForm):
    data_class = LeaveInput

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Give the reason.")},
        help_text=_("Recorded in the appeal's history; the applicant is told by e-mail."),
    )


class ExtendForm(ActionForm):
    data_class = ExtendInput

    until = forms.DateField(label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(
        label=_("Reasoned decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("An extension needs a reasoned decision.")},
        help_text=_("Once only, to at most two months from registration; the applicant is told."),
    )


class MergeForm(ActionForm):
    data_class = MergeInput

    into = forms.CharField(
        label=_("Number of the appeal to merge into"),
        max_length=32,
        help_text=_("For example ALM-2025-000012."),
    )

    def clean_into(self) -> Appeal:
        number = self.cleaned_data["into"].strip()
        appeal = Appeal.objects.filter(council=self.council, number__iexact=number).first()
        if appeal is None:
            raise ValidationError(
                _("This council has no appeal numbered «%(number)s».") % {"number": number}, code="unknown"
            )
        return appeal


class AppealCategoryForm(ServiceDataForm, OfficialNameForm):
    """A category of the council's list: its names in three languages, and whether the form offers it."""

    data_class = CategoryData
    is_active = forms.BooleanField(label=_("Offered in the appeal form"), required=False, initial=True)

    def __init__(self, *args, council: Council, instance: AppealCategory | None = None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {
                "name_ru": instance.name_ru,
                "name_kk": instance.name_kk or "",
                "name_en": instance.name_en or "",
                "is_active": instance.is_active,
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)


class LocalityForm(ServiceDataForm, OfficialNameForm):
    """A district, town or village of the council's territory."""

    data_class = LocalityData
    field_order = ["kind", "name_ru", "name_kk", "name_en", "is_active"]
    kind = forms.ChoiceField(label=_("Kind"), choices=LocalityKind.choices)
    is_active = forms.BooleanField(label=_("Offered in the appeal form"), required=False, initial=True)

    def __init__(self, *args, council: Council, instance: Locality | None = None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {
                "kind": instance.kind,
                "name_ru": instance.name_ru,
                "name_kk": instance.name_kk or "",
                "name_en": instance.name_en or "",
                "is_active": instance.is_active,
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
