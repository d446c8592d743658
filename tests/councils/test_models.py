"""The database refuses what would corrupt the council's records, whatever code writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from appeals.models import Appeal
from councils.models import Affiliation, Convocation, Membership, Person
from hearings.models import Meeting, MeetingKind
from monitoring.models import DraftActReview, MonitoringEvent, MonitoringParticipant, Recommendation

pytestmark = pytest.mark.django_db


def test_a_person_holds_one_membership_per_convocation(personas):
    convocation = personas.council.convocations.get()
    person = Person.objects.create(council=personas.council, key="p-1", full_name="Инкарбеков У.А.")
    Membership.objects.create(
        convocation=convocation, person=person, affiliation=Affiliation.CIVIL_SOCIETY, start_date="2019-03-01"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            convocation=convocation,
            person=person,
            affiliation=Affiliation.STATE_BODY,
            start_date="2019-05-01",
        )


def test_membership_cannot_end_before_it_starts(personas):
    person = Person.objects.create(council=personas.council, key="p-1", full_name="Аманбаев А.А.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            convocation=personas.council.convocations.get(),
            person=person,
            affiliation=Affiliation.CIVIL_SOCIETY,
            start_date="2019-03-01",
            end_date="2019-02-01",
        )


def test_convocation_numbers_are_unique_per_council_and_dates_ordered(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        Convocation.objects.create(council=personas.council, number=2, name="II", start_date="2020-01-01")
    # The same number in another council is fine.
    Convocation.objects.create(council=personas.other_council, number=3, name="III", start_date="2022-01-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Convocation.objects.create(
            council=personas.council, number=3, name="III", start_date="2022-01-01", end_date="2021-12-31"
        )


def _appeal(council, number: str, sequence: int) -> Appeal:
    return Appeal.objects.create(
        council=council,
        number=number,
        year=2019,
        sequence=sequence,
        registered_at=timezone.now(),
        applicant_type="individual",
        category="ecology",
    )


def test_appeal_registration_numbers_are_unique_per_council(personas):
    _appeal(personas.council, "ALM-2019-000001", 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _appeal(personas.council, "ALM-2019-000001", 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        _appeal(personas.council, "ALM-2019-000002", 1)
    # Another council numbers its own appeals independently.
    _appeal(personas.other_council, "ALM-2019-000001", 1)


def test_meeting_attendance_cannot_be_negative(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            council=personas.council, key="m-1", kind=MeetingKind.COUNCIL, date="2019-04-01", attendance=-1
        )


def test_draft_review_discussion_cannot_end_before_it_starts(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        DraftActReview.objects.create(
            council=personas.council,
            key="dr-1",
            title="Проект постановления",
            discussion_start=dt.date(2019, 5, 20),
            discussion_end=dt.date(2019, 5, 10),
        )


def test_keys_are_unique_per_council_only(personas):
    MonitoringEvent.objects.create(council=personas.council, key="mon-1", topic="Парк «Южный»", date="2019-04-01")
    MonitoringEvent.objects.create(council=personas.other_council, key="mon-1", topic="Другое", date="2019-04-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        MonitoringEvent.objects.create(council=personas.council, key="mon-1", topic="Дубль", date="2019-05-01")


def test_monitoring_participant_needs_a_person_or_a_name(personas):
    event = MonitoringEvent.objects.create(council=personas.council, key="mon-1", topic="Зоопарк", date="2019-07-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        MonitoringParticipant.objects.create(event=event, name="")
    MonitoringParticipant.objects.create(event=event, name="Коваленко Ю., президент KARE", kind="outsider")


def test_recommendation_is_not_sent_before_it_is_issued(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(
            council=personas.council,
            key="rec-1",
            text="Устранить нарушения",
            issued_on="2019-05-10",
            sent_on="2019-05-01",
        )
