"""A closed year's recommendations read as they stood on its last day, whatever today's date: the tracker and the
state body page filtered by 2019 give the same text under two clocks (2020 and 2026), answers received after the
year count neither as answers nor in the statuses, and an old overdue record reads «no answer recorded» with its
due date, never a count of thousands of days."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from monitoring.models import RecommendationStatus, RecommendationStatusChange
from tests.factories import RecommendationFactory, RecommendationResponseFactory, StateBodyFactory

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
CLOCKS = [dt.datetime(2020, 3, 2, 10, tzinfo=ALMATY), dt.datetime(2026, 12, 4, 10, tzinfo=ALMATY)]


def _sent(council, body, text, *, due: dt.date, status=RecommendationStatus.SENT):
    recommendation = RecommendationFactory(
        council=council,
        state_body=body,
        text=text,
        issued_on=dt.date(2019, 10, 1),
        sent_on=dt.date(2019, 10, 1),
        response_due=due,
        status=status,
    )
    RecommendationStatusChange.objects.create(
        recommendation=recommendation, status=RecommendationStatus.SENT, changed_on=dt.date(2019, 10, 1)
    )
    return recommendation


@pytest.fixture
def year_2019(personas):
    body = StateBodyFactory(name="Управление парков", slug="parks")
    # Overdue since 10 December 2019 and never answered.
    _sent(personas.council, body, "Никогда не отвеченная рекомендация", due=dt.date(2019, 12, 10))
    # Overdue at the end of 2019, answered in February 2020.
    late = _sent(
        personas.council,
        body,
        "Поздно отвеченная рекомендация",
        due=dt.date(2019, 11, 20),
        status=RecommendationStatus.ANSWERED,
    )
    RecommendationResponseFactory(recommendation=late, received_on=dt.date(2020, 2, 10), text="Ответ 2020 года")
    RecommendationStatusChange.objects.create(
        recommendation=late, status=RecommendationStatus.ANSWERED, changed_on=dt.date(2020, 2, 10)
    )
    return personas.council


def _main(html: str) -> str:
    """The page's main content, without the clock-dependent parts of the frame."""
    start, end = html.index("<main"), html.index("</main>")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html[start:end])


@pytest.mark.parametrize(
    "path", ["/ru/councils/almaty/recommendations/?year=2019", "/ru/state-bodies/parks/?year=2019"]
)
def test_a_closed_years_page_text_does_not_change_with_the_clock(year_2019, path):
    pages = []
    for clock in CLOCKS:
        cache.clear()
        with time_machine.travel(clock, tick=False):
            response = Client().get(path)
        assert response.status_code == 200
        pages.append(_main(response.content.decode()))

    assert pages[0] == pages[1]
    html = pages[0]
    assert "Статусы на 31.12.2019, последний день года" in html
    # Both were overdue on 31 December 2019: the later answer is listed, marked, and not counted.
    assert html.count("просрочка") == 2
    assert "Ответ 2020 года" in html
    assert "после окончания года" in html
    assert '<span class="status status-answered">' not in html


def test_the_unfiltered_tracker_reads_no_answer_recorded_for_an_old_record(year_2019):
    with time_machine.travel(CLOCKS[1], tick=False):
        html = Client().get("/ru/councils/almaty/recommendations/").content.decode()

    assert "ответ не записан (срок был 10.12.2019)" in html
    assert not re.search(r"просрочка \d{3,}", html)
    # Today's state: the late answer counts now.
    assert '<span class="status status-answered">' in html
