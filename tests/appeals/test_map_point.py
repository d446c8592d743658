"""An optional map point on an appeal: the citizen gives it on the form or through the API, the staff see it with a
link to OpenStreetMap, and no public page (the tracking page included) shows it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from appeals.models import Appeal, AppealStatus
from appeals.retention import appeals_anonymise_expired, appeals_expired
from appeals.services import ApplicantData, appeal_submit

from .conftest import appeal_form_data

pytestmark = pytest.mark.django_db

URL = "/ru/councils/almaty/appeals/new/"
API = "/api/v1/councils/almaty/appeals/"
LATITUDE, LONGITUDE = "43.238949", "76.889709"


def api_payload(**overrides) -> dict:
    data = {
        "applicant_type": "individual",
        "name": "Серикбаев Арман",
        "email": "arman@example.kz",
        "category": "improvement",
        "subject": "Яма на дороге",
        "text": "Глубокая яма на перекрёстке.",
        "language": "ru",
        "personal_data_consent": True,
    }
    data.update(overrides)
    return data


def errors_of(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


# ---- the public form ----------------------------------------------------------------------------------------


def test_the_form_offers_the_point_fields_and_the_location_script(personas, client):
    response = client.get(URL)
    assert 'name="latitude"' in response.text
    assert 'name="longitude"' in response.text
    assert 'id="use-my-location"' in response.text
    # A file of the site's own, not inline: the CSP allows no inline script.
    assert '<script src="/static/js/appeal-location.js" defer></script>' in response.text
    assert "<script>" not in response.text


def test_an_appeal_without_a_point_is_registered_without_one(personas, client):
    response = client.post(URL, appeal_form_data())
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.latitude, appeal.longitude) == (None, None)
    assert not appeal.has_point


def test_an_appeal_with_a_point_stores_it(personas, client):
    response = client.post(URL, appeal_form_data(latitude=LATITUDE, longitude=LONGITUDE))
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.latitude, appeal.longitude) == (Decimal(LATITUDE), Decimal(LONGITUDE))


def test_a_decimal_comma_and_a_long_fraction_are_accepted_and_rounded(personas, client):
    response = client.post(URL, appeal_form_data(latitude="43,2389494", longitude=" 76.88970949 "))
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.latitude, appeal.longitude) == (Decimal("43.238949"), Decimal("76.889709"))


def test_one_coordinate_without_the_other_is_refused_and_everything_typed_is_kept(personas, client):
    response = client.post(URL, appeal_form_data(latitude=LATITUDE, longitude=""))
    assert response.status_code == 400
    assert not Appeal.objects.exists()
    assert errors_of(response, "longitude") == ["Укажите и широту, и долготу или оставьте оба поля пустыми."]
    assert f'value="{LATITUDE}"' in response.text
    assert "Вырубка деревьев в парке" in response.text

    response = client.post(URL, appeal_form_data(latitude="", longitude=LONGITUDE))
    assert errors_of(response, "latitude") == ["Укажите и широту, и долготу или оставьте оба поля пустыми."]


@pytest.mark.parametrize(
    ("latitude", "longitude", "field", "message"),
    [
        ("40.4", "76.9", "latitude", "широта — от 40,5 до 55,5"),
        ("55.51", "76.9", "latitude", "широта — от 40,5 до 55,5"),
        ("43.2", "46.4", "longitude", "долгота — от 46,5 до 87,5"),
        ("43.2", "88", "longitude", "долгота — от 46,5 до 87,5"),
        # Swapped: a latitude of 76.9 is far north of Kazakhstan.
        ("76.889709", "43.238949", "latitude", "широта — от 40,5 до 55,5"),
    ],
)
def test_a_point_outside_kazakhstan_is_refused_with_the_range(personas, client, latitude, longitude, field, message):
    response = client.post(URL, appeal_form_data(latitude=latitude, longitude=longitude))
    assert response.status_code == 400
    assert not Appeal.objects.exists()
    assert message in " ".join(errors_of(response, field))
    assert f'value="{latitude}"' in response.text and f'value="{longitude}"' in response.text


@pytest.mark.parametrize("junk", ["север", "NaN", "Infinity", "1e400", "4" * 60])
def test_a_coordinate_that_is_not_a_number_is_refused(personas, client, junk):
    response = client.post(URL, appeal_form_data(latitude=junk, longitude=LONGITUDE))
    assert response.status_code == 400
    assert errors_of(response, "latitude")
    assert not Appeal.objects.exists()


def test_the_errors_come_in_the_users_language(personas, client):
    response = client.post("/kk/councils/almaty/appeals/new/", appeal_form_data(latitude="60", longitude="70"))
    assert "ендік 40,5-тен 55,5 градусқа дейін" in " ".join(errors_of(response, "latitude"))
    response = client.post("/en/councils/almaty/appeals/new/", appeal_form_data(latitude="60", longitude="70"))
    assert "the latitude is from 40.5 to 55.5 degrees" in " ".join(errors_of(response, "latitude"))


# ---- the database -----------------------------------------------------------------------------------------


def _submit(personas, **point):
    return appeal_submit(
        council=personas.council,
        applicant=ApplicantData(applicant_type="individual", name="Ахметова Динара", email="dinara@example.kz"),
        category="ecology",
        subject="Тема",
        text="Текст",
        personal_data_consent=True,
        **point,
    )


@pytest.mark.parametrize(
    "point",
    [
        {"latitude": Decimal(LATITUDE)},
        {"longitude": Decimal(LONGITUDE)},
        {"latitude": Decimal("39.9"), "longitude": Decimal(LONGITUDE)},
        {"latitude": Decimal(LATITUDE), "longitude": Decimal("90")},
    ],
)
def test_the_database_refuses_half_a_point_or_one_outside_kazakhstan(personas, point):
    with pytest.raises(IntegrityError), transaction.atomic():
        _submit(personas, **point)


# ---- the API ----------------------------------------------------------------------------------------------


def test_the_api_accepts_a_point_as_json_numbers(personas):
    response = APIClient().post(API, api_payload(latitude=43.238949, longitude=76.889709), format="json")
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get()
    assert (appeal.latitude, appeal.longitude) == (Decimal(LATITUDE), Decimal(LONGITUDE))


def test_the_api_accepts_a_point_as_text_in_a_form_post(personas):
    data = {**api_payload(), "personal_data_consent": "true", "latitude": LATITUDE, "longitude": LONGITUDE}
    response = APIClient().post(API, data, format="multipart")
    assert response.status_code == 201, response.content
    assert Appeal.objects.get().longitude == Decimal(LONGITUDE)


def test_the_api_takes_null_as_no_point(personas):
    response = APIClient().post(API, api_payload(latitude=None, longitude=None), format="json")
    assert response.status_code == 201, response.content
    assert not Appeal.objects.get().has_point


def test_the_api_refuses_half_a_point_and_a_point_abroad_per_field(personas):
    half = APIClient().post(API, api_payload(latitude=43.2), format="json")
    assert half.status_code == 400
    assert list(half.json()) == ["longitude"]
    abroad = APIClient().post(API, api_payload(latitude=43.2, longitude=120.5, language="en"), format="json")
    assert abroad.status_code == 400
    assert abroad.json() == {
        "longitude": ["The point must be in Kazakhstan: the longitude is from 46.5 to 87.5 degrees."]
    }
    assert not Appeal.objects.exists()


def test_the_api_schema_documents_the_point(personas, client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    fields = schema["components"]["schemas"]["AppealSubmitRequest"]["properties"]
    assert "null" in fields["latitude"]["type"]  # OpenAPI 3.1
    assert fields["latitude"]["minimum"] == 40.5
    assert fields["longitude"]["maximum"] == 87.5


# ---- who sees it ------------------------------------------------------------------------------------------


@pytest.fixture
def pointed(personas, client) -> Appeal:
    client.post(URL, appeal_form_data(latitude=LATITUDE, longitude=LONGITUDE))
    return Appeal.objects.get()


def test_the_staff_appeal_page_shows_the_point_with_an_openstreetmap_link(personas, pointed):
    for user in (personas.secretary, personas.member):
        response = personas.client_for(user).get(f"/ru/workspace/almaty/appeals/{pointed.number}/")
        assert response.status_code == 200
        link = f"https://www.openstreetmap.org/?mlat={LATITUDE}&amp;mlon={LONGITUDE}#map=16/{LATITUDE}/{LONGITUDE}"
        assert f'href="{link}"' in response.text
        # Printed with a point even in Russian: "43,238949, 76,889709" would be ambiguous.
        assert f"{LATITUDE}, {LONGITUDE}</a>" in response.text


def test_an_appeal_page_without_a_point_has_no_map_link(personas, client):
    client.post(URL, appeal_form_data())
    appeal = Appeal.objects.get()
    response = personas.client_for(personas.secretary).get(f"/ru/workspace/almaty/appeals/{appeal.number}/")
    assert "openstreetmap.org" not in response.text


def test_the_tracking_page_and_api_do_not_show_the_point(pointed, client):
    for language in ("ru", "kk", "en"):
        page = client.get(f"/{language}/appeals/track/{pointed.number}/{pointed.tracking_token}/")
        assert page.status_code == 200
        for needle in (LATITUDE, LONGITUDE, LATITUDE.replace(".", ","), "openstreetmap"):
            assert needle not in page.text, (language, needle)
    tracked = client.get(f"/api/v1/appeals/track/{pointed.number}/", {"token": pointed.tracking_token})
    assert tracked.status_code == 200
    assert "latitude" not in tracked.json()
    assert LATITUDE not in tracked.text and LONGITUDE not in tracked.text


def test_the_csv_export_gives_the_point_to_the_secretary_only(personas, pointed):
    export = "/ru/workspace/almaty/appeals/export.csv"
    by_secretary = personas.client_for(personas.secretary).get(export).getvalue().decode("utf-8-sig")
    by_member = personas.client_for(personas.member).get(export).getvalue().decode("utf-8-sig")
    assert LATITUDE in by_secretary and LONGITUDE in by_secretary
    assert LATITUDE not in by_member and LONGITUDE not in by_member


def test_staff_registration_takes_a_point_too(personas):
    data = appeal_form_data(channel="phone", personal_data_consent="", latitude=LATITUDE, longitude=LONGITUDE)
    data.pop("website")
    response = personas.client_for(personas.secretary).post("/ru/workspace/almaty/appeals/new/", data)
    assert response.status_code == 302
    assert Appeal.objects.get().latitude == Decimal(LATITUDE)


def test_anonymising_an_ended_appeal_clears_its_point(personas, pointed):
    blank = dict.fromkeys(("applicant_name", "email", "place", "subject", "text"), "")
    Appeal.objects.filter(pk=pointed.pk).update(status=AppealStatus.CLOSED, **blank)
    pointed.attachments.all().delete()
    later = timezone.now() + dt.timedelta(days=366 * 6)
    # The point alone is personal data enough to keep the appeal on the retention list.
    assert list(appeals_expired(now=later)) == [Appeal.objects.get(pk=pointed.pk)]
    assert appeals_anonymise_expired(now=later) == 1
    assert not Appeal.objects.get(pk=pointed.pk).has_point
    audit = getattr(Appeal, Appeal._meta.simple_history_manager_attribute)  # the audit copies too
    assert audit.filter(id=pointed.pk).exists()
    assert not audit.filter(id=pointed.pk).exclude(latitude=None).exists()
