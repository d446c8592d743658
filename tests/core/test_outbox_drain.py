"""With a shared cache the outbox hands its messages over in drains: many commits, one Celery task, and no message
left behind however the commits and the drain interleave."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import outbox, tasks
from core.outbox import DRAIN_FLAG, OutboxMessage, OutboxStatus, outbox_drain, outbox_enqueue

pytestmark = pytest.mark.django_db

RAN: list[int] = []


@outbox.handler("tests.drained")
def drained(*, n: int) -> None:
    RAN.append(n)


@pytest.fixture
def sent(settings, monkeypatch):
    """Drains sent to the broker, recorded instead of run; the cache shared as with Redis."""
    settings.OVERSIGHT_OUTBOX_COALESCE = True
    cache.delete(DRAIN_FLAG)
    RAN.clear()
    drains: list[dict] = []
    monkeypatch.setattr(tasks.drain_outbox, "apply_async", lambda **kwargs: drains.append(kwargs))
    return drains


def _commit(django_capture_on_commit_callbacks, *numbers: int) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for n in numbers:
            outbox_enqueue(handler="tests.drained", kwargs={"n": n})


def test_many_commits_send_one_drain_which_runs_them_all(sent, django_capture_on_commit_callbacks):
    _commit(django_capture_on_commit_callbacks, 1, 2)
    _commit(django_capture_on_commit_callbacks, 3)
    assert len(sent) == 1

    assert outbox_drain() == 3
    assert RAN == [1, 2, 3]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DONE}


def test_a_message_committed_after_the_drain_began_sends_the_next_drain(sent, django_capture_on_commit_callbacks):
    _commit(django_capture_on_commit_callbacks, 1)
    assert outbox_drain() == 1
    _commit(django_capture_on_commit_callbacks, 2)
    assert len(sent) == 2  # the drain cleared the flag: the next commit could not count on it
    assert outbox_drain() == 1
    assert RAN == [1, 2]


def test_a_drain_runs_at_most_its_limit_and_sends_the_next(sent, django_capture_on_commit_callbacks):
    _commit(django_capture_on_commit_callbacks, 1, 2, 3)
    assert outbox_drain(limit=2) == 2
    assert len(sent) == 2
    assert OutboxMessage.objects.filter(status=OutboxStatus.QUEUED).count() == 1


def test_without_a_broker_the_message_waits_for_the_sweep_and_the_next_commit_tries_again(
    sent, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(**kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.drain_outbox, "apply_async", broker_down)
    _commit(django_capture_on_commit_callbacks, 1)
    assert OutboxMessage.objects.get().status == OutboxStatus.PENDING
    assert cache.get(DRAIN_FLAG) is None
    assert outbox.outbox_flush() == 1  # the sweep hands it over on its own


def test_the_mail_of_an_appeal_goes_through_a_drain(personas, sent, django_capture_on_commit_callbacks):
    from appeals.services import ApplicantData, appeal_submit

    with django_capture_on_commit_callbacks(execute=True):
        appeal, _created = appeal_submit(
            council=personas.council,
            applicant=ApplicantData(applicant_type="individual", name="Ахметова Динара", email="dinara@example.kz"),
            category="ecology",
            subject="Вырубка деревьев в парке",
            text="В парке Горького вырубают здоровые деревья.",
            personal_data_consent=True,
        )
    assert len(sent) == 1 and not mail.outbox
    outbox_drain()
    assert [message.to for message in mail.outbox] == [["dinara@example.kz"]]
    assert appeal.number in mail.outbox[0].body or appeal.number in mail.outbox[0].subject


# ---- what a batch shares ----------------------------------------------------------------------------------------

ENTERED: list[list[int]] = []


@contextmanager
def _counted(arguments):
    ENTERED.append([kwargs["n"] for kwargs in arguments])
    yield


@outbox.handler("tests.batched", batch=_counted)
def batched(*, n: int) -> None:
    if n == 13:
        raise RuntimeError("unlucky")
    RAN.append(n)


@contextmanager
def _broken(arguments):
    raise ConnectionError("the mail server is down")
    yield


@outbox.handler("tests.broken_batch", batch=_broken)
def broken_batch(*, n: int) -> None:
    RAN.append(n)


def _enqueue(django_capture_on_commit_callbacks, target: str, *numbers: int) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for n in numbers:
            outbox_enqueue(handler=target, kwargs={"n": n})


def test_a_handlers_messages_share_one_batch_and_each_keeps_its_own_outcome(sent, django_capture_on_commit_callbacks):
    ENTERED.clear()
    _enqueue(django_capture_on_commit_callbacks, "tests.batched", 1, 13, 2)
    _enqueue(django_capture_on_commit_callbacks, "tests.drained", 7)
    _enqueue(django_capture_on_commit_callbacks, "tests.batched", 3)

    assert outbox_drain() == 5
    assert ENTERED == [[1, 13, 2, 3]]  # entered once, with every message of the handler in the batch
    assert RAN == [1, 2, 3, 7]
    statuses = dict(OutboxMessage.objects.values_list("kwargs__n", "status"))
    assert statuses == {1: "done", 2: "done", 3: "done", 7: "done", 13: OutboxStatus.PENDING}
    assert OutboxMessage.objects.get(kwargs__n=13).last_error == "RuntimeError: unlucky"
    assert not OutboxMessage.objects.filter(status=OutboxStatus.DONE, done_at__isnull=True).exists()


def test_a_batch_of_messages_is_marked_done_in_one_statement(sent, django_capture_on_commit_callbacks):
    def drain_queries(count: int) -> int:
        _enqueue(django_capture_on_commit_callbacks, "tests.drained", *range(count))
        with CaptureQueriesContext(connection) as captured:
            assert outbox_drain() == count
        return len(captured)

    assert drain_queries(2) == drain_queries(20)  # not a statement per message
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DONE}


def test_a_batch_that_cannot_start_leaves_its_messages_to_run_one_by_one(sent, django_capture_on_commit_callbacks):
    _enqueue(django_capture_on_commit_callbacks, "tests.broken_batch", 1, 2)
    assert outbox_drain() == 2
    assert RAN == [1, 2]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DONE}
