"""Members' seats in consultative bodies in the workspace: the list with its exports, add, edit, delete, and who
may do what."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from councils.models import ConsultativeSeat
from tests import factories as f

pytestmark = pytest.mark.django_db

BODY = "Комиссия по вопросам благоустройства при акимате города Алматы"


def _url(name: str, slug: str = "almaty", **kwargs) -> str:
    return reverse(f"councils_ws:{name}", kwargs={"slug": slug, **kwargs})


@pytest.fixture
def member(personas):
    convocation = personas.council.convocations.get()
    person = f.PersonFactory(council=personas.council, full_name="Ахметова Динара")
    return f.MembershipFactory(convocation=convocation, person=person).person


@pytest.fixture
def seat(personas, member):
    return f.ConsultativeSeatFactory(council=personas.council, person=member, body_name=BODY)


def test_the_secretary_adds_a_seat_and_finds_it_in_the_list(personas, member):
    client = personas.client_for(personas.secretary)
    akimat = f.StateBodyFactory(slug="almaty-akimat", name="Акимат города Алматы")

    response = client.post(
        _url("consultative_add"),
        {
            "person": member.pk,
            "body_name": BODY,
            "state_body": akimat.pk,
            "level": "local",
            "start_date": "2019-04-15",
            "end_date": "",
            "note": "",
            "link": "almaty.gov.kz/ru/komissiya",
        },
    )

    assert response.status_code == 302
    seat = ConsultativeSeat.objects.get()
    assert (seat.council, seat.person, seat.state_body, seat.key) == (
        personas.council,
        member,
        akimat,
        "cs-2019-04-15",
    )
    assert seat.link == "https://almaty.gov.kz/ru/komissiya"
    html = client.get(_url("consultative")).content.decode()
    assert BODY in html and "Ахметова Динара" in html


def test_a_seat_ending_before_it_starts_shows_the_error_and_keeps_what_was_typed(personas, member):
    client = personas.client_for(personas.secretary)

    response = client.post(
        _url("consultative_add"),
        {
            "person": member.pk,
            "body_name": BODY,
            "level": "local",
            "start_date": "2019-04-15",
            "end_date": "2019-04-01",
        },
    )

    assert response.status_code == 400
    assert BODY in response.content.decode()
    assert not ConsultativeSeat.objects.exists()


def test_the_add_form_offers_only_the_councils_members_and_experts(personas, member):
    outsider = f.PersonFactory(council=personas.council, full_name="Посторонний Участник")
    f.PersonFactory(council=personas.other_council, full_name="Чужой Член")

    response = personas.client_for(personas.secretary).get(_url("consultative_add"))

    assert list(response.context["form"].fields["person"].queryset) == [member]
    assert outsider.full_name not in response.content.decode()


def test_the_secretary_edits_a_seat(personas, seat):
    client = personas.client_for(personas.secretary)

    response = client.post(
        _url("consultative_edit", pk=seat.pk),
        {
            "person": seat.person.pk,
            "body_name": seat.body_name,
            "level": "republican",
            "start_date": "2019-05-01",
            "end_date": "2019-12-20",
        },
    )

    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.level, seat.end_date) == ("republican", dt.date(2019, 12, 20))


def test_the_secretary_deletes_a_seat_after_confirming(personas, seat):
    client = personas.client_for(personas.secretary)

    confirm = client.get(_url("consultative_delete", pk=seat.pk))
    response = client.post(_url("consultative_delete", pk=seat.pk))

    assert confirm.status_code == 200 and BODY in confirm.content.decode()
    assert response.status_code == 302
    assert not ConsultativeSeat.objects.exists()


def test_a_member_reads_the_list_but_cannot_add_edit_or_delete(personas, seat):
    client = personas.client_for(personas.member)

    listing = client.get(_url("consultative"))

    assert listing.status_code == 200
    assert BODY in listing.content.decode()
    assert _url("consultative_add") not in listing.content.decode()
    assert client.get(_url("consultative_add")).status_code == 403
    assert client.post(_url("consultative_edit", pk=seat.pk), {"level": "republican"}).status_code == 403
    assert client.post(_url("consultative_delete", pk=seat.pk)).status_code == 403
    assert ConsultativeSeat.objects.filter(pk=seat.pk, level="local").exists()


def test_another_councils_secretary_gets_404_and_changes_nothing(personas, seat):
    client = personas.client_for(personas.other_secretary)

    assert client.get(_url("consultative")).status_code == 404
    # Their own council's address with this council's seat: looked up inside their council, so not found.
    assert client.post(_url("consultative_delete", slug="karaganda", pk=seat.pk)).status_code == 404
    assert client.get(_url("consultative_edit", slug="karaganda", pk=seat.pk)).status_code == 404
    assert ConsultativeSeat.objects.filter(pk=seat.pk).exists()


def test_the_list_filters_by_year_held_and_exports_the_filtered_rows(personas, member, seat):
    f.ConsultativeSeatFactory(
        council=personas.council,
        person=member,
        body_name="Совет по туризму при акимате города Алматы",
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2018, 6, 30),
    )
    client = personas.client_for(personas.secretary)

    response = client.get(_url("consultative"), {"year": "2019", "format": "csv"})

    text = b"".join(response.streaming_content).decode("utf-8-sig")  # exports stream
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2  # the header and the 2019 seat
    assert rows[1][0] == "Ахметова Динара" and rows[1][1] == BODY
    assert member.email not in text


def test_the_workspace_navigation_links_the_page(personas):
    html = personas.client_for(personas.member).get(_url("members")).content.decode()

    assert f'href="{_url("consultative")}"' in html
