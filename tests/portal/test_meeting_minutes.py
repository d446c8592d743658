"""A public meeting page offers the signed minutes when the meeting is open and they are on file; a closed
meeting's minutes are neither linked nor downloadable (hearings.selectors.public_meeting's rule)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _meeting(council, *, is_open: bool, with_minutes: bool = True):
    meeting = f.MeetingFactory(council=council, is_open=is_open)
    if with_minutes:
        meeting.minutes.save("signed.pdf", SimpleUploadedFile("signed.pdf", PDF), save=True)
    return meeting


def test_open_meeting_page_offers_its_signed_minutes(personas):
    meeting = _meeting(personas.council, is_open=True)

    html = Client().get(f"/ru/councils/almaty/meetings/{meeting.pk}/").content.decode()
    assert f'href="/ru/councils/almaty/meetings/{meeting.pk}/minutes/"' in html
    assert "Подписанный протокол заседания" in html

    response = Client().get(f"/ru/councils/almaty/meetings/{meeting.pk}/minutes/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


def test_closed_meeting_minutes_are_not_linked_nor_downloadable(personas):
    meeting = _meeting(personas.council, is_open=False)

    html = Client().get(f"/ru/councils/almaty/meetings/{meeting.pk}/").content.decode()
    assert "/minutes/" not in html
    assert Client().get(f"/ru/councils/almaty/meetings/{meeting.pk}/minutes/").status_code == 404


def test_meeting_without_minutes_has_no_link(personas):
    meeting = _meeting(personas.council, is_open=True, with_minutes=False)

    html = Client().get(f"/ru/councils/almaty/meetings/{meeting.pk}/").content.decode()
    assert "/minutes/" not in html
    assert Client().get(f"/ru/councils/almaty/meetings/{meeting.pk}/minutes/").status_code == 404


def test_another_councils_meeting_minutes_are_404(personas):
    meeting = _meeting(personas.other_council, is_open=True)

    assert Client().get(f"/ru/councils/almaty/meetings/{meeting.pk}/minutes/").status_code == 404
