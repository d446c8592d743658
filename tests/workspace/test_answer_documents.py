"""The document of a state body's answer (to a recommendation or an information request) is served to the council's
staff through the tenant gate, with DEBUG off as in production, where nothing serves /media/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from monitoring import services
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% the answer of the akimat\n%%EOF\n"


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("otvet akimata.pdf", PDF, content_type="application/pdf")


def _answered_recommendation(personas):
    recommendation = f.RecommendationFactory(council=personas.council, key="rec-ecology")
    answer = services.recommendation_record_response(
        recommendation=recommendation,
        received_on=dt.date(2019, 6, 10),
        text="Работы начаты",
        document=_pdf(),
        by=personas.secretary,
    )
    return recommendation, answer


def _answered_request(personas):
    request = services.information_request_create(
        council=personas.council,
        state_body=f.StateBodyFactory(),
        organisation="",
        subject="Сведения о вырубке",
        text="Просим предоставить документы",
        by=personas.secretary,
    )
    services.information_request_send(information_request=request, sent_on=dt.date(2025, 3, 3), by=personas.secretary)
    answer = services.information_request_record_response(
        information_request=request,
        received_on=dt.date(2025, 3, 10),
        text="Документы прилагаются",
        document=_pdf(),
        by=personas.secretary,
    )
    return request, answer


def _url(name: str, council, item, answer) -> str:
    with translation.override("en"):
        return reverse(
            f"monitoring_ws:{name}_answer_document",
            kwargs={"slug": council.slug, "pk": item.pk, "answer_id": answer.pk},
        )


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_recommendation_page_links_the_document_through_the_workspace_and_it_downloads(personas):
    recommendation, answer = _answered_recommendation(personas)
    client = personas.client_for(personas.secretary)
    url = _url("recommendation", personas.council, recommendation, answer)
    with translation.override("en"):
        page = client.get(
            reverse("monitoring_ws:recommendation_detail", kwargs={"slug": "almaty", "pk": recommendation.pk})
        )

    html = page.content.decode()
    assert f'href="{url}"' in html
    assert "/media/" not in html

    response = client.get(url)
    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="almaty-rec-ecology-answer-2019-06-10.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_read_only_member_downloads_an_information_requests_answer_document(personas):
    request, answer = _answered_request(personas)

    response = personas.client_for(personas.member).get(_url("request", personas.council, request, answer))

    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Content-Disposition"].startswith(f'attachment; filename="almaty-{request.key}-answer-2025-03-10')


@pytest.mark.parametrize("kind", ["recommendation", "request"])
def test_the_secretary_of_another_council_gets_404(personas, kind):
    item, answer = _answered_recommendation(personas) if kind == "recommendation" else _answered_request(personas)
    outsider = personas.client_for(personas.other_secretary)

    assert outsider.get(_url(kind, personas.council, item, answer)).status_code == 404
    # Their own council's address with this council's record ids: looked up inside their council, not found.
    assert outsider.get(_url(kind, personas.other_council, item, answer)).status_code == 404


@pytest.mark.parametrize("kind", ["recommendation", "request"])
def test_anonymous_visitors_are_sent_to_sign_in(personas, kind):
    item, answer = _answered_recommendation(personas) if kind == "recommendation" else _answered_request(personas)

    response = personas.client_for(None).get(_url(kind, personas.council, item, answer))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_answer_of_another_item_or_without_a_document_is_404(personas):
    recommendation, answer = _answered_recommendation(personas)
    other = f.RecommendationFactory(council=personas.council)
    bare = f.RecommendationResponseFactory(recommendation=recommendation)
    client = personas.client_for(personas.secretary)

    assert client.get(_url("recommendation", personas.council, other, answer)).status_code == 404
    assert client.get(_url("recommendation", personas.council, recommendation, bare)).status_code == 404


def test_a_document_missing_from_the_storage_is_404_not_an_error(personas):
    recommendation, answer = _answered_recommendation(personas)
    answer.document.storage.delete(answer.document.name)

    response = personas.client_for(personas.secretary).get(
        _url("recommendation", personas.council, recommendation, answer)
    )

    assert response.status_code == 404
