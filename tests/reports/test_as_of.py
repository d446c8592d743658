"""A closed year's figures stand on its last day: the stats API, the council page, the dashboard and the annual
report give the same figures for 2019 whether the clock says 31 December 2019, 1 February 2020 or June 2026.

The data: two recommendations sent on 10 December 2019 with answers due on 15 January 2020 (one answered on
20 January 2020, one never), and an appeal registered on 20 December 2019 and answered on 10 January 2020. On
31 December 2019 none of them was answered and none was overdue.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import AppealStatus, AppealStatusChange
from core.dashboard import dashboard_context
from councils.models import Affiliation
from monitoring.models import RecommendationStatus, RecommendationStatusChange
from reports.annual import annual_report_context
from tests.factories import (
    AppealFactory,
    MembershipFactory,
    RecommendationFactory,
    RecommendationResponseFactory,
)

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
YEAR_END = dt.date(2019, 12, 31)
# The last day of the year, a month later, and seven years later.
CLOCKS = [
    dt.datetime(2019, 12, 31, 18, 0, tzinfo=ALMATY),
    dt.datetime(2020, 2, 1, 10, 0, tzinfo=ALMATY),
    dt.datetime(2026, 6, 1, 10, 0, tzinfo=ALMATY),
]


def _recommendation(council, *, answered_on: dt.date | None):
    recommendation = RecommendationFactory(
        council=council,
        issued_on=dt.date(2019, 12, 10),
        sent_on=dt.date(2019, 12, 10),
        response_due=dt.date(2020, 1, 15),
        status=RecommendationStatus.ANSWERED if answered_on else RecommendationStatus.SENT,
    )
    # The history the services keep: created (entered later, dated the day of entry), sent, answered.
    RecommendationStatusChange.objects.create(
        recommendation=recommendation, status=RecommendationStatus.DRAFT, changed_on=dt.date(2019, 12, 12)
    )
    RecommendationStatusChange.objects.create(
        recommendation=recommendation, status=RecommendationStatus.SENT, changed_on=dt.date(2019, 12, 10)
    )
    if answered_on:
        RecommendationResponseFactory(recommendation=recommendation, received_on=answered_on)
        RecommendationStatusChange.objects.create(
            recommendation=recommendation, status=RecommendationStatus.ANSWERED, changed_on=answered_on
        )
    return recommendation


@pytest.fixture
def year_2019(personas):
    council = personas.council
    council.is_published = True
    council.save(update_fields=["is_published"])
    convocation = council.convocations.get()
    MembershipFactory.create_batch(3, convocation=convocation, person__council=council)
    MembershipFactory(convocation=convocation, person__council=council, affiliation=Affiliation.STATE_BODY)
    # A member who left in 2020: counted on 31 December 2019.
    MembershipFactory(convocation=convocation, person__council=council, end_date=dt.date(2020, 3, 1))
    _recommendation(council, answered_on=dt.date(2020, 1, 20))
    _recommendation(council, answered_on=None)
    registered = timezone.make_aware(dt.datetime(2019, 12, 20, 10), ALMATY)
    appeal = AppealFactory(
        council=council,
        registered_at=registered,
        due_date=dt.date(2020, 1, 14),
        answered_on=dt.date(2020, 1, 10),
        status=AppealStatus.ANSWERED,
    )
    AppealStatusChange.objects.create(appeal=appeal, status=AppealStatus.REGISTERED, changed_at=registered)
    AppealStatusChange.objects.create(
        appeal=appeal, status=AppealStatus.ANSWERED, changed_at=timezone.make_aware(dt.datetime(2020, 1, 10, 9), ALMATY)
    )
    return personas


def _stats_json(client: Client, **params: str) -> dict:
    response = client.get(reverse("api-council-stats", kwargs={"slug": "almaty"}), {"year": "2019", **params})
    assert response.status_code == 200, response.content
    return response.json()


def _section(html: str, heading_id: str) -> str:
    """The <section> of the page labelled by the heading: the figures the page shows there."""
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, flags=re.DOTALL)
    assert match, heading_id
    return match.group(1)


def test_december_recommendations_due_in_january_are_not_overdue_at_year_end(year_2019):
    with time_machine.travel(CLOCKS[-1], tick=False):
        stats = _stats_json(Client())

    assert stats["as_of"] == "2019-12-31"
    assert stats["recommendations"]["total"] == 2
    assert stats["recommendations"]["overdue"] == 0
    assert stats["recommendations"]["answered"] == 0
    assert stats["recommendations"]["by_status"]["sent"] == 2
    assert stats["recommendations"]["by_status"]["answered"] == 0
    # The appeal answered in January was still open, and not yet late, on 31 December.
    assert stats["appeals"]["answered"] == 0
    assert stats["appeals"]["open"] == 1
    assert stats["appeals"]["overdue"] == 0
    assert stats["appeals"]["by_status"]["registered"] == 1
    assert stats["members"]["total"] == 5


def test_closed_year_stats_api_is_the_same_whatever_the_clock(year_2019):
    answers = []
    for clock in CLOCKS:
        with time_machine.travel(clock, tick=False):
            answers.append(_stats_json(Client()))
    assert answers[0] == answers[1] == answers[2]


def test_as_of_asks_for_the_state_on_another_day(year_2019):
    with time_machine.travel(CLOCKS[-1], tick=False):
        stats = _stats_json(Client(), as_of="2020-02-01")

    assert stats["as_of"] == "2020-02-01"
    # By then one answer had come (20 January) and the other was past its 15 January due date.
    assert stats["recommendations"]["answered"] == 1
    assert stats["recommendations"]["overdue"] == 1
    assert stats["appeals"]["answered"] == 1
    assert stats["appeals"]["answered_on_time"] == 1


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("31.12.2019", "YYYY-MM-DD"),
        ("2019-02-30", "YYYY-MM-DD"),
        ("2018-12-31", "2019-01-01"),  # before the year began
        ("2026-06-02", "2026-06-01"),  # tomorrow: a forecast, not a figure
    ],
)
def test_as_of_is_validated_with_a_clear_message(year_2019, as_of, message):
    with time_machine.travel(CLOCKS[-1], tick=False):
        response = Client().get(
            reverse("api-council-stats", kwargs={"slug": "almaty"}),
            {"year": "2019", "as_of": as_of},
            headers={"accept-language": "en"},
        )
    assert response.status_code == 400
    assert message in response.json()["as_of"][0]


def test_closed_year_council_page_is_the_same_whatever_the_clock(year_2019):
    pages = []
    for clock in CLOCKS:
        cache.clear()  # the page is cached; each clock must compute its own
        with time_machine.travel(clock, tick=False):
            html = Client().get(reverse("reports:council", kwargs={"slug": "almaty"}), {"year": "2019"}).content
        html = html.decode()
        pages.append((_section(html, "composition-h"), _section(html, "figures-h")))
    assert pages[0] == pages[1] == pages[2]
    composition, figures = pages[0]
    assert "31.12.2019" in figures or "31 декабря 2019" in figures
    assert "31 декабря 2019" in composition or "31.12.2019" in composition


def test_closed_year_report_figures_are_the_same_whatever_the_clock(year_2019):
    contexts = []
    for clock in CLOCKS:
        with time_machine.travel(clock, tick=False):
            contexts.append(annual_report_context(council=year_2019.council, year=2019))
    figures = [c["stats"].as_dict() for c in contexts]
    assert figures[0] == figures[1] == figures[2]
    assert contexts[0]["report_date"] == YEAR_END
    assert figures[0]["recommendations"]["answered"] == 0


def test_last_year_on_the_dashboard_stands_on_its_last_day(year_2019):
    on_year_end = dashboard_context(council=year_2019.council, today=YEAR_END)
    a_month_later = dashboard_context(council=year_2019.council, today=dt.date(2020, 2, 1))

    this_year_then = {f.label: f.this_year for f in on_year_end["figures"]}
    last_year_now = {f.label: f.last_year for f in a_month_later["figures"]}
    assert last_year_now == this_year_then
    # The answer of 20 January 2020 does not make 2019's recommendation «answered» in 2019's column.
    assert last_year_now[str(_("Recommendations answered"))] == 0
    assert a_month_later["last_year_as_of"] == YEAR_END


def test_tracker_never_counts_days_overdue_against_today_for_a_closed_year(year_2019):
    with time_machine.travel(CLOCKS[-1], tick=False):
        html = Client().get(reverse("reports:recommendations", kwargs={"slug": "almaty"})).content.decode()
    status_lines = re.findall(r'<p class="status-line">(.*?)</p>', html, flags=re.DOTALL)
    assert len(status_lines) == 2
    # The unanswered one says since when it is overdue, not «2329 days» counted to today.
    assert not any("просрочка" in line and "дн" in line for line in status_lines)
    assert not any("2329" in line for line in status_lines)
    assert any("15.01.2020" in line for line in status_lines)
    # The page says the statuses are today's.
    assert "01.06.2026" in html
