"""The rules that fill the calendar (DOMAIN.md, "Working days")."""

from __future__ import annotations

import datetime as dt

import pytest

from core.workdays import DAY_OFF, HOLIDAY, STATUTORY_YEARS, WORKING_DAY, statutory_days

D = dt.date


def _kinds(year: int) -> dict[dt.date, str]:
    return {day: kind for day, kind, _name, _source in statutory_days(year)}


@pytest.mark.parametrize("year", list(STATUTORY_YEARS))
def test_each_year_has_one_entry_per_date_and_kinds_fit_the_weekday(year):
    rows = statutory_days(year)
    dates = [row[0] for row in rows]
    assert dates == sorted(set(dates))
    for day, kind, name, source in rows:
        assert day.year == year and name and source
        if kind == WORKING_DAY:
            assert day.isoweekday() > 5
        if kind == DAY_OFF:
            assert day.isoweekday() <= 5


def test_holidays_that_came_and_went():
    assert _kinds(2025)[D(2025, 8, 30)] == HOLIDAY
    assert D(2026, 8, 30) not in _kinds(2026)
    assert D(2021, 10, 25) not in _kinds(2021) and _kinds(2022)[D(2022, 10, 25)] == HOLIDAY
    assert _kinds(2021)[D(2021, 12, 1)] == HOLIDAY and D(2022, 12, 1) not in _kinds(2022)
    assert _kinds(2021)[D(2021, 12, 17)] == HOLIDAY and D(2022, 12, 17) not in _kinds(2022)
    assert D(2026, 3, 15) not in _kinds(2026) and _kinds(2027)[D(2027, 3, 15)] == HOLIDAY


def test_the_2026_decree_and_the_weekend_rule_give_one_record_each():
    rows = {row[0]: row for row in statutory_days(2026)}
    for day in (D(2026, 3, 9), D(2026, 3, 24), D(2026, 3, 25), D(2026, 5, 11), D(2026, 10, 26)):
        assert rows[day][1] == DAY_OFF
        assert "постановление Правительства" in rows[day][2]
    assert sum(1 for row in rows.values() if row[1] == DAY_OFF) == 5


def test_a_decree_overrides_the_weekend_rule_where_they_disagree():
    # 2020: Victory Day on Saturday; the rule gives Monday 11 May, the decree moved the rest to Friday 8 May.
    kinds = _kinds(2020)
    assert kinds[D(2020, 5, 8)] == DAY_OFF
    assert D(2020, 5, 11) not in kinds


def test_kurban_ait_dates_not_confirmed_are_marked_in_the_source():
    rows = {row[0]: row for row in statutory_days(2027)}
    assert "НЕ ПОДТВЕРЖДЕНА" in rows[D(2027, 5, 16)][3]


def test_a_year_without_a_kurban_ait_date_is_refused():
    with pytest.raises(ValueError, match="Kurban ait"):
        statutory_days(2028)
