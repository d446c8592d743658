"""Mail to the citizen, in the language of the appeal. Run by the outbox after commit, never inline."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.outbox import handler

from .models import Appeal

EVENTS = ("registered", "forwarded", "extended", "answered", "left_without_consideration")
# The notices the Administrative Procedural-Process Code owes the applicant (art. 76: forwarding and extension
# are told to the applicant; the answer, or the reasons the appeal was left without consideration). They are sent
# even after consent was withdrawn; every other mail (the receipt of registration) stops at once, queued or not.
REQUIRED_BY_LAW = frozenset({"forwarded", "extended", "answered", "left_without_consideration"})


# What a mail reads (this module, templates/appeals/email/): an appeal has some forty columns and its council thirty,
# and building the objects of every one of them was half the worker's CPU per mail (benchmarks/load.py --profile).
# A field left out here still works, at the cost of one query more (a test counts them).
_NAMES = tuple(
    f"{relation}__name{suffix}" for relation in ("council", "forwarded_to") for suffix in ("", "_ru", "_kk", "_en")
)
MAIL_FIELDS = (
    "email",
    "language",
    "consent_withdrawn_at",
    "number",
    "tracking_token",
    "due_date",
    "extended_until",
    "answer_text",
    *_NAMES,
)


def tracking_path(appeal: Appeal, language: str | None = None) -> str:
    with translation.override(language or appeal.language):
        return reverse("appeals:track", kwargs={"number": appeal.number, "token": appeal.tracking_token})


def tracking_url(appeal: Appeal, language: str | None = None) -> str:
    return settings.SITE_URL.rstrip("/") + tracking_path(appeal, language)


@handler("appeals.send_mail")
def appeal_send_mail(*, appeal_id: int, event: str) -> None:
    """Idempotent but for the mail itself: a run repeated after a worker died mid-send sends it twice."""
    appeal = Appeal.objects.select_related("council", "forwarded_to").only(*MAIL_FIELDS).get(pk=appeal_id)
    if not appeal.email or event not in EVENTS:
        return
    if appeal.consent_withdrawn_at is not None and event not in REQUIRED_BY_LAW:
        return
    with translation.override(appeal.language):
        context = {"appeal": appeal, "event": event, "tracking_url": tracking_url(appeal)}
        subject = render_to_string("appeals/email/subject.txt", context).strip()
        body = render_to_string("appeals/email/body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [appeal.email])
