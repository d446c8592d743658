"""The public forms (a comment or question; a registration to attend) and the workspace's forms (the hearing's
comment window, documents, the draft's text, moderation, answers)."""

from __future__ import annotations

import uuid
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.files import validate_attachment
from core.public_forms import PublicForm
from councils.forms import DateInput
from councils.workspace import ServiceDataForm
from hearings.models import HearingKind, PublicHearing

from .models import CommentKind, CommentOutcome, CommentStatus
from .services import CommentData, ConsultationData, RegistrationData


class _PublicForm(PublicForm):
    """Consent and the honeypot of every public form (core/public_forms.py), and a one-time key."""

    consent_label = _("I consent to the processing of my personal data; my name and e-mail are never published")
    consent_refusal = _("Without your consent the council cannot take your comment.")
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)


class PublicCommentForm(_PublicForm):
    kind = forms.ChoiceField(
        label=_("I am sending"), choices=CommentKind.choices, widget=forms.RadioSelect, initial=CommentKind.COMMENT
    )
    text = forms.CharField(
        label=_("Your comment or question"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    name = forms.CharField(
        label=_("Full name"),
        max_length=255,
        help_text=_("Not published."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("Not published."), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    pseudonym = forms.CharField(
        label=_("Public signature (optional)"),
        max_length=60,
        required=False,
        help_text=_("Shown with your comment; without it the comment is signed «a participant»."),
    )

    def to_data(self, language: str) -> CommentData:
        data = self.cleaned_data
        return CommentData(
            name=data["name"],
            email=data["email"],
            text=data["text"],
            kind=data["kind"],
            pseudonym=data["pseudonym"],
            language=language,
            personal_data_consent=data["personal_data_consent"],
        )


class RegistrationForm(_PublicForm):
    name = forms.CharField(label=_("Full name"), max_length=255, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("For the confirmation, a reminder the day before and the record."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    questions = forms.CharField(
        label=_("Questions you want answered at the hearing (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    consent_refusal = _("Without your consent the council cannot register you.")

    def to_data(self, language: str) -> RegistrationData:
        data = self.cleaned_data
        return RegistrationData(
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            questions=data["questions"],
            language=language,
            personal_data_consent=data["personal_data_consent"],
        )


# ---- the workspace -------------------------------------------------------------------------------------------


class ConsultationForm(ServiceDataForm, forms.ModelForm):
    data_class = ConsultationData

    class Meta:
        model = PublicHearing
        fields = ["kind", "project", "operator", "notice_date", "comments_open", "comments_close"]
        widgets = {
            "notice_date": DateInput(),
            "comments_open": DateInput(),
            "comments_close": DateInput(),
            "project": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, council: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = HearingKind.choices
        self.fields["comments_open"].help_text = _(
            "The public may comment on the portal from this day to the last day, both included."
        )
        self.fields["notice_date"].help_text = _(
            "For an EIA hearing, at least 20 working days before the hearing (Environmental Code, art. 73)."
        )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    file = forms.FileField(label=_("File (PDF, JPEG, PNG or DOCX)"), required=False)
    url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            validate_attachment(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not data.get("url") and not self.errors:
            self.add_error("file", _("Attach a file or give a link."))
        return data


class DraftTextForm(forms.Form):
    draft_file = forms.FileField(label=_("The draft (PDF or DOCX)"), required=False)
    draft_url = forms.URLField(
        label=_("Link to the official text"), max_length=500, required=False, assume_scheme="https"
    )

    def clean_draft_file(self) -> Any:
        upload = self.cleaned_data.get("draft_file")
        if upload:
            validate_attachment(upload)
        return upload


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("reject", _("Do not publish"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for not publishing"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the comment is not published; kept in the workspace, never shown publicly."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the comment is not published."))
        return data


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CommentOutcome.choices, widget=forms.RadioSelect)
    answer = forms.CharField(
        label=_("The council's answer"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the comment is not taken into account: give the reason."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == CommentOutcome.REJECTED and not (data.get("answer") or "").strip():
            self.add_error("answer", _("Give the reason the comment was not taken into account."))
        return data


class CommentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CommentStatus.choices)
