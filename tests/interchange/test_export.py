"""Exporting a council's year: the same format back, deterministic, with a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.record_spec import with_defaults
from councils.models import Body, BodyMembership, Convocation, Council, Person
from interchange.selectors import NothingToExport, council_activity_dumps, council_activity_export
from interchange.services import council_activity_import
from interchange.validation import validate_council_activity
from monitoring.models import MonitoringEvent, Recommendation

from .conftest import SAMPLE_PATH, full_export, scaled


def export_text(slug: str = "almaty", year: int = 2019) -> str:
    return council_activity_dumps(council_activity_export(council=Council.objects.get(slug=slug), year=year))


@pytest.mark.django_db
def test_export_of_the_imported_sample_is_the_sample(sample):
    council_activity_import(data=sample)

    exported = council_activity_export(council=Council.objects.get(slug="almaty"), year=2019)

    # The sample is written in the export's conventions (every field, lists in natural order), so nothing the
    # format carries is lost on the way through the database.
    assert exported == sample
    assert validate_council_activity(exported) == []


@pytest.mark.django_db
def test_export_text_is_sorted_indented_utf8_with_a_final_newline(sample):
    council_activity_import(data=sample)

    text = export_text()

    assert text.endswith("}\n")
    assert "Общественный совет города Алматы" in text
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@pytest.mark.django_db(transaction=True)
def test_round_trip_through_an_empty_database_is_byte_identical(sample):
    council_activity_import(data=sample)
    first = export_text()

    call_command("flush", interactive=False)
    assert not Council.objects.exists()
    council_activity_import(data=json.loads(first))
    second = export_text()

    assert second == first


@pytest.mark.django_db(transaction=True)
def test_a_member_who_left_a_commission_and_rejoined_it_round_trips_byte_identically(sample):
    from councils.member_services import body_seat_add, body_seat_end

    council_activity_import(data=sample)
    # Ivanov chaired the presidium until the end of June and came back as a member in September.
    presidium = Body.objects.get(key="presidium")
    body_seat_end(seat=BodyMembership.objects.get(body=presidium, person__key="ivanov"), end_date=dt.date(2019, 6, 30))
    body_seat_add(body=presidium, person=Person.objects.get(key="ivanov"), start_date=dt.date(2019, 9, 1))
    first = export_text()
    seats = next(p for p in with_defaults(json.loads(first))["people"] if p["key"] == "ivanov")["bodies"]
    assert [(s["body"], s["role"], s["start_date"], s["end_date"]) for s in seats] == [
        ("commission-ecology", "member", None, None),
        ("presidium", "chair", "2018-12-20", "2019-06-30"),
        ("presidium", "member", "2019-09-01", None),
    ]
    assert validate_council_activity(json.loads(first)) == []

    call_command("flush", interactive=False)
    council_activity_import(data=json.loads(first))
    assert export_text() == first
    assert BodyMembership.objects.filter(person__key="ivanov", body__key="presidium").count() == 2


@pytest.mark.django_db
def test_export_query_count_does_not_grow_with_the_data(sample):
    council_activity_import(data=scaled(sample, 1))
    council = Council.objects.get(slug="almaty")
    council_activity_export(council=council, year=2019)  # warm the content type cache
    with CaptureQueriesContext(connection) as small:
        small_export = council_activity_export(council=council, year=2019)

    council_activity_import(data=scaled(sample, 5))
    with CaptureQueriesContext(connection) as large:
        large_export = council_activity_export(council=council, year=2019)

    assert len(large_export["meetings"]) == 5 * len(small_export["meetings"])
    assert len(large_export["appeals"]) == 5 * len(small_export["appeals"])
    assert validate_council_activity(large_export) == []
    assert len(large) == len(small)


@pytest.mark.django_db
def test_records_of_other_years_stay_out(sample):
    council_activity_import(data=sample)
    next_year = json.loads(json.dumps(sample))
    next_year["year"] = 2020
    next_year["meetings"] = [dict(sample["meetings"][0], key="presidium-2020", date="2020-02-01", agenda=[])]
    for name in ("hearings", "monitoring", "draft_reviews", "recommendations", "appeals", "memoranda", "work_plan"):
        next_year[name] = []
    council_activity_import(data=next_year)

    exported = council_activity_export(council=Council.objects.get(slug="almaty"), year=2019)

    assert [m["key"] for m in exported["meetings"]] == [m["key"] for m in sample["meetings"]]


@pytest.mark.django_db
def test_source_from_another_year_is_carried_along(sample):
    council_activity_import(data=sample)
    council = Council.objects.get(slug="almaty")
    older = MonitoringEvent.objects.create(
        council=council, key="mon-2018-11-parks", topic="Парки, 2018", date=dt.date(2018, 11, 5)
    )
    Recommendation.objects.filter(key="rec-air-posts").update(
        source_type=ContentType.objects.get_for_model(MonitoringEvent), source_id=older.pk
    )

    exported = council_activity_export(council=council, year=2019)

    assert exported["monitoring"][0]["key"] == "mon-2018-11-parks"
    rec = next(r for r in exported["recommendations"] if r["key"] == "rec-air-posts")
    assert rec["source"] == {"type": "monitoring", "key": "mon-2018-11-parks"}
    assert validate_council_activity(exported) == []


@pytest.mark.django_db
def test_export_carries_every_convocation_of_the_year(sample):
    council_activity_import(data=sample)
    council = Council.objects.get(slug="almaty")
    Convocation.objects.filter(council=council, number=2).update(end_date=dt.date(2019, 11, 30))
    Convocation.objects.create(council=council, number=3, name="III состав", start_date=dt.date(2019, 12, 1))

    exported = full_export(council=council, year=2019)

    assert [(c["number"], c["name"], c["end_date"]) for c in exported["convocations"]] == [
        (2, "II состав", "2019-11-30"),
        (3, "III состав", None),
    ]
    assert validate_council_activity(exported) == []
    # The second convocation's bodies are still there: the year's records refer to them.
    assert {"presidium", "commission-ecology", "commission-transport"} <= {b["key"] for b in exported["bodies"]}


@pytest.mark.django_db
def test_export_without_a_convocation_in_the_year_fails(sample):
    council_activity_import(data=sample)

    with pytest.raises(NothingToExport):
        council_activity_export(council=Council.objects.get(slug="almaty"), year=2010)
    with pytest.raises(CommandError, match="no convocation active in 2010"):
        call_command("export_council", "almaty", "2010")


@pytest.mark.django_db
def test_export_command_writes_the_file(tmp_path):
    call_command("import_council", str(SAMPLE_PATH))
    target = tmp_path / "out.json"

    call_command("export_council", "almaty", "2019", "-o", str(target))

    assert target.read_text(encoding="utf-8") == export_text()


@pytest.mark.django_db
def test_export_command_writes_to_stdout_without_output(capsys):
    call_command("import_council", str(SAMPLE_PATH))
    capsys.readouterr()

    call_command("export_council", "almaty", "2019")

    assert capsys.readouterr().out == export_text()


@pytest.mark.django_db
def test_export_command_for_an_unknown_council_fails():
    with pytest.raises(CommandError, match="no council with slug 'nowhere'"):
        call_command("export_council", "nowhere", "2019")
