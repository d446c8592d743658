"""The mail a citizen receives about an appeal: each event's letter in the appeal's language, with the council's and
the state body's names in it, read in one query however few of the appeal's columns it needs (issue #17: building
every column of the appeal and its council was half the worker's CPU per mail)."""

from __future__ import annotations

import datetime as dt
from smtplib import SMTPDataError

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from appeals.models import Appeal
from appeals.notifications import appeal_send_mail, tracking_url
from appeals.services import ApplicantData, appeal_submit
from core.outbox import OutboxMessage, OutboxStatus, outbox_drain
from councils.models import StateBody
from tests.factories import AppealFactory
from tests.mail_servers import MailServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def kazakh_appeal(personas):
    council = personas.council
    council.name_kk = "Алматы қаласының Қоғамдық кеңесі"
    council.save()
    body = StateBody.objects.create(
        slug="ecology-department", name_ru="Управление экологии", name_kk="Экология басқармасы"
    )
    appeal, _created = appeal_submit(
        council=council,
        applicant=ApplicantData(applicant_type="individual", name="Сейтказы Арман", email="arman@example.kz"),
        category="ecology",
        subject="Саябақтағы ағаштар",
        text="Саябақта ағаштарды кесіп жатыр.",
        language="kk",
        personal_data_consent=True,
    )
    Appeal.objects.filter(pk=appeal.pk).update(
        forwarded_to=body, extended_until=dt.date(2026, 3, 20), answer_text="Кесу тоқтатылды, тексеру тағайындалды."
    )
    mail.outbox.clear()
    return Appeal.objects.get(pk=appeal.pk)


def _kk(message: str, **values: str) -> str:
    with translation.override("kk"):
        translated = translation.gettext(message)
    assert translated != message, f"no Kazakh for {message!r}"
    return translated % values


@pytest.mark.parametrize(
    ("event", "subject", "says"),
    [
        ("registered", "Your appeal %(number)s is registered", ["{due}"]),
        ("forwarded", "Your appeal %(number)s was forwarded to a state body", ["Экология басқармасы"]),
        ("extended", "The deadline of your appeal %(number)s is extended", ["20.03.2026"]),
        ("answered", "Your appeal %(number)s is answered", ["Кесу тоқтатылды, тексеру тағайындалды."]),
        ("left_without_consideration", "Your appeal %(number)s was left without consideration", []),
    ],
)
def test_each_event_is_told_in_the_appeals_language_in_one_query(
    kazakh_appeal, event, subject, says, django_assert_num_queries
):
    with django_assert_num_queries(1):
        appeal_send_mail(appeal_id=kazakh_appeal.pk, event=event)
    (message,) = mail.outbox
    assert message.to == ["arman@example.kz"]
    assert message.subject == _kk(subject, number=kazakh_appeal.number)
    assert "Алматы қаласының Қоғамдық кеңесі" in message.body
    assert tracking_url(kazakh_appeal, "kk") in message.body
    for text in says:
        assert text.format(due=kazakh_appeal.due_date.strftime("%d.%m.%Y")) in message.body


# ---- a drain's batch --------------------------------------------------------------------------------------------


@pytest.fixture
def mail_server(settings):
    settings.EMAIL_BACKEND = "tests.mail_servers.MailServer"
    MailServer.reset()
    return MailServer


def _queue_mail(appeals: list[Appeal], event: str = "registered") -> list[OutboxMessage]:
    return [
        OutboxMessage.objects.create(
            target="appeals.send_mail", kwargs={"appeal_id": a.pk, "event": event}, status=OutboxStatus.QUEUED
        )
        for a in appeals
    ]


def _appeals(personas, count: int, tag: str) -> list[Appeal]:
    return [
        AppealFactory(council=personas.council, email=f"{tag}-{i}@example.kz", tracking_token=f"{tag}{i}")
        for i in range(count)
    ]


def test_a_drain_reads_its_appeals_at_once_and_sends_their_letters_over_one_connection(personas, mail_server):
    def drain(appeals: list[Appeal]) -> int:
        _queue_mail(appeals)
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as captured:
            assert outbox_drain() == len(appeals)
        assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in appeals)
        return len(captured)

    few, many = drain(_appeals(personas, 2, "few")), drain(_appeals(personas, 12, "many"))
    assert few == many  # the appeals of a batch are read in one query, not one each
    assert mail_server.connections == 2  # one connection to the mail server per drain, not per letter
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DONE}


def test_a_refused_letter_waits_for_its_next_try_and_the_others_go_on_a_fresh_connection(personas, mail_server):
    appeals = _appeals(personas, 3, "refused")
    mail_server.refuses[appeals[1].email] = SMTPDataError(451, b"Requested action aborted: try again later")
    first, refused, last = _queue_mail(appeals)

    assert outbox_drain() == 3
    assert [m.to for m in mail.outbox] == [[appeals[0].email], [appeals[2].email]]
    assert mail_server.connections == 2  # the connection was dropped after the failure, the next letter opened another
    statuses = {m.pk: m.status for m in OutboxMessage.objects.all()}
    assert statuses == {first.pk: OutboxStatus.DONE, refused.pk: OutboxStatus.PENDING, last.pk: OutboxStatus.DONE}
    assert "SMTPDataError" in OutboxMessage.objects.get(pk=refused.pk).last_error


def test_a_server_that_closes_the_kept_connection_loses_no_letter(personas, mail_server):
    mail_server.letters_per_connection = 2  # as servers that cap the letters per connection do
    appeals = _appeals(personas, 5, "capped")
    _queue_mail(appeals)

    assert outbox_drain() == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in appeals)
    assert mail_server.connections == 3  # a fresh connection when the server closed the kept one
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DONE}


def test_an_appeal_deleted_before_its_drain_fails_its_letter_alone(personas, mail_server):
    appeals = _appeals(personas, 2, "deleted")
    kept, gone = _queue_mail(appeals)
    appeals[1].delete()

    assert outbox_drain() == 2
    assert [m.to for m in mail.outbox] == [[appeals[0].email]]
    assert OutboxMessage.objects.get(pk=kept.pk).status == OutboxStatus.DONE
    assert OutboxMessage.objects.get(pk=gone.pk).status == OutboxStatus.FAILED
