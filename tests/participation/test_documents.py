"""A hearing's documents and a draft's text: files checked by their content, served as downloads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participation.models import HearingDocument

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_document_must_be_a_real_file_and_is_then_public(personas, client, open_hearing, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    secretary = personas.client_for(personas.secretary)
    url = reverse("participation_ws:document_add", kwargs={"slug": personas.council.slug, "pk": open_hearing.pk})
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    refused = secretary.post(url, {"title": "Отчёт о возможных воздействиях", "file": fake})

    assert refused.status_code == 400
    assert "Отчёт о возможных воздействиях" in refused.content.decode()  # what was typed is kept
    assert HearingDocument.objects.count() == 0

    taken = secretary.post(url, {"title": "Отчёт", "file": SimpleUploadedFile("r.pdf", PDF)})

    assert taken.status_code == 302
    document = HearingDocument.objects.get()
    download = client.get(
        reverse(
            "reports:hearing_document",
            kwargs={"slug": personas.council.slug, "pk": open_hearing.pk, "document_id": document.pk},
        )
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_a_link_document_redirects_and_a_document_needs_a_file_or_a_link(personas, client, open_hearing):
    secretary = personas.client_for(personas.secretary)
    url = reverse("participation_ws:document_add", kwargs={"slug": personas.council.slug, "pk": open_hearing.pk})

    assert secretary.post(url, {"title": "Пустой"}).status_code == 400
    secretary.post(url, {"title": "На сайте оператора", "url": "https://example.kz/ovos.pdf"})

    document = HearingDocument.objects.get()
    response = client.get(
        reverse(
            "reports:hearing_document",
            kwargs={"slug": personas.council.slug, "pk": open_hearing.pk, "document_id": document.pk},
        )
    )
    assert response.status_code == 302 and response["Location"] == "https://example.kz/ovos.pdf"


def test_a_member_cannot_add_documents(personas, open_hearing):
    url = reverse("participation_ws:document_add", kwargs={"slug": personas.council.slug, "pk": open_hearing.pk})

    response = personas.client_for(personas.member).post(url, {"title": "x", "url": "https://example.kz/"})

    assert response.status_code == 403
    assert HearingDocument.objects.count() == 0


def test_the_eia_notice_rule_refuses_a_late_notice_with_the_latest_date(personas, open_hearing, today):
    import datetime as dt

    from django.utils import translation

    with translation.override("en"):
        url = reverse("participation_ws:hearing", kwargs={"slug": personas.council.slug, "pk": open_hearing.pk})
    data = {
        "kind": "eia",
        "project": open_hearing.project,
        "operator": open_hearing.operator,
        "notice_date": (open_hearing.date - dt.timedelta(days=10)).isoformat(),
        "comments_open": (open_hearing.date - dt.timedelta(days=9)).isoformat(),
        "comments_close": (open_hearing.date - dt.timedelta(days=1)).isoformat(),
    }

    response = personas.client_for(personas.secretary).post(url, data)

    assert response.status_code == 400
    assert "at least 20 working days before the hearing" in response.content.decode()
    assert "The latest notice date is" in response.content.decode()
    open_hearing.refresh_from_db()
    assert open_hearing.notice_date == today - dt.timedelta(days=30)


def test_the_notice_minimum_counts_working_days_past_holidays(personas):
    """A hearing on Friday 20 September 2019: 20 working days back, past Constitution Day (Friday 30 August, a
    holiday), the latest notice is Thursday 22 August; a notice on the 23rd is one working day short."""
    import datetime as dt

    from django.core.exceptions import ValidationError

    from core.models import CalendarDay, CalendarKind
    from participation.services import ConsultationData, hearing_consultation_update
    from tests import factories as f

    # The holiday as the calendar's data migration enters it (a test that flushed the table may have left none).
    CalendarDay.objects.update_or_create(
        date=dt.date(2019, 8, 30), defaults={"kind": CalendarKind.HOLIDAY, "name": "День Конституции"}
    )
    hearing = f.PublicHearingFactory(council=personas.council, date=dt.date(2019, 9, 20))

    def notice(day: dt.date) -> None:
        data = ConsultationData(kind="eia", project="Карьер", operator="ТОО «Недра»", notice_date=day)
        hearing_consultation_update(hearing=hearing, data=data)

    notice(dt.date(2019, 8, 22))
    with pytest.raises(ValidationError) as refused:
        notice(dt.date(2019, 8, 23))

    assert "22.08.2019" in str(refused.value)
