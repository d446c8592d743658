"""The library: documents with a file or a link, checked by content, found by their words, public once published."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, TestCase
from django.urls import reverse

from library.models import Document
from library.selectors import public_documents, search_documents
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _no_cache():
    cache.clear()
    yield
    cache.clear()


def _form(**overrides):
    data = {
        "title": "Бюллетень о состоянии окружающей среды Атырауской области",
        "kind": "report",
        "topic": "air",
        "language": "ru",
        "published_on": "2019-04-25",
        "source": "Казгидромет",
        "summary": "Качество воздуха в Атырау",
        "url": "",
        "is_published": "on",
    }
    data.update(overrides)
    return data


def _add_url(personas) -> str:
    return reverse("library_ws:document_add", kwargs={"slug": personas.council.slug})


def test_an_uploaded_pdf_is_stored_under_a_name_the_portal_makes(personas, settings):
    client = personas.client_for(personas.secretary)
    upload = ("../../etc/отчёт.pdf", PDF, "application/pdf")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(_add_url(personas), {**_form(), "file": SimpleUploadedFile(*upload)})

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.file.name.startswith("library/") and document.file.name.endswith(".pdf")
    assert ".." not in document.file.name and "etc" not in document.file.name
    assert document.original_name.endswith("отчёт.pdf")
    assert (Path(settings.MEDIA_ROOT) / document.file.name).read_bytes() == PDF
    download = Client().get(reverse("reports:library_document_file", args=[personas.council.slug, document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_kept(personas, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = personas.client_for(personas.secretary)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")

    response = client.post(_add_url(personas), {**_form(title="Оставить этот текст"), "file": fake})

    assert response.status_code == 400
    assert "its content was checked" in response.content.decode() or "проверялось" in response.content.decode()
    assert "Оставить этот текст" in response.content.decode()  # nothing typed is lost
    assert Document.objects.count() == 0
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_document_needs_a_link_or_a_file(personas):
    client = personas.client_for(personas.secretary)

    response = client.post(_add_url(personas), _form())

    assert response.status_code == 400
    assert Document.objects.count() == 0


def test_a_javascript_link_is_refused(personas):
    client = personas.client_for(personas.secretary)

    response = client.post(_add_url(personas), _form(url="javascript:alert(1)"))

    assert response.status_code == 400
    assert Document.objects.count() == 0


def test_a_member_cannot_add_and_another_council_cannot_see(personas):
    document = f.DocumentFactory(council=personas.council)
    detail = reverse("library_ws:document_detail", args=[personas.council.slug, document.pk])

    assert personas.client_for(personas.member).post(_add_url(personas), _form(url="https://a.kz")).status_code == 403
    assert personas.client_for(personas.other_secretary).get(detail).status_code == 404
    own_slug = reverse("library_ws:document_detail", args=[personas.other_council.slug, document.pk])
    assert personas.client_for(personas.other_secretary).get(own_slug).status_code == 404


def test_a_draft_is_nowhere_public_until_published(personas):
    draft = f.DocumentFactory(council=personas.council, title="Черновик отчёта ZQX", is_published=False)
    slug = personas.council.slug
    client = Client()

    assert "ZQX" not in client.get(reverse("reports:library", args=[slug])).content.decode()
    assert client.get(reverse("reports:library_document", args=[slug, draft.pk])).status_code == 404
    assert "ZQX" not in client.get(reverse("reports:library_feed", args=[slug])).content.decode()
    assert "ZQX" not in client.get("/api/v1/library-documents/").content.decode()

    draft.is_published = True
    draft.save()
    cache.clear()

    assert "ZQX" in client.get(reverse("reports:library", args=[slug])).content.decode()
    assert client.get(reverse("reports:library_document", args=[slug, draft.pk])).status_code == 200
    assert "ZQX" in client.get("/api/v1/library-documents/").content.decode()


def test_the_public_list_filters_by_kind_topic_language_and_year(personas):
    slug = personas.council.slug
    f.DocumentFactory(council=personas.council, title="Закон о доступе к информации", kind="law", topic="rights")
    f.DocumentFactory(council=personas.council, title="Су сапасы", language="kk", published_on=dt.date(2018, 8, 1))
    page = Client().get

    laws = page(reverse("reports:library", args=[slug]), {"kind": "law"}).content.decode()
    kazakh = page(reverse("reports:library", args=[slug]), {"language": "kk"}).content.decode()
    of_2018 = page(reverse("reports:library", args=[slug]), {"year": "2018"}).content.decode()
    nonsense = page(reverse("reports:library", args=[slug]), {"kind": "<script>", "year": "x"})

    assert "Закон о доступе" in laws and "Су сапасы" not in laws
    assert "Су сапасы" in kazakh and "Закон о доступе" not in kazakh
    assert "Су сапасы" in of_2018 and "Закон о доступе" not in of_2018
    assert nonsense.status_code == 200


def test_search_finds_russian_words_in_another_form_and_kazakh_words_as_written(personas):
    f.DocumentFactory(council=personas.council, title="Загрязнение воды реки Жайык", summary="")
    f.DocumentFactory(council=personas.council, title="Жайық өзенінің су сапасы", language="kk", summary="")
    f.DocumentFactory(council=personas.council, title="Отходы бурения", summary="")
    documents = public_documents(council=personas.council)

    kazakh = [d.title for d in search_documents(documents, "сапасы")]
    assert kazakh == ["Жайық өзенінің су сапасы"]
    if connection.vendor == "postgresql":
        # Russian stemming: «загрязнения» finds «Загрязнение».
        assert [d.title for d in search_documents(documents, "загрязнения")] == ["Загрязнение воды реки Жайык"]


def test_the_atom_feed_lists_the_newest_documents(personas):
    f.DocumentFactory(council=personas.council, title="Пособие по участию общественности", kind="manual")

    response = Client().get(reverse("reports:library_feed", args=[personas.council.slug]))

    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Пособие по участию общественности"]


def test_the_open_api_filters_documents_and_links_their_file(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    f.DocumentFactory(council=personas.council, title="Закон", kind="law")
    with_file = f.DocumentFactory(
        council=personas.council,
        title="Отчёт с файлом",
        url="",
        file=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
    )

    laws = Client().get("/api/v1/library-documents/", {"kind": "law"}).json()
    reports = Client().get("/api/v1/library-documents/", {"kind": "report", "council": "almaty"}).json()

    assert [d["title"] for d in laws["results"]] == ["Закон"]
    assert reports["results"][0]["file_url"].endswith(
        reverse("reports:library_document_file", args=["almaty", with_file.pk])
    )


def test_a_document_is_deleted_only_when_the_deletion_is_confirmed(personas, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = f.DocumentFactory(
        council=personas.council, file=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    )
    stored = Path(settings.MEDIA_ROOT) / document.file.name
    delete = reverse("library_ws:document_delete", args=[personas.council.slug, document.pk])
    client = personas.client_for(personas.secretary)

    assert personas.client_for(personas.member).post(delete, {"confirm": "yes"}).status_code == 403
    assert client.post(delete).status_code == 302
    assert Document.objects.filter(pk=document.pk).exists()

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(delete, {"confirm": "yes"})

    assert not Document.objects.filter(pk=document.pk).exists()
    assert not stored.exists()
