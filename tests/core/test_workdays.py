"""The calculator on explicit calendars and on the calendar the rules give (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.workdays import (
    OutsideCalendarError,
    WorkCalendar,
    add_months_capped,
    add_working_days,
    explain_deadline,
    is_working_day,
    next_working_day,
    registration_day,
    working_days_between,
    year_span,
)

D = dt.date
RULES = WorkCalendar.statutory(2019, 2027)


def test_weekends_are_skipped():
    plain = WorkCalendar()
    friday = D(2026, 11, 20)
    assert add_working_days(plain, friday, 1) == D(2026, 11, 23)
    assert add_working_days(plain, friday, 5) == D(2026, 11, 27)
    assert not is_working_day(plain, D(2026, 11, 21))
    assert not is_working_day(plain, D(2026, 11, 22))


def test_a_holiday_is_skipped():
    calendar = WorkCalendar(non_working={D(2026, 12, 16): "День Независимости"})
    assert add_working_days(calendar, D(2026, 12, 15), 1) == D(2026, 12, 17)


def test_the_start_day_is_not_counted_and_zero_days_is_the_start():
    assert add_working_days(RULES, D(2026, 11, 2), 1) == D(2026, 11, 3)
    assert add_working_days(RULES, D(2026, 11, 2), 0) == D(2026, 11, 2)
    with pytest.raises(ValueError):
        add_working_days(RULES, D(2026, 11, 2), -1)


def test_nauryz_week_is_not_counted():
    # 2024: 21-22 Mar Thu-Fri, 23 Mar a Saturday moved to Monday 25 Mar.
    assert add_working_days(RULES, D(2024, 3, 20), 1) == D(2024, 3, 26)
    # 2026: 21-23 Mar Sat-Mon, the weekend days moved to 24-25 Mar by the decree.
    assert add_working_days(RULES, D(2026, 3, 20), 1) == D(2026, 3, 26)
    assert working_days_between(RULES, D(2026, 3, 20), D(2026, 3, 31)) == 4


def test_fifteen_working_days_over_new_year_2020_skip_1_2_3_and_7_january():
    explanation = explain_deadline(RULES, D(2019, 12, 20), 15)
    assert explanation.end == D(2020, 1, 15)
    skipped = dict(explanation.skipped)
    assert skipped[D(2020, 1, 1)] == skipped[D(2020, 1, 2)] == "Новый год"
    assert skipped[D(2020, 1, 7)] == "Православное Рождество"
    assert D(2020, 1, 3) in skipped  # the decree moved Sunday 5 Jan's rest to Friday 3 Jan
    assert D(2020, 1, 5) not in skipped  # ... so that Sunday was a working day


def test_a_holiday_on_a_weekend_moves_to_the_next_working_day():
    # 2020: Nauryz on Sat 21, Sun 22, Mon 23 Mar: the weekend days are rested on Tue 24 and Wed 25.
    for day in (D(2020, 3, 23), D(2020, 3, 24), D(2020, 3, 25)):
        assert not is_working_day(RULES, day)
    assert RULES.non_working[D(2020, 3, 24)] == "Перенос: 21 марта → 24 марта (Наурыз мейрамы)"
    assert next_working_day(RULES, D(2020, 3, 20)) == D(2020, 3, 26)
    # 2019: Capital Day on Saturday 6 Jul is rested on Monday 8 Jul.
    assert not is_working_day(RULES, D(2019, 7, 8))


def test_orthodox_christmas_and_kurban_ait_on_a_weekend_do_not_move():
    assert RULES.non_working[D(2023, 1, 7)] == "Православное Рождество"  # a Saturday
    assert is_working_day(RULES, D(2023, 1, 9))
    assert RULES.non_working[D(2024, 6, 16)] == "Курбан айт (первый день)"  # a Sunday
    assert is_working_day(RULES, D(2024, 6, 17))


def test_2026_decrees_make_9_march_and_11_may_non_working():
    assert not is_working_day(RULES, D(2026, 3, 9))
    assert not is_working_day(RULES, D(2026, 5, 11))
    assert not is_working_day(RULES, D(2026, 10, 26))
    assert RULES.non_working[D(2026, 3, 9)] == "Перенос: 8 марта → 9 марта (постановление Правительства)"


def test_a_decree_working_saturday_counts():
    # 2019: Saturday 4 May worked instead of Friday 10 May.
    assert is_working_day(RULES, D(2019, 5, 4))
    assert add_working_days(RULES, D(2019, 5, 3), 1) == D(2019, 5, 4)
    assert not is_working_day(RULES, D(2019, 5, 10))
    explicit = WorkCalendar(working=frozenset({D(2026, 11, 21)}))
    assert add_working_days(explicit, D(2026, 11, 20), 1) == D(2026, 11, 21)


def test_registration_on_a_non_working_day_moves_to_the_next_working_day():
    assert registration_day(RULES, D(2026, 3, 21)) == D(2026, 3, 26)  # Nauryz Saturday
    assert registration_day(RULES, D(2026, 11, 29)) == D(2026, 11, 30)  # a Sunday
    assert registration_day(RULES, D(2026, 11, 30)) == D(2026, 11, 30)  # a working Monday stays


def test_explain_deadline_lists_the_skipped_days_with_reasons():
    explanation = RULES.explain_deadline(D(2026, 3, 20), 2)
    assert (explanation.start, explanation.n, explanation.end) == (D(2026, 3, 20), 2, D(2026, 3, 27))
    assert explanation.skipped == [
        (D(2026, 3, 21), "Наурыз мейрамы"),
        (D(2026, 3, 22), "Наурыз мейрамы"),
        (D(2026, 3, 23), "Наурыз мейрамы"),
        (D(2026, 3, 24), "Перенос: 21 марта → 24 марта (постановление Правительства)"),
        (D(2026, 3, 25), "Перенос: 22 марта → 25 марта (постановление Правительства)"),
    ]
    plain = RULES.explain_deadline(D(2026, 11, 27), 1)
    assert plain.skipped == [(D(2026, 11, 28), "суббота"), (D(2026, 11, 29), "воскресенье")]


def test_working_days_between_counts_after_the_first_day_up_to_the_second():
    assert working_days_between(RULES, D(2026, 11, 23), D(2026, 11, 30)) == 5
    assert working_days_between(RULES, D(2026, 11, 30), D(2026, 11, 23)) == -5
    assert working_days_between(RULES, D(2026, 11, 23), D(2026, 11, 23)) == 0


def test_add_months_capped_stays_in_the_target_month():
    assert add_months_capped(D(2026, 1, 15), 2) == D(2026, 3, 15)
    assert add_months_capped(D(2026, 12, 31), 2) == D(2027, 2, 28)
    assert WorkCalendar.add_months_capped(D(2027, 12, 31), 2) == D(2028, 2, 29)
    assert add_months_capped(D(2026, 11, 30), 2) == D(2027, 1, 30)
    assert add_months_capped(D(2026, 8, 31), 1) == D(2026, 9, 30)


def test_a_loaded_calendar_refuses_dates_outside_its_range():
    calendar = WorkCalendar(start=D(2026, 1, 1), end=D(2026, 1, 31))
    with pytest.raises(OutsideCalendarError):
        add_working_days(calendar, D(2026, 1, 20), 15)
    with pytest.raises(OutsideCalendarError):
        is_working_day(calendar, D(2025, 12, 31))


def test_a_day_cannot_be_both_working_and_non_working():
    with pytest.raises(ValueError):
        WorkCalendar(non_working={D(2026, 11, 21): "x"}, working=frozenset({D(2026, 11, 21)}))


def test_a_years_span_stops_at_its_end_or_at_the_day_asked_about():
    """A closed year is counted to 31 December whatever today is; the running year to the day asked about."""
    assert year_span(2019, dt.date(2026, 12, 6)) == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert year_span(2026, dt.date(2026, 12, 6)) == (dt.date(2026, 1, 1), dt.date(2026, 12, 6))
    assert year_span(2026, dt.date(2026, 12, 31)) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
