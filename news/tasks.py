"""Thin tasks: the scheduled publications whose moment has come (every minute, CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def release_scheduled_news() -> int:
    return services.news_release_due()
