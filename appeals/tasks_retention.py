"""The daily retention task (Celery beat: `appeals-anonymise-expired` in config/settings.py).

A module of its own, loaded through CELERY_IMPORTS, so that the retention work stays apart from the
appeals workflow tasks.
"""

from __future__ import annotations

from celery import shared_task

from .retention import appeals_anonymise_expired


@shared_task
def anonymise_expired_appeals() -> int:
    """Anonymise the appeals whose retention period is over; re-runs find nothing left to do."""
    return appeals_anonymise_expired()
