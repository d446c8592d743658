"""The hourly purge (Celery beat: `privacy-purge` in config/settings.py): unconfirmed requests past their link's
life and access files past theirs. Re-runs find nothing left to do."""

from __future__ import annotations

from celery import shared_task

from .services import privacy_purge


@shared_task
def purge_expired_privacy_data() -> int:
    return privacy_purge()
