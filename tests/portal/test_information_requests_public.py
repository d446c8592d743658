"""Information requests in public: a council's list with filters, a request's page with the limit's calculation and
its answers (documents served as recommendation answers are), a batch's page, the holder's figures on the
state-body page, the open API, the Atom feed, the stats API and the annual report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from councils.models import StateBodyKind
from monitoring import services
from monitoring.access_rules import AccessRule
from reports.rendering import render_html
from tests.factories import CouncilFactory, StateBodyFactory
from tests.portal.rfc4287 import atom_errors

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% the operator's answer\n%%EOF\n"


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


@pytest.fixture
def world(db):
    council = CouncilFactory(slug="almaty")
    akimat = StateBodyFactory(slug="akimat-almaty", name="Акимат города Алматы", kind=StateBodyKind.AKIMAT)
    operator = StateBodyFactory(slug="tengiz-operator", name="ТОО «Тенгиз Оператор»", kind=StateBodyKind.OPERATOR)
    refused = services.information_request_create(
        council=council, subject="Выбросы ТЭЦ-2", text="Просим данные о выбросах", state_body=operator, by=None
    )
    services.information_request_send(information_request=refused, sent_on=dt.date(2024, 6, 3), by=None)
    answer = services.information_request_record_response(
        information_request=refused,
        received_on=dt.date(2024, 6, 10),
        text="Отказ: коммерческая тайна",
        document=SimpleUploadedFile("otvet.pdf", PDF, content_type="application/pdf"),
        kind="refused",
        refusal_ground="commercial",
        by=None,
    )
    waiting = services.information_request_create(
        council=council, subject="План вырубки", text="Просим план", state_body=akimat, by=None
    )
    services.information_request_send(information_request=waiting, sent_on=dt.date(2024, 12, 2), by=None)
    draft = services.information_request_create(
        council=council, subject="Черновик запроса", text="Не отправлен", state_body=akimat, by=None
    )
    return {
        "council": council,
        "akimat": akimat,
        "operator": operator,
        "refused": refused,
        "answer": answer,
        "waiting": waiting,
        "draft": draft,
    }


def _url(name: str, *args: Any, lang: str = "ru") -> str:
    with translation.override(lang):
        return reverse(f"reports:{name}", args=args)


def test_the_list_shows_sent_requests_never_drafts_and_filters(world):
    page = Client().get(_url("information_requests", "almaty")).content.decode()
    assert "Выбросы ТЭЦ-2" in page and "План вырубки" in page
    assert "Черновик запроса" not in page

    refused_only = Client().get(_url("information_requests", "almaty") + "?status=refused").content.decode()
    assert "Выбросы ТЭЦ-2" in refused_only and "План вырубки" not in refused_only
    by_holder = Client().get(_url("information_requests", "almaty") + "?body=akimat-almaty").content.decode()
    assert "План вырубки" in by_holder and "Выбросы ТЭЦ-2" not in by_holder


def test_a_closed_year_reads_as_of_31_december_never_thousands_of_days(world):
    with translation.override("en"):
        page = Client().get(_url("information_requests", "almaty", lang="en") + "?year=2024&status=overdue")
    html = page.content.decode()
    assert "План вырубки" in html and "Выбросы ТЭЦ-2" not in html
    assert "31.12.2024" in html
    # Due 17 December 2024: on the year's last day it was 14 days overdue, whatever today's date.
    assert "no answer, 14 days overdue" in html
    days_since = (dt.date.today() - dt.date(2024, 12, 17)).days
    assert f"{days_since} days overdue" not in html


def test_the_request_page_shows_the_calculation_the_answer_and_the_history(world):
    with translation.override("en"):
        page = Client().get(_url("information_request", "almaty", world["refused"].pk, lang="en")).content.decode()
    assert "401-V" in page
    assert "15 calendar days from the sending on 03.06.2024: 18.06.2024." in page
    assert "The answer is due by 18.06.2024." in page
    assert "Commercial secret" in page  # the ground of the refusal
    document = _url("information_request_answer_document", "almaty", world["refused"].pk, world["answer"].pk, lang="en")
    assert document in page


def test_a_drafts_page_and_an_unpublished_councils_page_are_404(world):
    assert Client().get(_url("information_request", "almaty", world["draft"].pk)).status_code == 404
    hidden = CouncilFactory(slug="hidden", is_published=False)
    req = services.information_request_create(
        council=hidden, subject="Скрыто", text="Скрыто", organisation="ТОО «Х»", by=None
    )
    services.information_request_send(information_request=req, sent_on=dt.date(2024, 6, 3), by=None)
    assert Client().get(_url("information_request", "hidden", req.pk)).status_code == 404
    assert Client().get(_url("information_requests", "hidden")).status_code == 404


def test_the_answer_document_downloads_only_for_a_public_request(world):
    url = _url("information_request_answer_document", "almaty", world["refused"].pk, world["answer"].pk)
    response = Client().get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    other = _url("information_request_answer_document", "almaty", world["waiting"].pk, world["answer"].pk)
    assert Client().get(other).status_code == 404


def test_the_batch_page_lists_each_recipient(world):
    second = StateBodyFactory(slug="akimat-bostandyk", name="Аким Бостандыкского района")
    batch = services.information_request_batch_create(
        council=world["council"],
        subject="Озеленение районов",
        text="Просим данные",
        state_bodies=[world["akimat"], second],
        by=None,
    )
    assert Client().get(_url("information_request_batch", "almaty", batch.pk)).status_code == 404  # drafts only
    services.information_request_batch_send(batch=batch, sent_on=dt.date(2025, 6, 2), by=None)
    page = Client().get(_url("information_request_batch", "almaty", batch.pk)).content.decode()
    assert "Акимат города Алматы" in page and "Аким Бостандыкского района" in page


def test_the_state_body_page_shows_the_holders_figures(world):
    page = Client().get(_url("state_body", "tengiz-operator")).content.decode()
    assert 'id="information-requests"' in page
    with translation.override("ru"):
        assert "Коммерческая тайна" in page or "commercial" not in page  # the ground's label, translated
    listed = Client().get(_url("state_bodies")).content.decode()
    assert "ТОО «Тенгиз Оператор»" in listed  # listed although it received no recommendation


def test_the_open_api_lists_public_requests_with_classified_answers(world):
    data = Client().get("/api/v1/information-requests/", {"council": "almaty"}).json()
    rows = {row["subject"]: row for row in data["results"]}
    assert set(rows) == {"Выбросы ТЭЦ-2", "План вырубки"}
    answer = rows["Выбросы ТЭЦ-2"]["responses"][0]
    assert (answer["kind"], answer["refusal_ground"]) == ("refused", "commercial")
    assert answer["document_url"].endswith(
        _url("information_request_answer_document", "almaty", world["refused"].pk, world["answer"].pk)
    )
    assert rows["План вырубки"]["overdue"] is True
    assert rows["План вырубки"]["rule"] == AccessRule.ACCESS_LAW
    schema = Client().get("/api/schema/").content.decode()
    assert "/api/v1/information-requests/" in schema


def test_the_feed_is_valid_atom_with_requests_and_answers(world):
    response = Client().get(_url("information_requests_feed", "almaty"))
    assert response.status_code == 200
    assert atom_errors(response.content) == []
    body = response.content.decode()
    assert "Выбросы ТЭЦ-2" in body and "Черновик запроса" not in body


def test_the_stats_api_and_the_report_count_the_requests(world):
    stats = Client().get("/api/v1/councils/almaty/stats/", {"year": 2024}).json()["information_requests"]
    assert (stats["total"], stats["answered"], stats["answered_on_time"], stats["overdue"]) == (2, 1, 1, 1)
    assert stats["refused_by_ground"]["commercial"] == 1
    html = render_html(council=world["council"], year=2024, language="ru")
    assert "Запросы информации" in html or "Information requests" in html
    assert "ТОО «Тенгиз Оператор»" in html
