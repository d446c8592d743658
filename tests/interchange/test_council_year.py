"""Version 2 of the format: a year with every convocation active in it, version 1 files still read, the checks
across fields, and messages a secretary can act on."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from councils.models import Body, Convocation, Council, ExpertAppointment, Membership
from hearings.models import Meeting
from interchange.selectors import council_activity_dumps, council_activity_export
from interchange.services import council_activity_import
from interchange.validation import FORMAT, FORMAT_V1, check_council_activity, validate_council_activity

from .conftest import SAMPLE_PATH, domain_row_counts, domain_rows, full_export

SAMPLE_V1_PATH = Path(__file__).parent / "data" / "sample-v1.json"
SAMPLE: dict[str, Any] = json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))


def messages(data: Any) -> list[str]:
    return [str(issue) for issue in validate_council_activity(data)]


def export_text(year: int) -> str:
    return council_activity_dumps(council_activity_export(council=Council.objects.get(slug="almaty"), year=year))


def two_convocations(sample: dict[str, Any]) -> dict[str, Any]:
    """The sample's year with a change of convocation on 21 January: the II ends, the III begins; a January
    meeting of the outgoing convocation; Ivanov a member of both, Akhmetova of the III only."""
    doc = copy.deepcopy(sample)
    doc["convocations"] = [
        {"number": 2, "name": "II состав", "start_date": "2016-12-20", "end_date": "2019-01-20"},
        {"number": 3, "name": "III состав", "start_date": "2019-01-21", "end_date": None},
    ]
    for body in doc["bodies"]:
        body["convocation"] = 3
    for person in doc["people"]:
        for membership in person["memberships"]:
            membership.update(convocation=3, start_date="2019-01-21")
    ivanov = next(p for p in doc["people"] if p["key"] == "ivanov")
    ivanov["memberships"].insert(
        0,
        {
            "convocation": 2,
            "affiliation": "civil_society",
            "role": "chair",
            "start_date": "2016-12-20",
            "end_date": "2019-01-20",
        },
    )
    for person in doc["people"]:
        for seat in person["bodies"]:
            if seat["start_date"] and seat["start_date"] < "2019-01-21":
                seat["start_date"] = "2019-01-21"
    doc["meetings"].insert(
        0,
        {
            "key": "council-2019-01-15",
            "kind": "council",
            "body": None,
            "title": "Итоговое заседание II состава",
            "goal": "",
            "date": "2019-01-15",
            "place": "",
            "is_open": True,
            "is_extended": False,
            "attendance": 1,
            "attendees": [{"person": "ivanov"}],
            "links": [],
            "demo": False,
            "agenda": [],
        },
    )
    return doc


# ---- several convocations in one year -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_year_with_a_change_of_convocation_imports_both_with_their_members_and_exports_them_again(full_sample):
    sample = full_sample
    doc = two_convocations(sample)
    assert check_council_activity(doc).warnings == []

    council_activity_import(data=doc)

    assert list(Convocation.objects.order_by("number").values_list("number", "end_date")) == [
        (2, dt.date(2019, 1, 20)),
        (3, None),
    ]
    assert sorted(Membership.objects.filter(person__key="ivanov").values_list("convocation__number", "role")) == [
        (2, "chair"),
        (3, "civil_society" and "chair"),
    ]
    assert set(Body.objects.values_list("convocation__number", flat=True)) == {3}
    exported = full_export(council=Council.objects.get(slug="almaty"), year=2019)
    assert [c["number"] for c in exported["convocations"]] == [2, 3]
    assert exported["meetings"][0]["key"] == "council-2019-01-15"
    assert validate_council_activity(exported) == []


@pytest.mark.django_db
def test_a_meeting_dated_in_the_previous_year_can_be_exported_again(full_sample):
    sample = full_sample
    # Imported with a 2018 date (a typo, or the outgoing convocation's December meeting): before version 2,
    # `export_council almaty 2018` refused ("no convocation active"), and the meeting could never leave again.
    sample["convocations"][0]["start_date"] = "2019-01-10"
    for person in sample["people"]:
        for membership in person["memberships"]:
            membership["start_date"] = "2019-01-10"
        for seat in person["bodies"]:
            seat["start_date"] = seat["start_date"] and "2019-01-10"
    sample["meetings"][0]["date"] = "2018-12-27"
    council_activity_import(data=sample)

    call_command("export_council", "almaty", "2018")  # does not raise
    exported = full_export(council=Council.objects.get(slug="almaty"), year=2018)

    assert [m["key"] for m in exported["meetings"]] == [sample["meetings"][0]["key"]]
    # The file carries the convocation of the meeting's body, but none sat on 27 December 2018.
    assert all(c["start_date"] > "2018-12-27" for c in exported["convocations"])
    # Told, not refused: no convocation sat that day.
    assert [i.path for i in check_council_activity(exported).warnings] == ["$.meetings[0].date"]
    assert validate_council_activity(exported) == []


@pytest.mark.django_db
def test_a_body_moves_to_the_convocation_a_version_2_file_names(full_sample):
    sample = full_sample
    council_activity_import(data=sample)
    doc = two_convocations(sample)
    doc["bodies"][0]["convocation"] = 2

    council_activity_import(data=doc)

    assert Body.objects.get(key=doc["bodies"][0]["key"]).convocation.number == 2


def test_a_body_of_a_convocation_the_file_does_not_carry_is_refused(full_sample):
    sample = full_sample
    sample["bodies"][1]["convocation"] = 7
    sample["people"][0]["memberships"][0]["convocation"] = 7
    [issue] = validate_council_activity(sample)
    assert str(issue) == "$.bodies[1].convocation: no convocation with number 7"
    assert issue.note == "1 more record refers to the same key:"
    assert [str(c) for c in issue.consequences] == [
        "$.people[0].memberships[0].convocation: no convocation with number 7"
    ]


# ---- version 1 files still read ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_version_1_file_imports_as_the_same_rows_as_its_version_2(full_sample):
    sample = full_sample
    v1 = json.loads(SAMPLE_V1_PATH.read_text(encoding="utf-8"))
    assert (v1["format"], sample["format"]) == (FORMAT_V1, FORMAT)
    assert validate_council_activity(v1) == []

    council_activity_import(data=v1)
    from_v1 = domain_rows()

    said = what_version_1_can_say(sample)
    assert not council_activity_import(data=said).changed  # the same year, written in version 2
    assert domain_rows() == from_v1
    assert full_export(council=Council.objects.get(slug="almaty"), year=2019) == said
    # Petrov was a membership with role "expert" in version 1: an expert appointment now, never a member.
    assert not Membership.objects.filter(person__key="petrov-expert").exists()
    assert list(ExpertAppointment.objects.values_list("person__key", "start_date", "end_date")) == [
        ("petrov-expert", dt.date(2019, 5, 16), None)
    ]


def what_version_1_can_say(doc: dict[str, Any]) -> dict[str, Any]:
    """The version 2 document without what version 1 has no place for: names in Kazakh and English, why a
    member left, an expert's field and the decision that approved them."""
    doc = copy.deepcopy(doc)
    records = [doc["council"], *doc["convocations"], *doc["bodies"], *doc["state_bodies"], *doc["partners"]]
    for record in records:
        for name in [n for n in record if n.endswith(("_kk", "_en"))]:
            record[name] = ""
    for person in doc["people"]:
        for membership in person["memberships"]:
            membership.update(end_reason="", end_decision="")
    for expert in doc["experts"]:
        expert.update(field="", decision="")
    return doc


def test_a_version_1_expert_s_errors_name_its_own_fields():
    v1 = json.loads(SAMPLE_V1_PATH.read_text(encoding="utf-8"))
    v1["people"][2]["membership"]["end_date"] = "2019-01-01"
    assert [i.path for i in validate_council_activity(v1)] == ["$.people[2].membership.end_date"]


def test_a_version_1_file_s_errors_name_its_own_fields():
    v1 = json.loads(SAMPLE_V1_PATH.read_text(encoding="utf-8"))
    v1["convocation"]["end_date"] = "2018-01-01"
    v1["people"][3]["membership"]["end_date"] = "2018-01-01"
    assert [i.path for i in validate_council_activity(v1)] == [
        "$.convocation.end_date",
        "$.people[3].membership.end_date",
    ]


@pytest.mark.django_db
def test_a_version_1_file_leaves_an_existing_body_in_its_convocation(full_sample):
    sample = full_sample
    council_activity_import(data=two_convocations(sample))
    Body.objects.filter(key="presidium").update(convocation=Convocation.objects.get(number=2))
    v1 = json.loads(SAMPLE_V1_PATH.read_text(encoding="utf-8"))
    v1["convocation"] = {"number": 3, "name": "III состав", "start_date": "2019-01-21", "end_date": None}

    council_activity_import(data=v1)

    assert Body.objects.get(key="presidium").convocation.number == 2


# ---- checks across fields -------------------------------------------------------------------------------------


def test_a_response_received_before_the_recommendation_was_issued_is_refused(full_sample):
    sample = full_sample
    rec = sample["recommendations"][0]
    rec["responses"] = [{"received_on": "2019-03-01", "text": "Ответ"}]
    assert messages(sample) == [
        f"$.recommendations[0].responses[0].received_on: 2019-03-01 is before {rec['issued_on']} "
        "($.recommendations[0].issued_on): a response cannot be received before the recommendation is issued"
    ]


def test_a_month_precision_date_must_be_the_first_of_its_month(full_sample):
    sample = full_sample
    sample["monitoring"][0].update(date="2019-04-17", date_precision="month")
    assert messages(sample) == [
        "$.monitoring[0].date: '2019-04-17': with date_precision 'month' the date is the first of its month: "
        "write 2019-04-01"
    ]


@pytest.mark.django_db
def test_an_attendee_who_was_not_a_member_that_day_is_a_warning_not_an_error(full_sample, tmp_path, capsys):
    sample = full_sample
    meeting = sample["meetings"][2]
    seitkali = next(p for p in sample["people"] if p["key"] == "seitkali")
    seitkali["memberships"][0]["end_date"] = "2019-05-01"  # left before the meeting of 15 May
    for seat in seitkali["bodies"]:
        seat["end_date"] = "2019-05-01"
    j = next(j for j, a in enumerate(meeting["attendees"]) if a["person"] == "seitkali")

    checked = check_council_activity(sample)

    assert checked.errors == []
    assert [str(w) for w in checked.warnings] == [
        f"$.meetings[2].attendees[{j}].person: 'seitkali' was not a member of the council on {meeting['date']} "
        "(no membership of theirs covers that day): kept as present; check the date or the membership"
    ]
    path = tmp_path / "council.json"
    path.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    call_command("import_council", str(path))
    assert f"1 warning (imported all the same):\n  $.meetings[2].attendees[{j}].person: " in capsys.readouterr().err
    assert Meeting.objects.get(key=meeting["key"]).attendees.count() == len(meeting["attendees"])


# ---- messages a secretary can act on -------------------------------------------------------------------------


def test_one_wrong_body_key_is_one_error_with_its_consequences_under_it(full_sample):
    sample = full_sample
    old = sample["bodies"][0]["key"]
    sample["bodies"][0]["key"] = "Commission Ecology"
    uses = json.dumps(sample).count(f'"{old}"')

    issues = validate_council_activity(sample)

    assert [str(i) for i in issues] == [
        "$.bodies[0].key: 'Commission Ecology' is not a valid key: use lower-case Latin letters, digits, '-' and "
        "'_', at most 64 characters, starting with a letter or digit, e.g. 'commission-ecology'"
    ]
    [cause] = issues
    assert cause.note == f"{uses} records refer to this body and are not resolved:"
    assert len(cause.consequences) == uses
    paths = [c.path for c in cause.consequences]
    assert paths[0].startswith("$.people[") and any(p.startswith("$.meetings[") for p in paths)


def test_references_to_a_key_no_record_has_are_one_error(full_sample):
    sample = full_sample
    for meeting in sample["meetings"]:
        if meeting["body"]:
            meeting["body"] = "commission-parks"
    for hearing in sample["hearings"]:
        hearing["organiser"] = "commission-parks"

    issues = validate_council_activity(sample)

    [issue] = issues
    assert str(issue) == "$.meetings[0].body: no body with key 'commission-parks'" or issue.message.endswith(
        "'commission-parks'"
    )
    assert issue.note.endswith("more records refer to the same key:")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("29.04.2019", "'29.04.2019' is not a valid date: write the date as YYYY-MM-DD, here 2019-04-29"),
        ("2019/04/29", "'2019/04/29' is not a valid date: write the date as YYYY-MM-DD, here 2019-04-29"),
        ("April", "'April' is not a valid date: write the date as YYYY-MM-DD, e.g. 2021-04-29"),
    ],
)
def test_a_date_in_another_form_is_one_message_saying_how_to_write_it(full_sample, written, expected):
    sample = full_sample
    sample["meetings"][0]["date"] = written
    sample["recommendations"][0]["sent_on"] = written  # nullable: a second schema branch
    assert messages(sample) == [f"$.meetings[0].date: {expected}", f"$.recommendations[0].sent_on: {expected}"]


@pytest.mark.django_db
def test_the_command_prints_the_cause_first_and_its_consequences_under_it(full_sample, tmp_path):
    sample = full_sample
    sample["bodies"][2]["key"] = "presidium!"
    path = tmp_path / "council.json"
    path.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        call_command("import_council", str(path))

    lines = str(refused.value).splitlines()
    assert lines[0].endswith(": 1 error, nothing was imported:")
    assert lines[1].startswith("  $.bodies[2].key: 'presidium!' is not a valid key")
    assert lines[2].startswith("    ") and "refer to this body" in lines[2]
    assert all(line.startswith("      $.") and "no body with key 'presidium'" in line for line in lines[3:])


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "'29.04.2019' — неверная дата: пишите дату в виде ГГГГ-ММ-ДД, здесь 2019-04-29"),
        ("kk", "'29.04.2019' — қате күн: күнді ЖЖЖЖ-АА-КК түрінде жазыңыз, мұнда 2019-04-29"),
    ],
)
def test_messages_are_in_the_secretary_s_language(full_sample, language, expected):
    sample = full_sample
    sample["meetings"][0]["date"] = "29.04.2019"
    with translation.override(language):
        assert messages(sample) == [f"$.meetings[0].date: {expected}"]


# ---- the round trip of every year a file touches ---------------------------------------------------------------

YEARS = (2018, 2019, 2020)


@st.composite
def council_years(draw) -> dict[str, Any]:
    """The sample with 1-3 convocations changing at any day of 2018-2020, its bodies and members spread over
    them, and its meetings on any day of those years."""
    doc = copy.deepcopy(SAMPLE)
    days = st.dates(dt.date(2018, 1, 2), dt.date(2020, 12, 31))
    changes = sorted(draw(st.sets(days, min_size=0, max_size=2)))
    starts = [dt.date(2017, 12, 1), *changes]
    doc["convocations"] = [
        {
            "number": n + 2,
            "name": f"{n + 2} состав",
            "start_date": start.isoformat(),
            "end_date": (starts[n + 1] - dt.timedelta(days=1)).isoformat() if n + 1 < len(starts) else None,
        }
        for n, start in enumerate(starts)
    ]
    numbers = [c["number"] for c in doc["convocations"]]
    for body in doc["bodies"]:
        body["convocation"] = draw(st.sampled_from(numbers))
    for person in doc["people"]:
        chosen = sorted(draw(st.sets(st.sampled_from(numbers), max_size=len(numbers))))
        template = person["memberships"][0] if person["memberships"] else None
        person["memberships"] = [
            {
                "convocation": number,
                "affiliation": template["affiliation"] if template else "civil_society",
                "role": template["role"] if template else "member",
                "start_date": doc["convocations"][numbers.index(number)]["start_date"],
                "end_date": doc["convocations"][numbers.index(number)]["end_date"],
            }
            for number in chosen
        ]
    for meeting in doc["meetings"]:
        meeting["date"] = draw(days).isoformat()
    return doc


def _years_touched(doc: dict[str, Any]) -> list[int]:
    """The file's year, the years of its meetings' dates, and a year of each convocation (its first)."""
    dates = [m["date"] for m in doc["meetings"]] + [c["start_date"] for c in doc["convocations"]]
    return sorted({doc["year"], *(int(d[:4]) for d in dates)})


@pytest.mark.django_db
@settings(database=None, deadline=None, max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=council_years())
@pytest.mark.heavy
def test_every_year_a_file_touches_exports_and_reimports_into_an_empty_database_as_the_same_rows(doc):
    assert validate_council_activity(doc) == []
    # 1. Import the file; export every year it touched.
    with transaction.atomic():
        council_activity_import(data=doc)
        counts = domain_row_counts()
        exports = {year: export_text(year) for year in _years_touched(doc)}
        transaction.set_rollback(True)
    assert exports
    # 2. Into an empty database, import those exports: the same rows, and the same exports again.
    with transaction.atomic():
        assert not Council.objects.exists()
        for text in exports.values():
            council_activity_import(data=json.loads(text))
        assert domain_row_counts() == counts
        assert {year: export_text(year) for year in exports} == exports
        transaction.set_rollback(True)


# ---- names in three languages, experts, why a member left ---------------------------------------------------


@pytest.mark.django_db
def test_names_in_kazakh_and_english_experts_and_leaving_reasons_survive_import_export_import_byte_identically(
    sample,
):
    with transaction.atomic():
        council_activity_import(data=sample)
        council = Council.objects.get(slug="almaty")
        assert (council.name_kk, council.name_en) == ("Алматы қаласының Қоғамдық кеңесі", "Public Council of Almaty")
        assert Body.objects.get(key="commission-ecology").name_kk == "Экология және абаттандыру жөніндегі комиссия"
        left = Membership.objects.get(person__key="seitkali")
        assert (left.end_reason, left.end_decision) == ("own_request", "Протокол заседания Совета от 01.10.2019 № 9")
        expert = ExpertAppointment.objects.get(person__key="petrov-expert")
        assert (expert.field, expert.start_date) == ("Экология, качество воздуха", dt.date(2019, 5, 16))
        text = export_text(2019)
        transaction.set_rollback(True)
    assert text == council_activity_dumps(sample)

    council_activity_import(data=json.loads(text))  # into an empty database
    assert export_text(2019) == text
    assert not council_activity_import(data=json.loads(text)).changed


@pytest.mark.django_db
def test_an_import_run_in_kazakh_keeps_the_russian_name_in_the_russian_column(full_sample):
    sample = full_sample
    # modeltranslation writes `name=` to the active language's column: a Kazakh page's import would have put
    # the Russian name where the Kazakh one belongs, and left the Russian one empty.
    with translation.override("kk"):
        council_activity_import(data=sample)
        exported = full_export(council=Council.objects.get(slug="almaty"), year=2019)
    council = Council.objects.get(slug="almaty")
    assert (council.name_ru, council.name_kk) == (
        "Общественный совет города Алматы",
        "Алматы қаласының Қоғамдық кеңесі",
    )
    assert exported == sample


@pytest.mark.django_db
def test_a_file_that_says_nothing_of_kazakh_names_or_leaving_keeps_them(full_sample):
    sample = full_sample
    council_activity_import(data=sample)
    v1 = json.loads(SAMPLE_V1_PATH.read_text(encoding="utf-8"))

    council_activity_import(data=v1)

    assert Council.objects.get(slug="almaty").name_kk == "Алматы қаласының Қоғамдық кеңесі"
    assert Membership.objects.get(person__key="seitkali").end_reason == "own_request"


def test_a_reason_for_leaving_needs_the_day_the_member_left(full_sample):
    sample = full_sample
    membership = sample["people"][0]["memberships"][0]
    membership["end_reason"] = "death"
    assert [i.path for i in validate_council_activity(sample)] == ["$.people[0].memberships[0].end_reason"]


def test_overlapping_appointments_of_one_expert_are_refused(full_sample):
    sample = full_sample
    sample["experts"].append(dict(sample["experts"][0], start_date="2019-09-01"))
    assert [i.path for i in validate_council_activity(sample)] == ["$.experts[1].start_date"]


def test_an_expert_who_is_no_person_of_the_file_is_refused(full_sample):
    sample = full_sample
    sample["experts"][0]["person"] = "nobody"
    assert [i.path for i in validate_council_activity(sample)] == ["$.experts[0].person"]
