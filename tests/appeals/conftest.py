from __future__ import annotations

import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def pdf_file(name: str = "akt.pdf", size: int = 0) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body + b"0" * max(0, size - len(body)), content_type="application/pdf")


def png_file(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")


def docx_file(name: str = "letter.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def appeal_form_data(**overrides) -> dict:
    data = {
        "applicant_type": "individual",
        "name": "Ахметова Динара Сериковна",
        "organisation": "",
        "bin_iin": "",
        "email": "dinara@example.kz",
        "phone": "",
        "address": "",
        "category": "ecology",
        "subject": "Вырубка деревьев в парке",
        "text": "В парке Горького вырубают здоровые деревья без разрешения.",
        "place": "Алматы, парк Горького",
        "personal_data_consent": "on",
        "website": "",
        "submission_key": "3f1c9d2e8a7b4c6d9e0f1a2b3c4d5e6f",
    }
    data.update(overrides)
    return data
