"""The public appeals API: the same rules as the form; tracking by number and secret token."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from appeals.models import Appeal

from .conftest import pdf_file

pytestmark = pytest.mark.django_db

URL = "/api/v1/councils/almaty/appeals/"


def payload(**overrides) -> dict:
    data = {
        "applicant_type": "legal_entity",
        "name": "Серикбаев Арман",
        "organisation": "ОО «Зелёный Алматы»",
        "email": "office@green.kz",
        "phone": "+7 701 555 44 33",
        "address": "Алматы, ул. Абая 1",
        "category": "ecology",
        "subject": "Свалка у реки",
        "text": "У реки Есентай образовалась стихийная свалка.",
        "language": "ru",
        "personal_data_consent": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def api():
    return APIClient()


def test_post_json_registers_an_appeal_and_answers_201_with_number_and_tracking_url(personas, api):
    response = api.post(URL, payload(), format="json")
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get()
    assert response.json() == {
        "number": appeal.number,
        "tracking_url": response.json()["tracking_url"],
    }
    assert appeal.tracking_token in response.json()["tracking_url"]
    assert appeal.organisation == "ОО «Зелёный Алматы»"


def test_multipart_post_with_an_attachment(personas, api):
    data = {**payload(), "personal_data_consent": "true", "attachments": pdf_file()}
    response = api.post(URL, data, format="multipart")
    assert response.status_code == 201, response.content
    assert Appeal.objects.get().attachments.count() == 1


def test_missing_consent_and_fields_answer_400_with_per_field_errors(personas, api):
    response = api.post(URL, payload(personal_data_consent=False, subject="", category="weather"), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) >= {"personal_data_consent", "subject", "category"}
    assert Appeal.objects.count() == 0


def test_errors_come_in_the_appeals_language(personas, api):
    response = api.post(URL, payload(language="en", email="", phone=""), format="json")
    assert "Give an e-mail or a phone number" in response.json()["email"][0]


def test_a_retry_with_the_same_idempotency_key_gives_the_same_appeal(personas, api):
    first = api.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="retry-123")
    second = api.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="retry-123")
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json() == second.json()
    assert Appeal.objects.count() == 1


def test_unknown_council_is_404(personas, api):
    assert api.post("/api/v1/councils/nowhere/appeals/", payload(), format="json").status_code == 404


def test_track_gives_status_history_and_deadline_and_404_on_a_wrong_token(personas, api):
    api.post(URL, payload(), format="json")
    appeal = Appeal.objects.get()
    url = f"/api/v1/appeals/track/{appeal.number}/"
    assert api.get(url, {"token": "guess"}).status_code == 404
    assert api.get(url).status_code == 404
    body = api.get(url, {"token": appeal.tracking_token}).json()
    assert body["status"] == "registered"
    assert body["deadline"] == appeal.due_date.isoformat()
    assert [h["status"] for h in body["history"]] == ["registered"]
    assert body["answer"] is None
    # The tracking answer carries no personal data.
    text = str(body)
    for private in ("Серикбаев", "office@green.kz", "+7 701", "Есентай", "Абая"):
        assert private not in text


def test_too_many_json_appeals_from_one_email_are_refused(personas, api, settings):
    # The e-mail of a JSON body is not in request.POST: the limit must read it from the submission itself.
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_RATE_PER_EMAIL": "1/h"}
    assert api.post(URL, payload(), format="json").status_code == 201
    response = api.post(URL, payload(subject="Ещё раз"), format="json", REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429
    assert Appeal.objects.count() == 1


def test_an_unknown_language_is_refused_with_400_not_answered_in_russian(personas, api):
    response = api.post(URL, payload(language="de"), format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["language"]
    assert "ru, kk, en" in response.json()["language"][0]
    assert Appeal.objects.count() == 0


def test_the_unknown_language_error_is_in_the_readers_language(personas, api):
    response = api.post(URL, payload(language="xx"), format="json", HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 400
    assert response.json()["language"][0] == "Бұл тіл қолжетімсіз; мүмкін тілдер: ru, kk, en."


def test_the_appeal_keeps_the_language_it_was_written_in(personas, api):
    response = api.post(URL, payload(language="kk"), format="json")
    assert response.status_code == 201, response.content
    assert Appeal.objects.get().language == "kk"
