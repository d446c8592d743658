"""Writes on report builds: request, run, sweep, retry, publish.

A build moves queued → running → done or failed, each step a compare-and-swap on the status, so a task that is
delivered twice, or a worker that comes back after its build was swept, changes nothing:

    queued ──claim──▶ running ──▶ done
       ▲                 │  └───▶ failed ──retry──▶ queued
       └──── sweep ──────┘   (running for longer than REPORT_BUILD_STALE_MINUTES: the worker is presumed dead)

Work reaches Celery through the transactional outbox: a build requested while the broker is down is built once
the broker is back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import traceback
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.outbox import OutboxMessage, outbox_enqueue
from councils.access import is_chair
from councils.models import Council

from .models import BuildStatus, ReportBuild, ReportFormat

logger = logging.getLogger(__name__)

Renderer = Callable[[ReportBuild], tuple[str, str, bytes]]
DISPATCH_TARGET = "reports.services.report_build_dispatch"
FIRST_YEAR = 2000


def stale_after() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "REPORT_BUILD_STALE_MINUTES", 15))


def _enqueue(build: ReportBuild) -> None:
    outbox_enqueue(target=DISPATCH_TARGET, kwargs={"build_id": build.pk})


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
    (after commit, through the outbox).

    `dispatch=False` records it without queueing, for a caller that runs it in-process (`build_report`).
    """
    languages = {code for code, _name in settings.LANGUAGES}
    if language not in languages:
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


def report_build_dispatch(*, build_id: int) -> None:
    """Hand a queued build to the report task (the outbox's target: it runs on a worker, after commit)."""
    from .tasks import build_report

    if ReportBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).exists():
        build_report.apply_async(args=[build_id])


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
    3. Failure: record the error text and mark it failed (only if this run still owns it); never raise, so the
       task is acknowledged and the build waits for a retry.
    4. Success: store the file through Django storage, then running → done with the hash, again only if this run
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
    try:
        filename, _content_type, content = (renderer or _default_renderer)(build)
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
    """Put builds whose worker is presumed dead back in the queue and dispatch them again; returns their ids.

    Running for longer than `stale_after()`: back to queued (compare-and-swap on the start time, so a build that
    finishes meanwhile is left alone). Queued for longer than that: dispatched again (its message may have been
    lost with a broker restart); a duplicate message is harmless, the claim lets one run through.
    """
    now = now or timezone.now()
    cutoff = now - stale_after()
    swept: list[int] = []
    for build_id, started_at in ReportBuild.objects.filter(
        status=BuildStatus.RUNNING, started_at__lt=cutoff
    ).values_list("id", "started_at"):
        with transaction.atomic():
            if ReportBuild.objects.filter(pk=build_id, status=BuildStatus.RUNNING, started_at=started_at).update(
                status=BuildStatus.QUEUED, started_at=None
            ):
                logger.warning("report build %s: running since %s, put back in the queue", build_id, started_at)
                outbox_enqueue(target=DISPATCH_TARGET, kwargs={"build_id": build_id})
                swept.append(build_id)
    waiting = ReportBuild.objects.filter(
        status=BuildStatus.QUEUED, started_at__isnull=True, created_at__lt=cutoff
    ).exclude(id__in=swept)
    for build_id in waiting.values_list("id", flat=True):
        recently_sent = OutboxMessage.objects.filter(
            target=DISPATCH_TARGET, kwargs__build_id=build_id, updated_at__gte=cutoff
        ).exists()
        if recently_sent:
            continue  # still on its way (or waiting for a busy worker): no duplicate
        with transaction.atomic():
            outbox_enqueue(target=DISPATCH_TARGET, kwargs={"build_id": build_id})
        swept.append(build_id)
    return swept


@transaction.atomic
def report_build_retry(*, build: ReportBuild, by: User | None = None) -> ReportBuild:
    """Queue a failed build again (failed → queued), keeping its record and clearing the error."""
    changed = ReportBuild.objects.filter(pk=build.pk, status=BuildStatus.FAILED).update(
        status=BuildStatus.QUEUED, error="", started_at=None, finished_at=None
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
