"""Report tasks: thin, they take primary keys and call a service (STYLE.md, "Tasks and PDFs")."""

from __future__ import annotations

from celery import shared_task

from .services import report_build_run, report_build_sweep_stale

# A build past the soft limit fails with its error recorded; past the hard limit the worker process is killed,
# and the stale sweep puts the build back in the queue. This task is the only way a build reaches a worker: the
# request hands it over on commit, the sweep when that failed or was lost (reports/services.py).
SOFT_TIME_LIMIT = 10 * 60


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=SOFT_TIME_LIMIT + 60)
def build_report(build_id: int) -> bool:
    """Build one report; re-delivery is harmless (the run claims the build by compare-and-swap)."""
    return report_build_run(build_id=build_id)


@shared_task(ignore_result=True)
def sweep_stale_report_builds() -> int:
    """Celery beat, every minute: hand over builds the broker never took or lost; requeue those of dead workers."""
    return len(report_build_sweep_stale())
