"""With a shared cache the outbox hands its messages over in drains: many commits, one Celery task, and no message
left behind however the commits and the drain interleave."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache

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
