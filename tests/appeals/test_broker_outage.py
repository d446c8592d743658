"""An accepted appeal and its mail survive the broker being down: saved first, mail handed over later."""

from __future__ import annotations

import pytest
from django.core import mail

from appeals.models import Appeal
from core.outbox import OutboxMessage, OutboxStatus, outbox_flush
from tests.celery_worker import (
    DEAD_BROKER_URL,
    REDIS_URL,
    celery_worker,
    redis_available,
    use_broker,
    use_eager,
    wait_for,
)

from .conftest import appeal_form_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


@pytest.fixture
def dead_broker():
    use_broker(DEAD_BROKER_URL)
    yield
    use_eager()


def test_appeal_is_saved_and_its_mail_kept_while_the_broker_is_down(personas, client, dead_broker):
    response = client.post("/ru/councils/almaty/appeals/new/", appeal_form_data())
    assert response.status_code == 302  # the citizen gets the number although Redis is down
    appeal = Appeal.objects.get()
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    assert "broker" in message.last_error
    assert mail.outbox == []
    # The broker is back (here: in-process), and the beat task's flush hands the mail over.
    use_eager()
    assert outbox_flush() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DONE
    assert len(mail.outbox) == 1
    assert appeal.number in mail.outbox[0].subject
    # A second flush sends nothing again.
    assert outbox_flush() == 0
    assert len(mail.outbox) == 1


@pytest.mark.skipif(not redis_available(), reason="Redis is not running (make test starts it)")
def test_a_real_worker_on_redis_sends_the_mail_once_the_broker_is_back(personas, client, dead_broker, tmp_path):
    client.post("/ru/councils/almaty/appeals/new/", appeal_form_data())
    appeal = Appeal.objects.get()
    assert OutboxMessage.objects.get().status == OutboxStatus.PENDING
    mail_dir = tmp_path / "mail"
    with celery_worker(
        env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        }
    ) as worker:
        queue = worker.args[worker.args.index("-Q") + 1]
        use_broker(REDIS_URL, queue=queue)  # Redis is back
        assert outbox_flush() == 1
        wait_for(
            lambda: OutboxMessage.objects.filter(status=OutboxStatus.DONE).exists(),
            timeout=60,
            what="the worker to run the outbox message",
        )
    sent = list(mail_dir.glob("*.log"))
    assert len(sent) == 1
    assert appeal.number in sent[0].read_text()
