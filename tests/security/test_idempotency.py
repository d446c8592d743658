"""The appeal API's Idempotency-Key (and the web form's submission key) never hands out another applicant's appeal
(issue 12, finding 5): a key is scoped to the client that sent it and bound to the content it came with."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from appeals.models import Appeal
from tests.appeals.conftest import appeal_form_data, pdf_file
from tests.appeals.test_api import payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/councils/almaty/appeals/"
FORM_URL = "/ru/councils/almaty/appeals/new/"


def post(body: dict, *, key: str, client_ip: str = "10.1.1.1", fmt: str = "json"):
    return APIClient().post(URL, body, format=fmt, HTTP_IDEMPOTENCY_KEY=key, REMOTE_ADDR=client_ip)


def test_same_key_and_same_body_from_the_same_client_gives_the_same_appeal(personas):
    first = post(payload(), key="retry-123")
    # The same content with its keys in another order is the same request.
    second = post(dict(reversed(list(payload().items()))), key="retry-123")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert Appeal.objects.count() == 1


def test_same_key_with_another_body_is_422_and_tells_nothing_of_the_first_appeal(personas):
    first = post(payload(), key="retry-123")
    appeal = Appeal.objects.get()

    second = post(payload(subject="Совсем другое обращение", text="Другой текст."), key="retry-123")

    assert first.status_code == 201
    assert second.status_code == 422
    body = second.content.decode()
    assert appeal.number not in body and appeal.tracking_token not in body
    assert set(second.json()) == {"non_field_errors"}
    assert Appeal.objects.count() == 1


def test_same_key_from_another_client_is_a_new_key(personas):
    first = post(payload(), key="retry-123", client_ip="10.1.1.1")
    # An attacker who guessed (or saw) the key, sending anything at all.
    other = post(payload(name="Злоумышленник", subject="Любое"), key="retry-123", client_ip="10.6.6.6")

    assert (first.status_code, other.status_code) == (201, 201)
    mine, theirs = Appeal.objects.get(subject="Свалка у реки"), Appeal.objects.get(subject="Любое")
    assert other.json()["number"] == theirs.number != mine.number
    assert mine.tracking_token not in other.content.decode()


def test_same_key_with_another_attachment_is_422(personas):
    body = {**payload(), "personal_data_consent": "true"}
    first = post({**body, "attachments": pdf_file("akt.pdf")}, key="files-1", fmt="multipart")
    same = post({**body, "attachments": pdf_file("akt.pdf")}, key="files-1", fmt="multipart")
    other = post({**body, "attachments": pdf_file("akt.pdf", size=4096)}, key="files-1", fmt="multipart")

    assert (first.status_code, same.status_code, other.status_code) == (201, 200, 422)
    assert Appeal.objects.get().attachments.count() == 1


def test_web_form_sent_again_with_other_content_keeps_the_text_and_reveals_nothing(personas, client):
    assert client.post(FORM_URL, appeal_form_data()).status_code == 302
    appeal = Appeal.objects.get()

    response = client.post(FORM_URL, appeal_form_data(text="Исправленный текст обращения."))

    assert response.status_code == 422
    html = response.content.decode()
    assert "Исправленный текст обращения." in html
    assert appeal.number not in html and appeal.tracking_token not in html
    # The form now carries a fresh key: sent again, it is a new appeal.
    key = response.context["form"]["submission_key"].value()
    assert key != appeal_form_data()["submission_key"]
    resent = client.post(FORM_URL, appeal_form_data(text="Исправленный текст обращения.", submission_key=key))
    assert resent.status_code == 302
    assert Appeal.objects.count() == 2


def test_web_form_key_from_another_client_does_not_lead_to_the_first_appeal(personas, client):
    client.post(FORM_URL, appeal_form_data())
    appeal = Appeal.objects.get()

    response = client.post(FORM_URL, appeal_form_data(), REMOTE_ADDR="10.6.6.6")

    assert response.status_code == 302
    assert appeal.tracking_token not in response["Location"]
    assert Appeal.objects.count() == 2
