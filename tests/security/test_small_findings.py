"""The review's smaller findings (issue 12, finding 9), each with the behaviour that protects against it.

- the feeds' ETag is built from the validated year only (a raw `?year=` broke the header or the response);
- a deeply nested JSON body is a 400 with a message, not a RecursionError;
- an attachment added in the admin is checked by its content and gets its size, and a refused one leaves no file;
- during a database outage the API answers JSON with Retry-After, and the log line names the route, never the
  tracking token in the path;
- password reset is limited per client (429) and per address (silently, the same page as always).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from appeals.models import Appeal, AppealAttachment
from tests.factories import AppealFactory
from tests.ops.test_database_outage import database_refusing_connections

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# An ETag is a quoted string of visible characters other than the quote (RFC 9110, 8.8.3), weak or strong.
ETAG = re.compile(r'^(W/)?"[\x21\x23-\x7e]*"$')


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# ---- the feeds' ETag ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/ru/councils/almaty/feed/", "/ru/councils/almaty/feed.rss", "/ru/councils/almaty/meetings.ics"]
)
@pytest.mark.parametrize("year", ["\r\n", '"', '2019"', "2019\r\nX-Injected: 1"])
def test_feed_etag_is_well_formed_whatever_the_year_parameter(personas, url, year):
    response = Client().get(url, {"year": year})

    assert response.status_code == 200
    assert ETAG.match(response["ETag"]), response["ETag"]
    assert "X-Injected" not in response


@pytest.mark.django_db
def test_feed_etag_still_differs_by_valid_year(personas):
    client = Client()
    tags = {client.get("/ru/councils/almaty/feed/", {"year": y})["ETag"] for y in ("2019", "2020", "")}

    assert len(tags) == 3


# ---- deeply nested JSON -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_deeply_nested_json_to_the_appeal_api_is_a_400_with_a_message(personas):
    body = '{"a":' * 100_000 + "1" + "}" * 100_000

    response = APIClient().post(
        "/api/v1/councils/almaty/appeals/", data=body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
    assert Appeal.objects.count() == 0


@pytest.mark.django_db
def test_nested_json_message_is_translated(personas):
    body = "[" * 5000 + "]" * 5000

    response = APIClient().post(
        "/api/v1/councils/almaty/appeals/", data=body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru"
    )

    assert response.status_code == 400
    assert "вложенность" in response.json()["detail"]


def test_json_depth_skips_brackets_inside_strings():
    from core.parsers import json_depth

    assert json_depth('{"text": "[[[[{{{{", "n": [1, [2]]}') == 3
    assert json_depth('{"quote": "a \\" [[[ b"}') == 1
    assert json_depth("[]") == 1


# ---- an attachment added in the admin -------------------------------------------------------------------------


def _admin_attachment_formset(rf, appeal: Appeal, upload: SimpleUploadedFile):
    """The admin's own inline formset for the appeal's attachments, bound to one new file."""
    request = rf.post("/")
    request.user = User.objects.create_superuser("root", "root@example.kz", "not-a-real-password")
    inline = next(
        i for i in admin.site._registry[Appeal].get_inline_instances(request, appeal) if i.model is AppealAttachment
    )
    formset_class = inline.get_formset(request, appeal)
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-message": "",
    }
    return formset_class(data, {f"{prefix}-0-file": upload}, instance=appeal, prefix=prefix)


@pytest.mark.django_db
def test_admin_attachment_gets_its_size_and_type_from_the_file(rf, personas, settings):
    appeal = AppealFactory(council=personas.council)
    formset = _admin_attachment_formset(rf, appeal, SimpleUploadedFile("akt.pdf", PDF, content_type="text/plain"))

    assert formset.is_valid(), formset.errors
    formset.save()

    attachment = appeal.attachments.get()
    assert attachment.size == len(PDF)
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "akt.pdf"
    assert stored_files(Path(settings.MEDIA_ROOT)) == [Path(attachment.file.path)]


@pytest.mark.django_db
def test_admin_attachment_that_is_not_a_document_is_refused_and_leaves_no_file(rf, personas, settings):
    appeal = AppealFactory(council=personas.council)
    disguised = SimpleUploadedFile("akt.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    formset = _admin_attachment_formset(rf, appeal, disguised)

    with translation.override("en"):
        assert not formset.is_valid()
        assert "is not a PDF, JPEG, PNG or DOCX file" in str(formset.errors)
    assert appeal.attachments.count() == 0
    assert stored_files(Path(settings.MEDIA_ROOT)) == []


# ---- a database outage --------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_api_answers_json_with_retry_after_while_the_database_refuses(personas):
    client = APIClient()
    with database_refusing_connections():
        response = client.get("/api/v1/appeals/track/ALM-2025-000001/", {"token": "x"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) > 0
    assert "temporarily unavailable" in response.json()["detail"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_outage_log_line_names_the_route_never_the_tracking_token(personas, caplog):
    appeal = AppealFactory(council=personas.council, tracking_token="secret-token-of-the-applicant")
    path = f"/en/appeals/track/{appeal.number}/{appeal.tracking_token}/"
    caplog.set_level(logging.INFO)

    with database_refusing_connections():
        response = Client().get(path)

    assert response.status_code == 503
    lines = [r.getMessage() for r in caplog.records if r.name == "core.middleware"]
    assert any("database unavailable: GET appeals:track answered 503" in line for line in lines), lines
    assert all(appeal.tracking_token not in line for line in lines)


# ---- password reset -----------------------------------------------------------------------------------------

RESET = "/en/accounts/password_reset/"


@pytest.fixture
def staff_user(db):
    return User.objects.create_user("secretary", "secretary@example.kz", "not-a-real-password", is_staff=True)


@pytest.mark.django_db
def test_password_reset_sends_at_most_the_limit_per_address_and_answers_the_same(staff_user, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "PASSWORD_RESET_RATE_PER_EMAIL": "2/h"}
    answers = [Client().post(RESET, {"email": staff_user.email}, REMOTE_ADDR=f"10.0.0.{i}") for i in range(1, 5)]

    # Every answer is the usual "check your mail" redirect: nothing tells the third from the first.
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, "/en/accounts/password_reset/done/")] * 4
    assert len(mail.outbox) == 2
    # Another address is not held back by this one's limit.
    other = User.objects.create_user("member", "member@example.kz", "not-a-real-password")
    Client().post(RESET, {"email": other.email}, REMOTE_ADDR="10.0.0.9")
    assert mail.outbox[-1].to == [other.email]


@pytest.mark.django_db
def test_password_reset_flood_from_one_client_is_refused_with_429(staff_user, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "PASSWORD_RESET_RATE_PER_IP": "3/h"}
    client = Client()
    for i in range(3):
        assert client.post(RESET, {"email": f"nobody{i}@example.kz"}).status_code == 302

    response = client.post(RESET, {"email": staff_user.email})

    assert response.status_code == 429
    assert "Too many password reset requests" in response.content.decode()
    assert mail.outbox == []
    # Another client is not affected.
    assert Client().post(RESET, {"email": staff_user.email}, REMOTE_ADDR="10.9.9.9").status_code == 302
    assert len(mail.outbox) == 1
