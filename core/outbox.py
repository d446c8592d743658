"""A transactional outbox: work that must happen after a commit, and must survive a broker outage.

A service that wants mail sent (or any other follow-up) calls `outbox_enqueue` inside its transaction. The row
commits together with the data it belongs to; on commit the portal tries to hand it to Celery. If the broker is
down, the row simply stays pending and `outbox_flush` (Celery beat, every minute, and `manage.py outbox_flush`)
hands it over later. The worker runs the target under a compare-and-swap on the row's status, so a message that
is handed over twice still runs once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# A message handed to the broker but not run within this time is presumed lost (Redis restarted without
# persistence, or a worker died mid-run) and is handed over again.
STALE_AFTER = dt.timedelta(minutes=10)


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    QUEUED = "queued", _("Queued")
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
    message = OutboxMessage.objects.create(target=target, kwargs=kwargs)
    transaction.on_commit(lambda: outbox_dispatch(message_id=message.pk))
    return message


def outbox_dispatch(*, message_id: int) -> bool:
    """Hand one message to the broker. False (and the row stays pending) when the broker cannot be reached."""
    from .tasks import run_outbox_message

    try:
        run_outbox_message.apply_async(args=[message_id], retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the row for outbox_flush
        logger.warning("outbox: broker unavailable for message %s: %s", message_id, exc)
        OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING).update(
            last_error=f"broker: {exc}"[:2000], updated_at=timezone.now()
        )
        return False
    OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.QUEUED, updated_at=timezone.now()
    )
    return True


def outbox_run(*, message_id: int) -> None:
    """Run one message exactly once: claim it by compare-and-swap, run its target, record the outcome."""
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status__in=[OutboxStatus.PENDING, OutboxStatus.QUEUED]
    ).update(status=OutboxStatus.RUNNING, updated_at=timezone.now(), attempts=models.F("attempts") + 1)
    if not claimed:
        return  # already run, or running elsewhere
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        import_string(message.target)(**message.kwargs)
    except Exception as exc:
        logger.exception("outbox: message %s (%s) failed", message_id, message.target)
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
    ids = list(
        OutboxMessage.objects.filter(
            Q(status=OutboxStatus.PENDING)
            | Q(status__in=[OutboxStatus.QUEUED, OutboxStatus.RUNNING], updated_at__lt=stale)
        ).values_list("id", flat=True)[:1000]
    )
    OutboxMessage.objects.filter(id__in=ids).exclude(status=OutboxStatus.PENDING).update(status=OutboxStatus.PENDING)
    return sum(outbox_dispatch(message_id=message_id) for message_id in ids)
