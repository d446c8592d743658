"""Hostile input against the public booking form (tests/security/hostile.py's cases): a clear 4xx that stores
nothing, or the value taken as text and shown escaped on the staff page; never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from receptions.models import Booking, Reception
from tests.factories import MembershipFactory, PersonFactory
from tests.security import hostile as h

pytestmark = pytest.mark.django_db

CLEAR_4XX = {400, 404, 413, 429}


@pytest.fixture
def reception(personas):
    host = PersonFactory(council=personas.council, full_name="Сатпаев Ерлан")
    MembershipFactory(convocation=personas.council.convocations.get(), person=host)
    return Reception.objects.create(
        council=personas.council,
        host=host,
        starts_at=timezone.now() + dt.timedelta(days=3),
        slots=4,
        place_ru="Абая, 10",
    )


def _fields(**overrides) -> dict[str, list]:
    fields = {
        "slot": "1",
        "name": "Ахметова Динара",
        "email": "dinara@example.kz",
        "phone": "",
        "category": "ecology",
        "question": "Вопрос",
        "personal_data_consent": "on",
        "website": "",
    }
    fields.update(overrides)
    return {k: [v] for k, v in fields.items()}


REFUSED = [
    ("nul-in-name", {"name": h.NUL}),
    ("megabyte-question", {"question": h.MEGABYTE}),
    ("sql-slot", {"slot": h.SQL_OR}),
    ("huge-slot", {"slot": h.HUGE_NUMBER}),
    ("markup-email", {"email": h.SCRIPT}),
    ("markup-category", {"category": h.SCRIPT}),
]


@pytest.mark.parametrize(("case", "overrides"), REFUSED, ids=[c[0] for c in REFUSED])
def test_hostile_values_are_refused_and_nothing_is_stored(personas, reception, case, overrides):
    before = h.row_counts()
    response = h.post_multipart(Client(), f"/ru/councils/almaty/receptions/{reception.pk}/book/", _fields(**overrides))
    assert response.status_code in CLEAR_4XX, (case, response.status_code)
    assert h.changed_tables(before, h.row_counts()) == {}, case
    h.assert_nothing_raw(response.content, where=case)


@pytest.mark.parametrize("value", [h.SCRIPT, h.IMG, h.SQL_DROP])
def test_markup_and_sql_are_taken_as_text_and_shown_escaped(personas, reception, value):
    response = h.post_multipart(
        Client(), f"/ru/councils/almaty/receptions/{reception.pk}/book/", _fields(name=value, question=value)
    )
    assert response.status_code == 302
    assert Booking.objects.get().name == value
    staff = personas.client_for(personas.secretary).get(f"/ru/workspace/almaty/receptions/{reception.pk}/")
    public = Client().get("/ru/councils/almaty/receptions/")
    h.assert_nothing_raw(staff.content, public.content, where=value)


def test_overlong_utf8_never_becomes_markup(personas, reception):
    response = h.post_multipart(
        Client(), f"/ru/councils/almaty/receptions/{reception.pk}/book/", _fields(question=h.OVERLONG)
    )
    assert response.status_code in {302, *CLEAR_4XX}
    for booking in Booking.objects.all():
        assert "<" not in booking.question


def test_a_lone_surrogate_is_replaced_never_stored(personas, reception):
    response = h.post_multipart(
        Client(), f"/ru/councils/almaty/receptions/{reception.pk}/book/", _fields(name="Имя \ud800")
    )
    assert response.status_code in {302, *CLEAR_4XX}
    for booking in Booking.objects.all():
        assert "\ud800" not in booking.name
