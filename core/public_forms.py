"""One piece for every form the public sends without an account (the appeal, a reception booking, a comment or a
registration on a hearing, a question to a deputy, an alert subscription, a privacy request): the honeypot, the
consent to the processing of personal data, and the limits per client and per address.

1. The form is a `PublicForm`: the honeypot field `website` (hidden from people by CSS and from screen readers
   by aria-hidden, `templates/forms/honeypot.html`; robots fill it in) and `personal_data_consent`, whose label
   and refusal each form words for what it takes (`consent_label`, `consent_refusal`). A form that asks no
   consent (a privacy request is the person's own right, and needs none) sets `personal_data_consent = None`,
   Django's way to leave out an inherited field.
2. The view asks `public_form_refusal(request, form, limits=…)` before validating: a filled-in honeypot is
   refused (400), then a client or an address over its limit (429), each with the one message every form
   shows; None lets the form be validated. The honeypot is checked first, so a robot's posts never count
   against the limits of the people behind the same address.
3. While the cache is down, the limits fail open (core/ratelimit.py): the submission is taken, never a 500 and
   never a refusal of everyone, and the outage is logged once.

`tests/core/test_public_forms.py` walks the URL map: every public page with a POST form renders this piece.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .ratelimit import submission_rate_limited

HONEYPOT_FIELD = "website"
CONSENT_FIELD = "personal_data_consent"


@dataclass(frozen=True)
class SubmissionLimits:
    """Which limits a form counts against: the group (its own counters) and the settings naming the rates
    ("5/h"), read from `settings.OVERSIGHT` or, for a name not there, from settings itself."""

    group: str
    per_ip: str
    per_email: str

    def rates(self) -> tuple[str, str]:
        limits = getattr(settings, "OVERSIGHT", {})

        def rate(name: str) -> str:
            return str(limits[name] if name in limits else getattr(settings, name))

        return rate(self.per_ip), rate(self.per_email)


@dataclass(frozen=True)
class Refusal:
    notice: str
    status: int


class PublicForm(forms.Form):
    """The honeypot and the consent of a public form (see the module)."""

    consent_label: ClassVar[StrOrPromise] = _("I consent to the processing of my personal data")
    consent_refusal: ClassVar[StrOrPromise] = _("Without your consent the council cannot take what you send.")
    # The field holding the sender's address, counted against the per-address limit.
    email_field: ClassVar[str] = "email"

    personal_data_consent = forms.BooleanField()
    # Humans leave it empty; it is hidden from them by CSS and from screen readers by aria-hidden.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        consent = self.fields.get(CONSENT_FIELD)
        if consent is not None:
            consent.label = self.consent_label
            consent.error_messages["required"] = self.consent_refusal

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))

    def sender_email(self) -> str:
        return str(self.data.get(self.email_field) or "")


def public_form_refusal(
    request: HttpRequest, form: PublicForm, *, limits: SubmissionLimits, email: str | None = None
) -> Refusal | None:
    """Why this submission is refused before it is even validated, or None. `email` is the address to count when
    the form's data is not the request's POST (a JSON body of the API)."""
    if form.is_spam():
        return Refusal(gettext("What was sent could not be accepted."), 400)
    per_ip, per_email = limits.rates()
    address = form.sender_email() if email is None else email
    if submission_rate_limited(request, group=limits.group, email=address, per_ip=per_ip, per_email=per_email):
        return Refusal(
            gettext("Too many messages were sent from here in a short time. Please try again in an hour."), 429
        )
    return None
