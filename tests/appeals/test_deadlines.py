"""An appeal's answer deadline is computed in one place (appeals.deadlines.answer_due) from the calendar as long
as the term needs, and the overdue rule takes the day it is applied on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from appeals.deadlines import answer_due, is_overdue
from appeals.models import Appeal, AppealStatus
from appeals.selectors import appeal_counts
from appeals.services import ApplicantData, appeal_submit, appeals_recompute_deadlines
from core.models import CalendarDay, CalendarKind
from core.workdays import WorkCalendar

pytestmark = [pytest.mark.django_db]

RECEIVED = dt.date(2026, 3, 31)  # a Tuesday
BREAK = (dt.date(2026, 4, 1), dt.date(2026, 8, 31))  # five months without a working day


def submit(personas, received_on: dt.date) -> Appeal:
    appeal, _created = appeal_submit(
        council=personas.council,
        applicant=ApplicantData(applicant_type="individual", name="Ахметова Динара", email="dinara@example.kz"),
        category="ecology",
        subject="Вырубка деревьев в парке",
        text="В парке Горького вырубают здоровые деревья.",
        personal_data_consent=True,
        received_at=timezone.make_aware(dt.datetime.combine(received_on, dt.time(10, 0))),
    )
    return appeal


@pytest.fixture
def long_break(db):
    """Every weekday of April to August 2026 a day off, as an administrator could enter an emergency's break."""
    day = BREAK[0]
    while day <= BREAK[1]:
        if day.isoweekday() <= 5:
            CalendarDay.objects.update_or_create(
                date=day, defaults={"kind": CalendarKind.DAY_OFF, "name": "Чрезвычайное положение"}
            )
        day += dt.timedelta(days=1)


def test_a_break_longer_than_any_fixed_window_moves_the_deadline_past_it(personas, long_break):
    # Registration, the page's explanation and a recomputation all read the same rule; none gives up because the
    # break is longer than a fixed number of calendar days loaded ahead (it was 120: registration failed).
    appeal = submit(personas, RECEIVED)
    expected = WorkCalendar.load(RECEIVED, dt.date(2026, 12, 31)).add_working_days(RECEIVED, 15)
    assert expected > BREAK[1]
    assert appeal.due_date == expected
    assert answer_due(RECEIVED).end == expected
    Appeal.objects.filter(pk=appeal.pk).update(due_date=RECEIVED)
    assert appeals_recompute_deadlines() == 1
    assert Appeal.objects.get(pk=appeal.pk).due_date == expected


def test_the_deadline_page_explains_the_date_registration_stored(personas, long_break):
    appeal = submit(personas, RECEIVED)
    secretary = personas.client_for(personas.secretary)
    response = secretary.get(f"/ru/workspace/almaty/appeals/{appeal.number}/")
    assert response.status_code == 200
    assert response.context["deadline"].effective == appeal.due_date


def test_overdue_is_judged_on_the_day_asked_for_not_today(personas):
    appeal = submit(personas, dt.date(2025, 3, 3))
    due = appeal.due_date
    # The same appeal, still open: not overdue on its last day, overdue the day after, in SQL and in Python.
    assert not is_overdue(status=appeal.status, deadline=due, as_of=due)
    assert is_overdue(status=appeal.status, deadline=due, as_of=due + dt.timedelta(days=1))
    assert appeal_counts(council=personas.council, year=2025, as_of=due).overdue == 0
    assert appeal_counts(council=personas.council, year=2025, as_of=due + dt.timedelta(days=1)).overdue == 1
    assert not is_overdue(status=AppealStatus.ANSWERED, deadline=due, as_of=due + dt.timedelta(days=1))
