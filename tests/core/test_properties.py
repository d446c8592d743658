"""Properties of the calculator, on the calendar the rules give and on random calendars."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from core.workdays import WorkCalendar

RULES = WorkCalendar.statutory(2019, 2027)
# No example database: nothing is left behind in the working tree.
quick = settings(database=None, max_examples=200, deadline=None)

starts = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2027, 10, 31))
counts = st.integers(min_value=0, max_value=40)


@st.composite
def random_calendars(draw) -> WorkCalendar:
    window = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31))
    off = draw(st.sets(window, max_size=60))
    working = draw(st.sets(window.filter(lambda d: d.isoweekday() > 5), max_size=20)) - off
    return WorkCalendar(non_working={day: "праздник" for day in off}, working=frozenset(working))


calendars = st.one_of(st.just(RULES), random_calendars())


@quick
@given(calendar=calendars, start=starts, n=st.integers(min_value=1, max_value=40))
def test_add_working_days_lands_on_a_working_day(calendar, start, n):
    assert calendar.is_working_day(calendar.add_working_days(start, n))


@quick
@given(calendar=calendars, start=starts, n=counts)
def test_add_working_days_is_strictly_increasing_in_n(calendar, start, n):
    assert calendar.add_working_days(start, n + 1) > calendar.add_working_days(start, n)


@quick
@given(calendar=calendars, start=starts, n=counts)
def test_working_days_between_inverts_add_working_days(calendar, start, n):
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@quick
@given(calendar=calendars, start=starts, n=counts)
def test_explanation_accounts_for_every_calendar_day(calendar, start, n):
    explanation = calendar.explain_deadline(start, n)
    assert (explanation.end - explanation.start).days == n + len(explanation.skipped)
    assert all(not calendar.is_working_day(day) for day, _reason in explanation.skipped)


@quick
@given(calendar=calendars, received=starts)
def test_registration_is_the_first_working_day_on_or_after_receipt(calendar, received):
    registered = calendar.registration_day(received)
    assert registered >= received and calendar.is_working_day(registered)
    assert calendar.working_days_between(received, registered) == (0 if registered == received else 1)
