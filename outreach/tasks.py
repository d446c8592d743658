"""The nightly retention task of the consultation log (Celery beat: `consultations-anonymise-expired`)."""

from __future__ import annotations

from celery import shared_task

from .retention import consultations_anonymise_expired


@shared_task
def anonymise_expired_consultations() -> int:
    return consultations_anonymise_expired()
