"""A transactional outbox: work that must happen after a commit, and must survive a broker outage.

A service that wants mail sent (or any other follow-up) calls `outbox_enqueue(handler=…)` inside its transaction.
The row commits together with the data it belongs to, as *queued*; on commit the portal hands it to Celery. If the
broker is down, the row turns *pending* and `outbox_flush` (Celery beat, every minute, and `manage.py outbox_flush`)
hands it over later. A queued row that has not run within STALE_AFTER (the process died between the commit and the
hand-over, or Redis lost the message) is handed over again by the same sweep.

Delivery is **at least once**, not exactly once. The worker claims a row by compare-and-swap on its status, so two
hand-overs of one message do not run it twice at the same time; but a worker that dies after the handler's effect
(a mail sent) and before the row is marked done leaves it running, the sweep hands it over again, and the handler
runs a second time. So every handler must be idempotent, or harmless when repeated: check the state first
(a confirmation already used, a subscription already confirmed) and accept that a mail may, rarely, arrive twice.

Handlers are registered by name with `@handler("appeals.send_mail")`: the row stores the name, a stable string, not
the function's module path, so moving or renaming the function strands nothing. Each app imports its handler modules
in its `AppConfig.ready()`, so a worker knows them all once Django is set up. Rows written before handlers had
names carry a dotted path; LEGACY_TARGETS maps those to names (migration 0004 rewrote the stored rows; the table
is for rows an old process writes while a new one is deployed).

A run that raises is tried again later, the waits doubling from OVERSIGHT_OUTBOX_BACKOFF_SECONDS, until
OVERSIGHT_OUTBOX_MAX_ATTEMPTS; then the row is *failed*, with its last error, for an administrator (the admin
lists them and has a "try again" action; /healthz counts them). Errors that another try cannot mend fail the row at
once: the record it is about is gone (`ObjectDoesNotExist`), the handler says so (`Permanent`), or no handler has
the row's name.

The row is written as queued rather than marked so after the hand-over: a submission then costs one commit, not
two, which is what the appeal load benchmark measures.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# A message handed to the broker but not run within this time is presumed lost (Redis restarted without
# persistence, or a worker died mid-run) and is handed over again.
STALE_AFTER = dt.timedelta(minutes=10)
# However many tries, a message waits at most this long for the next one.
MAX_BACKOFF = dt.timedelta(hours=6)

# Targets stored before handlers had names (a dotted path to the function) → the handler's name.
LEGACY_TARGETS: dict[str, str] = {
    "appeals.notifications.appeal_send_mail": "appeals.send_mail",
    "appeals.consent.appeal_end_withdrawn": "appeals.end_withdrawn",
    "appeals.digest.send_digest_mail": "appeals.send_digest",
    "monitoring.services.overdue_reminder_send": "monitoring.send_overdue_reminder",
    "councils.invitations.invitation_send_mail": "councils.send_invitation",
    "alerts.notifications.send_confirmation_mail": "alerts.send_confirmation",
    "alerts.digest.send_digest_mail": "alerts.send_digest",
    "privacy.notifications.privacy_send_mail": "privacy.send_mail",
}


class Permanent(Exception):  # noqa: N818 - reads as `raise outbox.Permanent(...)`
    """Raised by a handler when trying again cannot help (the message is malformed, its subject is gone): the
    message is failed at once."""


@dataclass(frozen=True)
class Handler:
    name: str
    function: Callable[..., Any]
    # Called with the message's arguments when it fails for good (e.g. to finish what must happen even without
    # the mail); it must not raise.
    on_give_up: Callable[..., Any] | None = None
    # A drain enters it once around its run of this handler's messages of a batch, with their arguments: what they
    # share is read or opened once (the records the mails are about, one connection to the mail server) instead of
    # once a message. The handler must still work without it (a message run on its own, `outbox_run`); if entering
    # it raises, the messages run without it.
    batch: Callable[[list[dict[str, Any]]], AbstractContextManager[object]] | None = None


HANDLERS: dict[str, Handler] = {}


def handler(
    name: str,
    *,
    on_give_up: Callable[..., Any] | None = None,
    batch: Callable[[list[dict[str, Any]]], AbstractContextManager[object]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as the outbox handler called `name` (a stable "app.action" string)."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        existing = HANDLERS.get(name)
        if existing is not None and _qualname(existing.function) != _qualname(function):
            raise ValueError(f"outbox handler {name!r} is already registered for {_qualname(existing.function)}")
        HANDLERS[name] = Handler(name=name, function=function, on_give_up=on_give_up, batch=batch)
        return function

    return register


def _qualname(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def resolve(target: str) -> Handler | None:
    """The handler a stored target names (a handler's name, or a legacy dotted path); None if none has it."""
    return HANDLERS.get(LEGACY_TARGETS.get(target, target))


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # waiting to be handed over: the broker was down, or a retry is due later
    QUEUED = "queued", _("Queued")  # handed to the broker on commit
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")  # given up: too many tries, or an error another try cannot mend


class OutboxMessage(models.Model):
    target = models.CharField(
        _("handler"), max_length=200, help_text=_("Name of the registered handler that runs the message.")
    )
    kwargs = models.JSONField(_("arguments"), default=dict)
    status = models.CharField(_("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        _("next attempt at"), null=True, blank=True, help_text=_("A pending message is not handed over before this.")
    )
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
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OutboxStatus.values), name="outbox_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.target} #{self.pk} ({self.status})"


def max_attempts() -> int:
    return max(1, int(getattr(settings, "OVERSIGHT_OUTBOX_MAX_ATTEMPTS", 8)))


def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next try of a message that has failed `attempts` times: base, 2×base, 4×base …"""
    base = dt.timedelta(seconds=int(getattr(settings, "OVERSIGHT_OUTBOX_BACKOFF_SECONDS", 60)))
    wait: dt.timedelta = min(base * 2 ** max(0, attempts - 1), MAX_BACKOFF)
    return wait


def outbox_enqueue(*, handler: str, kwargs: dict[str, Any]) -> OutboxMessage:
    """Record work to run after the current transaction commits; hand it to Celery on commit."""
    return outbox_save(outbox_message(handler=handler, kwargs=kwargs))


def outbox_save(message: OutboxMessage) -> OutboxMessage:
    """Store a message built by `outbox_message` and hand it over once the transaction commits."""
    message.save(force_insert=True)
    outbox_stored(message)
    return message


def outbox_message(*, handler: str, kwargs: dict[str, Any]) -> OutboxMessage:
    """The message `outbox_enqueue` stores, not yet stored: for a caller that writes it in a statement of its own
    (core/rows.py), then calls `outbox_stored`."""
    if handler not in HANDLERS:  # fail now, in the caller's transaction, on a typo
        raise LookupError(f"no outbox handler is registered as {handler!r}")
    return OutboxMessage(target=handler, kwargs=kwargs, status=OutboxStatus.QUEUED)


def outbox_stored(message: OutboxMessage) -> None:
    """The message is in the caller's transaction: it is handed over once that commits."""
    transaction.on_commit(lambda: outbox_hand_over(message_id=message.pk))


# ---- the hand-over in batches ---------------------------------------------------------------------------------
# One Celery task per message cost the web process a broker publish (~1 ms of CPU) and the worker a task's
# overhead (~3 ms) on top of the mail itself: a third of an appeal's CPU under load. With a shared cache, a commit
# instead makes sure that one *drain* is on its way: the first commit sets DRAIN_FLAG and sends the drain task;
# the commits that follow while the flag is set send nothing. The drain deletes the flag *before* it claims, so a
# message committed before a commit found the flag set is claimed by that drain, and one committed after the
# delete sets the flag again and sends the next drain: nothing is left behind. A drain lost with its worker leaves
# the flag to expire (DRAIN_FLAG_SECONDS), and its messages to the sweep (STALE_AFTER).

DRAIN_FLAG = "outbox:drain-scheduled"
DRAIN_FLAG_SECONDS = 60
DRAIN_BATCH = 100  # messages claimed per statement
DRAIN_LIMIT = 2000  # messages per drain task; past it the drain sends the next one and ends
# The drain starts this long after the commit that sends it: the commits of that time join it (at 100 appeals/s,
# some 25 mails a task), where a drain sent at once would find only its own message at any but the highest rates.
DRAIN_DELAY_SECONDS = 0.25


def coalescing() -> bool:
    """Whether commits share drains: only when every process sees the same flag (a shared cache), unless the
    settings say (OVERSIGHT_OUTBOX_COALESCE)."""
    configured = getattr(settings, "OVERSIGHT_OUTBOX_COALESCE", None)
    if configured is not None:
        return bool(configured)
    return settings.CACHES["default"]["BACKEND"] == "core.cache.RedisCache"


def outbox_hand_over(*, message_id: int) -> bool:
    """After the commit of a message: a drain that will claim it is on its way, or the message is handed over on its
    own (no shared cache, or the cache is down). False when the broker could not be reached (the row is then pending
    for `outbox_flush`)."""
    from .cache import cache_outage_since

    if not coalescing():
        return outbox_dispatch(message_id=message_id)
    if not cache.add(DRAIN_FLAG, 1, timeout=DRAIN_FLAG_SECONDS):
        if cache_outage_since() is None:
            return True  # a drain is on its way and has not claimed yet
        return outbox_dispatch(message_id=message_id)  # the cache is down: no flag to share
    return _send_drain(message_id=message_id)


def _send_drain(*, message_id: int | None) -> bool:
    from .tasks import drain_outbox

    try:
        drain_outbox.apply_async(countdown=DRAIN_DELAY_SECONDS, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the row for outbox_flush
        cache.delete(DRAIN_FLAG)
        logger.warning("outbox: broker unavailable for a drain (message %s): %s", message_id, exc)
        if message_id is not None:
            OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.QUEUED).update(
                status=OutboxStatus.PENDING, last_error=f"broker: {exc}"[:2000], updated_at=timezone.now()
            )
        return False
    return True


def _claim_batch(size: int) -> list[tuple[int, str, dict[str, Any], int]]:
    """Mark up to `size` queued messages running, oldest first, and return them (id, target, arguments, try): the
    rows are locked first (SKIP LOCKED, so two drains at once take different rows), then claimed in one UPDATE
    that checks their status again."""
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.QUEUED)
            .order_by("id")
            .values_list("id", flat=True)[:size]
        )
        if not ids:
            return []
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = %s, updated_at = %s, attempts = attempts + 1 "  # noqa: S608 - a quoted table name and placeholders
                f"WHERE status = %s AND id IN ({marks}) RETURNING id, target, kwargs, attempts",
                [OutboxStatus.RUNNING, timezone.now(), OutboxStatus.QUEUED, *ids],
            )
            rows = cursor.fetchall()
    return sorted(
        (message_id, target, json.loads(kwargs) if isinstance(kwargs, str) else kwargs, attempts)
        for message_id, target, kwargs, attempts in rows
    )


def outbox_drain(*, limit: int = DRAIN_LIMIT) -> int:
    """Run the queued messages, a batch at a time, until none is left or `limit` ran (then the next drain is sent);
    returns how many ran. Each message is run and recorded as by `outbox_run`, but for two things a batch shares:
    the messages of one handler run inside its `batch` context, and those that succeed are marked done together,
    in one statement after the batch (a worker that dies before it leaves them running: the sweep runs them again,
    as it would one message, see the module's "at least once")."""
    cache.delete(DRAIN_FLAG)  # first: a commit from now on sends the next drain
    ran = 0
    while ran < limit:
        batch = _claim_batch(min(DRAIN_BATCH, limit - ran))
        if not batch:
            return ran
        by_target: dict[str, list[tuple[int, str, dict[str, Any], int]]] = {}
        for message in batch:
            by_target.setdefault(message[1], []).append(message)
        succeeded: list[int] = []
        try:
            for target, messages in by_target.items():
                with _shared(resolve(target), [kwargs for _id, _target, kwargs, _attempts in messages]):
                    for message_id, _target, kwargs, attempts in messages:
                        if _execute(message_id, target, kwargs, attempts, mark_done=False):
                            succeeded.append(message_id)
        finally:  # what ran is done, whatever stopped the batch
            _mark_done(succeeded)
        ran += len(batch)
    if OutboxMessage.objects.filter(status=OutboxStatus.QUEUED).exists() and cache.add(
        DRAIN_FLAG, 1, timeout=DRAIN_FLAG_SECONDS
    ):
        _send_drain(message_id=None)
    return ran


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


def _claim(message_id: int) -> tuple[str, dict[str, Any], int] | None:
    """Mark a pending or queued message running and return its target, arguments and the number of this try, in
    one statement (an UPDATE … RETURNING, which PostgreSQL and SQLite ≥ 3.35 both have); None when it is not there
    to claim."""
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, updated_at = %s, attempts = attempts + 1 "  # noqa: S608 - a quoted table name
            "WHERE id = %s AND status IN (%s, %s) RETURNING target, kwargs, attempts",
            [OutboxStatus.RUNNING, timezone.now(), message_id, OutboxStatus.PENDING, OutboxStatus.QUEUED],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    target, kwargs, attempts = row
    return target, json.loads(kwargs) if isinstance(kwargs, str) else kwargs, attempts


def _is_permanent(exc: BaseException) -> bool:
    return isinstance(exc, Permanent | ObjectDoesNotExist)


def _fail(message_id: int, *, error: str, entry: Handler | None, kwargs: dict[str, Any]) -> None:
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxStatus.FAILED, last_error=error[:2000], next_attempt_at=None, updated_at=now
    )
    if entry is not None and entry.on_give_up is not None:
        try:
            entry.on_give_up(**kwargs)
        except Exception:
            logger.exception("outbox: the give-up step of message %s (%s) failed", message_id, entry.name)


def outbox_run(*, message_id: int) -> None:
    """Run one message: claim it by compare-and-swap, run its handler, record the outcome.

    1. Claim: pending or queued → running, counting the try; stop if it is not there to claim.
    2. No handler has the row's name: failed at once.
    3. The handler raises: failed at once for a permanent error; failed after the last allowed try; otherwise
       pending again, not before the back-off (`outbox_flush` hands it over then). The caller never sees it.
    4. Done.
    """
    claimed = _claim(message_id)
    if claimed is None:
        return  # already run, or running elsewhere
    target, kwargs, attempts = claimed
    _execute(message_id, target, kwargs, attempts)


@contextmanager
def _shared(entry: Handler | None, arguments: list[dict[str, Any]]) -> Iterator[None]:
    """The handler's batch context around its messages of a batch, or nothing: a context that cannot be entered
    leaves each message to do its own work (and to fail on its own, if it must)."""
    with ExitStack() as stack:
        if entry is not None and entry.batch is not None:
            try:
                stack.enter_context(entry.batch(arguments))
            except Exception:
                logger.exception(
                    "outbox: %s messages (%s) run one by one: their batch failed", len(arguments), entry.name
                )
        yield


def _mark_done(message_ids: list[int]) -> None:
    if message_ids:
        now = timezone.now()
        OutboxMessage.objects.filter(pk__in=message_ids).update(
            status=OutboxStatus.DONE, done_at=now, updated_at=now, last_error="", next_attempt_at=None
        )


def _execute(message_id: int, target: str, kwargs: dict[str, Any], attempts: int, *, mark_done: bool = True) -> bool:
    """Steps 2–4 of `outbox_run`, for a message claimed already. True when the handler ran; with `mark_done`
    false the caller marks it done."""
    entry = resolve(target)
    if entry is None:
        logger.error("outbox: message %s names no registered handler: %r", message_id, target)
        _fail(message_id, error=f"No outbox handler is registered as {target!r}.", entry=None, kwargs=kwargs)
        return False
    try:
        entry.function(**kwargs)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        if _is_permanent(exc):
            logger.warning("outbox: message %s (%s) failed for good: %s", message_id, entry.name, error)
            _fail(message_id, error=f"permanent: {error}", entry=entry, kwargs=kwargs)
        elif attempts >= max_attempts():
            logger.exception("outbox: message %s (%s) failed its last try (%s)", message_id, entry.name, attempts)
            _fail(message_id, error=f"after {attempts} tries: {error}", entry=entry, kwargs=kwargs)
        else:
            logger.exception("outbox: message %s (%s) failed, try %s", message_id, entry.name, attempts)
            now = timezone.now()
            OutboxMessage.objects.filter(pk=message_id).update(
                status=OutboxStatus.PENDING,
                last_error=error[:2000],
                next_attempt_at=now + backoff(attempts),
                updated_at=now,
            )
        return False
    if mark_done:
        _mark_done([message_id])
    return True


def outbox_flush(*, now: dt.datetime | None = None) -> int:
    """Hand over every pending message whose time has come, and those presumed lost; returns how many.

    A message left running by a dead worker on its last allowed try is failed instead: the handler that killed
    the worker would only kill the next one.
    """
    now = now or timezone.now()
    stale = now - STALE_AFTER
    lost = Q(status__in=[OutboxStatus.QUEUED, OutboxStatus.RUNNING], updated_at__lt=stale)
    OutboxMessage.objects.filter(lost, status=OutboxStatus.RUNNING, attempts__gte=max_attempts()).update(
        status=OutboxStatus.FAILED,
        last_error=f"The worker stopped during each of {max_attempts()} tries.",
        updated_at=now,
    )
    due = Q(status=OutboxStatus.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)) | lost
    ids = list(OutboxMessage.objects.filter(due).values_list("id", flat=True)[:1000])
    # Queued again from now: the next sweep leaves them to the worker (a failed hand-over makes them pending).
    OutboxMessage.objects.filter(due, id__in=ids).update(status=OutboxStatus.QUEUED, updated_at=now)
    return sum(outbox_dispatch(message_id=message_id) for message_id in ids)


@transaction.atomic
def outbox_retry(*, message_ids: list[int]) -> int:
    """An administrator's "try again" for failed messages: pending with a fresh count of tries, handed over by the
    next flush. Returns how many were failed and are pending now."""
    return OutboxMessage.objects.filter(pk__in=message_ids, status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=None, updated_at=timezone.now()
    )


def failed_count() -> int:
    return OutboxMessage.objects.filter(status=OutboxStatus.FAILED).count()
