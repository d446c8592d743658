"""The Almaty 2019 demo data, loaded by `load_demo`, reproduces every figure of the council's 2019 report
(DOMAIN.md) through the public stats API."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from hearings.models import Meeting, MeetingKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def stats() -> dict:
    call_command("load_demo")
    response = Client().get("/api/v1/councils/almaty/stats/", {"year": "2019"})
    assert response.status_code == 200
    return response.json()


def test_almaty_2019_figures_match_the_report(stats):
    assert stats["year"] == 2019
    assert stats["members"]["total"] == 37
    assert stats["members"]["state_body"] == 3
    assert stats["members"]["civil_society"] == 34
    assert stats["commissions"] == 7
    assert stats["meetings"]["council"] == 17
    assert stats["meetings"]["presidium"] == 4
    assert stats["hearings"] == 4
    assert stats["monitoring"]["total"] == 18
    assert stats["monitoring"]["by_month"] == {
        "1": 0,
        "2": 0,
        "3": 0,
        "4": 4,
        "5": 2,
        "6": 5,
        "7": 2,
        "8": 1,
        "9": 0,
        "10": 2,
        "11": 1,
        "12": 1,
    }
    assert stats["draft_acts"]["reviewed"] == 89
    assert stats["draft_acts"]["approved"] == 89
    assert stats["draft_acts"]["with_remarks"] == 4
    assert stats["appeals"]["total"] == 764
    assert stats["appeals"]["individuals"] == 213
    assert stats["appeals"]["legal_entities"] == 551
    assert stats["meetings"]["seminar"] == 5
    assert stats["meetings"]["round_table"] == 4
    assert stats["memoranda"] == 3


def test_almaty_2019_presidium_met_in_april_may_october_and_november(stats):
    meetings = Meeting.objects.filter(council__slug=stats["council"], kind=MeetingKind.PRESIDIUM, date__year=2019)

    assert sorted(meeting.date.month for meeting in meetings) == [4, 5, 10, 11]


def test_the_headline_counts_agree_with_the_year_figures_for_every_year():
    # `yearly_totals` counts every council's years in a few grouped queries (the home page, the year switchers);
    # `council_year_stats` computes one council's year in full. Both count the same records by the same dates:
    # a count the home page shows must be the figure the council's year page and its report show.
    from councils.models import Council
    from reports.selectors import HEADLINE_KEYS, council_year_stats, yearly_totals

    call_command("load_demo")
    council = Council.objects.get(slug="almaty")
    totals = {year: counts for (_id, year), counts in yearly_totals(council_ids=[council.id]).items()}
    assert 2019 in totals
    for year, counts in totals.items():
        stats = council_year_stats(council=council, year=year)
        figures = stats.headline_counts()
        assert set(figures) == set(HEADLINE_KEYS)
        assert counts == figures, year
