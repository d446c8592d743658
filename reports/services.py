"""Writes on report builds: request, run, sweep, retry, publish.

A build moves queued → running → done or failed, each step a compare-and-swap on the status, so a task that is
delivered twice, or a worker that comes back after its build was swept, changes nothing:

    queued ──claim──▶ running ──▶ done
       ▲                 │  └───▶ failed ──retry──▶ queued
       └──── sweep ──────┘   (running for longer than REPORT_BUILD_STALE_MINUTES: the worker is presumed dead)

One path and one sweep. The build row is its own outbox: it commits as queued with the request, and on commit
`build_report` is handed to Celery (`dispatched_at` records the hand-over). `report_build_sweep_stale` (beat,
every minute) is the only thing that guards it: it hands over again a queued build the broker never took
(`dispatched_at` empty: the broker was down) or may have lost (handed over longer than the stale time ago), and
puts back in the queue a build whose worker died. A duplicate task is harmless: the claim lets one run through.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import traceback
from collections.abc import Callable
from typing import TypedDict

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import languages
from core.memory import memory_budget
from councils.access import is_chair
from councils.models import Council

from .models import BuildStatus, ReportBuild, ReportFormat

logger = logging.getLogger(__name__)

Renderer = Callable[[ReportBuild], tuple[str, str, bytes]]
FIRST_YEAR = 2000
# A build just requested is handed over by its own commit; the sweep leaves it that long before it steps in.
UNDISPATCHED_GRACE = dt.timedelta(seconds=30)


def stale_after() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "REPORT_BUILD_STALE_MINUTES", 15))


def _enqueue(build: ReportBuild) -> None:
    build_id = build.pk
    transaction.on_commit(lambda: report_build_dispatch(build_id=build_id))


class BuildRequestInput(TypedDict):
    """`report_build_request`'s keyword arguments after the council: what the workspace form fills."""

    year: int
    language: str
    format: str


@transaction.atomic
def report_build_request(
    *,
    council: Council,
    year: int,
    language: str = "ru",
    format: str = ReportFormat.PDF,
    by: User | None = None,
    dispatch: bool = True,
) -> ReportBuild:
    """Record a build of the council's report for the year, as a PDF or a Word document (`format`), and queue it
    (handed to Celery after commit; if the broker is down, by the sweep once it is back).

    `dispatch=False` records it without queueing, for a caller that runs it in-process (`build_report`).
    """
    if not languages.is_supported(language):
        raise ValidationError({"language": _("Unknown language.")})
    if format not in ReportFormat.values:
        raise ValidationError({"format": _("Unknown format: choose PDF or DOCX.")})
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("The year must be between %(first)s and this year.") % {"first": FIRST_YEAR}})
    build = ReportBuild.objects.create(
        council=council,
        year=year,
        language=language,
        format=format,
        requested_by=by if by is not None and by.is_authenticated else None,
        status=BuildStatus.QUEUED,
    )
    if dispatch:
        _enqueue(build)
    return build


def report_build_dispatch(*, build_id: int) -> bool:
    """Hand a queued build to the report task and note when; False when the broker cannot take it (the sweep
    tries again). Never raises: it runs after a commit, where a citizen's or secretary's request must not fail."""
    from .tasks import build_report

    try:
        build_report.apply_async(args=[build_id], retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the build queued for the sweep
        logger.warning("report build %s: broker unavailable: %s", build_id, exc)
        ReportBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(dispatched_at=None)
        return False
    # Eager Celery has run the build by now (and it is no longer queued): nothing to note then.
    ReportBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(dispatched_at=timezone.now())
    return True


def _default_renderer(build: ReportBuild) -> tuple[str, str, bytes]:
    """The build's format picks the renderer (imported here: only a worker loads WeasyPrint or python-docx)."""
    if build.format == ReportFormat.DOCX:
        from . import rendering_docx

        return rendering_docx.render(build)
    from . import rendering

    return rendering.render(build)


def report_build_run(*, build_id: int, renderer: Renderer | None = None) -> bool:
    """Build one queued report; True when this call finished it.

    1. Claim the build: queued → running, by compare-and-swap; stop if another run has it or it is done.
    2. Render outside any transaction (seconds of WeasyPrint must not hold a database transaction open).
    3. Over the memory budget (`REPORT_BUILD_MEMORY_MB`, `core.memory`): failed, with a message in the build's
       language telling the secretary to lower the council's annex threshold; the worker process lives on.
    4. Other failure: record the error text and mark it failed (only if this run still owns it); never raise, so the
       task is acknowledged and the build waits for a retry.
    5. Success: store the file through Django storage, then running → done with the hash, again only if this run
       still owns it (a build swept back to the queue while this worker was stuck is finished by the next run;
       this run's file is deleted).
    """
    started = timezone.now()
    claimed = ReportBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(
        status=BuildStatus.RUNNING, started_at=started, finished_at=None, error=""
    )
    if not claimed:
        logger.info("report build %s: not queued, nothing to do", build_id)
        return False
    owned = ReportBuild.objects.filter(pk=build_id, status=BuildStatus.RUNNING, started_at=started)
    build = ReportBuild.objects.select_related("council").get(pk=build_id)
    budget_mb = getattr(settings, "REPORT_BUILD_MEMORY_MB", 0)
    try:
        # The budget is lifted before any handler below runs, so recording the failure has memory to work with.
        with memory_budget(budget_mb):
            filename, _content_type, content = (renderer or _default_renderer)(build)
    except MemoryError:
        logger.warning("report build %s: over its memory budget of %s MB", build_id, budget_mb)
        with translation.override(build.language):
            error = _(
                "The report needs more memory than a build may use (%(mb)s MB). Lower the annex threshold in the "
                "council's settings so that long lists move to the annex, then build it again."
            ) % {"mb": budget_mb}
        owned.update(status=BuildStatus.FAILED, error=error, finished_at=timezone.now())
        return False
    except Exception as exc:
        logger.exception("report build %s failed", build_id)
        error = "".join(traceback.format_exception_only(exc)).strip() + "\n\n" + traceback.format_exc()
        owned.update(status=BuildStatus.FAILED, error=error[-10000:], finished_at=timezone.now())
        return False
    old_name = build.file.name if build.file else ""
    build.file.save(filename, ContentFile(content), save=False)
    done = owned.update(
        status=BuildStatus.DONE,
        file=build.file.name,
        content_hash=hashlib.sha256(content).hexdigest(),
        finished_at=timezone.now(),
        error="",
    )
    if not done:
        logger.warning("report build %s was taken over while it ran; dropping this run's file", build_id)
        if build.file.name:  # always: the file was saved above
            build.file.storage.delete(build.file.name)
        return False
    if old_name and old_name != build.file.name:
        build.file.storage.delete(old_name)  # a retried build keeps one file
    return True


def report_build_sweep_stale(*, now: dt.datetime | None = None) -> list[int]:
    """The one sweep of report builds (beat, every minute); returns the ids handed over again.

    1. Running for longer than `stale_after()`: the worker is presumed dead; back to queued (compare-and-swap on
       the start time, so a build that finishes meanwhile is left alone).
    2. Queued and never taken by the broker (`dispatched_at` empty: it was down), or handed over longer than
       `stale_after()` ago and still not started (the message may have been lost with a broker restart), and
       those from step 1: handed over again. A duplicate message is harmless, the claim lets one run through.
    """
    now = now or timezone.now()
    cutoff = now - stale_after()
    swept: list[int] = []
    for build_id, started_at in ReportBuild.objects.filter(
        status=BuildStatus.RUNNING, started_at__lt=cutoff
    ).values_list("id", "started_at"):
        if ReportBuild.objects.filter(pk=build_id, status=BuildStatus.RUNNING, started_at=started_at).update(
            status=BuildStatus.QUEUED, started_at=None, dispatched_at=None
        ):
            logger.warning("report build %s: running since %s, put back in the queue", build_id, started_at)
            swept.append(build_id)
    waiting = ReportBuild.objects.filter(status=BuildStatus.QUEUED, started_at__isnull=True).filter(
        Q(dispatched_at__isnull=True, created_at__lt=now - UNDISPATCHED_GRACE) | Q(dispatched_at__lt=cutoff)
    )
    swept += [build_id for build_id in waiting.values_list("id", flat=True) if build_id not in swept]
    for build_id in swept:
        report_build_dispatch(build_id=build_id)
    return swept


@transaction.atomic
def report_build_retry(*, build: ReportBuild, by: User | None = None) -> ReportBuild:
    """Queue a failed build again (failed → queued), keeping its record and clearing the error."""
    changed = ReportBuild.objects.filter(pk=build.pk, status=BuildStatus.FAILED).update(
        status=BuildStatus.QUEUED, error="", started_at=None, finished_at=None, dispatched_at=None
    )
    if not changed:
        raise ValidationError(_("Only a failed build can be retried."))
    _enqueue(build)
    build.refresh_from_db()
    return build


def can_publish(*, user: User, council: Council) -> bool:
    """The council's chair (or a superuser) approves and publishes its report."""
    return is_chair(user, council)


@transaction.atomic
def report_publish(*, build: ReportBuild, by: User) -> ReportBuild:
    """Publish a finished PDF build: it becomes public, and replaces the council's earlier published report for
    the same year and language. A Word build is a draft for the council to edit, never published (the database
    refuses it too: `reports_published_build_is_pdf`)."""
    if not can_publish(user=by, council=build.council):
        raise PermissionDenied(_("Only the council's chair publishes its report."))
    build = ReportBuild.objects.select_for_update().get(pk=build.pk)
    if build.status != BuildStatus.DONE:
        raise ValidationError(_("Only a finished build can be published."))
    if build.format != ReportFormat.PDF:
        raise ValidationError(_("Only a PDF build is published; a Word document is for editing."))
    ReportBuild.objects.filter(
        council_id=build.council_id, year=build.year, language=build.language, is_published=True
    ).exclude(pk=build.pk).update(is_published=False)
    if not build.is_published:
        build.is_published = True
        build.save(update_fields=["is_published"])
    return build
