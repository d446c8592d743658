"""The recommendation tracker and the state body pages: what was asked, of whom, and how it was answered."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from councils.models import StateBody
from monitoring.models import MonitoringEvent, Recommendation, RecommendationStatus
from tests.factories import RecommendationFactory, RecommendationResponseFactory, StateBodyFactory

pytestmark = pytest.mark.django_db

TRACKER = "/ru/councils/almaty/recommendations/"


def _rows(response) -> list:
    return list(response.context["page"]["rows"])


def _texts(response) -> list[str]:
    return [row.recommendation.text for row in _rows(response)]


def test_tracker_shows_the_answer_and_the_days_taken(portal):
    response = Client().get(TRACKER)

    assert response.status_code == 200
    row = next(r for r in _rows(response) if r.recommendation.text == "Отремонтировать вольеры № 0")
    assert (row.timing, row.days, row.on_time) == ("answered", 14, True)  # sent 22 April, answered 6 May
    html = response.content.decode()
    assert "Ремонт вольеров включён в план" in html
    assert "ответ за 14 дней" in html
    assert "в срок" in html
    assert "Получен 06.05.2019" in html


def test_tracker_shows_days_overdue_while_the_year_runs_and_the_status_in_words(portal):
    with time_machine.travel(dt.datetime(2019, 11, 1, 10, tzinfo=ZoneInfo("Asia/Almaty")), tick=False):
        response = Client().get(TRACKER)

    row = next(r for r in _rows(response) if r.recommendation.text == "Пересмотреть генеральный план № 0")
    assert row.timing == "overdue"
    assert row.days == (dt.date(2019, 11, 1) - dt.date(2019, 10, 10)).days
    html = response.content.decode()
    assert f"просрочка {row.days}" in html
    assert '<span class="status status-sent">Направлена</span>' in html  # the label, not a colour alone


def test_tracker_says_a_closed_years_overdue_recommendation_has_no_answer_recorded(portal):
    response = Client().get(TRACKER)

    row = next(r for r in _rows(response) if r.recommendation.text == "Пересмотреть генеральный план № 0")
    assert row.timing == "overdue"
    assert row.days is None  # no count of days that grows with today's date
    assert "ответ не записан (срок был 10.10.2019)" in response.content.decode()


def test_tracker_hides_drafts_and_links_public_sources_only(portal):
    response = Client().get(TRACKER)

    texts = _texts(response)
    assert len(texts) == 4
    assert not any("Черновик" in text for text in texts)
    html = response.content.decode()
    event = MonitoringEvent.objects.get(topic="Общественный мониторинг зоопарка")
    hearing = portal.council.public_hearings.get()
    meeting = portal.council.meetings.get(is_open=True)
    item = meeting.agenda_items.get()
    assert f'href="/ru/councils/almaty/monitoring/{event.pk}/"' in html
    assert f'href="/ru/councils/almaty/hearings/{hearing.pk}/"' in html
    assert f'href="/ru/councils/almaty/meetings/{meeting.pk}/#item-{item.pk}"' in html
    appeal_row = next(r for r in _rows(response) if r.source and r.source.kind == "appeal")
    assert appeal_row.source_url == ""
    # Every council page links the public appeal form; nothing else under /appeals/ (no appeal record).
    assert "/appeals/" not in html.replace('href="/ru/councils/almaty/appeals/new/"', "")


def test_tracker_summary_counts_by_status(portal):
    response = Client().get(TRACKER)

    summary = response.context["page"]["summary"]
    assert summary["total"] == 4
    assert summary["by_status"][RecommendationStatus.ANSWERED] == 1
    assert summary["by_status"][RecommendationStatus.SENT] == 2
    assert summary["by_status"][RecommendationStatus.IN_PROGRESS] == 1
    assert RecommendationStatus.DRAFT not in summary["by_status"]
    assert summary["overdue"] == 3  # two sent and one in progress, all past their date with no answer


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=answered", ["Отремонтировать вольеры № 0"]),
        ("status=in_progress", ["Озеленить дворы № 0"]),
        ("status=draft", None),  # not a public status: ignored, everything shown
        (
            "status=overdue",
            ["Пересмотреть генеральный план № 0", "Рекомендация по обращению № 0", "Озеленить дворы № 0"],
        ),
        ("year=2018", []),
    ],
)
def test_tracker_filters_by_status_and_year(portal, query, expected):
    response = Client().get(f"{TRACKER}?{query}")

    assert response.status_code == 200
    if expected is None:
        assert len(_texts(response)) == 4
    else:
        assert _texts(response) == expected


def test_tracker_filters_by_state_body_and_by_source(portal):
    other_body = StateBodyFactory(name="Управление спорта")
    RecommendationFactory(council=portal.council, state_body=other_body, text="Открыть секции", status="sent")
    hearing = portal.council.public_hearings.get()

    by_body = Client().get(f"{TRACKER}?body={other_body.slug}")
    by_source = Client().get(f"{TRACKER}?source=hearing:{hearing.pk}")
    bad_source = Client().get(f"{TRACKER}?source=appeal:nonsense")

    assert _texts(by_body) == ["Открыть секции"]
    assert f'<option value="{other_body.slug}" selected>' in by_body.content.decode()
    assert _texts(by_source) == ["Пересмотреть генеральный план № 0"]
    assert _texts(bad_source) == []


def test_tracker_never_shows_another_councils_recommendations(portal):
    RecommendationFactory(council=portal.other, text="Караганда просит", status="sent")

    assert "Караганда просит" not in Client().get(TRACKER).content.decode()


def test_a_settled_recommendation_without_an_answer_is_closed_not_overdue(portal):
    rec = Recommendation.objects.get(text="Озеленить дворы № 0")
    rec.status = RecommendationStatus.REJECTED
    rec.save()

    row = next(r for r in _rows(Client().get(TRACKER)) if r.recommendation.pk == rec.pk)

    assert row.timing == "closed"


# ---- state bodies ----------------------------------------------------------------------------------------------


def test_state_body_page_shows_what_every_council_asked_and_its_response_figures(portal):
    body = StateBody.objects.get(name="Управление зелёной экономики 0")
    late = RecommendationFactory(
        council=portal.other,
        state_body=body,
        text="Караганда: проверить полив",
        sent_on=dt.date(2019, 6, 3),
        issued_on=dt.date(2019, 6, 3),
        response_due=dt.date(2019, 6, 17),
        status=RecommendationStatus.SENT,
    )
    RecommendationResponseFactory(recommendation=late, received_on=dt.date(2019, 6, 27), text="Полив проверен")

    response = Client().get(f"/ru/state-bodies/{body.slug}/")

    assert response.status_code == 200
    stats = response.context["stats"]
    assert (stats.sent, stats.answered, stats.timed, stats.answered_on_time) == (5, 2, 2, 1)
    assert stats.average_days == pytest.approx((14 + 24) / 2)
    html = response.content.decode()
    assert "Караганда: проверить полив" in html and "Общественный совет Караганды" in html
    assert "Отремонтировать вольеры № 0" in html
    assert "Черновик рекомендации" not in html
    assert "40%" in html  # 2 of 5 answered
    assert "50%" in html  # 1 of the 2 timed answers on time


def test_state_body_page_filters_by_status(portal):
    body = StateBody.objects.get(name="Управление зелёной экономики 0")

    response = Client().get(f"/ru/state-bodies/{body.slug}/?status=answered")

    assert [row.recommendation.text for row in response.context["rows"]] == ["Отремонтировать вольеры № 0"]


def test_state_body_list_counts_public_recommendations_only(portal):
    response = Client().get("/ru/state-bodies/")

    bodies = list(response.context["bodies"])
    assert [(b.name, b.received) for b in bodies] == [("Управление зелёной экономики 0", 4)]


def test_unknown_state_body_is_404(portal):
    assert Client().get("/ru/state-bodies/nobody/").status_code == 404
