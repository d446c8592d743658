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


@shared_task
def build_inbox_export(export_id: int) -> bool:
    """Build a queued XLSX export of the inbox into its stored file (inbox_export_*)."""
    from .services import inbox_export_run

    return inbox_export_run(export_id=export_id)


@shared_task
def sweep_inbox_exports() -> int:
    """Delete the exports whose file expired (inbox_export_*)."""
    from .services import inbox_export_sweep

    return inbox_export_sweep()
