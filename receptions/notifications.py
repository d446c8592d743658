"""Mail to a visitor, in the language they booked in: the confirmation with the cancel link, the reminder the day
before, the notice of their own cancellation. Run by the outbox after commit (core/outbox.py), never inline."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.outbox import handler

from .models import Booking, BookingStatus

EVENTS = ("booked", "reminder", "cancelled")


def cancel_url(booking: Booking, language: str | None = None) -> str:
    with translation.override(language or booking.language):
        path = reverse("receptions:cancel", kwargs={"cancel_token": booking.cancel_token})
    return settings.SITE_URL.rstrip("/") + path


@handler("receptions.send_mail")
def booking_send_mail(*, booking_id: int, event: str) -> None:
    """Idempotent but for the mail itself. A reminder for a booking cancelled since it was queued is not sent;
    neither is anything to a visitor whose data was erased."""
    booking = Booking.objects.select_related("reception__council", "reception__host").get(pk=booking_id)
    if event not in EVENTS or not booking.email:
        return
    if event in ("booked", "reminder") and booking.status != BookingStatus.BOOKED:
        return
    with translation.override(booking.language):
        context = {
            "booking": booking,
            "reception": booking.reception,
            "starts_at": timezone.localtime(booking.starts_at),
            "event": event,
            "cancel_url": cancel_url(booking),
        }
        subject = render_to_string("receptions/email/subject.txt", context).strip()
        body = render_to_string("receptions/email/body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [booking.email])
