"""A transactional outbox: work that must happen after a commit, and must survive a broker outage.

A service that wants mail sent (or any other follow-up) calls `outbox_enqueue` inside its transaction. The row
commits together with the data it belongs to, as *queued*; on commit the portal hands it to Celery. If the broker
is down, the row turns *pending* and `outbox_flush` (Celery beat, every minute, and `manage.py outbox_flush`) hands
it over later. A queued row that has not run within STALE_AFTER (the process died between the commit and the
hand-over, or Redis lost the message) is handed over again by the same sweep. The worker runs the target under a
compare-and-swap on the row's status, so a message that is handed over twice still runs once.

The row is written as queued rather than marked so after the hand-over: a submission then costs one commit, not
two, which is what the appeal load benchmark measures.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# A message handed to the broker but not run within this time is presumed lost (Redis restarted without
# persistence, or a worker died mid-run) and is handed over again.
STALE_AFTER = dt.timedelta(minutes=10)


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # the broker could not take it: outbox_flush tries again
    QUEUED = "queued", _("Queued")  # handed to the broker on commit
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")


class OutboxMessage(models.Model):
    target = models.CharField(_("target"), max_length=200, help_text=_("Dotted path of the function to run."))
    kwargs = models.JSONField(_("arguments"), default=dict)
    status = models.CharField(_("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        app_label = "core"
        ordering = ["id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.target} #{self.pk} ({self.status})"


def outbox_enqueue(*, target: str, kwargs: dict[str, Any]) -> OutboxMessage:
    """Record work to run after the current transaction commits; hand it to Celery on commit."""
    import_string(target)  # fail now, in the caller's transaction, on a typo
    message = OutboxMessage.objects.create(target=target, kwargs=kwargs, status=OutboxStatus.QUEUED)
    transaction.on_commit(lambda: outbox_dispatch(message_id=message.pk))
    return message


def outbox_dispatch(*, message_id: int) -> bool:
    """Hand one message to the broker. False (and the row stays pending) when the broker cannot be reached."""
    from .tasks import run_outbox_message

    try:
        run_outbox_message.apply_async(args=[message_id], retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the row for outbox_flush
        logger.warning("outbox: broker unavailable for message %s: %s", message_id, exc)
        OutboxMessage.objects.filter(pk=message_id, status__in=[OutboxStatus.QUEUED, OutboxStatus.PENDING]).update(
            status=OutboxStatus.PENDING, last_error=f"broker: {exc}"[:2000], updated_at=timezone.now()
        )
        return False
    return True


def _claim(message_id: int) -> tuple[str, dict[str, Any]] | None:
    """Mark a pending or queued message running and return its target and arguments, in one statement (an
    UPDATE … RETURNING, which PostgreSQL and SQLite ≥ 3.35 both have); None when it is not there to claim."""
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, updated_at = %s, attempts = attempts + 1 "  # noqa: S608 - a quoted table name
            "WHERE id = %s AND status IN (%s, %s) RETURNING target, kwargs",
            [OutboxStatus.RUNNING, timezone.now(), message_id, OutboxStatus.PENDING, OutboxStatus.QUEUED],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    target, kwargs = row
    return target, json.loads(kwargs) if isinstance(kwargs, str) else kwargs


def outbox_run(*, message_id: int) -> None:
    """Run one message exactly once: claim it by compare-and-swap, run its target, record the outcome."""
    claimed = _claim(message_id)
    if claimed is None:
        return  # already run, or running elsewhere
    target, kwargs = claimed
    try:
        import_string(target)(**kwargs)
    except Exception as exc:
        logger.exception("outbox: message %s (%s) failed", message_id, target)
        OutboxMessage.objects.filter(pk=message_id).update(
            status=OutboxStatus.PENDING, last_error=repr(exc)[:2000], updated_at=timezone.now()
        )
        return  # outbox_flush tries again; the caller's request must not fail for it
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxStatus.DONE, done_at=timezone.now(), updated_at=timezone.now(), last_error=""
    )


def outbox_flush(*, now: dt.datetime | None = None) -> int:
    """Hand over every pending message, and those presumed lost; returns how many were handed over."""
    now = now or timezone.now()
    stale = now - STALE_AFTER
    due = Q(status=OutboxStatus.PENDING) | Q(
        status__in=[OutboxStatus.QUEUED, OutboxStatus.RUNNING], updated_at__lt=stale
    )
    ids = list(OutboxMessage.objects.filter(due).values_list("id", flat=True)[:1000])
    # Queued again from now: the next sweep leaves them to the worker (a failed hand-over makes them pending).
    OutboxMessage.objects.filter(due, id__in=ids).update(status=OutboxStatus.QUEUED, updated_at=now)
    return sum(outbox_dispatch(message_id=message_id) for message_id in ids)
