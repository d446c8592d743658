"""Seats in consultative bodies in the council-activity format: optional (older files still import), keyed,
idempotent, checked like the other records, and exported with the people and state bodies they name."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from django.core.management import call_command

from councils.models import ConsultativeSeat, Council, Person
from interchange.selectors import council_activity_dumps, council_activity_export
from interchange.services import CouncilActivityInvalid, council_activity_import
from interchange.validation import validate_council_activity
from tests import factories as f

from .conftest import domain_rows, full_export

pytestmark = pytest.mark.django_db


def issues(data) -> list[str]:
    return [str(issue) for issue in validate_council_activity(data)]


def test_a_file_without_the_key_validates_and_imports_leaving_the_seats_alone(full_sample):
    sample = full_sample
    council_activity_import(data=sample)
    older = copy.deepcopy(sample)
    del older["consultative_seats"]

    assert issues(older) == []
    summary = council_activity_import(data=older)

    assert not summary.changed
    assert ConsultativeSeat.objects.count() == len(sample["consultative_seats"])


def test_seats_land_on_their_person_state_body_and_dates(full_sample):
    sample = full_sample
    council_activity_import(data=sample)

    seat = ConsultativeSeat.objects.select_related("person", "state_body", "council").get(key="cs-2019-04-01")

    assert (seat.council.slug, seat.person.key, seat.state_body.slug) == ("almaty", "akhmetova", "akimat-almaty")
    assert (seat.level, seat.start_date, seat.end_date) == ("local", dt.date(2019, 4, 1), None)
    assert seat.link == "https://almaty.gov.kz/ru/komissiya-ekologiya"


def test_a_second_import_writes_nothing_and_a_changed_seat_is_updated_in_place(full_sample):
    sample = full_sample
    council_activity_import(data=sample)
    before = domain_rows()

    assert not council_activity_import(data=sample).changed
    assert domain_rows() == before

    changed = copy.deepcopy(sample)
    changed["consultative_seats"][1]["end_date"] = "2019-12-31"
    summary = council_activity_import(data=changed)

    counts = summary.counts["consultative_seats"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 1)
    assert ConsultativeSeat.objects.get(key="cs-2019-04-01").end_date == dt.date(2019, 12, 31)


def test_a_seat_held_only_in_another_year_is_not_exported_and_its_holder_is_left_out(full_sample):
    sample = full_sample
    council_activity_import(data=sample)
    council = Council.objects.get(slug="almaty")
    outsider = f.PersonFactory(council=council, key="former-member")
    f.ConsultativeSeatFactory(
        council=council, person=outsider, key="cs-2017", start_date=dt.date(2017, 1, 1), end_date=dt.date(2018, 1, 1)
    )

    exported = full_export(council=council, year=2019)

    assert [s["key"] for s in exported["consultative_seats"]] == ["cs-2018-06-01", "cs-2019-04-01"]
    assert "former-member" not in {p["key"] for p in exported["people"]}


@pytest.mark.django_db(transaction=True)
def test_the_holder_of_an_exported_seat_comes_along_without_contacts_and_round_trips(full_sample):
    sample = full_sample
    council_activity_import(data=sample)
    council = Council.objects.get(slug="almaty")
    holder = f.PersonFactory(council=council, key="former-member", email="private@example.kz", phone="+7 701 1")
    f.ConsultativeSeatFactory(council=council, person=holder, key="cs-2019-holder", start_date=dt.date(2019, 2, 1))

    text = council_activity_dumps(council_activity_export(council=council, year=2019))

    assert validate_council_activity(json.loads(text)) == []
    assert "former-member" in {p["key"] for p in json.loads(text)["people"]}
    assert "private@example.kz" not in text and "+7 701 1" not in text
    call_command("flush", interactive=False)
    council_activity_import(data=json.loads(text))
    assert (
        council_activity_dumps(council_activity_export(council=Council.objects.get(slug="almaty"), year=2019)) == text
    )
    assert Person.objects.get(key="former-member").email == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("person", "nobody", "$.consultative_seats[1].person: no person with key 'nobody'"),
        ("state_body", "nowhere", "$.consultative_seats[1].state_body: no state body with key 'nowhere'"),
        (
            "end_date",
            "2019-03-01",
            "$.consultative_seats[1].end_date: 2019-03-01 is before 2019-04-01 ($.consultative_seats[1].start_date): "
            "a seat cannot end before it starts",
        ),
        ("level", "galactic", "$.consultative_seats[1].level: 'galactic' is not one of: 'local', 'republican'"),
        ("link", "not a link", "$.consultative_seats[1].link: 'not a link' is not a valid http(s) address"),
        ("key", "cs-2018-06-01", "$.consultative_seats[1].key: duplicate key 'cs-2018-06-01'"),
    ],
)
def test_a_bad_seat_is_reported_at_its_path(full_sample, field, value, message):
    sample = full_sample
    sample["consultative_seats"][1][field] = value

    found = issues(sample)

    assert any(issue.startswith(message) for issue in found), found


def test_overlapping_seats_of_one_person_in_one_body_are_refused(full_sample):
    sample = full_sample
    first = sample["consultative_seats"][1]
    sample["consultative_seats"].append(dict(first, key="cs-again", start_date="2019-10-01"))

    found = issues(sample)

    assert found == [
        "$.consultative_seats[2].start_date: overlaps the seat of the same person in the same body at "
        "$.consultative_seats[1]: a later seat must start after the earlier one ends"
    ]


def test_a_return_to_the_same_body_after_the_seat_ended_is_accepted_and_imported(full_sample):
    sample = full_sample
    first = sample["consultative_seats"][1]
    first["end_date"] = "2019-06-30"
    sample["consultative_seats"].append(dict(first, key="cs-2019-10-01", start_date="2019-10-01", end_date=None))

    assert issues(sample) == []
    council_activity_import(data=sample)
    assert ConsultativeSeat.objects.filter(person__key="akhmetova").count() == 2


def test_a_seat_outside_the_file_that_overlaps_a_file_seat_is_refused_before_anything_is_written(full_sample):
    sample = full_sample
    council_activity_import(data=sample)
    council = Council.objects.get(slug="almaty")
    ConsultativeSeat.objects.filter(key="cs-2019-04-01").update(key="cs-renamed-in-the-workspace")
    before = domain_rows()

    with pytest.raises(CouncilActivityInvalid) as error:
        council_activity_import(data=sample)

    assert [str(issue) for issue in error.value.issues] == [
        "$.consultative_seats[1].start_date: overlaps the seat 'cs-renamed-in-the-workspace' of the same person in "
        "the same body (not in the file)"
    ]
    assert domain_rows() == before
    assert council.consultative_seats.count() == 2
