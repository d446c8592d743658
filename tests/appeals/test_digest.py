"""The daily digest: each council's secretaries get the overdue and soon-due appeals, through the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from appeals.digest import council_digest_queue
from appeals.filters import due_soon_limit
from appeals.models import AppealStatus
from appeals.tasks import send_daily_digest
from councils.models import CouncilStaff, StaffRole

from .test_inbox import make_appeal

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def mailboxes(personas):
    """Everyone has an e-mail; only secretaries may get the digest."""
    for user in (personas.secretary, personas.member, personas.other_secretary):
        user.email = f"{user.username}@example.kz"
        user.save(update_fields=["email"])
    return personas


def run_digest(capture) -> int:
    with capture(execute=True):
        return send_daily_digest()


def test_digest_mails_secretaries_of_councils_with_overdue_appeals_only(
    mailboxes, today, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://oversight.example.kz"
    overdue = make_appeal(mailboxes.council, due=today - dt.timedelta(days=2), subject="Свалка у реки")
    make_appeal(mailboxes.council, due=today + dt.timedelta(days=40), subject="Не к спеху")
    # Karaganda's only overdue appeal is closed: nothing is due there.
    make_appeal(mailboxes.other_council, due=today - dt.timedelta(days=2), status=AppealStatus.CLOSED)

    assert run_digest(django_capture_on_commit_callbacks) == 1

    assert [m.to for m in mail.outbox] == [["secretary@example.kz"]]
    message = mail.outbox[0]
    assert overdue.number in message.body
    assert "Свалка у реки" in message.body
    assert (today - dt.timedelta(days=2)).strftime("%d.%m.%Y") in message.body
    assert f"https://oversight.example.kz/ru/workspace/almaty/appeals/{overdue.number}/" in message.body
    assert "Не к спеху" not in message.body


def test_digest_lists_appeals_due_within_three_working_days(mailboxes, today, django_capture_on_commit_callbacks):
    soon = make_appeal(mailboxes.council, due=due_soon_limit(today), subject="Скоро срок")
    run_digest(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert soon.number in mail.outbox[0].body
    assert "Скоро срок" in mail.outbox[0].body


def test_no_digest_for_a_council_with_nothing_due(mailboxes, today, django_capture_on_commit_callbacks):
    make_appeal(mailboxes.council, due=today + dt.timedelta(days=40))
    make_appeal(mailboxes.council, due=today - dt.timedelta(days=3), status=AppealStatus.ANSWERED)
    assert run_digest(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_digest_goes_to_every_secretary_separately_and_never_to_members(
    mailboxes, today, django_capture_on_commit_callbacks
):
    second = CouncilStaff.objects.create(
        user=type(mailboxes.secretary).objects.create_user("deputy", email="deputy@example.kz"),
        council=mailboxes.council,
        role=StaffRole.SECRETARY,
    ).user
    CouncilStaff.objects.create(  # a secretary without an address is skipped, not an error
        user=type(mailboxes.secretary).objects.create_user("no-mail"),
        council=mailboxes.council,
        role="secretary",
    )
    make_appeal(mailboxes.council, due=today - dt.timedelta(days=1))
    run_digest(django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == [second.email, "secretary@example.kz"]
    assert all(len(m.to) == 1 for m in mail.outbox)


def test_running_the_digest_twice_on_one_day_sends_it_once(mailboxes, today, django_capture_on_commit_callbacks):
    make_appeal(mailboxes.council, due=today - dt.timedelta(days=1))
    assert run_digest(django_capture_on_commit_callbacks) == 1
    assert run_digest(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1


def test_digest_is_queued_in_the_outbox_and_sent_only_after_commit(
    mailboxes, today, django_capture_on_commit_callbacks
):
    make_appeal(mailboxes.council, due=today - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert council_digest_queue(council_id=mailboxes.council.pk, day=today)
    assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_the_beat_task_runs_through_celery_under_the_scheduled_name(
    mailboxes, today, django_capture_on_commit_callbacks
):
    assert send_daily_digest.name == "appeals.tasks.send_daily_digest"  # the name CELERY_BEAT_SCHEDULE uses
    make_appeal(mailboxes.council, due=today - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digest.delay().get() == 1
    assert len(mail.outbox) == 1
