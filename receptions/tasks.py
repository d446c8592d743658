"""Celery tasks of the receptions app: thin, they call a service."""

from __future__ import annotations

from celery import shared_task

from .services import bookings_erase_expired, reminders_queue


@shared_task
def send_reminders() -> int:
    """Every quarter of an hour (beat): queue the reminders of the bookings due within a day; a repeat queues none."""
    return reminders_queue()


@shared_task
def erase_expired_visitors() -> int:
    """Nightly (beat): erase the visitors' data of receptions held before last year."""
    return bookings_erase_expired()
