"""Seats in consultative bodies on the council's public composition page: the year's seats by name, no contacts,
and an edit shows at once although the page is cached."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from councils.models import ConsultativeLevel, ConsultativeSeat
from tests.factories import ConsultativeSeatFactory, StateBodyFactory

from .conftest import MEMBER_EMAIL, MEMBER_PHONE

pytestmark = pytest.mark.django_db

URL = "/ru/councils/almaty/composition/?year=2019"


def _html(url: str = URL) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_composition_shows_the_years_seats_with_name_body_level_and_dates(portal):
    seat = ConsultativeSeat.objects.get(body_name__endswith="№ 0 при акимате города Алматы")
    seat.state_body = StateBodyFactory(slug="almaty-akimat", name="Акимат города Алматы")
    seat.end_date = dt.date(2019, 11, 30)
    seat.save()

    html = _html()

    section = html[html.index('id="consultative-h"') :]
    assert "Комиссия по вопросам благоустройства № 0 при акимате города Алматы" in section
    assert "Инкарбеков Улан 0" in section
    assert "Акимат города Алматы" in section
    assert "01.04.2019 – 30.11.2019" in section
    assert str(ConsultativeLevel.LOCAL.label) in section


def test_the_seat_holders_contacts_stay_off_the_page(portal):
    html = _html()

    assert "consultative-h" in html
    assert MEMBER_EMAIL not in html
    assert MEMBER_PHONE not in html


def test_seats_not_held_in_the_year_are_left_out(portal):
    seat = ConsultativeSeat.objects.get(body_name__endswith="№ 0 при акимате города Алматы")
    ConsultativeSeatFactory(
        council=portal.council,
        person=seat.person,
        body_name="Совет по туризму при акимате города Алматы",
        start_date=dt.date(2020, 2, 1),
    )
    ConsultativeSeatFactory(
        council=portal.other,
        body_name="Совет другого города",
        start_date=dt.date(2019, 2, 1),
    )

    html = _html()

    assert "Комиссия по вопросам благоустройства № 0" in html
    assert "Совет по туризму" not in html
    assert "Совет другого города" not in html


def test_a_year_without_seats_has_no_such_section(portal):
    ConsultativeSeat.objects.filter(council=portal.council).delete()

    assert 'id="consultative-h"' not in _html()


def test_a_new_seat_shows_at_once_on_the_cached_page(portal):
    seat = ConsultativeSeat.objects.get(body_name__endswith="№ 0 при акимате города Алматы")
    assert "Республиканский совет по делам молодежи" not in _html()  # and the page is now cached

    ConsultativeSeatFactory(
        council=portal.council,
        person=seat.person,
        body_name="Республиканский совет по делам молодежи",
        level=ConsultativeLevel.REPUBLICAN,
        start_date=dt.date(2019, 9, 16),
    )

    assert "Республиканский совет по делам молодежи" in _html()


def test_a_deleted_seat_is_gone_at_once_from_the_cached_page(portal):
    seat = ConsultativeSeat.objects.get(body_name__endswith="№ 0 при акимате города Алматы")
    assert seat.body_name in _html()

    seat.delete()

    assert seat.body_name not in _html()
