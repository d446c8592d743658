"""A meeting's optional start time and duration in the council-activity format: imported, exported, checked
by the schema, and left alone by a file written before the fields existed."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from councils.models import Council
from hearings.models import Meeting
from interchange.services import council_activity_import
from interchange.validation import validate_council_activity

from .conftest import SAMPLE_PATH, as_v3, full_export

pytestmark = pytest.mark.django_db

ECO = 2


def test_start_time_and_duration_are_imported_and_exported(full_sample):
    sample = full_sample
    sample["meetings"][ECO]["start_time"] = "15:30"
    sample["meetings"][ECO]["duration_minutes"] = 90

    council_activity_import(data=sample)

    meeting = Meeting.objects.get(key=sample["meetings"][ECO]["key"])
    assert (meeting.start_time, meeting.duration_minutes) == (dt.time(15, 30), 90)
    exported = full_export(council=Council.objects.get(slug="almaty"), year=2019)
    by_key = {m["key"]: m for m in exported["meetings"]}
    assert by_key[meeting.key]["start_time"] == "15:30"
    assert by_key[meeting.key]["duration_minutes"] == 90
    others = [m for key, m in by_key.items() if key != meeting.key]
    assert all(m["start_time"] is None and m["duration_minutes"] is None for m in others)
    assert validate_council_activity(exported) == []


def test_a_file_without_the_fields_leaves_the_time_on_file():
    sample = as_v3(json.loads(SAMPLE_PATH.read_text(encoding="utf-8")))  # a /3 portal's file: every field it knew
    council_activity_import(data=sample)
    key = sample["meetings"][ECO]["key"]
    Meeting.objects.filter(key=key).update(start_time=dt.time(10, 0), duration_minutes=60)
    for meeting in sample["meetings"]:  # as a file written before the fields existed
        del meeting["start_time"], meeting["duration_minutes"]

    council_activity_import(data=sample)

    meeting = Meeting.objects.get(key=key)
    assert (meeting.start_time, meeting.duration_minutes) == (dt.time(10, 0), 60)


def test_a_version_4_file_without_the_fields_says_the_meeting_has_no_time(sample):
    # Format /4 leaves out a field at its default: absent is "no time", not "leave it as it is".
    council_activity_import(data=sample)
    key = sample["meetings"][ECO]["key"]
    Meeting.objects.filter(key=key).update(start_time=dt.time(10, 0), duration_minutes=60)
    for meeting in sample["meetings"]:
        meeting.pop("start_time", None), meeting.pop("duration_minutes", None)

    council_activity_import(data=sample)

    meeting = Meeting.objects.get(key=key)
    assert (meeting.start_time, meeting.duration_minutes) == (None, None)


@pytest.mark.parametrize(
    ("field", "value"),
    [("start_time", "25:00"), ("start_time", "9:00"), ("duration_minutes", 0), ("duration_minutes", 2000)],
)
def test_a_malformed_time_is_refused_at_its_path(full_sample, field, value):
    sample = full_sample
    sample["meetings"][ECO]["start_time"] = "10:00"
    sample["meetings"][ECO][field] = value

    paths = [issue.path for issue in validate_council_activity(sample)]

    assert f"$.meetings[{ECO}].{field}" in paths
