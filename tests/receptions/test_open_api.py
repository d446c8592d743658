"""The receptions' open-data list: the schedule and the counts of a reception, never a visitor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from receptions.models import Booking, BookingStatus, Outcome, Reception, ReceptionFormat
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/receptions/"


@pytest.fixture
def member(personas):
    return PersonFactory(council=personas.council, full_name="Сатпаев Ерлан Маратович")


def _booking(reception: Reception, slot: int, **fields) -> Booking:
    values = {
        "category": "ecology",
        "name": "Ахметова Динара Сериковна",
        "email": f"visitor{slot}@example.kz",
        "question": "Вырубка деревьев во дворе",
        "cancel_token": f"t-{reception.pk}-{slot}",
    }
    values.update(fields)
    return reception.bookings.create(slot=slot, **values)


def _get(**params) -> list[dict]:
    cache.clear()
    response = Client().get(API, params)
    assert response.status_code == 200, response.content[:500]
    return response.json()["results"]


def test_the_schedule_shows_free_slots_and_a_held_reception_its_visitors_and_nothing_of_a_visitor(personas, member):
    coming = Reception.objects.create(
        council=personas.council,
        host=member,
        starts_at=timezone.now() + dt.timedelta(days=3),
        slots=6,
        place="ул. Абая, 10, каб. 5",
        topics="Экология",
    )
    _booking(coming, 1)
    _booking(coming, 2)
    _booking(coming, 3, status=BookingStatus.CANCELLED)
    held = Reception.objects.create(
        council=personas.council,
        host=member,
        starts_at=timezone.now() - dt.timedelta(days=30),
        slots=4,
        format=ReceptionFormat.ONLINE,
        online_link="https://meet.example.kz/secret-room",
    )
    _booking(held, 1, status=BookingStatus.VISITED, outcome=Outcome.ADVICE)
    _booking(held, 2, status=BookingStatus.NO_SHOW)

    rows = {row["id"]: row for row in _get(council="almaty")}

    assert rows[coming.pk]["free_slots"] == 4  # 6 slots, 2 booked, the cancelled one free again
    assert rows[coming.pk]["visitors"] is None
    assert rows[coming.pk]["place"] == "ул. Абая, 10, каб. 5"
    assert rows[coming.pk]["host"] == "Сатпаев Ерлан Маратович"
    assert rows[held.pk]["visitors"] == 1
    assert rows[held.pk]["free_slots"] == 0
    assert rows[held.pk]["place"] == ""
    assert [row["id"] for row in _get(council="almaty", upcoming="true")] == [coming.pk]

    cache.clear()
    body = (
        Client().get(API, {"council": "almaty"}).content.decode()
        + Client().get(API, {"council": "almaty", "format": "csv"}).getvalue().decode()
    )
    for private in ("Ахметова", "visitor1@example.kz", "Вырубка деревьев", "secret-room", "t-"):
        assert private not in body


def test_an_unpublished_councils_receptions_are_not_listed(personas, member):
    personas.council.is_published = False
    personas.council.save()
    Reception.objects.create(council=personas.council, host=member, starts_at=timezone.now())
    assert _get() == []
