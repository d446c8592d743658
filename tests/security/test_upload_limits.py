"""Request bodies and citizens' messages are capped before they reach the disk (issue 12, finding 4).

A body is streamed to the view as it is read (`StreamedUpload`), so a test can tell whether the portal read any
of it and how large the upload folder (FILE_UPLOAD_TEMP_DIR) grew meanwhile: a refusal must come before both.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import Client

from appeals.models import Appeal, AppealMessage
from core.limits import BodyLimitUploadHandler, RequestBodyTooLarge
from tests.appeals.conftest import appeal_form_data, pdf_file
from tests.factories import AppealFactory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
BOUNDARY = "----oversight-test-boundary"


def folder_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


class StreamedUpload:
    """A multipart body (some text fields and one PDF of `size` bytes) made as it is read, never held whole. It
    notes how many bytes the server read and the largest size `watch` reached while it did."""

    def __init__(self, *, size: int, watch: Path, fields: dict[str, str] | None = None) -> None:
        head = "".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in (fields or {}).items()
        )
        head += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="attachments"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        )
        self.head, self.tail = head.encode(), f"\r\n--{BOUNDARY}--\r\n".encode()
        self.length = len(self.head) + size + len(self.tail)
        self.position = 0
        self.watch = watch
        self.bytes_read = 0
        self.largest_folder = 0

    def read(self, size: int = -1) -> bytes:
        end = self.length if size is None or size < 0 else min(self.length, self.position + size)
        out = bytearray()
        body_start, tail_start = len(self.head), self.length - len(self.tail)
        while self.position < end:
            if self.position < body_start:
                piece = self.head[self.position : min(end, body_start)]
            elif self.position < tail_start:
                piece = b"0" * (min(end, tail_start) - self.position)
            else:
                piece = self.tail[self.position - tail_start : end - tail_start]
            out += piece
            self.position += len(piece)
        self.bytes_read += len(out)
        self.largest_folder = max(self.largest_folder, folder_size(self.watch))
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:  # part of the WSGI input interface; unused by Django's parser
        return self.read(size)

    def post(self, client: Client, url: str, **extra) -> object:
        return client.generic(
            "POST",
            url,
            **{
                "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
                "CONTENT_LENGTH": str(self.length),
                "wsgi.input": self,
                **extra,
            },
        )


@pytest.fixture
def upload_dir(settings, tmp_path) -> Path:
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def appeal(personas) -> Appeal:
    return AppealFactory(council=personas.council, tracking_token="tracking-token-of-the-applicant")


def track_url(appeal: Appeal, language: str = "en") -> str:
    return f"/{language}/appeals/track/{appeal.number}/{appeal.tracking_token}/"


CSRF_SECRET = "k" * 32


def csrf_client() -> Client:
    """A browser-like client: CSRF enforced (its check reads the body of every POST), holding a CSRF cookie."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF_SECRET
    return client


def csrf_headers(client: Client) -> dict[str, str]:
    return {"HTTP_X_CSRFTOKEN": CSRF_SECRET}


# ---- the size of a request -----------------------------------------------------------------------------------


def test_a_200_mb_message_is_refused_before_its_body_is_read(appeal, upload_dir, caplog):
    url = track_url(appeal)
    client = csrf_client()
    body = StreamedUpload(size=200 * MB, watch=upload_dir, fields={"text": "Мой текст"})
    caplog.set_level(logging.INFO)

    response = body.post(client, url, **csrf_headers(client))

    assert response.status_code == 413
    assert body.bytes_read == 0
    assert body.largest_folder == 0
    assert "Too large to send" in response.content.decode()
    assert AppealMessage.objects.count() == 0
    # The refusal is logged by the view's name: the path would give away the tracking token.
    lines = [record.getMessage() for record in caplog.records]
    assert any("Request Entity Too Large: appeals:track" in line for line in lines), lines
    assert all(appeal.tracking_token not in line for line in lines)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_200_mb_appeal_form_is_refused_in_the_visitors_language(personas, upload_dir, language):
    url = f"/{language}/councils/almaty/appeals/new/"
    client = csrf_client()
    body = StreamedUpload(size=200 * MB, watch=upload_dir, fields={"subject": "Тема"})

    response = body.post(client, url, **csrf_headers(client))

    assert response.status_code == 413
    assert body.bytes_read == 0 and body.largest_folder == 0
    title = {"ru": "Слишком большой объём", "en": "Too large to send"}[language]
    assert title in response.content.decode()
    assert Appeal.objects.count() == 0


def test_a_200_mb_api_request_is_refused_with_json(personas, upload_dir):
    body = StreamedUpload(size=200 * MB, watch=upload_dir)

    response = body.post(Client(), "/api/v1/councils/almaty/appeals/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 413
    assert "200.0\xa0MB" in response.json()["detail"]
    assert body.bytes_read == 0 and body.largest_folder == 0


def test_a_page_that_takes_no_files_refuses_a_much_smaller_body(personas, upload_dir, settings):
    client = csrf_client()
    body = StreamedUpload(size=settings.OVERSIGHT["REQUEST_MAX_BYTES"], watch=upload_dir)

    response = body.post(client, "/en/accounts/login/", **csrf_headers(client))

    assert response.status_code == 413
    assert body.bytes_read == 0


def test_a_signed_in_secretary_may_send_as_much_as_an_upload_page(personas, upload_dir, settings):
    """Staff upload minutes and documents on many pages: their limit is the upload limit, not the small one."""
    client = csrf_client()
    client.force_login(personas.secretary)
    body = StreamedUpload(size=5 * MB, watch=upload_dir)

    response = body.post(client, "/en/workspace/", **csrf_headers(client))

    assert response.status_code != 413
    assert body.bytes_read > 0


def test_files_longer_than_announced_stop_at_the_limit(rf, upload_dir):
    """A body that says it is small but is not (a chunked body passed through, or ASGI, which reads the body
    before any middleware): the handler first in line stops the parse once the files pass the limit, and the
    part already written is removed."""
    body = StreamedUpload(size=3 * MB, watch=upload_dir)
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": "1000"}
    request = rf.post("/")
    request.upload_handlers = [BodyLimitUploadHandler(request, limit=1 * MB), TemporaryFileUploadHandler(request)]

    with pytest.raises(RequestBodyTooLarge):
        MultiPartParser(meta, body, request.upload_handlers).parse()

    assert body.bytes_read < 2 * MB
    assert body.largest_folder <= 1 * MB
    assert folder_size(upload_dir) == 0


# ---- citizens' messages: rate limits and quota -----------------------------------------------------------------


def send_message(client: Client, appeal: Appeal, text: str = "Дополнение", **extra):
    return client.post(track_url(appeal), {"text": text, "attachments": pdf_file()}, **extra)


def test_the_message_over_the_per_appeal_limit_is_429_before_its_body_is_read(appeal, upload_dir, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_MESSAGE_RATE_PER_APPEAL": "2/h"}
    # From different addresses: the limit is the appeal's, whoever sends.
    assert send_message(Client(), appeal, REMOTE_ADDR="10.0.0.1").status_code == 302
    assert send_message(Client(), appeal, REMOTE_ADDR="10.0.0.2").status_code == 302
    body = StreamedUpload(size=5 * MB, watch=upload_dir, fields={"text": "Третье"})

    response = body.post(Client(), track_url(appeal), REMOTE_ADDR="10.0.0.3")

    assert response.status_code == 429
    assert body.bytes_read == 0 and body.largest_folder == 0
    assert "Too many messages were sent in a short time" in response.content.decode()
    assert AppealMessage.objects.count() == 2


def test_the_message_over_the_per_client_limit_is_429(personas, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_MESSAGE_RATE_PER_IP": "2/h"}
    appeals = [AppealFactory(council=personas.council, tracking_token=f"token-{i}") for i in range(3)]
    client = Client()

    answers = [send_message(client, a).status_code for a in appeals]

    assert answers == [302, 302, 429]
    # Another client may still write.
    assert send_message(Client(), appeals[2], REMOTE_ADDR="10.0.0.9").status_code == 302


def test_documents_over_the_appeals_storage_quota_are_refused_and_the_text_kept(appeal, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_STORAGE_QUOTA_BYTES": 1 * MB}
    first = Client().post(track_url(appeal), {"text": "Акт", "attachments": pdf_file(size=900 * 1024)})
    assert first.status_code == 302

    response = Client().post(
        track_url(appeal), {"text": "Мой подробный текст", "attachments": pdf_file("second.pdf", size=200 * 1024)}
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert "Мой подробный текст" in html
    assert "this appeal has room for" in html
    assert AppealMessage.objects.count() == 1
    # A text without documents still fits.
    assert Client().post(track_url(appeal), {"text": "Только текст"}).status_code == 302


def test_documents_that_cannot_fit_the_quota_are_refused_unread(appeal, upload_dir, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_STORAGE_QUOTA_BYTES": 1 * MB}
    body = StreamedUpload(size=5 * MB, watch=upload_dir, fields={"text": "Текст"})

    response = body.post(Client(), track_url(appeal))

    assert response.status_code == 413
    assert body.bytes_read == 0 and body.largest_folder == 0
    assert "larger than the room left for this appeal" in response.content.decode()


def test_an_appeal_takes_at_most_its_number_of_messages(appeal, upload_dir, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_MESSAGES_MAX": 2}
    assert send_message(Client(), appeal).status_code == 302
    assert send_message(Client(), appeal).status_code == 302
    body = StreamedUpload(size=1 * MB, watch=upload_dir, fields={"text": "Третье"})

    response = body.post(Client(), track_url(appeal))

    assert response.status_code == 403
    assert body.bytes_read == 0
    assert "as many messages as it can take" in response.content.decode()
    assert AppealMessage.objects.count() == 2


def test_a_message_within_the_limits_is_still_accepted(appeal, upload_dir):
    response = Client().post(track_url(appeal), {"text": "Дополнение", "attachments": pdf_file(size=3 * MB)})

    assert response.status_code == 302
    message = AppealMessage.objects.get()
    assert message.attachments.get().size == 3 * MB
    assert folder_size(upload_dir) == 0  # the temporary file is gone once stored


def test_appeal_form_data_still_registers(personas, client):
    """The public form (a page that takes files) is unchanged for a normal appeal with a document."""
    response = client.post("/ru/councils/almaty/appeals/new/", {**appeal_form_data(), "attachments": pdf_file()})

    assert response.status_code == 302
    assert Appeal.objects.get().attachments.count() == 1


def test_the_tracking_page_still_requires_the_csrf_token(appeal):
    """The view checks CSRF itself, after the limits: a post without the token is still refused."""
    client = csrf_client()

    refused = client.post(track_url(appeal), {"text": "Без токена"})
    accepted = client.post(track_url(appeal), {"text": "С токеном"}, **csrf_headers(client))

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert list(AppealMessage.objects.values_list("text", flat=True)) == ["С токеном"]


def test_a_refused_message_is_logged_without_the_tracking_token(appeal, settings, caplog):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_MESSAGE_RATE_PER_APPEAL": "1/h"}
    send_message(Client(), appeal)
    caplog.set_level(logging.INFO)

    assert send_message(Client(), appeal).status_code == 429

    lines = [record.getMessage() for record in caplog.records]
    assert any("Too Many Requests: appeals:track" in line for line in lines), lines
    assert all(appeal.tracking_token not in line for line in lines)
