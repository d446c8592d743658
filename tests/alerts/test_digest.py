"""The alert digests: what changed since the subscriber's last digest, once, only public records; nothing
changed, nothing sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from alerts.digest import subscription_digest_queue
from alerts.models import Subscription
from alerts.tasks import send_digests
from hearings.models import MeetingKind
from monitoring.models import RecommendationStatus
from reports.models import BuildStatus
from tests import factories as f

from .conftest import link_in

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 6, 10)  # a Monday


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Queue one subscription's digest for `today` and deliver the mail; returns the mails sent."""

    def _run(subscription: Subscription, today: dt.date = TODAY) -> list:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            subscription_digest_queue(subscription_id=subscription.pk, today=today)
        return list(mail.outbox)

    return _run


def sent_recommendation(council, state_body=None, *, day=TODAY, text="Рекомендация об освещении парков"):
    recommendation = f.RecommendationFactory(
        council=council, state_body=state_body or f.StateBodyFactory(), issued_on=day, sent_on=day, text=text
    )
    recommendation.history.create(status=RecommendationStatus.SENT, changed_on=day)
    return recommendation


def test_the_digest_tells_every_kind_of_change(council, police, confirmed, run):
    subscription = confirmed(council=council)
    recommendation = sent_recommendation(council, police)
    f.RecommendationResponseFactory(
        recommendation=recommendation, received_on=TODAY, text="Освещение будет установлено в июле"
    )
    f.MeetingFactory(council=council, date=TODAY - dt.timedelta(days=1), title="Заседание о парках")
    f.MeetingFactory(
        council=council,
        date=TODAY + dt.timedelta(days=9),
        title="Круглый стол о транспорте",
        kind=MeetingKind.ROUND_TABLE,
    )
    f.MonitoringEventFactory(council=council, date=TODAY, topic="Мониторинг детских площадок")
    build = f.ReportBuildFactory(council=council, year=2023, status=BuildStatus.DONE, is_published=True)

    mails = run(subscription)

    assert len(mails) == 1
    message = mails[0]
    assert message.to == ["reader@example.kz"]
    body = message.body
    for expected in (
        "Рекомендация об освещении парков",
        "Департамент полиции г. Алматы",
        "Освещение будет установлено в июле",
        "Заседание о парках",
        "Круглый стол о транспорте",
        "Мониторинг детских площадок",
        f"/api/v1/reports/{build.pk}/download/",
        "/ru/councils/almaty/",
    ):
        assert expected in body
    assert body.index("Заседание о парках") < body.index("Круглый стол о транспорте")  # held, then scheduled
    unsubscribe = f"http://127.0.0.1:8000/ru/alerts/unsubscribe/{subscription.token}/"
    assert unsubscribe in body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Общественный совет города Алматы" in message.subject


def test_nothing_changed_nothing_sent_nothing_written(council, confirmed, run):
    subscription = confirmed(council=council)
    before = Subscription.objects.get().cursor

    assert run(subscription) == []
    assert Subscription.objects.get().cursor == before
    assert Subscription.objects.get().last_digest_on is None


def test_the_past_before_subscribing_is_not_told(council, confirmed, run):
    sent_recommendation(council, text="Старая рекомендация")
    f.MeetingFactory(council=council, date=TODAY - dt.timedelta(days=400))

    assert run(confirmed(council=council)) == []


def test_a_change_is_told_once(council, confirmed, run):
    subscription = confirmed(council=council)
    sent_recommendation(council, text="Первая")

    assert len(run(subscription)) == 1
    sent_recommendation(council, text="Вторая")
    mails = run(Subscription.objects.get(), today=TODAY + dt.timedelta(days=1))

    assert len(mails) == 1
    assert "Вторая" in mails[0].body
    assert "Первая" not in mails[0].body
    assert run(Subscription.objects.get(), today=TODAY + dt.timedelta(days=2)) == []


def test_a_daily_digest_is_sent_once_a_day(council, confirmed, run):
    subscription = confirmed(council=council)
    sent_recommendation(council, text="Утренняя")
    assert len(run(subscription)) == 1

    sent_recommendation(council, text="Дневная")
    assert run(Subscription.objects.get()) == []  # a second run the same day
    assert "Дневная" in run(Subscription.objects.get(), today=TODAY + dt.timedelta(days=1))[0].body


def test_a_weekly_digest_waits_a_week(council, confirmed, run):
    subscription = confirmed(council=council, frequency="weekly")
    sent_recommendation(council)
    assert len(run(subscription)) == 1

    sent_recommendation(council, text="Через три дня")
    assert run(Subscription.objects.get(), today=TODAY + dt.timedelta(days=3)) == []
    assert "Через три дня" in run(Subscription.objects.get(), today=TODAY + dt.timedelta(days=7))[0].body


def test_a_late_entry_is_still_news(council, confirmed, run):
    subscription = confirmed(council=council)
    recommendation = sent_recommendation(council, day=TODAY - dt.timedelta(days=60))
    subscription.refresh_from_db()
    subscription.cursor["recommendation"] = recommendation.pk  # it was known before
    subscription.cursor["status_change"] = recommendation.history.get().pk
    subscription.save()
    # Entered today, received a month ago.
    f.RecommendationResponseFactory(
        recommendation=recommendation, received_on=TODAY - dt.timedelta(days=30), text="Ответ пришёл давно"
    )

    mails = run(subscription)
    assert "Ответ пришёл давно" in mails[0].body
    assert mails[0].body.count("Рекомендация об освещении") == 1  # named by the answer, not told as sent again


def test_a_scheduled_meeting_is_told_again_when_held(council, confirmed, run):
    subscription = confirmed(council=council)
    f.MeetingFactory(council=council, date=TODAY + dt.timedelta(days=2), title="Заседание по бюджету")

    assert "Заседание по бюджету" in run(subscription)[0].body
    assert run(Subscription.objects.get(), today=TODAY + dt.timedelta(days=1)) == []
    held = run(Subscription.objects.get(), today=TODAY + dt.timedelta(days=2))
    assert "Заседание по бюджету" in held[0].body


def test_drafts_and_unpublished_councils_are_not_told(council, confirmed, run):
    subscription = confirmed(council=council)
    f.RecommendationFactory(council=council, status=RecommendationStatus.DRAFT, sent_on=None, text="Черновик")
    f.ReportBuildFactory(council=council, status=BuildStatus.DONE, is_published=False)
    hidden = f.CouncilFactory(is_published=False)
    hidden_subscription = confirmed("other@example.kz", council=hidden)
    f.MeetingFactory(council=hidden, date=TODAY)

    assert run(subscription) == []
    assert run(hidden_subscription) == []


def test_a_state_body_subscriber_hears_of_every_council_that_addresses_it(council, police, confirmed, run):
    subscription = confirmed(state_body=police)
    other = f.CouncilFactory(name="Общественный совет Караганды")
    sent_recommendation(council, police, text="Алматинская рекомендация")
    sent_recommendation(other, police, text="Карагандинская рекомендация")
    sent_recommendation(council, text="Другому органу")
    meeting = f.MeetingFactory(council=council, date=TODAY, title="Заслушивание отчёта полиции")
    f.AgendaItemFactory(meeting=meeting, state_body=police)
    f.MeetingFactory(council=council, date=TODAY, title="Заседание без полиции")

    body = run(subscription)[0].body
    assert "Алматинская рекомендация" in body
    assert "Карагандинская рекомендация" in body
    assert "Другому органу" not in body
    assert "Заслушивание отчёта полиции" in body
    assert "Заседание без полиции" not in body


def test_nothing_is_sent_to_who_unsubscribed_after_the_digest_was_queued(council, confirmed):
    subscription = confirmed(council=council)
    sent_recommendation(council)
    assert subscription_digest_queue(subscription_id=subscription.pk, today=TODAY)  # queued, not yet delivered

    Client().get(f"/ru/alerts/unsubscribe/{subscription.token}/")
    from core.outbox import OutboxMessage, outbox_run

    outbox_run(message_id=OutboxMessage.objects.get(target="alerts.send_digest").pk)
    assert mail.outbox == []


def test_the_beat_task_sends_each_frequency_on_its_own(council, confirmed, django_capture_on_commit_callbacks):
    daily = confirmed("daily@example.kz", council=council, frequency="daily")
    confirmed("weekly@example.kz", council=council, frequency="weekly")
    sent_recommendation(council, day=timezone.localdate())

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests("daily") == 1
    assert [m.to for m in mail.outbox] == [["daily@example.kz"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests("weekly") == 1
        assert send_digests("daily") == 0  # re-run: already sent today
    assert sorted(m.to[0] for m in mail.outbox) == ["daily@example.kz", "weekly@example.kz"]
    assert Subscription.objects.get(pk=daily.pk).last_digest_on == timezone.localdate()


def test_the_unsubscribe_link_of_a_digest_works(council, confirmed, run):
    subscription = confirmed(council=council)
    sent_recommendation(council)
    message = run(subscription)[0]

    assert Client().get(link_in(message, "/alerts/unsubscribe/")).status_code == 200
    assert not Subscription.objects.exists()


def _sent_request(council, holder, *, subject: str, day=TODAY):
    from monitoring import services

    request = services.information_request_create(
        council=council, subject=subject, text="Просим сведения", state_body=holder, by=None
    )
    return services.information_request_send(information_request=request, sent_on=day, by=None)


def test_subscribers_hear_of_information_requests_and_their_answers(council, police, confirmed, run):
    from monitoring import services

    to_council = confirmed(council=council)
    to_holder = confirmed("holder-reader@example.kz", state_body=police)
    asked = _sent_request(council, police, subject="Статистика ДТП за год")
    services.information_request_create(
        council=council, subject="Черновик запроса", text="Не отправлен", state_body=police, by=None
    )
    services.information_request_record_response(
        information_request=asked, received_on=TODAY, text="Статистика приложена", kind="partial", by=None
    )

    for subscription in (to_council, to_holder):
        body = run(subscription)[0].body
        assert "Статистика ДТП за год" in body
        assert "Статистика приложена" in body
        assert "Черновик запроса" not in body
