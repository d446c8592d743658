"""Celery tasks of public participation: thin, they call a service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .services import reminders_queue


@shared_task
def send_hearing_reminders() -> int:
    """Daily (beat): queue the reminder of each registrant of a hearing held tomorrow (or today); a second run on
    the same day queues none."""
    return reminders_queue(today=timezone.localdate())
