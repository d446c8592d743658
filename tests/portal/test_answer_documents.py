"""The document of a state body's answer downloads from the public tracker, for the recommendations the tracker
shows only (a published council's, past the draft), with DEBUG off as in production; the open API names it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from monitoring.models import RecommendationStatus
from tests.factories import CouncilFactory, RecommendationFactory, RecommendationResponseFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% the answer of the akimat\n%%EOF\n"


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _answer(council, **recommendation):
    rec = RecommendationFactory(council=council, **recommendation)
    document = SimpleUploadedFile("otvet.pdf", PDF, content_type="application/pdf")
    return RecommendationResponseFactory(recommendation=rec, document=document)


def _url(answer) -> str:
    rec = answer.recommendation
    with translation.override("ru"):
        return reverse("reports:recommendation_answer_document", args=[rec.council.slug, rec.pk, answer.pk])


def test_the_tracker_links_the_answers_document_and_it_downloads():
    council = CouncilFactory(slug="almaty")
    answer = _answer(council, key="rec-zoo", status=RecommendationStatus.ANSWERED)
    RecommendationResponseFactory(recommendation=answer.recommendation, text="Второй ответ, без документа")

    page = Client().get("/ru/councils/almaty/recommendations/")

    html = page.content.decode()
    assert html.count(f'href="{_url(answer)}"') == 1  # the answer without a document has no link
    assert "/media/" not in html
    response = Client().get(_url(answer))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="almaty-rec-zoo-answer-2019-06-11.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_state_body_page_links_the_document_too():
    answer = _answer(CouncilFactory(slug="almaty"))

    page = Client().get(f"/ru/state-bodies/{answer.recommendation.state_body.slug}/")

    assert f'href="{_url(answer)}"' in page.content.decode()


def test_a_drafts_answer_document_is_404():
    answer = _answer(CouncilFactory(slug="almaty"), status=RecommendationStatus.DRAFT)

    assert Client().get(_url(answer)).status_code == 404


def test_an_unpublished_councils_answer_document_is_404():
    answer = _answer(CouncilFactory(slug="almaty", is_published=False))

    assert Client().get(_url(answer)).status_code == 404


def test_the_address_of_another_council_or_recommendation_is_404():
    answer = _answer(CouncilFactory(slug="almaty"))
    other = RecommendationFactory(council=CouncilFactory(slug="karaganda"))
    rec = answer.recommendation

    with translation.override("ru"):
        wrong_council = reverse("reports:recommendation_answer_document", args=["karaganda", rec.pk, answer.pk])
        wrong_item = reverse("reports:recommendation_answer_document", args=["almaty", other.pk, answer.pk])
    assert Client().get(wrong_council).status_code == 404
    assert Client().get(wrong_item).status_code == 404


def test_an_answer_without_a_document_is_404():
    bare = RecommendationResponseFactory(recommendation=RecommendationFactory(council=CouncilFactory(slug="almaty")))

    assert Client().get(_url(bare)).status_code == 404


def test_the_open_api_gives_the_documents_public_address():
    answer = _answer(CouncilFactory(slug="almaty"))
    RecommendationResponseFactory(recommendation=answer.recommendation)

    rows = Client().get("/api/v1/recommendations/", {"format": "json"}).json()["results"]

    responses = rows[0]["responses"]
    assert [r["has_document"] for r in responses] == [True, False]
    assert responses[0]["document_url"] == f"http://testserver{_url(answer)}"
    assert responses[1]["document_url"] is None
    assert Client().get(responses[0]["document_url"]).status_code == 200
