"""The Almaty demo's receptions of citizens (receptions/demo.py, `manage.py load_demo_receptions`): the public page
shows what is to come, the year's counts have visits with outcomes, the 2019 figures the report pins do not move,
and running the loader again changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from receptions.demo import load
from receptions.models import Booking, BookingStatus, Reception
from receptions.selectors import reception_counts
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def almaty():
    """A council with the demo's slug and three members (the full demo is loaded once, below: it takes long)."""
    council = f.CouncilFactory(slug="almaty", code="ALM", name="Общественный совет города Алматы")
    convocation = f.ConvocationFactory(council=council)
    for name in ("Абенов Марат", "Байжанова Гульнара", "Ким Ирина"):
        f.MembershipFactory(convocation=convocation, person=f.PersonFactory(council=council, full_name=name))
    call_command("load_demo_receptions")
    return council


def test_with_the_almaty_demo_the_page_shows_the_schedule_and_the_2019_figures_do_not_move(db):
    call_command("load_demo")
    stats_2019 = Client().get("/api/v1/councils/almaty/stats/", {"year": "2019"}).json()

    call_command("load_demo_receptions")

    assert Client().get("/api/v1/councils/almaty/stats/", {"year": "2019"}).json() == stats_2019
    page = Client().get("/ru/councils/almaty/receptions/").content.decode()
    assert page.count('class="reception"') == 3


def test_the_receptions_page_shows_the_upcoming_schedule(almaty):
    page = Client().get("/ru/councils/almaty/receptions/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "площадь Республики, 4" in text
    assert "Жилищно-коммунальное хозяйство" in text
    assert Reception.objects.filter(council__slug="almaty", starts_at__gt=timezone.now()).count() == 3
    kk = Client().get("/kk/councils/almaty/receptions/").content.decode()
    assert "Тұрғын үй-коммуналдық шаруашылық" in kk


def test_held_receptions_have_their_outcomes(almaty):
    past = Booking.objects.filter(reception__starts_at__lt=timezone.now())

    assert past.filter(status=BookingStatus.VISITED).count() == 7
    assert past.filter(status=BookingStatus.NO_SHOW).count() == 1
    assert set(past.exclude(outcome="").values_list("outcome", flat=True)) == {"advice", "referred"}
    assert not past.filter(status=BookingStatus.BOOKED).exists()


def test_the_visits_count_in_the_year_they_were_held(almaty):
    held = Reception.objects.filter(council__slug="almaty", starts_at__lt=timezone.now())
    years = {timezone.localtime(r.starts_at).year for r in held}

    total = sum(reception_counts(council=almaty, year=year).visitors for year in years)

    assert total == 7


def test_running_it_again_changes_nothing_while_one_is_to_come(almaty):
    before = Reception.objects.count()

    call_command("load_demo_receptions")

    assert Reception.objects.count() == before


def test_once_all_have_passed_a_new_schedule_is_added(almaty):
    later = timezone.now() + dt.timedelta(days=60)

    assert load(now=later) == 6
    assert Reception.objects.filter(starts_at__gt=later).count() == 3


def test_without_the_almaty_demo_it_writes_nothing(db):
    assert load() == 0
    assert not Reception.objects.exists()
