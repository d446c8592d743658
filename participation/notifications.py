"""The mails to a hearing's registrants: the confirmation, the reminder and the record. Run by the outbox after
the commit (core/outbox.py), never inline; each checks the registration first, so a repeated run is harmless."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.outbox import handler

from .models import CommentStatus, HearingRegistration
from .services import CONFIRMATION_MAIL, RECORD_MAIL, REMINDER_MAIL


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(registration_id: int, template: str) -> int:
    registration = (
        HearingRegistration.objects.select_related("hearing__council")
        .filter(pk=registration_id, cancelled_at__isnull=True)
        .first()
    )
    if registration is None:
        return 0  # cancelled or deleted meanwhile
    hearing = registration.hearing
    with translation.override(registration.language):
        context = {
            "registration": registration,
            "hearing": hearing,
            "council": hearing.council,
            "hearing_url": _site(
                reverse("reports:hearing_consultation", kwargs={"slug": hearing.council.slug, "pk": hearing.pk})
            ),
            "cancel_url": _site(reverse("participation:cancel", kwargs={"token": registration.token})),
            "comments": hearing.public_comments.filter(status=CommentStatus.PUBLISHED).order_by("number"),
        }
        subject = render_to_string(f"participation/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"participation/email/{template}_body.txt", context)
    mail = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email], headers={"Auto-Submitted": "auto-generated"}
    )
    return mail.send()


@handler(CONFIRMATION_MAIL)
def send_registration_confirmation(*, registration_id: int) -> int:
    return _send(registration_id, "confirmation")


@handler(REMINDER_MAIL)
def send_hearing_reminder(*, registration_id: int) -> int:
    return _send(registration_id, "reminder")


@handler(RECORD_MAIL)
def send_hearing_record(*, registration_id: int) -> int:
    return _send(registration_id, "record")
