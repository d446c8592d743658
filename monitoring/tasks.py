"""Celery tasks of the monitoring app: thin, they load ids and call a service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from councils.models import Council

from .services import overdue_reminder_queue


@shared_task
def send_overdue_reminders() -> int:
    """Daily (beat): queue for each council a reminder to its secretaries of the overdue recommendations and
    information requests. Returns how many councils got one; a second run on the same day queues none."""
    today = timezone.localdate()
    queued = 0
    for council_id in Council.objects.order_by("id").values_list("id", flat=True):
        queued += overdue_reminder_queue(council_id=council_id, day=today)
    return queued
