"""Deputies tasks: thin, they take plain values and call the app's code (STYLE.md, "Tasks and PDFs")."""

from __future__ import annotations

from celery import shared_task

from . import national, report
from .models import RepresentativeBody

SOFT_TIME_LIMIT = 10 * 60


@shared_task(ignore_result=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=SOFT_TIME_LIMIT + 60)
def build_national_summary(year: int, language: str) -> str:
    """Render the national summary PDF into the cache (deputies/national.py); a repeated run is harmless."""
    return national.build(year=year, language=language)


@shared_task(ignore_result=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=SOFT_TIME_LIMIT + 60)
def build_body_report(body_id: int, year: int, language: str) -> str:
    """Render one body's monitoring report PDF into the cache (deputies/report.py); a repeated run is harmless."""
    body = RepresentativeBody.objects.get(pk=body_id)
    return report.build(body=body, year=year, language=language)
