"""The outbox's sweep: a message committed but never handed over (the process died after the commit) is sent
later, once; a message the worker still has in hand is left alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.outbox import STALE_AFTER, OutboxMessage, OutboxStatus, outbox_flush
from tests.factories import AppealFactory

pytestmark = pytest.mark.django_db


def _queued_message(appeal, *, age: dt.timedelta) -> OutboxMessage:
    """A row as `outbox_enqueue` commits it, whose on-commit hand-over never ran (bulk update: no hooks)."""
    message = OutboxMessage.objects.create(
        target="appeals.send_mail",
        kwargs={"appeal_id": appeal.pk, "event": "registered"},
        status=OutboxStatus.QUEUED,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(updated_at=timezone.now() - age)
    return message


def test_a_queued_message_never_handed_over_is_sent_by_the_sweep_once(personas):
    appeal = AppealFactory(council=personas.council, email="lost@example.test", tracking_token="t0ken")
    message = _queued_message(appeal, age=STALE_AFTER + dt.timedelta(minutes=1))
    assert outbox_flush() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DONE
    assert [m.to for m in mail.outbox] == [["lost@example.test"]]
    assert outbox_flush() == 0
    assert len(mail.outbox) == 1


def test_a_recently_queued_message_is_left_to_the_worker(personas):
    appeal = AppealFactory(council=personas.council, email="fresh@example.test", tracking_token="t0ken")
    message = _queued_message(appeal, age=dt.timedelta(minutes=1))
    assert outbox_flush() == 0
    message.refresh_from_db()
    assert message.status == OutboxStatus.QUEUED
    assert mail.outbox == []
