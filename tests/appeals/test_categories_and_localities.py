"""A council's own categories of appeals and its districts and towns: edited in the workspace, offered by the
public form and the API, filtered and counted in the inbox, counted in the stats API, on the council's page and
in the annual report."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db.models import ProtectedError
from django.test import Client
from django.utils import timezone

from appeals.categories import (
    CategoryData,
    LocalityData,
    appeal_category_create,
    appeal_place_counts,
    locality_create,
)
from appeals.models import Appeal, AppealCategory, Category, Locality
from reports.annual import annual_report_context
from tests.factories import AppealFactory

from .conftest import appeal_form_data

pytestmark = pytest.mark.django_db

FORM = "/ru/councils/almaty/appeals/new/"
API = "/api/v1/councils/almaty/appeals/"
PLACES_API = "/api/v1/councils/almaty/appeal-categories/"
LISTS = "/ru/workspace/almaty/appeals/categories/"
INBOX = "/ru/workspace/almaty/appeals/"


@pytest.fixture
def lists(personas):
    """Almaty's list: the national one plus the Karaganda plan's labour safety; two districts."""
    labour = appeal_category_create(
        council=personas.council,
        data=CategoryData(name_ru="Безопасность труда", name_kk="Еңбек қауіпсіздігі", name_en="Labour safety"),
    )
    medeu = locality_create(
        council=personas.council, data=LocalityData(name_ru="Медеуский район", name_en="Medeu district")
    )
    bostandyk = locality_create(
        council=personas.council, data=LocalityData(name_ru="Бостандыкский район", name_en="Bostandyk district")
    )
    return labour, medeu, bostandyk


def _at(year: int, month: int = 3) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, 4, 10, 0))


# ---- the council edits its lists ------------------------------------------------------------------------


def test_adding_a_category_keeps_the_national_list_and_adds_the_new_one(personas):
    client = personas.client_for(personas.secretary)
    response = client.post(
        LISTS + "new/", {"name_ru": "Права человека", "name_kk": "Адам құқықтары", "name_en": "Human rights"}
    )
    assert response.status_code == 302
    codes = list(AppealCategory.objects.filter(council=personas.council).values_list("code", flat=True))
    assert codes == [*Category.values, "human_rights"]
    page = client.get(LISTS)
    assert "Права человека" in page.text
    assert "Экология" in page.text


def test_a_category_without_a_russian_name_is_refused_and_the_typed_names_stay(personas):
    client = personas.client_for(personas.secretary)
    response = client.post(LISTS + "new/", {"name_ru": "  ", "name_kk": "Адам құқықтары"})
    assert response.status_code == 400
    assert "Адам құқықтары" in response.text
    assert not AppealCategory.objects.filter(council=personas.council).exists()


def test_a_member_reads_the_lists_but_cannot_add(personas, lists):
    client = personas.client_for(personas.member)
    assert client.get(LISTS).status_code == 200
    assert client.post(LISTS + "new/", {"name_ru": "Новая"}).status_code == 403


def test_another_councils_secretary_cannot_see_or_edit_the_lists(personas, lists):
    labour, medeu, _ = lists
    client = personas.client_for(personas.other_secretary)
    assert client.get(LISTS).status_code == 404
    response = client.post(f"/ru/workspace/karaganda/appeals/categories/{labour.pk}/", {"name_ru": "Захват"})
    assert response.status_code == 404
    response = client.post(f"/ru/workspace/karaganda/appeals/localities/{medeu.pk}/", {"name_ru": "X", "kind": "town"})
    assert response.status_code == 404
    labour.refresh_from_db()
    assert labour.name_ru == "Безопасность труда"


def test_a_retired_category_leaves_the_form_but_its_appeals_keep_their_label(personas, lists):
    labour, _, _ = lists
    AppealFactory(council=personas.council, category=labour.code, registered_at=_at(2019))
    client = personas.client_for(personas.secretary)
    response = client.post(
        LISTS + f"{labour.pk}/",
        {"name_ru": "Охрана труда", "name_kk": "Еңбекті қорғау", "name_en": "Labour safety", "is_active": ""},
    )
    assert response.status_code == 302
    form = Client().get(FORM)
    assert 'value="labour_safety"' not in form.text
    assert appeal_place_counts(council=personas.council, year=2019).by_category["labour_safety"] == 1
    inbox = client.get(INBOX)
    assert "Охрана труда" in inbox.text


# ---- the public form and the API ------------------------------------------------------------------------


def test_the_form_offers_the_councils_categories_and_districts_and_stores_the_choice(personas, lists):
    page = Client().get(FORM)
    assert "Безопасность труда" in page.text
    assert "Медеуский район" in page.text
    response = Client().post(FORM, appeal_form_data(category="labour_safety", locality="medeu_district"))
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.category == "labour_safety"
    assert appeal.locality.name_ru == "Медеуский район"


def test_the_district_is_optional(personas, lists):
    response = Client().post(FORM, appeal_form_data())
    assert response.status_code == 302
    assert Appeal.objects.get().locality is None


def test_a_district_of_another_council_is_refused_with_the_text_kept(personas, lists):
    theirs = locality_create(council=personas.other_council, data=LocalityData(name_ru="Октябрьский район"))
    response = Client().post(FORM, appeal_form_data(locality=theirs.code))
    assert response.status_code == 400
    assert "Выберите район или город из списка совета." in response.text
    assert "В парке Горького вырубают" in response.text
    assert not Appeal.objects.exists()


def test_a_category_outside_the_councils_list_is_refused(personas, lists):
    response = Client().post(FORM, appeal_form_data(category="astrology"))
    assert response.status_code == 400
    assert not Appeal.objects.exists()


def test_a_council_without_districts_does_not_ask_for_one(personas):
    page = Client().get(FORM)
    assert 'name="locality"' not in page.text
    assert "Экология" in page.text


def test_the_api_takes_a_category_and_a_district_and_refuses_unknown_codes(personas, lists):
    body = {k: v for k, v in appeal_form_data().items() if k not in ("website", "submission_key")}
    body["personal_data_consent"] = True
    bad = Client().post(API, json.dumps({**body, "locality": "atlantis"}), content_type="application/json")
    assert bad.status_code == 400
    assert "locality" in bad.json()
    good = Client().post(
        API,
        json.dumps({**body, "category": "labour_safety", "locality": "bostandyk_district"}),
        content_type="application/json",
    )
    assert good.status_code == 201
    appeal = Appeal.objects.get()
    assert (appeal.category, appeal.locality.code) == ("labour_safety", "bostandyk_district")


def test_the_api_lists_the_codes_it_takes_with_their_names_in_three_languages(personas, lists):
    data = Client().get(PLACES_API).json()
    labour = next(c for c in data["categories"] if c["code"] == "labour_safety")
    assert (labour["name_ru"], labour["name_kk"], labour["name_en"]) == (
        "Безопасность труда",
        "Еңбек қауіпсіздігі",
        "Labour safety",
    )
    assert [loc["code"] for loc in data["localities"]] == ["medeu_district", "bostandyk_district"]


# ---- the inbox, the figures ---------------------------------------------------------------------------


def test_the_inbox_filters_and_counts_by_district(personas, lists):
    _, medeu, bostandyk = lists
    AppealFactory(council=personas.council, locality=medeu, subject="Свалка у реки", registered_at=_at(2019))
    AppealFactory(council=personas.council, locality=medeu, subject="Шум ночью", registered_at=_at(2019, 4))
    AppealFactory(council=personas.council, locality=bostandyk, subject="Яма на дороге", registered_at=_at(2019, 5))
    client = personas.client_for(personas.secretary)
    response = client.get(INBOX, {"locality": "medeu_district"})
    assert response.status_code == 200
    subjects = {a.subject for a in response.context["page"].object_list}
    assert subjects == {"Свалка у реки", "Шум ночью"}
    counts = client.get(INBOX).context["place_counts"]
    assert ("Медеуский район", 2) in counts.by_locality
    assert ("Бостандыкский район", 1) in counts.by_locality


def test_stats_api_page_and_report_count_by_category_and_district(personas, lists):
    labour, medeu, _ = lists
    AppealFactory(council=personas.council, category=labour.code, locality=medeu, registered_at=_at(2019))
    AppealFactory(council=personas.council, category="ecology", registered_at=_at(2019, 6))
    stats = Client().get("/api/v1/councils/almaty/stats/", {"year": "2019"}).json()
    assert stats["appeal_places"]["by_category"]["labour_safety"] == 1
    assert stats["appeal_places"]["by_category"]["ecology"] == 1
    assert stats["appeal_places"]["by_locality"] == {"medeu_district": 1, "bostandyk_district": 0}
    assert stats["appeal_places"]["without_locality"] == 1
    page = Client().get("/ru/councils/almaty/", {"year": "2019"})
    assert 'id="appeals-by-locality"' in page.text
    assert "Безопасность труда" in page.text
    context = annual_report_context(council=personas.council, year=2019, today=dt.date(2020, 2, 1))
    assert context["appeal_localities"] == [("Медеуский район", 1, 50)]
    assert context["appeals_without_locality"] == 1
    assert ("Безопасность труда", 1, 50) in context["individual_categories"]


def test_locality_names_follow_the_page_language(personas, lists):
    _, medeu, _ = lists
    AppealFactory(council=personas.council, locality=medeu, registered_at=_at(2019))
    page = Client().get("/en/councils/almaty/", {"year": "2019"})
    assert "Medeu district" in page.text


def test_a_locality_keeps_its_appeals(personas, lists):
    _, medeu, _ = lists
    AppealFactory(council=personas.council, locality=medeu, registered_at=_at(2019))
    with pytest.raises(ProtectedError):
        Locality.objects.filter(pk=medeu.pk).delete()
