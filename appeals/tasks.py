"""Celery tasks of the appeals app: thin, they load and call a service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from councils.models import Council

from .digest import council_digest_queue


@shared_task
def send_daily_digest() -> int:
    """Queue today's digest for every council with something overdue or due soon; returns how many.

    Safe to run twice a day: a council's digest for a day is queued once (see appeals.digest).
    """
    day = timezone.localdate()
    council_ids = Council.objects.order_by("id").values_list("id", flat=True)
    return sum(council_digest_queue(council_id=pk, day=day) for pk in council_ids)
