"""Forms of the deputies app: the public question (consent, honeypot, a one-time key like the appeal form), the
office's answer, the moderators' decision, and the NGO monitors' records in the workspace."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from councils.workspace import ServiceDataForm

from . import services
from .models import ActivityKind, Deputy, PromiseStatus, RepresentativeBody, SessionKind
from .selectors import current_mandate

SOURCE_HELP = _("Every published fact cites its source: a link, or a document (PDF), or both.")


class QuestionForm(ServiceDataForm, forms.Form):
    data_class = services.QuestionData

    author_name = forms.CharField(
        label=_("Your name"),
        max_length=255,
        help_text=_("Seen only by the moderators; never published."),
    )
    author_email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("We tell you when the question is published and answered; never published."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=_("Your question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Published with the answer once moderated. Do not write your address, phone or other personal data."
        ),
    )
    personal_data_consent = forms.BooleanField(
        label=_("I consent to the processing of my personal data"),
        error_messages={"required": _("Without your consent the question cannot be taken.")},
    )
    accepts_code = forms.BooleanField(
        label=_("I have read the code of conduct"),
        error_messages={"required": _("Confirm that you have read the code of conduct.")},
    )
    # Humans leave it empty; it is hidden from them by CSS and from screen readers by aria-hidden.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean_text(self) -> str:
        value: str = self.cleaned_data["text"]
        if len(value.strip()) < 10:
            raise ValidationError(_("Write the question in a few words at least."), code="short")
        return value


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("reject", _("Reject under the code of conduct"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason for rejection"), max_length=255, required=False)


class InboundModerationForm(ServiceDataForm, forms.Form):
    """Publish an answer a deputy sent by e-mail, or discard it (a forged or garbled reply)."""

    data_class = services.InboundModeration

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish as the deputy's answer")), ("discard", _("Discard"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, council: Any = None, instance: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def to_data(self) -> services.InboundModeration:
        return services.InboundModeration(publish=self.cleaned_data["decision"] == "publish")


class WorkspaceForm(forms.Form):
    """A workspace form: the view passes the NGO (`council`) to scope its choices."""

    def __init__(self, *args: Any, council: Any = None, **kwargs: Any) -> None:
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        self.council = council
        bodies = RepresentativeBody.objects.filter(monitors__council=council)
        if "body" in self.fields:
            self.fields["body"].queryset = bodies  # type: ignore[attr-defined]
        if "deputy" in self.fields:
            self.fields["deputy"].queryset = (  # type: ignore[attr-defined]
                Deputy.objects.filter(mandates__convocation__body__in=bodies).distinct().order_by("full_name")
            )

    def clean_source_document(self) -> Any:
        document = self.cleaned_data.get("source_document")
        if document and not document.name.lower().endswith(".pdf"):
            raise ValidationError(_("The source document must be a PDF."))
        if document and document.size > 10 * 1024 * 1024:
            raise ValidationError(_("The source document is larger than 10 MB."))
        if document and not document.read(5).startswith(b"%PDF-"):
            raise ValidationError(_("The source document is not a PDF."))
        if document:
            document.seek(0)
        return document

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "source_url" in self.fields and not data.get("source_url") and not data.get("source_document"):
            if "source_url" not in self.errors:
                self.add_error("source_url", _("Give the source: a link or a document."))
        return data


class SourceFields(forms.Form):
    source_url = forms.URLField(label=_("Source (link)"), required=False, assume_scheme="https", help_text=SOURCE_HELP)
    source_document = forms.FileField(label=_("Source (document, PDF)"), required=False)


class SessionForm(ServiceDataForm, WorkspaceForm, SourceFields):
    data_class = services.SessionData
    body = forms.ModelChoiceField(label=_("Representative body"), queryset=RepresentativeBody.objects.none())
    number = forms.IntegerField(label=_("Session number"), min_value=1, max_value=999)
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    agenda = forms.CharField(
        label=_("Agenda"), required=False, max_length=20000, widget=forms.Textarea, help_text=_("One item a line.")
    )

    field_order = ["body", "number", "kind", "date", "agenda", "source_url", "source_document"]


class ActivityForm(ServiceDataForm, WorkspaceForm, SourceFields):
    data_class = services.ActivityData
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=500)
    summary = forms.CharField(label=_("Summary"), required=False, max_length=20000, widget=forms.Textarea)
    addressee = forms.CharField(label=_("Addressee (inquiry)"), required=False, max_length=255)
    answered_on = forms.DateField(
        label=_("Answered on (inquiry)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    answer = forms.CharField(label=_("Answer (inquiry)"), required=False, max_length=20000, widget=forms.Textarea)
    visitors = forms.IntegerField(label=_("Voters received (reception)"), required=False, min_value=0, max_value=10000)

    field_order = ["deputy", "kind", "date", "title", "summary", "addressee", "answered_on", "answer", "visitors"]


class PromiseForm(ServiceDataForm, WorkspaceForm, SourceFields):
    data_class = services.PromiseData
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none())
    text = forms.CharField(label=_("Promise"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    rating = forms.ChoiceField(label=_("Status"), choices=PromiseStatus.choices, initial=PromiseStatus.NOT_RATED)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for any status but «not rated»."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("rating") and data["rating"] != PromiseStatus.NOT_RATED and not data.get("evidence", "").strip():
            self.add_error("evidence", _("A rated promise needs the evidence for its rating."))
        return data


class ImportForm(WorkspaceForm):
    body = forms.ModelChoiceField(label=_("Representative body"), queryset=RepresentativeBody.objects.none())
    file = forms.FileField(
        label=_("Deputy list (CSV or XLSX)"),
        help_text=_(
            "Columns: full_name, party, constituency (number; empty for a party list), post (chair, deputy, "
            "committee_chair), start_date, office_email, office_phone."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a CSV or XLSX file."))
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


def deputy_label(deputy: Deputy) -> str:
    mandate = current_mandate(deputy)
    if mandate and mandate.constituency:
        return f"{deputy.full_name} (№ {mandate.constituency.number})"
    return deputy.full_name
