"""A mail-out's messages: one per contact person, sent by the outbox after commit (core/outbox.py), never inline.
Each carries a one-click unsubscribe link (RFC 2369 `List-Unsubscribe`, RFC 8058 `List-Unsubscribe-Post`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.outbox import handler

from .models import DeliveryStatus, MailOutDelivery
from .services import MAIL_HANDLER


def unsubscribe_url(token: str, language: str = "ru") -> str:
    with translation.override(language):
        path = reverse("stakeholders:unsubscribe", kwargs={"token": token})
    return settings.SITE_URL.rstrip("/") + path


@handler(MAIL_HANDLER)
def send_mail_out_message(*, delivery_id: int) -> int:
    """Send one message of a mail-out. Idempotent: a message sent already, or to a person who unsubscribed, left
    or was cleared since it was queued, is not sent (the row says which)."""
    delivery = MailOutDelivery.objects.select_related("mail_out__council", "contact").get(pk=delivery_id)
    if delivery.status != DeliveryStatus.QUEUED:
        return 0
    contact, mail_out = delivery.contact, delivery.mail_out
    if not contact.can_be_mailed:
        MailOutDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.SKIPPED
        )
        return 0
    link = unsubscribe_url(contact.unsubscribe_token, mail_out.language)
    with translation.override(mail_out.language):
        body = render_to_string(
            "stakeholders/email/mail_out.txt",
            {"mail_out": mail_out, "council": mail_out.council, "unsubscribe_url": link},
        )
    message = EmailMessage(
        mail_out.subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [contact.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    sent = get_connection().send_messages([message]) or 0
    # Marked after sending: a failure leaves the row queued for the outbox's next try (the outbox never runs one
    # message twice at the same time).
    MailOutDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now()
    )
    return sent
