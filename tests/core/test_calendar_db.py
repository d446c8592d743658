"""The calendar in the database: one query to load, the data migration, edits and `calendar_changed`."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from core.models import CalendarDay, CalendarKind
from core.signals import calendar_changed
from core.workdays import STATUTORY_YEARS, WorkCalendar, statutory_days

D = dt.date
data_migration = importlib.import_module("core.migrations.0002_calendar_2019_2027")

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled_calendar():
    """The rows of the data migration, whatever earlier (transactional) tests left in the table."""
    CalendarDay.objects.all().delete()
    data_migration.fill_calendar(apps, None)


@pytest.fixture
def changes():
    received: list[frozenset[dt.date]] = []

    def receiver(sender, dates, **kwargs):
        received.append(dates)

    calendar_changed.connect(receiver, weak=False)
    yield received
    calendar_changed.disconnect(receiver)


def test_data_migration_fills_2019_to_2027_from_the_rules_and_reverses(filled_calendar):
    expected = [row for year in STATUTORY_YEARS for row in statutory_days(year)]
    stored = list(CalendarDay.objects.order_by("date").values_list("date", "kind", "name", "source"))
    assert stored == expected
    data_migration.empty_calendar(apps, None)
    assert not CalendarDay.objects.exists()


def test_loading_the_calendar_for_a_year_is_one_query(filled_calendar, django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar = WorkCalendar.load(D(2026, 1, 1), D(2026, 12, 31))
    assert calendar == WorkCalendar.statutory(2026, 2026)
    # Deadlines of many appeals from the same calendar cost nothing more.
    with django_assert_num_queries(0):
        for day in range(1, 29):
            calendar.add_working_days(D(2026, 2, day), 15)


def test_a_loaded_calendar_gives_the_deadline_over_new_year_2020(filled_calendar):
    calendar = WorkCalendar.load(D(2019, 12, 1), D(2020, 3, 31))
    assert calendar.add_working_days(D(2019, 12, 20), 15) == D(2020, 1, 15)


def test_a_new_day_off_gives_a_later_deadline_on_a_fresh_load_and_fires_calendar_changed(filled_calendar, changes):
    start = D(2026, 6, 1)
    before = WorkCalendar.load(start, start + dt.timedelta(days=120)).add_working_days(start, 15)
    assert before == D(2026, 6, 22)
    CalendarDay.objects.create(
        date=D(2026, 6, 5), kind=CalendarKind.DAY_OFF, name="Перенос: тест (постановление Правительства)"
    )
    after = WorkCalendar.load(start, start + dt.timedelta(days=120)).add_working_days(start, 15)
    assert after == D(2026, 6, 23)
    assert changes == [frozenset({D(2026, 6, 5)})]


def test_moving_a_calendar_day_reports_both_dates_and_deleting_reports_its_date(filled_calendar, changes):
    day = CalendarDay.objects.get(date=D(2026, 5, 11))
    day.date = D(2026, 5, 12)
    day.save()
    assert changes[-1] == frozenset({D(2026, 5, 11), D(2026, 5, 12)})
    calendar = WorkCalendar.load(D(2026, 5, 1), D(2026, 5, 31))
    assert calendar.is_working_day(D(2026, 5, 11)) and not calendar.is_working_day(D(2026, 5, 12))
    day.delete()
    assert changes[-1] == frozenset({D(2026, 5, 12)})


def test_the_database_refuses_a_working_day_on_a_weekday_and_a_day_off_on_a_weekend():
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarDay.objects.create(date=D(2026, 11, 23), kind=CalendarKind.WORKING_DAY, name="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarDay.objects.create(date=D(2026, 11, 22), kind=CalendarKind.DAY_OFF, name="x")
    with translation.override("en"), pytest.raises(ValidationError, match="Saturday or a Sunday"):
        CalendarDay(date=D(2026, 11, 23), kind=CalendarKind.WORKING_DAY, name="x").full_clean()


def test_admin_lists_filters_and_searches_the_calendar(filled_calendar, admin_client):
    url = reverse("admin:core_calendarday_changelist")
    response = admin_client.get(url, {"kind": "day_off", "date__year": "2026", "q": "Перенос"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 5
    response = admin_client.get(url, {"q": "Наурыз"})
    assert response.status_code == 200
