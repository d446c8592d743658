"""Format /4: a field whose value is its default is left out of the file, and an absent field means its default
(issue #16: adding an optional field to a record kind changes no file that does not use it)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from django.core.management import call_command

from core import record_spec
from councils.models import Council, Memorandum, Partner
from hearings.models import Meeting
from interchange.open_data import council_year_file
from interchange.selectors import council_activity_dumps, council_activity_export
from interchange.services import council_activity_import
from interchange.validation import FORMAT, FORMAT_V3, SCHEMA_PATHS, validate_council_activity
from stakeholders.models import PartnerProfile

from .conftest import SAMPLE_PATH, as_v3, domain_rows

pytestmark = pytest.mark.django_db


def export() -> dict:
    return council_activity_export(council=Council.objects.get(slug="almaty"), year=2019)


def test_the_export_leaves_out_a_field_at_its_default_and_writes_one_that_is_not(sample):
    council_activity_import(data=sample)
    Meeting.objects.filter(key="council-2019-04-10").update(place="", is_open=False, is_extended=False)

    meeting = next(m for m in export()["meetings"] if m["key"] == "council-2019-04-10")

    assert "place" not in meeting and "is_extended" not in meeting and "demo" not in meeting
    assert meeting["is_open"] is False  # its default is true: written
    assert meeting["key"] and meeting["date"]  # required fields are always written


def test_a_version_4_file_that_leaves_a_field_out_sets_it_to_its_default_exactly(sample):
    council_activity_import(data=sample)
    memo = Memorandum.objects.get(key=sample["memoranda"][0]["key"])
    memo.termination_reason, memo.terminated_on = "Истёк срок", dt.date(2019, 12, 1)
    memo.save()
    assert "termination_reason" not in sample["memoranda"][0]

    council_activity_import(data=sample)

    memo.refresh_from_db()
    assert (memo.termination_reason, memo.terminated_on) == ("", None)


def test_a_version_3_file_with_every_field_imports_as_the_same_rows_and_exports_as_version_4(sample):
    council_activity_import(data=sample)
    rows = domain_rows()
    # The same year as a /3 portal wrote it (every field /3 knew, nothing it did not).
    written_out = as_v3(json.loads(SAMPLE_PATH.read_text(encoding="utf-8")))
    assert written_out["format"] == FORMAT_V3
    assert validate_council_activity(written_out) == []

    assert not council_activity_import(data=written_out).changed
    assert domain_rows() == rows
    assert council_activity_dumps(export()) == council_activity_dumps(sample)


def test_a_version_3_file_leaving_out_what_version_2_did_not_know_leaves_it_as_it_is(sample):
    council_activity_import(data=sample)
    memo = Memorandum.objects.get(key=sample["memoranda"][0]["key"])
    memo.termination_reason = "Истёк срок"
    memo.save()
    older = as_v3(json.loads(SAMPLE_PATH.read_text(encoding="utf-8")))  # a /3 portal's file
    del older["memoranda"][0]["termination_reason"]

    council_activity_import(data=older)

    memo.refresh_from_db()
    assert memo.termination_reason == "Истёк срок"


def test_an_exported_file_validates_and_its_defaults_are_in_the_schema(sample):
    council_activity_import(data=sample)
    data = export()
    schema = json.loads(SCHEMA_PATHS[FORMAT].read_text(encoding="utf-8"))
    meeting = schema["properties"]["meetings"]["items"]

    assert data["format"] == FORMAT == "oversight.council-activity/4"
    assert validate_council_activity(data) == []
    assert meeting["properties"]["place"]["default"] == ""
    assert "place" not in meeting.get("required", [])
    assert "date" in meeting["required"]


def test_written_out_and_left_out_are_the_same_file(sample):
    # What the export leaves out, read back with its defaults, is the record with every field: the two helpers
    # are each other's inverse on the sample (and on the /3 form of the /2 sample).
    full = record_spec.with_defaults(sample)
    assert record_spec.without_defaults(copy.deepcopy(full)) == sample
    assert record_spec.with_defaults(record_spec.without_defaults(as_v3(full))) == as_v3(full)


# ---- what /4 carries that came after /3 (issue #20) -----------------------------------------------------------


def _profile(partner_key: str = "eco-ngo", **values) -> PartnerProfile:
    partner = Partner.objects.get(key=partner_key)
    defaults = {"category": "ngo", "sector": "экология", "region": "Алматы", "description": "Надёжный партнёр"}
    return PartnerProfile.objects.create(partner=partner, **{**defaults, "shared": True, **values})


def test_an_organisation_s_profile_is_carried_with_its_partner_and_not_its_sharing(sample):
    council_activity_import(data=sample)
    _profile()

    data = export()

    assert data["partner_profiles"] == [
        {
            "partner": "eco-ngo",
            "category": "ngo",
            "sector": "экология",
            "region": "Алматы",
            "description": "Надёжный партнёр",
        }
    ]
    assert validate_council_activity(data) == []


def test_a_council_without_profiles_exports_no_list_of_them(sample):
    council_activity_import(data=sample)

    assert "partner_profiles" not in export()


def test_the_same_organisation_twice_is_refused_at_its_path(sample):
    sample["partner_profiles"] = [{"partner": "eco-ngo"}, {"partner": "eco-ngo", "sector": "вода"}]

    assert [str(i) for i in validate_council_activity(sample)] == [
        "$.partner_profiles[1].partner: duplicate key 'eco-ngo' (first used at $.partner_profiles[0].partner)"
    ]


def test_a_profile_of_an_organisation_the_file_does_not_carry_is_refused(sample):
    sample["partner_profiles"] = [{"partner": "nobody"}]

    assert [str(i) for i in validate_council_activity(sample)] == [
        "$.partner_profiles[0].partner: no partner with key 'nobody'"
    ]


def test_the_open_data_file_publishes_a_profile_without_the_council_s_notes(sample):
    council_activity_import(data=sample)
    _profile()
    Council.objects.filter(slug="almaty").update(is_published=True)

    published = json.loads(council_year_file(Council.objects.get(slug="almaty"), 2019).content)

    assert published["partner_profiles"] == [
        {"partner": "eco-ngo", "category": "ngo", "sector": "экология", "region": "Алматы"}
    ]


@pytest.mark.django_db(transaction=True)
def test_profiles_round_trip_through_an_empty_database_byte_identically(sample):
    council_activity_import(data=sample)
    _profile()
    _profile("kaztelecom", category="business", sector="", region="", description="")
    first = council_activity_dumps(export())

    call_command("flush", interactive=False)
    council_activity_import(data=json.loads(first))

    assert council_activity_dumps(export()) == first
    assert PartnerProfile.objects.get(partner__key="kaztelecom").category == "business"
    assert not PartnerProfile.objects.get(partner__key="eco-ngo").shared  # the workspace's setting stays behind
