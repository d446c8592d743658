"""Members' seats in consultative bodies: the services' rules, the database's constraints and the selectors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from councils.member_services import (
    ConsultativeSeatData,
    consultative_seat_create,
    consultative_seat_delete,
    consultative_seat_update,
)
from councils.models import ConsultativeLevel, ConsultativeSeat
from councils.selectors import consultative_level_counts, consultative_seats_in_year
from tests import factories as f

pytestmark = pytest.mark.django_db

BODY = "Комиссия по вопросам благоустройства при акимате города Алматы"


@pytest.fixture
def member(personas):
    convocation = personas.council.convocations.get()
    return f.MembershipFactory(convocation=convocation, person=f.PersonFactory(council=personas.council)).person


def seat_data(person, **changes) -> ConsultativeSeatData:
    values = {
        "person": person,
        "body_name": BODY,
        "level": ConsultativeLevel.LOCAL,
        "start_date": dt.date(2019, 4, 15),
    }
    return ConsultativeSeatData(**{**values, **changes})


def test_create_gives_a_key_from_the_start_date_and_a_second_one_on_that_day_a_suffix(personas, member):
    akimat = f.StateBodyFactory(slug="almaty-akimat", name="Акимат города Алматы")

    first = consultative_seat_create(council=personas.council, data=seat_data(member, state_body=akimat))
    second = consultative_seat_create(
        council=personas.council, data=seat_data(member, body_name="Совет по туризму при акимате города Алматы")
    )

    assert (first.key, second.key) == ("cs-2019-04-15", "cs-2019-04-15-2")
    assert first.state_body == akimat and first.council == personas.council


def test_an_expert_may_hold_a_seat(personas):
    expert = f.ExpertAppointmentFactory(council=personas.council).person

    seat = consultative_seat_create(council=personas.council, data=seat_data(expert))

    assert seat.person == expert


def test_someone_who_is_neither_member_nor_expert_is_refused(personas):
    outsider = f.PersonFactory(council=personas.council)

    with pytest.raises(ValidationError) as error:
        consultative_seat_create(council=personas.council, data=seat_data(outsider))

    assert "person" in error.value.error_dict
    assert not ConsultativeSeat.objects.exists()


def test_a_person_of_another_council_is_refused(personas):
    convocation = personas.other_council.convocations.get()
    theirs = f.MembershipFactory(convocation=convocation, person=f.PersonFactory(council=personas.other_council))

    with pytest.raises(ValidationError) as error:
        consultative_seat_create(council=personas.council, data=seat_data(theirs.person))

    assert "person" in error.value.error_dict


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_date": dt.date(2019, 4, 1)}, "end_date"),
        ({"level": "galactic"}, "level"),
        ({"body_name": "   "}, "body_name"),
    ],
)
def test_bad_values_are_refused_on_their_field(personas, member, changes, field):
    with pytest.raises(ValidationError) as error:
        consultative_seat_create(council=personas.council, data=seat_data(member, **changes))

    assert list(error.value.error_dict) == [field]


def test_overlapping_seats_of_one_person_in_one_body_are_refused_and_a_later_return_is_allowed(personas, member):
    consultative_seat_create(council=personas.council, data=seat_data(member, end_date=dt.date(2019, 6, 30)))

    with pytest.raises(ValidationError) as error:
        consultative_seat_create(council=personas.council, data=seat_data(member, start_date=dt.date(2019, 6, 30)))
    assert "start_date" in error.value.error_dict

    again = consultative_seat_create(council=personas.council, data=seat_data(member, start_date=dt.date(2019, 9, 1)))
    assert again.end_date is None
    assert ConsultativeSeat.objects.filter(person=member).count() == 2


def test_update_changes_the_seat_and_keeps_its_key(personas, member):
    seat = consultative_seat_create(council=personas.council, data=seat_data(member))

    updated = consultative_seat_update(
        seat=seat, data=seat_data(member, level=ConsultativeLevel.REPUBLICAN, end_date=dt.date(2019, 12, 31))
    )

    updated.refresh_from_db()
    assert (updated.key, updated.level, updated.end_date) == (seat.key, "republican", dt.date(2019, 12, 31))


def test_update_does_not_count_the_seat_as_overlapping_itself(personas, member):
    seat = consultative_seat_create(council=personas.council, data=seat_data(member))

    consultative_seat_update(seat=seat, data=seat_data(member, note="Приказ № 12"))

    assert ConsultativeSeat.objects.get().note == "Приказ № 12"


def test_delete_removes_the_seat(personas, member):
    seat = consultative_seat_create(council=personas.council, data=seat_data(member))

    consultative_seat_delete(seat=seat)

    assert not ConsultativeSeat.objects.exists()


def test_the_database_refuses_an_end_before_the_start(personas, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultativeSeat.objects.create(
            council=personas.council,
            key="cs-x",
            person=member,
            body_name=BODY,
            level=ConsultativeLevel.LOCAL,
            start_date=dt.date(2019, 5, 1),
            end_date=dt.date(2019, 4, 1),
        )


def test_the_database_refuses_two_open_seats_of_one_person_in_one_body(personas, member):
    f.ConsultativeSeatFactory(council=personas.council, person=member, body_name=BODY)

    with pytest.raises(IntegrityError), transaction.atomic():
        f.ConsultativeSeatFactory(
            council=personas.council, person=member, body_name=BODY, start_date=dt.date(2019, 10, 1)
        )


def test_the_database_refuses_a_repeated_key_in_one_council(personas, member):
    f.ConsultativeSeatFactory(council=personas.council, person=member, key="cs-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        f.ConsultativeSeatFactory(council=personas.council, person=member, key="cs-1")


def test_seats_in_a_year_are_those_held_on_any_of_its_days(personas, member):
    def seat(start: str, end: str | None) -> ConsultativeSeat:
        return f.ConsultativeSeatFactory(
            council=personas.council,
            person=member,
            start_date=dt.date.fromisoformat(start),
            end_date=dt.date.fromisoformat(end) if end else None,
        )

    ended_before = seat("2017-01-10", "2018-12-31")
    from_earlier = seat("2018-05-01", "2019-01-01")
    open_ended = seat("2019-12-31", None)
    seat("2020-01-01", None)
    f.ConsultativeSeatFactory(council=personas.other_council, start_date=dt.date(2019, 5, 1))

    held = consultative_seats_in_year(council=personas.council, year=2019)

    assert {s.pk for s in held} == {from_earlier.pk, open_ended.pk}
    assert ended_before.pk not in {s.pk for s in held}


def test_level_counts_list_every_level_in_order(personas, member):
    f.ConsultativeSeatFactory(council=personas.council, person=member, level=ConsultativeLevel.REPUBLICAN)

    counts = consultative_level_counts(consultative_seats_in_year(council=personas.council, year=2019))

    assert [n for _label, n in counts] == [0, 1]
