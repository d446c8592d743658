"""The mail a citizen receives about an appeal: each event's letter in the appeal's language, with the council's and
the state body's names in it, read in one query however few of the appeal's columns it needs (issue #17: building
every column of the appeal and its council was half the worker's CPU per mail)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from appeals.models import Appeal
from appeals.notifications import appeal_send_mail, tracking_url
from appeals.services import ApplicantData, appeal_submit
from councils.models import StateBody

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
