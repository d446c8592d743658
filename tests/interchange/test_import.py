"""Importing a council-activity file: what lands in the database, what is refused, and that a re-import is a
no-op."""

from __future__ import annotations

import copy
import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appeals.models import Appeal
from councils.models import (
    Body,
    BodyMembership,
    Convocation,
    Council,
    Membership,
    Memorandum,
    Partner,
    Person,
    StateBody,
    WorkPlanItem,
)
from hearings.models import AgendaItem, Meeting, PublicHearing
from interchange.services import CouncilActivityInvalid, council_activity_import
from monitoring.models import (
    DraftActReview,
    MonitoringEvent,
    MonitoringParticipant,
    PublicityLink,
    Recommendation,
    RecommendationResponse,
    RecommendationStatusChange,
)

from .conftest import SAMPLE_PATH, domain_row_counts, domain_rows

pytestmark = pytest.mark.django_db


def write(tmp_path, data) -> str:
    path = tmp_path / "council.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def assert_database_empty() -> None:
    assert {label: n for label, n in domain_row_counts().items() if n} == {}


def test_sample_imports_with_counts_matching_the_file(sample):
    summary = council_activity_import(data=sample)

    council = Council.objects.get(slug="almaty")
    assert summary.council == council
    assert (council.code, council.name_ru) == ("ALM", "Общественный совет города Алматы")
    assert Convocation.objects.get(council=council).name_ru == "II состав"
    assert Body.objects.filter(council=council).count() == len(sample["bodies"])
    assert Person.objects.filter(council=council).count() == len(sample["people"])
    assert Membership.objects.count() == sum(len(p["memberships"]) for p in sample["people"])
    assert BodyMembership.objects.count() == sum(len(p["bodies"]) for p in sample["people"])
    assert StateBody.objects.count() == len(sample["state_bodies"])
    assert Meeting.objects.filter(council=council).count() == len(sample["meetings"])
    assert AgendaItem.objects.count() == sum(len(m["agenda"]) for m in sample["meetings"])
    assert PublicHearing.objects.count() == len(sample["hearings"])
    assert MonitoringEvent.objects.count() == len(sample["monitoring"])
    assert MonitoringParticipant.objects.count() == sum(len(e["participants"]) for e in sample["monitoring"])
    assert PublicityLink.objects.count() == sum(len(e["publicity"]) for e in sample["monitoring"])
    assert DraftActReview.objects.count() == len(sample["draft_reviews"])
    assert Recommendation.objects.count() == len(sample["recommendations"])
    assert RecommendationResponse.objects.count() == sum(len(r["responses"]) for r in sample["recommendations"])
    assert RecommendationStatusChange.objects.count() == sum(len(r["history"]) for r in sample["recommendations"])
    assert Appeal.objects.count() == len(sample["appeals"])
    assert Partner.objects.count() == len(sample["partners"])
    assert Memorandum.objects.count() == len(sample["memoranda"])
    assert WorkPlanItem.objects.filter(year=2019).count() == len(sample["work_plan"])
    assert summary.counts["meetings"].created == len(sample["meetings"])
    assert summary.changed


def test_references_land_on_the_right_rows(sample):
    council_activity_import(data=sample)

    agenda = AgendaItem.objects.get(key="c0410-akimat-report")
    assert (agenda.meeting.key, agenda.state_body.slug) == ("council-2019-04-10", "akimat-almaty")
    assert Meeting.objects.get(key="eco-2019-05-15").body.key == "commission-ecology"
    assert Body.objects.get(key="presidium").convocation.number == 2
    seat = BodyMembership.objects.get(person__key="seitkali", body__key="commission-ecology")
    assert (seat.role, seat.end_date) == ("chair", dt.date(2019, 10, 1))
    event = MonitoringEvent.objects.get(key="mon-2019-04-air")
    assert [(p.person.key if p.person else p.name, p.kind) for p in event.participants.all()] == [
        ("seitkali", "member"),
        ("petrov-expert", "expert"),
        ("Сотрудник управления экологии", "outsider"),
    ]
    assert [link.kind for link in event.publicity_links.all()] == ["site", "facebook"]
    assert Memorandum.objects.get(key="memo-eco-ngo").partner.key == "eco-ngo"
    assert Person.objects.get(key="seitkali").is_demo


def test_generic_source_resolves_to_each_kind_of_record(sample):
    council_activity_import(data=sample)

    sources = {r.key: r.source for r in Recommendation.objects.all()}
    assert sources["rec-air-posts"] == MonitoringEvent.objects.get(key="mon-2019-04-air")
    assert sources["rec-parks"] == PublicHearing.objects.get(key="hearing-parks")
    assert sources["rec-akimat-report"] == AgendaItem.objects.get(key="c0410-akimat-report")
    assert sources["rec-npa-001"] == DraftActReview.objects.get(key="npa-2019-001")
    assert sources["rec-appeal-1"] == Appeal.objects.get(number="ALM-2019-000001")


def test_appeals_get_year_sequence_time_and_token_but_no_personal_data(sample):
    council_activity_import(data=sample)

    appeal = Appeal.objects.get(number="ALM-2019-000003")
    assert (appeal.year, appeal.sequence) == (2019, 3)
    assert appeal.registered_at == dt.datetime(2019, 12, 31, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    assert appeal.registered_at.tzinfo is not None
    assert len(appeal.tracking_token) >= 32
    assert appeal.is_demo
    for field in ("applicant_name", "organisation", "bin_iin", "email", "phone", "address", "text"):
        assert getattr(appeal, field) == ""
    assert len({a.tracking_token for a in Appeal.objects.all()}) == 3


def test_history_and_responses_are_kept_in_date_order(sample):
    council_activity_import(data=sample)

    rec = Recommendation.objects.get(key="rec-npa-001")
    assert [h.status for h in rec.history.all()] == ["sent", "answered", "implemented"]
    assert [r.received_on for r in Recommendation.objects.get(key="rec-air-posts").responses.all()] == [
        dt.date(2019, 4, 25),
        dt.date(2019, 6, 3),
    ]


def _set(data, path, value):
    *parents, last = path
    for part in parents:
        data = data[part]
    if value is KeyError:
        del data[last]
    else:
        data[last] = value


BROKEN = {
    "wrong-type": (("year",), "2019", "$.year"),
    "dangling-key": (("meetings", 1, "agenda", 1, "state_body"), "x", "$.meetings[1].agenda[1].state_body"),
    "unknown-enum": (("meetings", 3, "kind"), "party", "$.meetings[3].kind"),
    "missing-field": (("hearings", 0, "topic"), KeyError, "$.hearings[0].topic"),
    "date-order": (("draft_reviews", 1, "discussion_end"), "2019-06-30", "$.draft_reviews[1].discussion_end"),
    "duplicate-key": (("monitoring", 1, "key"), "mon-2019-04-air", "$.monitoring[1].key"),
}


@pytest.mark.parametrize(("path", "value", "json_path"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_file_is_refused_and_nothing_is_written(sample, path, value, json_path):
    _set(sample, path, value)

    with pytest.raises(CouncilActivityInvalid) as refused:
        council_activity_import(data=sample)

    assert json_path in [issue.path for issue in refused.value.issues]
    assert_database_empty()


@pytest.mark.parametrize(("path", "value", "json_path"), BROKEN.values(), ids=BROKEN.keys())
def test_command_refuses_a_broken_file_naming_the_path(sample, tmp_path, path, value, json_path):
    _set(sample, path, value)

    with pytest.raises(CommandError) as refused:
        call_command("import_council", write(tmp_path, sample))

    assert f"{json_path}: " in str(refused.value)
    assert "nothing was imported" in str(refused.value)
    assert_database_empty()


def test_command_lists_every_error_of_a_file(sample, tmp_path):
    for path, value, _json_path in BROKEN.values():
        _set(sample, path, value)

    with pytest.raises(CommandError) as refused:
        call_command("import_council", write(tmp_path, sample))

    message = str(refused.value)
    assert "6 errors, nothing was imported" in message
    for _path, _value, json_path in BROKEN.values():
        assert f"\n  {json_path}: " in message
    assert_database_empty()


def test_command_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": ', encoding="utf-8")

    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_council", str(path))
    assert_database_empty()


def test_command_check_only_validates(capsys):
    call_command("import_council", str(SAMPLE_PATH), "--check")

    assert "valid" in capsys.readouterr().out
    assert_database_empty()


def test_command_imports_the_sample_and_reports_counts(capsys):
    call_command("import_council", str(SAMPLE_PATH))

    out = capsys.readouterr().out
    assert "meetings: 4 created, 0 updated, 0 unchanged" in out
    assert "almaty 2019: imported" in out
    assert Meeting.objects.count() == 4


def test_code_taken_by_another_council_is_refused(sample):
    Council.objects.create(slug="astana", code="ALM", name="Другой совет")

    with pytest.raises(CouncilActivityInvalid) as refused:
        council_activity_import(data=sample)

    assert [str(i) for i in refused.value.issues] == ["$.council.code: code 'ALM' belongs to another council (astana)"]
    assert Council.objects.count() == 1
    assert Meeting.objects.count() == 0


def test_importing_the_same_file_twice_writes_nothing(sample):
    council_activity_import(data=sample)
    before = domain_rows()

    with CaptureQueriesContext(connection) as queries:
        summary = council_activity_import(data=copy.deepcopy(sample))

    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    # The audit trail (django-simple-history) records each real change; it is not a data write.
    writes = [w for w in writes if "_historical" not in w]
    assert writes == []
    assert domain_rows() == before
    assert not summary.changed
    assert summary.counts["appeals"].unchanged == 3
    assert summary.counts["monitoring_participants"].unchanged == 3
    assert summary.counts["recommendation_history"].unchanged == 5


def test_command_says_a_second_import_wrote_nothing(capsys):
    call_command("import_council", str(SAMPLE_PATH))
    call_command("import_council", str(SAMPLE_PATH))

    assert "almaty 2019: already up to date, nothing written" in capsys.readouterr().out


def test_changed_record_is_updated_and_the_rest_left_alone(sample):
    council_activity_import(data=sample)
    before = {m.key: m.pk for m in Meeting.objects.all()}
    sample["meetings"][0]["title"] = "Внеочередное заседание президиума"

    with CaptureQueriesContext(connection) as queries:
        summary = council_activity_import(data=sample)

    assert summary.counts["meetings"].updated == 1
    assert summary.counts["meetings"].unchanged == 3
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    # The audit trail (django-simple-history) records each real change; it is not a data write.
    writes = [w for w in writes if "_historical" not in w]
    assert len(writes) == 1 and '"title"' in writes[0]
    assert {m.key: m.pk for m in Meeting.objects.all()} == before
    assert Meeting.objects.get(key="presidium-2019-04-02").title == "Внеочередное заседание президиума"


def test_changed_participant_list_is_replaced(sample):
    council_activity_import(data=sample)
    sample["monitoring"][0]["participants"] = [{"person": "ivanov", "name": "", "kind": "member"}]

    summary = council_activity_import(data=sample)

    event = MonitoringEvent.objects.get(key="mon-2019-04-air")
    assert [p.person.key for p in event.participants.all()] == ["ivanov"]
    assert (summary.counts["monitoring_participants"].created, summary.counts["monitoring_participants"].deleted) == (
        1,
        3,
    )


def test_swapped_agenda_numbers_import(sample):
    council_activity_import(data=sample)
    agenda = sample["meetings"][1]["agenda"]
    agenda[0]["number"], agenda[1]["number"] = 2, 1

    council_activity_import(data=sample)

    assert dict(AgendaItem.objects.filter(meeting__key="council-2019-04-10").values_list("key", "number")) == {
        "c0410-org": 2,
        "c0410-akimat-report": 1,
    }


def test_agenda_number_held_by_an_item_outside_the_file_is_refused(sample):
    council_activity_import(data=sample)
    sample["meetings"][1]["agenda"].pop(0)
    sample["meetings"][1]["agenda"][0]["number"] = 1

    with pytest.raises(CouncilActivityInvalid) as refused:
        council_activity_import(data=sample)

    assert [i.path for i in refused.value.issues] == ["$.meetings[1].agenda[0].number"]


def test_a_membership_left_out_is_removed(sample):
    council_activity_import(data=sample)
    sample["people"][3]["memberships"] = []
    sample["people"][3]["bodies"] = []

    summary = council_activity_import(data=sample)

    assert not Membership.objects.filter(person__key="seitkali").exists()
    assert not BodyMembership.objects.filter(person__key="seitkali").exists()
    assert summary.counts["memberships"].deleted == 1
    assert summary.counts["body_seats"].deleted == 2


def _seats(person_key: str) -> list[tuple[str, str, dt.date | None, dt.date | None]]:
    return sorted(
        BodyMembership.objects.filter(person__key=person_key).values_list(
            "body__key", "role", "start_date", "end_date"
        ),
        key=lambda seat: (seat[0], seat[2] or dt.date.min),
    )


def test_a_file_records_a_return_to_a_body_and_a_second_import_writes_nothing(sample):
    council_activity_import(data=sample)
    # Ivanov leaves the presidium and comes back; the file lists the seats in any order.
    seats = sample["people"][1]["bodies"]
    seats.insert(0, {"body": "presidium", "role": "member", "start_date": "2019-09-01", "end_date": None})
    seats[2]["end_date"] = "2019-06-30"

    summary = council_activity_import(data=sample)

    assert _seats("ivanov") == [
        ("commission-ecology", "member", None, None),
        ("presidium", "chair", dt.date(2018, 12, 20), dt.date(2019, 6, 30)),
        ("presidium", "member", dt.date(2019, 9, 1), None),
    ]
    assert (summary.counts["body_seats"].created, summary.counts["body_seats"].updated) == (1, 1)
    before = domain_rows()
    assert not council_activity_import(data=copy.deepcopy(sample)).changed
    assert domain_rows() == before


def test_a_file_that_moves_an_open_seat_s_start_date_replaces_the_seat(sample):
    council_activity_import(data=sample)
    sample["people"][0]["bodies"][0]["start_date"] = "2019-02-01"  # Akhmetova's open seat as chair

    summary = council_activity_import(data=sample)

    assert _seats("akhmetova") == [("commission-transport", "chair", dt.date(2019, 2, 1), None)]
    assert (summary.counts["body_seats"].created, summary.counts["body_seats"].deleted) == (1, 1)


def test_reimport_keeps_an_appeal_s_real_registration_time_and_personal_data(sample):
    council_activity_import(data=sample)
    real_time = dt.datetime(2019, 6, 3, 16, 45, tzinfo=ZoneInfo("Asia/Almaty"))
    Appeal.objects.filter(number="ALM-2019-000001").update(
        registered_at=real_time, applicant_name="Иванова А.", tracking_token="kept"
    )

    summary = council_activity_import(data=sample)

    appeal = Appeal.objects.get(number="ALM-2019-000001")
    assert (appeal.registered_at, appeal.applicant_name, appeal.tracking_token) == (real_time, "Иванова А.", "kept")
    assert not summary.changed


def test_load_demo_imports_the_demo_file_and_is_idempotent(sample, settings, tmp_path, capsys):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "almaty_2019.json").write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    settings.BASE_DIR = tmp_path

    call_command("load_demo")
    before = domain_rows()
    call_command("load_demo")

    assert domain_rows() == before
    assert "already loaded, nothing written" in capsys.readouterr().out


def test_load_demo_without_the_file_fails(settings, tmp_path):
    settings.BASE_DIR = tmp_path

    with pytest.raises(CommandError, match="does not exist"):
        call_command("load_demo")


DEMO_PATH = SAMPLE_PATH.parents[3] / "demo" / "almaty_2019.json"


@pytest.mark.skipif(not DEMO_PATH.exists(), reason="demo/almaty_2019.json is not there yet")
def test_load_demo_imports_the_real_demo_file_and_a_second_run_writes_nothing():
    call_command("load_demo")
    before = domain_rows()

    with CaptureQueriesContext(connection) as queries:
        call_command("load_demo")

    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    # The audit trail (django-simple-history) records each real change; it is not a data write.
    writes = [w for w in writes if "_historical" not in w]
    assert writes == []
    assert domain_rows() == before


def test_command_validates_the_file_once(monkeypatch):
    """The schema check is most of an import's time at scale (issue 17): the command leaves it to the service."""
    import interchange.services
    import interchange.validation

    calls = []
    original = interchange.validation.check_council_activity

    def counting(data):
        calls.append(1)
        return original(data)

    monkeypatch.setattr(interchange.validation, "check_council_activity", counting)
    monkeypatch.setattr(interchange.services, "check_council_activity", counting)
    call_command("import_council", str(SAMPLE_PATH))
    assert len(calls) == 1
    assert interchange.services.Council.objects.filter(slug="almaty").exists()
