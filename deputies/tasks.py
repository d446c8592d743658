"""Deputies tasks: thin, they take plain values and call the app's code (STYLE.md, "Tasks and PDFs")."""

from __future__ import annotations

from celery import shared_task

from . import national

SOFT_TIME_LIMIT = 10 * 60


@shared_task(ignore_result=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=SOFT_TIME_LIMIT + 60)
def build_national_summary(year: int, language: str) -> str:
    """Render the national summary PDF into the cache (deputies/national.py); a repeated run is harmless."""
    return national.build(year=year, language=language)
