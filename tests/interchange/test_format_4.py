"""Format /4: a field whose value is its default is left out of the file, and an absent field means its default
(issue #16: adding an optional field to a record kind changes no file that does not use it)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from core import record_spec
from councils.models import Council, Memorandum, Partner
from hearings.models import Meeting
from interchange.open_data import council_year_file
from interchange.selectors import council_activity_dumps, council_activity_export
from interchange.services import council_activity_import
from interchange.validation import FORMAT, FORMAT_V3, SCHEMA_PATHS, validate_council_activity
from news.models import MediaPublication, NewsImage, NewsItem, NewsLink
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


# ---- news (issue #20) ------------------------------------------------------------------------------------------

ALMATY_TZ = ZoneInfo("Asia/Almaty")
IMAGE_NAME = "news/" + "ab" * 16 + ".png"


def _news(key: str, *, status: str = "published", when: dt.datetime | None = None, **values) -> NewsItem:
    council = Council.objects.get(slug="almaty")
    moment = when or dt.datetime(2019, 4, 11, 9, 30, tzinfo=ALMATY_TZ)
    defaults = {
        "title_ru": "Итоги заседания",
        "title_kk": "Отырыстың қорытындысы",
        "body_ru": "Совет рассмотрел вопрос.",
        "body_kk": "Кеңес мәселені қарады.",
        "publish_at": None if status == "draft" else moment,
    }
    return NewsItem.objects.create(council=council, key=key, status=status, **{**defaults, **values})


def _full_news() -> NewsItem:
    item = _news("itogi-zasedaniya", kind="press_release", title_en="The meeting's results", body_en="Done.")
    meeting = Meeting.objects.get(key="council-2019-04-10")
    NewsLink.objects.create(item=item, kind="meeting", object_id=meeting.pk)
    NewsImage.objects.create(
        item=item,
        image=IMAGE_NAME,
        content_type="image/png",
        width=64,
        height=48,
        size=1200,
        alt_ru="Члены совета в зале",
        alt_kk="Кеңес мүшелері залда",
    )
    MediaPublication.objects.create(
        item=item, outlet="Время", kind="press", published_on=dt.date(2019, 4, 12), url="https://time.kz/a/1"
    )
    return item


def test_a_news_item_is_carried_with_its_texts_records_images_and_media(sample):
    council_activity_import(data=sample)
    _full_news()

    data = export()

    assert data["news"] == [
        {
            "key": "itogi-zasedaniya",
            "kind": "press_release",
            "publish_at": "2019-04-11T09:30",
            "title": "Итоги заседания",
            "title_kk": "Отырыстың қорытындысы",
            "title_en": "The meeting's results",
            "body": "Совет рассмотрел вопрос.",
            "body_kk": "Кеңес мәселені қарады.",
            "body_en": "Done.",
            "records": [{"record": {"type": "meeting", "key": "council-2019-04-10"}}],
            "images": [
                {
                    "file": IMAGE_NAME,
                    "alt": "Члены совета в зале",
                    "alt_kk": "Кеңес мүшелері залда",
                    "content_type": "image/png",
                    "width": 64,
                    "height": 48,
                    "size": 1200,
                }
            ],
            "media_publications": [
                {"outlet": "Время", "kind": "press", "published_on": "2019-04-12", "url": "https://time.kz/a/1"}
            ],
        }
    ]
    assert validate_council_activity(data) == []


def test_a_council_without_news_exports_no_list_of_them_and_the_same_bytes(sample):
    council_activity_import(data=sample)
    before = council_activity_dumps(export())
    _news("next-year", when=dt.datetime(2020, 1, 5, 10, 0, tzinfo=ALMATY_TZ))  # another year's item

    assert "news" not in export()
    assert council_activity_dumps(export()) == before


def test_an_item_is_in_the_year_of_its_publication_and_a_draft_without_a_moment_in_the_year_it_was_written(sample):
    council_activity_import(data=sample)
    _news("in-2019")
    _news("draft", status="draft", created_at=dt.datetime(2019, 3, 2, 10, 0, tzinfo=ALMATY_TZ))
    _news("draft-of-2020", status="draft", created_at=dt.datetime(2020, 1, 1, 0, 30, tzinfo=ALMATY_TZ))
    _news("in-2020", when=dt.datetime(2020, 1, 1, 0, 30, tzinfo=ALMATY_TZ))
    _news("last-moment-of-2019", when=dt.datetime(2019, 12, 31, 23, 30, tzinfo=ALMATY_TZ))

    news = export()["news"]

    assert [item["key"] for item in news] == ["draft", "in-2019", "last-moment-of-2019"]
    # The moment it was written is what puts a draft in the year: carried for such a draft alone.
    assert news[0]["status"] == "draft" and news[0]["created_at"] == "2019-03-02T10:00"
    assert "created_at" not in news[1]


def test_a_draft_without_a_moment_is_never_in_the_public_year_file(sample):
    council_activity_import(data=sample)
    _full_news()
    _news("draft", status="draft", created_at=dt.datetime(2019, 3, 2, 10, 0, tzinfo=ALMATY_TZ))
    Council.objects.filter(slug="almaty").update(is_published=True)

    published = json.loads(council_year_file(Council.objects.get(slug="almaty"), 2019).content)

    assert [item["key"] for item in published["news"]] == ["itogi-zasedaniya"]
    assert validate_council_activity(published) == []


@pytest.mark.django_db(transaction=True)
def test_a_draft_without_a_moment_survives_the_round_trip_in_its_year(sample):
    council_activity_import(data=sample)
    _news("draft", status="draft", created_at=dt.datetime(2019, 3, 2, 10, 0, tzinfo=ALMATY_TZ))
    first = council_activity_dumps(export())
    assert '"draft"' in first

    call_command("flush", interactive=False)
    council_activity_import(data=json.loads(first))

    assert council_activity_dumps(export()) == first
    draft = NewsItem.objects.get(key="draft")
    assert draft.publish_at is None and draft.created_at == dt.datetime(2019, 3, 2, 10, 0, tzinfo=ALMATY_TZ)
    # An import leaves the moment of a draft on file as it is.
    council_activity_import(
        data={**json.loads(first), "news": [{**json.loads(first)["news"][0], "created_at": "2019-07-01T09:00"}]}
    )
    assert NewsItem.objects.get(key="draft").created_at == dt.datetime(2019, 3, 2, 10, 0, tzinfo=ALMATY_TZ)


def test_a_news_image_named_by_a_path_is_refused(sample):
    sample["news"] = [
        {
            "key": "x",
            "publish_at": "2019-04-11T09:30",
            "title": "Т",
            "body": "Т",
            "images": [
                {"file": "../settings.py", "alt": "a", "content_type": "image/png", "width": 1, "height": 1, "size": 1}
            ],
        }
    ]

    assert [str(i) for i in validate_council_activity(sample)] == [
        "$.news[0].images[0].file: not a news image's stored name"
    ]


def test_a_withdrawn_item_without_its_reason_is_refused(sample):
    sample["news"] = [{"key": "x", "status": "withdrawn", "publish_at": "2019-04-11T09:30", "title": "Т", "body": "Т"}]

    assert [str(i) for i in validate_council_activity(sample)] == [
        "$.news[0].withdrawal_reason: a withdrawn news item needs its moment and reason"
    ]


def test_the_open_data_file_publishes_only_the_news_the_public_pages_list(sample):
    council_activity_import(data=sample)
    _full_news()
    _news("draft", status="draft", publish_at=dt.datetime(2019, 5, 1, 10, 0, tzinfo=ALMATY_TZ))
    _news(
        "withdrawn",
        status="withdrawn",
        withdrawn_at=dt.datetime(2019, 6, 1, 10, 0, tzinfo=ALMATY_TZ),
        withdrawal_reason="Ошибка в тексте",
    )
    Council.objects.filter(slug="almaty").update(is_published=True)
    full = export()
    assert [item["key"] for item in full["news"]] == ["itogi-zasedaniya", "withdrawn", "draft"]

    published = json.loads(council_year_file(Council.objects.get(slug="almaty"), 2019).content)

    assert [item["key"] for item in published["news"]] == ["itogi-zasedaniya"]
    assert published["news"][0]["body"] == "Совет рассмотрел вопрос."
    assert validate_council_activity(published) == []


@pytest.mark.django_db(transaction=True)
def test_news_round_trips_through_an_empty_database_byte_identically(sample):
    council_activity_import(data=sample)
    _full_news()
    _news("draft", status="draft", publish_at=dt.datetime(2019, 5, 1, 10, 0, 30, tzinfo=ALMATY_TZ), is_demo=True)
    _news(
        "withdrawn",
        kind="statement",
        status="withdrawn",
        withdrawn_at=dt.datetime(2019, 6, 1, 10, 0, tzinfo=ALMATY_TZ),
        withdrawal_reason="Ошибка в тексте",
    )
    first = council_activity_dumps(export())

    call_command("flush", interactive=False)
    council_activity_import(data=json.loads(first))

    assert council_activity_dumps(export()) == first
    item = NewsItem.objects.get(key="itogi-zasedaniya")
    assert item.links.get().object_id == Meeting.objects.get(key="council-2019-04-10").pk
    assert item.images.get().image.name == IMAGE_NAME
    assert item.title_en == "The meeting's results" and NewsItem.objects.get(key="draft").title_en == ""
