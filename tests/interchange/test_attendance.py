"""Meeting attendance by name in the council-activity format: optional per meeting (older files leave the names
on file alone), checked against the file's people, idempotent, and exported in key order."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.management import call_command

from councils.models import Council, Person
from hearings.models import Meeting, MeetingAttendance
from hearings.services import meeting_record_attendance
from interchange.selectors import council_activity_dumps, council_activity_export
from interchange.services import CouncilActivityInvalid, council_activity_import
from interchange.validation import validate_council_activity
from tests import factories as f

from .conftest import domain_rows, full_export

pytestmark = pytest.mark.django_db

ECO = 2  # the sample's commission meeting, with two attendees
COUNCIL_MEETING = 1


def issues(data) -> list[str]:
    return [str(issue) for issue in validate_council_activity(data)]


def names(meeting_key: str) -> set[str]:
    return set(MeetingAttendance.objects.filter(meeting__key=meeting_key).values_list("person__key", flat=True))


def export_text() -> str:
    return council_activity_dumps(council_activity_export(council=Council.objects.get(slug="almaty"), year=2019))


def test_attendees_land_on_their_meeting_with_their_number(full_sample):
    sample = full_sample
    council_activity_import(data=sample)

    assert names("eco-2019-05-15") == {"ivanov", "seitkali"}
    assert Meeting.objects.get(key="eco-2019-05-15").attendance == 2
    assert names("council-2019-04-10") == set()


def test_a_second_import_writes_nothing(full_sample):
    sample = full_sample
    council_activity_import(data=sample)
    before = domain_rows()

    summary = council_activity_import(data=sample)

    assert not summary.changed
    counts = summary.counts["meeting_attendees"]
    assert (counts.created, counts.deleted, counts.unchanged) == (0, 0, 2)
    assert domain_rows() == before


def test_a_changed_list_removes_and_adds_only_the_difference(full_sample):
    sample = full_sample
    council_activity_import(data=sample)
    kept = MeetingAttendance.objects.get(meeting__key="eco-2019-05-15", person__key="ivanov").pk
    changed = copy.deepcopy(sample)
    changed["meetings"][ECO]["attendees"] = [{"person": "akhmetova"}, {"person": "ivanov"}]

    summary = council_activity_import(data=changed)

    counts = summary.counts["meeting_attendees"]
    assert (counts.created, counts.deleted, counts.unchanged) == (1, 1, 1)
    assert names("eco-2019-05-15") == {"akhmetova", "ivanov"}
    assert MeetingAttendance.objects.get(meeting__key="eco-2019-05-15", person__key="ivanov").pk == kept


def test_an_empty_list_clears_the_names_and_the_count_stands_alone(full_sample):
    sample = full_sample
    council_activity_import(data=sample)
    cleared = copy.deepcopy(sample)
    cleared["meetings"][ECO].update(attendees=[], attendance=9)

    council_activity_import(data=cleared)

    assert names("eco-2019-05-15") == set()
    assert Meeting.objects.get(key="eco-2019-05-15").attendance == 9


def test_a_file_without_attendees_validates_and_leaves_the_names_and_their_number_in_place(full_sample):
    sample = full_sample
    council_activity_import(data=sample)
    older = copy.deepcopy(sample)
    for meeting in older["meetings"]:
        del meeting["attendees"]
    older["meetings"][ECO]["attendance"] = None  # written before the names were kept
    before = domain_rows()

    assert issues(older) == []
    summary = council_activity_import(data=older)

    assert not summary.changed
    assert domain_rows() == before
    assert names("eco-2019-05-15") == {"ivanov", "seitkali"}
    assert Meeting.objects.get(key="eco-2019-05-15").attendance == 2


def test_a_file_without_attendees_imports_into_an_empty_database(full_sample):
    sample = full_sample
    for meeting in sample["meetings"]:
        del meeting["attendees"]

    council_activity_import(data=sample)

    assert not MeetingAttendance.objects.exists()
    assert Meeting.objects.get(key="eco-2019-05-15").attendance == 2


def test_an_unknown_person_is_refused_at_its_path_and_nothing_is_written(full_sample):
    sample = full_sample
    council_activity_import(data=sample)
    before = domain_rows()
    bad = copy.deepcopy(sample)
    bad["meetings"][ECO]["attendees"][1]["person"] = "nobody"

    with pytest.raises(CouncilActivityInvalid) as refused:
        council_activity_import(data=bad)

    assert [str(issue) for issue in refused.value.issues] == [
        "$.meetings[2].attendees[1].person: no person with key 'nobody'"
    ]
    assert domain_rows() == before


def test_a_person_named_twice_at_one_meeting_is_refused(full_sample):
    sample = full_sample
    sample["meetings"][ECO]["attendees"] = [{"person": "ivanov"}, {"person": "ivanov"}]

    assert issues(sample) == [
        "$.meetings[2].attendees[1].person: duplicate attendee 'ivanov' (first used at "
        "$.meetings[2].attendees[0].person)"
    ]
    with pytest.raises(CouncilActivityInvalid):
        council_activity_import(data=sample)
    assert not Meeting.objects.exists()


def test_the_same_person_at_two_meetings_is_accepted(full_sample):
    sample = full_sample
    sample["meetings"][COUNCIL_MEETING].update(attendees=[{"person": "ivanov"}], attendance=1)

    assert issues(sample) == []


@pytest.mark.parametrize(("attendance", "shown"), [(5, "5"), (None, "null")])
def test_a_count_other_than_the_number_of_names_is_refused(full_sample, attendance, shown):
    sample = full_sample
    sample["meetings"][ECO]["attendance"] = attendance

    assert issues(sample) == [f"$.meetings[2].attendance: {shown}: must be 2, the number of people in attendees"]


@pytest.mark.parametrize(
    ("attendee", "message"),
    [
        ({}, "$.meetings[2].attendees[0].person: required field is missing"),
        ({"person": "ivanov", "present": True}, "$.meetings[2].attendees[0].present: unknown field"),
        ("ivanov", "$.meetings[2].attendees[0]: expected object, got string 'ivanov'"),
    ],
)
def test_a_malformed_attendee_is_refused_at_its_path(full_sample, attendee, message):
    sample = full_sample
    sample["meetings"][ECO]["attendees"][0] = attendee

    assert message in issues(sample)


@pytest.mark.django_db(transaction=True)
def test_names_recorded_in_the_workspace_round_trip_byte_identical_in_key_order(full_sample):
    sample = full_sample
    council_activity_import(data=sample)
    meeting = Meeting.objects.get(key="council-2019-04-10")
    present = Person.objects.filter(key__in=["seitkali", "akhmetova"]).order_by("-key")
    meeting_record_attendance(meeting=meeting, present_person_ids=[p.pk for p in present])

    first = export_text()

    exported = json.loads(first)["meetings"][COUNCIL_MEETING]
    assert exported["attendees"] == [{"person": "akhmetova"}, {"person": "seitkali"}]
    assert exported["attendance"] == 2
    call_command("flush", interactive=False)
    council_activity_import(data=json.loads(first))
    assert export_text() == first
    assert names("council-2019-04-10") == {"akhmetova", "seitkali"}


def test_an_attendee_with_no_other_part_in_the_year_is_exported_with_the_people(full_sample):
    sample = full_sample
    council_activity_import(data=sample)
    council = Council.objects.get(slug="almaty")
    guest = f.PersonFactory(council=council, key="former-member")
    MeetingAttendance.objects.create(meeting=Meeting.objects.get(key="rt-2019-06-20"), person=guest)
    Meeting.objects.filter(key="rt-2019-06-20").update(attendance=1)

    exported = full_export(council=council, year=2019)

    assert "former-member" in {p["key"] for p in exported["people"]}
    assert validate_council_activity(exported) == []
