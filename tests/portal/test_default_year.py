"""The year a page shows by default: the latest year with a published report, else the latest year with enough of
the council's own work to tell a story (reports.selectors.default_year). The first appeal of a new year must not
switch the home page and the council page to a year of zeros; no page says "as of" a day still to come."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from reports.models import BuildStatus
from reports.selectors import STORY_MIN_RECORDS, default_year
from tests import factories as f

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
TODAY = dt.datetime(2026, 12, 4, 12, 0, tzinfo=ALMATY)


@pytest.fixture
def council_2025(personas):
    """A council with a told 2025 (three monitoring events) and, in 2026, one new appeal only."""
    council = personas.council
    for day in (3, 4, 5):
        f.MonitoringEventFactory(council=council, date=dt.date(2025, 5, day))
    f.AppealFactory(council=council, registered_at=dt.datetime(2026, 11, 30, 10, 0, tzinfo=ALMATY))
    cache.clear()
    return council


def _shown_year(html: str) -> str:
    match = re.search(r'aria-current="page">(\d{4})<', html)
    return match.group(1) if match else ""


@time_machine.travel(TODAY, tick=False)
def test_one_new_appeal_does_not_switch_the_council_page_to_the_current_year(council_2025):
    html = Client().get("/ru/councils/almaty/").content.decode()

    assert _shown_year(html) == "2025"
    assert "31 декабря 2025" in html
    assert "2026" in html  # still offered in the switcher


@time_machine.travel(TODAY, tick=False)
def test_one_new_appeal_does_not_switch_the_home_page_to_the_current_year(council_2025):
    html = Client().get("/ru/").content.decode()

    assert "2025 год в цифрах" in html
    assert "2026 год в цифрах" not in html


@time_machine.travel(TODAY, tick=False)
def test_home_page_switches_every_council_to_the_asked_year(council_2025):
    html = Client().get("/ru/?year=2026").content.decode()

    assert "2026 год в цифрах" in html
    assert 'href="/ru/councils/almaty/?year=2026"' in html
    assert 'href="?year=2025"' in html


@time_machine.travel(TODAY, tick=False)
def test_a_published_report_year_wins_over_a_later_told_year(council_2025):
    for day in (3, 4, 5):
        f.MonitoringEventFactory(council=council_2025, date=dt.date(2024, 5, day))
    build = f.ReportBuildFactory(council=council_2025, year=2024, status=BuildStatus.DONE, is_published=True)
    build.file.save("r.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    cache.clear()

    assert _shown_year(Client().get("/ru/councils/almaty/").content.decode()) == "2024"


@time_machine.travel(TODAY, tick=False)
def test_the_current_year_stands_on_today_never_on_its_last_day(council_2025):
    for path in ("/ru/councils/almaty/?year=2026", "/ru/councils/almaty/composition/?year=2026"):
        html = Client().get(path).content.decode()
        assert "31 декабря 2026" not in html, path
        assert "4 декабря 2026" in html, path


def test_default_year_rule():
    today = timezone.localdate().replace(year=2026)
    few = {"monitoring": STORY_MIN_RECORDS - 1, "appeals": 40}
    told = {"meetings": 1, "hearings": 1, "recommendations": STORY_MIN_RECORDS - 2}
    assert default_year(totals={2025: told, 2026: few}, report_years=[], today=today) == 2025
    assert default_year(totals={2025: told, 2026: told}, report_years=[2024], today=today) == 2024
    assert default_year(totals={2026: few}, report_years=[], today=today) == 2026
    assert default_year(totals={2027: told}, report_years=[2027], today=today) is None
    assert default_year(totals={}, report_years=[], today=today) is None
