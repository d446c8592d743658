"""Forms of receptions: the citizen's booking (public: consent, honeypot, the council's topics), the schedule
(workspace) and the outcome of a visit."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appeals.categories import category_choices
from core.public_forms import PublicForm
from councils.models import Council, Person
from councils.workspace import ServiceDataForm

from .models import BookingStatus, Outcome, Reception, ReceptionFormat
from .selectors import free_slots
from .services import ReceptionData, VisitorData


class BookingForm(PublicForm):
    consent_refusal = _("Without your consent the council cannot book the time for you.")

    slot = forms.TypedChoiceField(label=_("Time"), coerce=int, choices=())
    name = forms.CharField(
        label=_("Your full name"), max_length=255, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("The confirmation, the reminder and the cancel link come here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        help_text=_("E.g. +7 701 123 45 67."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    category = forms.ChoiceField(label=_("Topic"), choices=())
    question = forms.CharField(
        label=_("Your question (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the member and the council's secretary read it."),
    )

    def __init__(self, *args: Any, reception: Reception, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [
            (n, timezone.localtime(start).strftime("%H:%M")) for n, start in free_slots(reception=reception)
        ]
        self.fields["slot"].error_messages["invalid_choice"] = _("Choose one of the free times.")
        self.fields["category"].choices = category_choices(council=reception.council)
        for name in ("name", "email"):
            self.fields[name].mark_required = True

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if value and not re.fullmatch(r"\+?[\d\s()\-]{6,20}", value):
            raise ValidationError(_("Enter a phone number, e.g. +7 701 123 45 67."), code="bad_phone")
        return value

    def clean_name(self) -> str:
        value = self.cleaned_data["name"].strip()
        if not value:
            raise ValidationError(_("Give your full name."), code="required")
        return value

    def visitor(self) -> VisitorData:
        data = self.cleaned_data
        return VisitorData(
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            category=data["category"],
            question=data["question"],
        )


class ReceptionForm(ServiceDataForm, forms.Form):
    data_class = ReceptionData

    host = forms.ModelChoiceField(label=_("Member"), queryset=Person.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    slot_minutes = forms.IntegerField(label=_("Minutes per visitor"), min_value=5, max_value=240, initial=20)
    slots = forms.IntegerField(label=_("Number of slots"), min_value=1, max_value=48, initial=6)
    format = forms.ChoiceField(label=_("Format"), choices=ReceptionFormat.choices)
    place = forms.CharField(
        label=_("Place"), max_length=500, required=False, help_text=_("For an in-person reception.")
    )
    online_link = forms.URLField(
        assume_scheme="https",
        label=_("Video link"),
        required=False,
        help_text=_("For an online reception: sent to the booked visitors only."),
    )
    topics_ru = forms.CharField(label=_("Topics (Russian)"), max_length=500, required=False)
    topics_kk = forms.CharField(label=_("Topics (Kazakh)"), max_length=500, required=False)
    topics_en = forms.CharField(label=_("Topics (English)"), max_length=500, required=False)

    def __init__(self, *args: Any, council: Council, instance: Reception | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs["initial"] = {
                "host": instance.host_id,
                "starts_at": timezone.localtime(instance.starts_at),
                "slot_minutes": instance.slot_minutes,
                "slots": instance.slots,
                "format": instance.format,
                "place": instance.place_ru or "",
                "online_link": instance.online_link,
                "topics_ru": instance.topics_ru or "",
                "topics_kk": instance.topics_kk or "",
                "topics_en": instance.topics_en or "",
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Person.objects.filter(council=council, memberships__isnull=False).distinct()
        self.fields["host"].label_from_instance = lambda person: person.full_name


OUTCOME_CHOICES = [*Outcome.choices, (BookingStatus.NO_SHOW, BookingStatus.NO_SHOW.label)]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOME_CHOICES, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The advice given, or where the visitor was referred."),
    )
