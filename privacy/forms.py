from __future__ import annotations

from typing import TypedDict

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.public_forms import PublicForm
from core.widgets import QuickSelect
from councils.models import Council
from councils.workspace import ServiceDataForm

from .models import RefusalGround, RequestKind

MAX_DETAILS = 2000


class DataRequestForm(PublicForm):
    """The public form: an address, what the person wants, and optionally the council they mean. Its honeypot and
    limits are every public form's (core/public_forms.py); it asks no consent: the request is the person's own
    right over their data (Law No. 94-V, art. 24), not a processing they agree to."""

    personal_data_consent = None  # type: ignore[assignment]

    email = forms.EmailField(label=_("Your e-mail"), max_length=254, help_text=_("We send a one-time link there."))
    kind = forms.ChoiceField(
        label=_("What do you ask for?"),
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        initial=RequestKind.ACCESS,
    )
    details = forms.CharField(
        label=_("What should be corrected?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_DETAILS,
        required=False,
        help_text=_("For a correction: what is wrong and how it should read."),
    )
    council = forms.ModelChoiceField(
        label=_("Council"),
        queryset=Council.objects.filter(is_published=True).order_by("name"),
        required=False,
        empty_label=_("All councils"),
        # Every published council, 250 at national scale: written in Python, the page took 35 ms through Django's
        # option templates (benchmarks/scale.py); core/widgets.py writes the same HTML.
        widget=QuickSelect,
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == RequestKind.CORRECTION and not (data.get("details") or "").strip():
            self.add_error("details", _("Say what should be corrected."))
        return data


class NoteInput(TypedDict):
    note: str


class RefuseInput(TypedDict):
    ground: str
    note: str


class NoInput(TypedDict):
    pass


class CorrectedForm(ServiceDataForm, forms.Form):
    data_class = NoteInput

    note = forms.CharField(
        label=_("What was corrected (told to the person)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class EraseForm(ServiceDataForm, forms.Form):
    data_class = NoteInput

    note = forms.CharField(
        label=_("Note to the person (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class RefuseForm(ServiceDataForm, forms.Form):
    data_class = RefuseInput

    ground = forms.ChoiceField(label=_("Legal ground"), choices=RefusalGround.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Explanation (told to the person)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean_ground(self) -> str:
        ground = self.cleaned_data["ground"]
        if ground not in RefusalGround.values:
            raise ValidationError(_("Choose the legal ground of the refusal."), code="no_ground")
        return ground


class AssembleForm(ServiceDataForm, forms.Form):
    """No fields: the button that builds the file (a form, so that the hostile-input walk treats it as one)."""

    data_class = NoInput
