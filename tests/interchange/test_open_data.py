"""The open-data files (interchange/open_data.py): each council's year with public fields only, its Popolo view,
the ZIP of all councils, the open-data page, and the stable key that joins the file, the API and the pages."""

from __future__ import annotations

import io
import json
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from core.personal_data import register
from core.record_spec import with_defaults
from councils.models import Council, Person
from hearings.models import Meeting
from interchange.open_data import SECTION_MODELS, WITHHELD_SECTIONS
from interchange.services import council_activity_import
from interchange.validation import SCHEMA_DIR, validate_council_activity
from monitoring.models import Recommendation

ROOT = Path(settings.BASE_DIR)
POPOLO_DIR = SCHEMA_DIR / "popolo"


@pytest.fixture
def imported(db, sample) -> dict[str, Any]:
    cache.clear()
    council_activity_import(data=sample)
    return sample


def download(path: str, **headers: str):
    return Client().get(path, **headers)


def public_file(slug: str = "almaty", year: int = 2019) -> dict[str, Any]:
    """The published file, read with every field it leaves out at its default (format /4)."""
    response = download(f"/open-data/{slug}/{year}.json")
    assert response.status_code == 200, response.status_code
    return with_defaults(json.loads(response.content))


# ---- the public file ------------------------------------------------------------------------------------------


def test_the_public_file_is_a_valid_council_activity_file_under_cc_by(imported):
    data = public_file()

    assert validate_council_activity(data) == []
    assert data["publication"]["license"] == "CC-BY-4.0"
    assert data["publication"]["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["publication"]["source"].endswith("/open-data/almaty/2019.json")


def test_appeals_are_given_as_the_years_figures_not_one_by_one(imported):
    data = public_file()

    assert data["appeals"] == []
    figures = data["publication"]["appeals"]
    assert figures["total"] == len(imported["appeals"]) == 3
    assert sum(figures["by_category"].values()) == 3
    assert figures["as_of"] == "2019-12-31"
    assert not any(a["number"] in json.dumps(data) for a in imported["appeals"])


def test_a_closed_meeting_is_published_as_public_meeting_shows_it(imported):
    closed = next(m for m in imported["meetings"] if not m["is_open"])
    assert closed["agenda"] and closed["title"]

    meeting = next(m for m in public_file()["meetings"] if m["key"] == closed["key"])

    assert (meeting["date"], meeting["kind"], meeting["body"]) == (closed["date"], closed["kind"], closed["body"])
    assert meeting["is_open"] is False
    assert (meeting["title"], meeting["goal"], meeting["place"]) == ("", "", "")
    assert meeting["agenda"] == [] and meeting["links"] == [] and meeting["attendance"] is None
    opened = next(m for m in public_file()["meetings"] if m["key"] == "council-2019-04-10")
    assert len(opened["agenda"]) == 2 and opened["title"]


def test_drafts_appeal_sources_and_staff_notes_are_left_out(imported):
    noted = Recommendation.objects.exclude(status="draft").filter(history__isnull=False).distinct().first()
    assert noted.history.update(note="внутренняя заметка секретаря")

    recommendations = {r["key"]: r for r in public_file()["recommendations"]}

    drafts = {r["key"] for r in imported["recommendations"] if r["status"] == "draft"}
    assert drafts and not drafts & recommendations.keys()
    on_appeal = [r["key"] for r in imported["recommendations"] if (r["source"] or {}).get("type") == "appeal"]
    assert on_appeal and all(recommendations[key]["source"] is None for key in on_appeal)
    assert "внутренняя заметка" not in json.dumps(recommendations, ensure_ascii=False)


def test_every_model_with_private_personal_data_is_scrubbed_or_never_exported():
    """A model the register says holds private personal data is either read through SECTION_MODELS (its private
    fields emptied) or belongs to what the export never writes: appeals (withheld), subscribers and data
    requests (not part of the format), registrations to attend, reception bookings, the consultation log,
    questions to deputies and the stakeholder registry's contact people (interchange/spec.py leaves them out); a
    public comment is written without its author
    (its model is in SECTION_MODELS too)."""
    never_exported = {"appeals", "alerts", "privacy", "participation", "receptions", "outreach", "deputies"}
    never_exported |= {"stakeholders"}
    scrubbed = set(SECTION_MODELS.values())
    private = {entry.model._meta.label for entry in register() if not entry.declaration.public}

    unhandled = {label for label in private if label not in scrubbed and label.split(".")[0] not in never_exported}

    assert unhandled == set()
    assert "appeals" in WITHHELD_SECTIONS


# ---- no personal data in any file, on the demo -------------------------------------------------------------------


@pytest.fixture
def demo(db) -> Council:
    """The Almaty demo with a private value planted in every private field of every person and appeal."""
    cache.clear()
    call_command("load_demo", verbosity=0)
    for n, person in enumerate(Person.objects.all()):
        person.email = f"member{n}.private@example.kz"
        person.phone = f"+7 701 {n:03d} 98 76"
        person.save(update_fields=["email", "phone"])
    from appeals.models import Appeal

    for n, appeal in enumerate(Appeal.objects.all()[:200]):
        appeal.applicant_name = f"Заявитель Приватный {n}"
        appeal.email = f"applicant{n}.private@example.kz"
        appeal.phone = f"+7 777 {n:03d} 12 34"
        appeal.address = f"ул. Скрытая, {n}"
        appeal.subject = f"Тема обращения {n} скрыто"
        appeal.text = f"Текст обращения {n} скрыто"
        appeal.save()
    return Council.objects.get(slug="almaty")


def _private_values() -> set[str]:
    """Every private value on file: the register's private fields, across every model that holds them."""
    values: set[str] = set()
    for entry in register():
        if entry.declaration.public:
            continue
        for value in entry.model._default_manager.values_list(entry.field.name, flat=True):
            text = str(getattr(value, "name", value) or "").strip()
            if len(text) >= 6:
                values.add(text.lower())
    return values


def test_no_open_data_file_holds_personal_data(demo):
    private = _private_values()
    assert any("@example.kz" in value for value in private) and any("заявитель" in value for value in private)

    texts = {
        "json": download("/open-data/almaty/2019.json").content,
        "popolo": download("/open-data/almaty/2019.popolo.json").content,
    }
    with zipfile.ZipFile(io.BytesIO(download("/open-data/all.zip").content)) as archive:
        texts.update({name: archive.read(name) for name in archive.namelist()})

    for name, body in texts.items():
        text = body.decode("utf-8").lower()
        leaks = sorted(value for value in private if value in text)
        assert leaks == [], f"{name} holds personal data: {leaks[:5]}"
    # The people are there, by their public names.
    assert Person.objects.first().full_name in texts["json"].decode("utf-8")


# ---- the downloads ------------------------------------------------------------------------------------------------


def test_a_download_has_a_file_name_an_etag_and_a_last_modified(imported):
    first = download("/open-data/almaty/2019.json")

    assert first["Content-Disposition"] == 'attachment; filename="almaty-2019.json"'
    assert first["Content-Type"].startswith("application/json")
    assert first["ETag"] and first["Last-Modified"]
    assert download("/open-data/almaty/2019.json", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    modified = download("/open-data/almaty/2019.json", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert modified.status_code == 304
    popolo = download("/api/v1/popolo/almaty/2019.json")
    assert popolo["Content-Disposition"] == 'attachment; filename="almaty-2019.popolo.json"'
    bulk = download("/open-data/all.zip")
    assert bulk["Content-Disposition"] == 'attachment; filename="oversight-open-data.zip"'
    assert bulk["Content-Type"] == "application/zip"


def test_an_edit_shows_in_the_next_download(imported):
    before = download("/open-data/almaty/2019.json")
    assert download("/open-data/almaty/2019.json")["ETag"] == before["ETag"]

    meeting = Meeting.objects.get(key="rt-2019-06-20")
    meeting.title = "Круглый стол: новое название"
    meeting.save()
    after = download("/open-data/almaty/2019.json", HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "Круглый стол: новое название" in after.content.decode("utf-8")


def test_an_unpublished_council_a_year_without_records_and_a_wild_year_are_404(imported):
    assert download("/open-data/almaty/2012.json").status_code == 404
    assert download("/open-data/almaty/99999.json").status_code == 404
    assert download("/open-data/nowhere/2019.json").status_code == 404
    Council.objects.filter(slug="almaty").update(is_published=False)
    cache.clear()
    assert download("/open-data/almaty/2019.json").status_code == 404
    assert download("/api/v1/popolo/almaty/2019.json").status_code == 404


def test_the_bulk_zip_holds_each_councils_years_as_valid_files(imported):
    body = download("/open-data/all.zip").content

    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("almaty/almaty-2019.json"))
        readme = archive.read("README.txt").decode("utf-8")
    assert {"README.txt", "almaty/almaty-2019.json", "almaty/almaty-2019.popolo.json"} <= set(names)
    assert validate_council_activity(data) == []
    assert "CC BY 4.0" in readme


# ---- Popolo ---------------------------------------------------------------------------------------------------


def popolo_validators() -> dict[str, Draft3Validator]:
    """A validator per Popolo schema, their `$ref`s (by id) resolved from the vendored files, never the network."""
    schemas = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in POPOLO_DIR.glob("*.json")}
    resources = []
    for schema in schemas.values():
        resource = Resource.from_contents(schema, default_specification=DRAFT3)
        resources += [(schema["id"], resource), (schema["id"].rstrip("#"), resource)]
    registry = Registry().with_resources(resources)
    return {
        name: Draft3Validator(schema, registry=registry, format_checker=Draft3Validator.FORMAT_CHECKER)
        for name, schema in schemas.items()
    }


POPOLO_LISTS = {
    "persons": "person",
    "organizations": "organization",
    "memberships": "membership",
    "posts": "post",
    "events": "event",
}


def popolo_errors(document: dict[str, Any]) -> list[str]:
    validators = popolo_validators()
    errors = []
    for collection, schema in POPOLO_LISTS.items():
        for n, item in enumerate(document[collection]):
            errors += [f"{collection}[{n}]: {error.message}" for error in validators[schema].iter_errors(item)]
    return errors


def test_the_popolo_view_validates_against_the_popolo_schemas(imported):
    document = json.loads(download("/api/v1/popolo/almaty/2019.json").content)

    assert all(document[collection] for collection in POPOLO_LISTS)
    assert popolo_errors(document) == []
    assert document["meta"]["license"] == "CC-BY-4.0"
    # The validators do check: a date Popolo does not accept is an error.
    broken = {**document, "memberships": [{**document["memberships"][0], "start_date": "01.03.2019"}]}
    assert popolo_errors(broken)


def test_the_popolo_view_maps_people_bodies_memberships_and_meetings(imported):
    document = json.loads(download("/open-data/almaty/2019.popolo.json").content)
    ids = {item["id"] for collection in POPOLO_LISTS for item in document[collection]}

    council = next(o for o in document["organizations"] if o["id"] == "almaty")
    assert council["classification"] == "public_council"
    assert {f"almaty/people/{p['key']}" for p in imported["people"]} <= {p["id"] for p in document["persons"]}
    assert {f"almaty/meetings/{m['key']}" for m in imported["meetings"]} <= {e["id"] for e in document["events"]}
    for membership in document["memberships"]:
        assert {membership["person_id"], membership["organization_id"], membership["post_id"]} <= ids
    chair = [m for m in document["memberships"] if m["organization_id"] == "almaty" and m["role"] == "chair"]
    assert chair and chair[0]["start_date"]


def test_a_council_member_in_popolo_has_no_contacts(demo):
    document = json.loads(download("/open-data/almaty/2019.popolo.json").content)

    assert document["persons"]
    assert all("email" not in p and "contact_details" not in p for p in document["persons"])
    assert popolo_errors(document) == []


# ---- stable identifiers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api_list", "file_list"),
    [
        ("meetings", "meetings"),
        ("hearings", "hearings"),
        ("monitoring-events", "monitoring"),
        ("draft-reviews", "draft_reviews"),
        ("recommendations", "recommendations"),
        ("people", "people"),
        ("bodies", "bodies"),
        ("consultative-seats", "consultative_seats"),
    ],
)
def test_the_api_carries_the_files_key_for_every_record(imported, api_list, file_list):
    api_keys = {row["key"] for row in Client().get(f"/api/v1/{api_list}/", {"page_size": 500}).json()["results"]}
    file_keys = {record["key"] for record in public_file()[file_list]}

    assert file_keys and file_keys <= api_keys
    csv = b"".join(Client().get(f"/api/v1/{api_list}/", {"format": "csv"}).streaming_content)
    header = csv.decode("utf-8-sig").splitlines()[0]
    assert "key" in header.split(",")


def test_a_meeting_page_shows_its_identifier(imported):
    meeting = Meeting.objects.get(key="council-2019-04-10")

    page = Client().get(f"/ru/councils/almaty/meetings/{meeting.pk}/").content.decode("utf-8")

    assert "almaty/meetings/council-2019-04-10" in page
    assert 'data-key="council-2019-04-10"' in page


# ---- the page and the licences ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_open_data_page_lists_every_download_and_the_licence(imported, language):
    from config.api import router

    page = Client().get(f"/{language}/open-data/").content.decode("utf-8")

    assert 'href="/open-data/almaty/2019.json"' in page
    assert 'href="/open-data/almaty/2019.popolo.json"' in page
    assert 'href="/open-data/all.zip"' in page
    assert 'href="/open-data/council-activity-4.schema.json"' in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in page and "AGPL-3.0-or-later" in page
    for prefix, viewset, _basename in router.registry:
        url = f"/api/v1/{prefix}/"
        for variant in ("?format=csv", "?format=csv&amp;sep=semicolon", "?format=xlsx"):
            assert f'href="{url}{variant}"' in page, f"{url}{variant}"
        assert all(f"<code>{column}</code>" in page for column in viewset.csv_columns)
    for section in ("council", "meetings", "appeals", "publication"):
        assert f"<dt><code>{section}</code>" in page


def test_the_footer_links_the_open_data_page(imported):
    assert 'href="/en/open-data/"' in Client().get("/en/").content.decode("utf-8")


def test_the_code_is_agpl_and_says_so_in_its_metadata():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")

    assert project["license"] == "AGPL-3.0-or-later"
    assert text.startswith("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007")
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert len(text) > 30_000


def _open_data_page_queries() -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = Client().get("/ru/open-data/")
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_open_data_page_reads_a_fixed_number_of_queries_whatever_the_number_of_councils(db):
    """Found by benchmarks/scale.py: the page asked each council's years one by one (≈15 queries a council, 9,000+
    and a second cold at 250 councils). Each council here has a convocation, a monitoring event, a draft review and
    a public recommendation, so that every source of years is read."""
    from tests.factories import (
        ConvocationFactory,
        DraftActReviewFactory,
        MonitoringEventFactory,
        RecommendationFactory,
    )

    def add_councils(n: int) -> None:
        for _ in range(n):
            convocation = ConvocationFactory()
            MonitoringEventFactory(council=convocation.council)
            DraftActReviewFactory(council=convocation.council)
            RecommendationFactory(council=convocation.council)

    add_councils(2)
    few = _open_data_page_queries()
    add_councils(6)
    many = _open_data_page_queries()
    assert many == few
    page = Client().get("/ru/open-data/").content.decode()
    assert page.count("/open-data/council-") >= 8  # every council with its files, at any count


def test_the_public_file_never_reads_the_appeals_it_withholds(imported, django_assert_max_num_queries):
    """The appeals go into the public file as the year's figures only: the export under it does not read them one by
    one (a big council's year has some 10,000), their applicants' data included."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from interchange.open_data import public_council_activity

    council = Council.objects.get(slug="almaty")
    with CaptureQueriesContext(connection) as captured:
        data = public_council_activity(council=council, year=2019)
    assert data["appeals"] == [] and data["publication"]["appeals"]["total"] == 3
    assert not [q["sql"] for q in captured.captured_queries if '"appeals_appeal"."applicant_name"' in q["sql"]]


def test_a_year_whose_only_records_are_appeals_still_has_a_public_file(db, personas):
    """Leaving the appeals unread does not make a year of appeals alone «nothing to export»."""
    from interchange.open_data import public_council_activity
    from tests.factories import AppealFactory

    AppealFactory(council=personas.council, year=2011, sequence=1, number="ALM-2011-000001")
    data = public_council_activity(council=personas.council, year=2011)
    assert data["appeals"] == [] and data["publication"]["appeals"]["total"] == 1
