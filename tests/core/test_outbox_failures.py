"""The outbox gives up: a failing message is tried again later, with doubling waits, up to a maximum, then marked
failed for an administrator (admin, /healthz); an error another try cannot mend fails it at once. Handlers are
found by name, so moving the code that sends a mail strands nothing. Celery is eager here."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal
from core import outbox
from core.outbox import OutboxMessage, OutboxStatus, outbox_flush, outbox_run
from tests.accounts.helpers import otp_verified_client
from tests.factories import AppealFactory
from tests.mail_servers import MailServer

pytestmark = pytest.mark.django_db

CALLS: list[dict] = []
BROKEN = {"flaky": True}


@outbox.handler("tests.flaky")
def flaky(*, n: int) -> None:
    CALLS.append({"n": n})
    if BROKEN["flaky"]:
        raise ConnectionError("SMTP server said 421")


@outbox.handler("tests.refuses")
def refuses(*, n: int) -> None:
    CALLS.append({"n": n})
    raise outbox.Permanent("the address was refused for good")


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.OVERSIGHT_OUTBOX_MAX_ATTEMPTS = 3
    settings.OVERSIGHT_OUTBOX_BACKOFF_SECONDS = 60
    CALLS.clear()
    BROKEN["flaky"] = True


def _message(target: str, **kwargs) -> OutboxMessage:
    return OutboxMessage.objects.create(target=target, kwargs=kwargs, status=OutboxStatus.QUEUED)


def test_a_failing_message_is_tried_with_doubling_waits_then_failed():
    message = _message("tests.flaky", n=1)
    outbox_run(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.next_attempt_at - message.updated_at == dt.timedelta(minutes=1)
    assert "421" in message.last_error

    assert outbox_flush() == 0  # not before its time: the broken server is not hammered every minute
    assert outbox_flush(now=message.next_attempt_at) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 2)
    assert message.next_attempt_at - message.updated_at == dt.timedelta(minutes=2)

    assert outbox_flush(now=message.next_attempt_at) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 3)
    assert "after 3 tries" in message.last_error and "421" in message.last_error
    assert message.next_attempt_at is None
    # Given up: however much later, no sweep hands it over again.
    assert outbox_flush(now=timezone.now() + dt.timedelta(days=30)) == 0
    assert len(CALLS) == 3


def test_backoff_doubles_from_the_setting_and_is_capped():
    assert [outbox.backoff(n) for n in (1, 2, 3, 4)] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert outbox.backoff(40) == outbox.MAX_BACKOFF


def test_a_permanent_error_fails_the_message_at_once():
    message = _message("tests.refuses", n=1)
    outbox_run(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    assert "refused for good" in message.last_error
    assert outbox_flush(now=timezone.now() + dt.timedelta(days=1)) == 0
    assert len(CALLS) == 1


def test_the_mail_of_a_deleted_appeal_fails_once_and_is_not_tried_again(personas):
    appeal = AppealFactory(council=personas.council, email="gone@example.test", tracking_token="t0ken")
    message = _message("appeals.send_mail", appeal_id=appeal.pk, event="registered")
    Appeal.objects.filter(pk=appeal.pk).delete()
    outbox_run(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    assert "DoesNotExist" in message.last_error
    for minutes in (1, 60, 60 * 24):
        assert outbox_flush(now=timezone.now() + dt.timedelta(minutes=minutes)) == 0
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1


def test_a_message_no_handler_has_fails_at_once_naming_it():
    message = _message("appeals.no_such_handler", appeal_id=1)
    outbox_run(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "appeals.no_such_handler" in message.last_error


def test_enqueueing_an_unknown_handler_fails_in_the_callers_transaction():
    with pytest.raises(LookupError, match="appeals.typo"):
        outbox.outbox_enqueue(handler="appeals.typo", kwargs={})
    assert not OutboxMessage.objects.exists()


def test_a_worker_dying_on_the_last_try_fails_the_message():
    message = _message("tests.flaky", n=1)
    later = timezone.now() + outbox.STALE_AFTER + dt.timedelta(minutes=1)
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.RUNNING, attempts=3)
    assert outbox_flush(now=later) == 0
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and "worker stopped" in message.last_error
    assert CALLS == []


def test_healthz_counts_failed_messages_and_stays_up(client):
    assert client.get("/healthz").json()["outbox"] == {"failed": 0}
    message = _message("tests.refuses", n=1)
    outbox_run(message_id=message.pk)
    response = client.get("/healthz")
    # Reported, not judged: an undeliverable mail does not make the web process unable to serve.
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["outbox"] == {"failed": 1}


def test_moving_the_mail_code_strands_no_message(personas, monkeypatch):
    """The row stores the handler's name, not the function's module path: the function may move."""
    appeal = AppealFactory(council=personas.council, email="moved@example.test", tracking_token="t0ken")
    message = outbox.outbox_enqueue(handler="appeals.send_mail", kwargs={"appeal_id": appeal.pk, "event": "registered"})
    assert message.target == "appeals.send_mail"
    monkeypatch.delattr("appeals.notifications.appeal_send_mail")  # renamed or moved to another module
    outbox_run(message_id=message.pk)
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.DONE
    assert [m.to for m in mail.outbox] == [["moved@example.test"]]


def test_a_row_written_with_an_old_dotted_path_still_runs(personas):
    appeal = AppealFactory(council=personas.council, email="old@example.test", tracking_token="t0ken")
    message = _message("appeals.notifications.appeal_send_mail", appeal_id=appeal.pk, event="registered")
    outbox_run(message_id=message.pk)
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.DONE
    assert [m.to for m in mail.outbox] == [["old@example.test"]]


def test_every_legacy_target_maps_to_a_registered_handler():
    assert {outbox.resolve(old) for old in outbox.LEGACY_TARGETS} <= set(outbox.HANDLERS.values())
    assert None not in {outbox.resolve(old) for old in outbox.LEGACY_TARGETS}


def test_an_administrator_sees_the_error_and_tries_a_failed_message_again(client):
    message = _message("tests.flaky", n=7)
    for _ in range(3):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
        if OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.PENDING:
            outbox_flush()
        else:
            outbox_run(message_id=message.pk)
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.FAILED
    admin = User.objects.create_superuser(username="root", password="not-a-real-password")
    client = otp_verified_client(client, admin)
    changelist = reverse("admin:core_outboxmessage_changelist")
    listing = client.get(changelist + "?status__exact=failed")
    assert listing.status_code == 200
    assert "SMTP server said 421" in listing.content.decode()

    BROKEN["flaky"] = False  # the mail server is back
    response = client.post(changelist, {"action": "retry_failed", "_selected_action": [message.pk]}, follow=True)
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == OutboxStatus.DONE
    assert message.attempts == 1  # a fresh count of tries
    assert CALLS[-1] == {"n": 7}


def test_a_withdrawn_appeal_is_anonymised_even_when_its_last_mail_fails_for_good(personas, settings):
    from appeals.models import AppealStatus

    appeal = AppealFactory(
        council=personas.council,
        email="withdrawn@example.test",
        tracking_token="t0ken",
        status=AppealStatus.ANSWERED,
        consent_withdrawn_at=timezone.now(),
    )

    settings.EMAIL_BACKEND = "tests.mail_servers.MailServer"
    MailServer.reset()
    MailServer.refuses["withdrawn@example.test"] = outbox.Permanent("mailbox does not exist")
    message = _message("appeals.end_withdrawn", appeal_id=appeal.pk, event=AppealStatus.ANSWERED)
    outbox_run(message_id=message.pk)
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.FAILED
    assert Appeal.objects.get(pk=appeal.pk).email == ""
