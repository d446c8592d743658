"""/api/v1/consultative-seats/: members' seats in consultative bodies, public fields only, filters, CSV, queries."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from councils.models import ConsultativeLevel
from tests import factories as f

pytestmark = pytest.mark.django_db

PATH = "/api/v1/consultative-seats/"


def get(path: str = PATH, **params):
    return Client().get(path, params)


def results(**params) -> list[dict]:
    response = get(**params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def seat(world):
    person = f.PersonFactory(
        council=world.council,
        full_name="Ахметова Айгуль Сериковна",
        email="secret.seat@example.kz",
        phone="+7 777 765 43 21",
    )
    return f.ConsultativeSeatFactory(
        council=world.council,
        key="akimat-urban",
        person=person,
        body_name="Градостроительный совет при акимате города Алматы",
        state_body=world.akimat,
        level=ConsultativeLevel.LOCAL,
        start_date=dt.date(2018, 3, 1),
        link="https://almaty.gov.kz/urban",
    )


def test_a_seat_is_listed_with_its_persons_name_and_no_contacts(seat):
    rows = [row for row in results(council="almaty", page_size=500) if row["key"] == "akimat-urban"]

    assert rows == [
        {
            "id": seat.pk,
            "key": "akimat-urban",
            "council": "almaty",
            "person": {"id": seat.person.pk, "full_name": "Ахметова Айгуль Сериковна"},
            "body_name": "Градостроительный совет при акимате города Алматы",
            "state_body": {
                "slug": "almaty-akimat",
                "name": "Акимат г. Алматы",
                "name_ru": "Акимат г. Алматы",
                "name_kk": None,
                "name_en": None,
            },
            "level": "local",
            "start_date": "2018-03-01",
            "end_date": None,
            "link": "https://almaty.gov.kz/urban",
            "is_demo": True,
        }
    ]
    for response in (get(page_size=500), get(f"{PATH}{seat.pk}/"), get(format="csv", page_size=500)):
        assert response.status_code == 200
        body = response.getvalue().decode("utf-8")
        assert "Ахметова Айгуль Сериковна" in body
        assert "secret.seat" not in body
        assert "765 43 21" not in body


def test_the_contacts_are_not_even_loaded(seat):
    with CaptureQueriesContext(connection) as captured:
        get()
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert '"councils_person"."full_name"' in sql
    assert '"councils_person"."email"' not in sql
    assert '"councils_person"."phone"' not in sql


def test_unpublished_councils_seats_are_absent(world):
    hidden = f.ConsultativeSeatFactory(council=world.hidden, body_name="Скрытый совет")

    rows = results(page_size=500)
    assert rows
    assert {row["council"] for row in rows} == {"almaty"}
    assert hidden.pk not in {row["id"] for row in rows}
    assert results(council="hidden") == []
    assert get(f"{PATH}{hidden.pk}/").status_code == 404
    assert "Скрытый совет" not in get(format="csv").getvalue().decode()


def test_a_seat_without_a_state_body_has_null(world):
    seat = f.ConsultativeSeatFactory(council=world.council, state_body=None)

    assert get(f"{PATH}{seat.pk}/").json()["state_body"] is None


def test_the_council_filter_takes_the_slug(world, seat):
    other = f.CouncilFactory(slug="karaganda")
    theirs = f.ConsultativeSeatFactory(council=other)

    assert [r["id"] for r in results(council="karaganda")] == [theirs.pk]
    assert seat.pk in {r["id"] for r in results(council="almaty")}
    assert theirs.pk not in {r["id"] for r in results(council="almaty")}
    assert results(council="nowhere") == []


def test_the_year_filter_takes_seats_held_on_any_day_of_the_year(world):
    ended_2018 = f.ConsultativeSeatFactory(
        council=world.council, start_date=dt.date(2017, 1, 1), end_date=dt.date(2018, 12, 31)
    )
    open_since_2018 = f.ConsultativeSeatFactory(council=world.council, start_date=dt.date(2018, 6, 1))
    ended_on_new_year = f.ConsultativeSeatFactory(
        council=world.council, start_date=dt.date(2018, 1, 1), end_date=dt.date(2019, 1, 1)
    )
    starts_2020 = f.ConsultativeSeatFactory(council=world.council, start_date=dt.date(2020, 1, 1))

    in_2019 = {r["id"] for r in results(council="almaty", year=2019, page_size=500)}
    assert ended_2018.pk not in in_2019
    assert open_since_2018.pk in in_2019
    assert ended_on_new_year.pk in in_2019
    assert starts_2020.pk not in in_2019
    assert ended_2018.pk in {r["id"] for r in results(council="almaty", year=2018, page_size=500)}
    assert get(year="99999").status_code == 400


def test_the_level_and_state_body_filters(world, seat):
    republican = f.ConsultativeSeatFactory(council=world.council, level=ConsultativeLevel.REPUBLICAN, state_body=None)

    local = {r["id"] for r in results(council="almaty", level="local", page_size=500)}
    assert seat.pk in local
    assert republican.pk not in local
    assert [r["id"] for r in results(council="almaty", level="republican")] == [republican.pk]
    assert get(level="nonsense").status_code == 400
    assert [r["id"] for r in results(state_body="almaty-akimat")] == [seat.pk]
    police = {r["id"] for r in results(state_body="almaty-police", page_size=500)}
    assert police
    assert seat.pk not in police
    assert results(state_body="nowhere") == []


def test_pagination_shape_and_order(world):
    for _ in range(3):
        f.ConsultativeSeatFactory(council=world.council)

    first = get(council="almaty", page_size=2).json()
    second = get(council="almaty", page_size=2, page=2).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 5  # two from the world, three here
    assert len(first["results"]) == 2
    assert "page=2" in first["next"]
    assert first["previous"] is None
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    assert results(council="almaty") == results(council="almaty")


def test_csv_has_a_header_row_and_flat_columns(seat):
    response = get(format="csv", council="almaty", page_size=500)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    table = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8").lstrip("\ufeff"))))
    header = table[0]
    assert {"key", "council", "person.id", "person.full_name", "state_body.slug", "level", "start_date"} <= set(header)
    assert not {"person.email", "person.phone", "note"} & set(header)
    rows = [dict(zip(header, row, strict=True)) for row in table[1:]]
    assert any(row["person.full_name"] == "Ахметова Айгуль Сериковна" for row in rows)


def _queries(path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_list_runs_the_same_queries_for_1_and_10_seats(db):
    akimat = f.StateBodyFactory(slug="akimat")
    one = f.CouncilFactory(slug="one")
    ten = f.CouncilFactory(slug="ten")
    f.ConsultativeSeatFactory(council=one, state_body=akimat)
    for _ in range(10):
        f.ConsultativeSeatFactory(council=ten, state_body=akimat)

    assert len(Client().get(f"{PATH}?council=ten").json()["results"]) == 10
    assert _queries(f"{PATH}?council=one") == _queries(f"{PATH}?council=ten")
