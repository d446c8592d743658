"""Format /3 of the council-activity file: what session 5's apps record (the work plan's execution, memoranda's
parties and commitments, information requests, the library, trainings, appeal categories and districts,
receptions, EIA hearings' participation and published comments) goes out and comes back by the declarations alone;
a /2 file still imports and leaves all of it as it is; a hostile file is refused whole, with the place of each
mistake."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.core.management import call_command

from core import record_spec
from councils.models import Council, Memorandum, WorkPlanItem
from hearings.models import PublicHearing
from interchange.selectors import council_activity_dumps
from interchange.services import CouncilActivityInvalid, council_activity_import
from interchange.validation import FORMAT, FORMAT_V2, validate_council_activity
from participation.models import PublicComment
from tests import factories as f

from .conftest import SAMPLE_PATH, domain_row_counts, full_export

NEW_KINDS = [kind.name for kind in record_spec.kinds() if kind.since == 3]  # /4's: test_format_4.py


def everything(sample: dict[str, Any]) -> dict[str, Any]:
    """The sample with a record of every kind /3 added and every field /3 added to a kind of /2, written as the
    export writes them (every field, lists in their order)."""
    data = copy.deepcopy(sample)
    memo = data["memoranda"][0]
    memo.update(
        other_parties=["kaztelecom"],
        valid_until="2021-02-14",
        commitments=[
            {
                "text": "Совместный мониторинг парков",
                "owner": "Эко-НПО",
                "due_date": None,
                "done_on": None,
                "result": "",
            },
            {
                "text": "Обмен данными о качестве воздуха",
                "owner": "Общественный совет",
                "due_date": "2019-06-30",
                "done_on": "2019-06-20",
                "result": "Данные переданы",
            },
        ],
    )
    data["memoranda"][1].update(terminated_on="2019-12-01", termination_reason="По соглашению сторон")
    hearing = data["hearings"][0]
    hearing.update(
        kind="eia",
        project="Реконструкция парка",
        operator="ТОО «Парк»",
        notice_date="2019-03-01",
        comments_open="2019-03-05",
        comments_close="2019-04-05",
        record_published_on="2019-05-10",
        documents=[{"title": "Отчёт о возможных воздействиях", "url": "https://example.kz/ovos.pdf"}],
    )
    data["draft_reviews"][0]["draft_url"] = "https://legalacts.egov.kz/npa/view?id=1"
    data["appeal_categories"] = [
        {
            "code": "ecology",
            "name": "Экология",
            "name_kk": "Экология",
            "name_en": "Ecology",
            "position": 1,
            "is_active": True,
        }
    ]
    data["localities"] = [
        {
            "code": "medeu",
            "kind": "district",
            "name": "Медеуский район",
            "name_kk": "Медеу ауданы",
            "name_en": "Medeu District",
            "position": 1,
            "is_active": True,
        }
    ]
    data["appeals"][0]["locality"] = "medeu"
    data["information_request_batches"] = [{"key": "batch-air", "subject": "Посты наблюдения", "text": "Просим данные"}]
    data["information_requests"] = [
        {
            "key": "ir-air",
            "sent_on": "2019-05-06",
            "state_body": "upr-ecology-almaty",
            "organisation": "",
            "subject": "Данные постов наблюдения за воздухом",
            "text": "Просим предоставить данные за 2018 год",
            "status": "answered",
            "rule": "aarhus",
            "batch": "batch-air",
            "response_due": "2019-06-05",
            "extended_until": None,
            "extension_reason": "",
            "extension_notice_on": None,
            "demo": False,
            "responses": [
                {
                    "received_on": "2019-05-30",
                    "text": "Данные направлены",
                    "kind": "answered",
                    "refusal_ground": "",
                    "transferred_to": None,
                    "transferred_to_name": "",
                }
            ],
            "history": [
                {"status": "sent", "date": "2019-05-06", "note": ""},
                {"status": "answered", "date": "2019-05-30", "note": "Полный ответ"},
            ],
        }
    ]
    data["library"] = [
        {
            "key": "lib-air",
            "title": "Доклад о качестве воздуха",
            "summary": "",
            "kind": "report",
            "topic": "air",
            "language": "ru",
            "published_on": "2019-03-01",
            "source": "Казгидромет",
            "url": "https://example.kz/air.pdf",
            "is_published": True,
            "demo": False,
        }
    ]
    data["trainings"] = [
        {
            "key": "tr-eia",
            "kind": "seminar",
            "title": "Участие общественности в ОВОС",
            "date": "2019-10-03",
            "end_date": "2019-10-04",
            "place": "Алматы",
            "audience": "ngos",
            "participants": 25,
            "description": "",
            "materials": ["lib-air"],
            "partners": ["eco-ngo"],
            "demo": False,
        }
    ]
    data["receptions"] = [
        {
            "host": "akhmetova",
            "starts_at": "2019-05-20T15:00",
            "slot_minutes": 20,
            "slots": 6,
            "format": "in_person",
            "place": "пр. Абая, 1",
            "place_kk": "Абай даңғылы, 1",
            "place_en": "",
            "online_link": "",
            "topics": "Экология",
            "topics_kk": "",
            "topics_en": "",
            "is_cancelled": False,
        }
    ]
    data["public_comments"] = [
        {
            "number": 1,
            "hearing": "hearing-parks",
            "draft": None,
            "kind": "comment",
            "text": "Сохранить старые деревья",
            "language": "ru",
            "outcome": "accepted",
            "answer": "Учтено в решении слушаний",
        },
        {
            "number": 2,
            "hearing": None,
            "draft": "npa-2019-001",
            "kind": "question",
            "text": "Когда вступит в силу?",
            "language": "kk",
            "outcome": "",
            "answer": "",
        },
    ]
    plan = data["work_plan"]
    plan[0].update(
        due_date="2019-06-30",
        records=[
            {"record": {"type": "meeting", "key": "council-2019-04-10"}},
            {"record": {"type": "information_request", "key": "ir-air"}},
        ],
    )
    plan[1]["records"] = [{"record": {"type": "monitoring", "key": "mon-2019-04-air"}}]
    plan[2]["status_reason"] = "Тарифы утверждены без слушаний"  # cancelled, and why
    return data


def export(year: int = 2019) -> dict[str, Any]:
    return full_export(council=Council.objects.get(slug="almaty"), year=year)


def records_of(data: dict[str, Any], name: str) -> list[Any]:
    kind = record_spec.kind(name)
    if not kind.parent:
        return data[kind.file_list]
    parent = record_spec.kind(kind.parent)
    return [row for record in data[parent.file_list] for row in record.get(kind.file_list, [])]


def test_the_file_is_valid(full_sample):
    sample = full_sample
    data = everything(sample)

    assert data["format"] == FORMAT
    assert validate_council_activity(data) == []


@pytest.mark.django_db
def test_everything_format_3_carries_comes_back_as_it_went_in(full_sample):
    sample = full_sample
    data = everything(sample)

    council_activity_import(data=data)

    assert export() == data
    # What the workspace shows: the plan item's status follows its records, the memorandum has its parties.
    memo = Memorandum.objects.get(key="memo-eco-ngo")
    assert [p.key for p in memo.other_parties.all()] == ["kaztelecom"]
    assert memo.commitments.count() == 2
    assert WorkPlanItem.objects.get(number=1, year=2019).links.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("name", NEW_KINDS)
def test_each_new_record_kind_round_trips(full_sample, name):
    sample = full_sample
    data = everything(sample)
    council_activity_import(data=data)

    exported = export()

    assert records_of(data, name)  # the sample has one
    assert records_of(exported, name) == records_of(data, name)


@pytest.mark.django_db(transaction=True)
def test_a_format_3_file_round_trips_through_an_empty_database_byte_identical(full_sample):
    sample = full_sample
    council_activity_import(data=everything(sample))
    first = council_activity_dumps(export())

    call_command("flush", interactive=False)
    assert not Council.objects.exists()
    council_activity_import(data=json.loads(first))
    second = council_activity_dumps(export())

    assert second == first
    assert json.loads(first)["format"] == FORMAT
    assert not council_activity_import(data=json.loads(first)).changed  # and importing it again writes nothing


@pytest.mark.django_db
def test_a_version_2_file_still_imports_and_leaves_what_it_does_not_know_as_it_is(full_sample):
    sample = full_sample
    v2 = json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))
    assert v2["format"] == FORMAT_V2
    assert validate_council_activity(v2) == []
    council_activity_import(data=v2)
    assert export() == sample  # the same year, written in version 3

    data = everything(sample)
    council_activity_import(data=data)
    summary = council_activity_import(data=v2)

    assert not summary.changed
    assert export() == data  # the commitments, the plan's records, the parties, the district: all still there


@pytest.mark.django_db
def test_the_import_command_reads_a_version_2_file():
    call_command("import_council", str(SAMPLE_PATH))

    assert Council.objects.filter(slug="almaty").exists()


# ---- hostile files ------------------------------------------------------------------------------------------


def refused(data: dict[str, Any]) -> list[str]:
    """The messages of a refused import, after checking that nothing was written."""
    before = domain_row_counts()
    with pytest.raises(CouncilActivityInvalid) as caught:
        council_activity_import(data=data)
    assert domain_row_counts() == before
    assert not Council.objects.filter(slug="almaty").exists()
    return [str(issue) for issue in caught.value.issues]


@pytest.mark.django_db
def test_a_reference_to_another_councils_record_is_refused_and_nothing_is_imported(full_sample):
    sample = full_sample
    other = f.CouncilFactory(slug="astana", code="AST")
    f.MeetingFactory(council=other, key="m-astana")
    f.DocumentFactory(council=other, key="doc-astana")
    data = everything(sample)
    data["work_plan"][1]["records"].append({"record": {"type": "meeting", "key": "m-astana"}})
    data["trainings"][0]["materials"] = ["doc-astana", "lib-air"]

    messages = refused(data)

    assert "$.work_plan[1].records[1].record.key: no meeting with key 'm-astana'" in messages
    assert "$.trainings[0].materials[0]: no library document with key 'doc-astana'" in messages


@pytest.mark.django_db
def test_a_missing_reference_is_refused_with_its_place(full_sample):
    sample = full_sample
    data = everything(sample)
    data["public_comments"][0]["hearing"] = "hearing-nowhere"
    data["information_requests"][0]["batch"] = "batch-nowhere"
    data["appeals"][1]["locality"] = "bostandyk"

    messages = refused(data)

    assert "$.public_comments[0].hearing: no hearing with key 'hearing-nowhere'" in messages
    assert "$.information_requests[0].batch: no information request batch with key 'batch-nowhere'" in messages
    assert "$.appeals[1].locality: no locality with code 'bostandyk'" in messages


@pytest.mark.django_db
def test_a_bad_enum_is_refused_with_the_choices(full_sample):
    sample = full_sample
    data = everything(sample)
    data["library"][0]["kind"] = "pamphlet"
    data["receptions"][0]["format"] = "phone"
    data["work_plan"][0]["records"][0]["record"]["type"] = "appeal"

    messages = refused(data)

    assert any(m.startswith("$.library[0].kind: 'pamphlet' is not one of: 'report'") for m in messages)
    assert any(m.startswith("$.receptions[0].format: 'phone' is not one of") for m in messages)
    assert any(m.startswith("$.work_plan[0].records[0].record.type: 'appeal' is not one of") for m in messages)


@pytest.mark.django_db
def test_what_the_tables_refuse_is_said_before_anything_is_written(full_sample):
    sample = full_sample
    data = everything(sample)
    data["work_plan"][2].update(status="postponed", status_reason="")
    data["public_comments"][1]["hearing"] = "hearing-parks"  # and a draft
    data["receptions"].append(copy.deepcopy(data["receptions"][0]))
    data["receptions"][0]["slots"] = 100
    data["memoranda"][0]["valid_until"] = "2018-01-01"

    messages = refused(data)

    assert "$.work_plan[2].status_reason: a postponed plan item needs the reason" in messages
    assert "$.public_comments[1]: a comment is on one hearing or one draft review: name exactly one" in messages
    assert any(
        m.startswith("$.receptions[1].starts_at: the same member already receives at this time") for m in messages
    )
    assert "$.receptions[0].slots: 100: must be at most 48" in messages
    assert any(m.startswith("$.memoranda[0].valid_until: 2018-01-01 is before 2019-02-14") for m in messages)


# ---- what the file never carries -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_comment_goes_out_only_published_and_never_with_who_wrote_it(full_sample):
    sample = full_sample
    data = everything(sample)
    council_activity_import(data=data)
    council = Council.objects.get(slug="almaty")
    PublicComment.objects.filter(council=council, number=1).update(author_name="Иванова Мария", email="m@example.kz")
    pending = PublicComment.objects.create(
        council=council,
        hearing=PublicHearing.objects.get(council=council, key="hearing-parks"),
        number=3,
        author_name="Петров Пётр",
        email="p@example.kz",
        text="Ещё не прошло модерацию",
    )

    text = council_activity_dumps(export())

    assert pending.status == "pending"
    assert "Ещё не прошло модерацию" not in text
    assert "Иванова" not in text and "m@example.kz" not in text
    assert [c["number"] for c in export()["public_comments"]] == [1, 2]


@pytest.mark.django_db
def test_a_library_document_that_is_only_an_uploaded_file_stays_in_the_workspace(full_sample):
    sample = full_sample
    data = everything(sample)
    council_activity_import(data=data)
    council = Council.objects.get(slug="almaty")
    f.DocumentFactory(council=council, key="lib-upload", url="", file="library/2019/upload.pdf")

    exported = export()

    assert [d["key"] for d in exported["library"]] == ["lib-air"]
    assert validate_council_activity(exported) == []
