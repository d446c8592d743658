"""Search across one council's public records: PostgreSQL's Russian full-text search, never appeals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from monitoring.models import MonitoringEvent
from reports.search import search_council, snippet
from tests.factories import MonitoringEventFactory

pytestmark = pytest.mark.django_db

needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")


def _group(results, kind):
    return next(group for group in results.groups if group.kind == kind)


@needs_postgres
def test_a_russian_word_finds_its_other_forms_in_monitoring(portal):
    """«зоопарк» finds «Общественный мониторинг зоопарка» and «Вольеры зоопарка»: Russian stemming."""
    results = search_council(council=portal.council, q="зоопарк")

    hits = _group(results, "monitoring").hits
    assert [hit.title for hit in hits] == ["Общественный мониторинг зоопарка"]
    assert "<mark>зоопарка</mark>" in hits[0].snippet


@needs_postgres
def test_search_covers_agenda_decisions_hearings_drafts_and_answers(portal):
    assert _group(search_council(council=portal.council, q="озеленении"), "meetings").hits
    assert _group(search_council(council=portal.council, q="рекомендовать акимату"), "hearings").hits
    assert _group(search_council(council=portal.council, q="сроки"), "drafts").hits  # a remark
    answers = _group(search_council(council=portal.council, q="ремонт включён"), "recommendations").hits
    assert [hit.title for hit in answers] == ["Отремонтировать вольеры № 0"]


@needs_postgres
def test_the_best_match_comes_first(portal):
    MonitoringEventFactory(council=portal.council, topic="Мониторинг дорог", findings="зоопарк упомянут однажды")

    hits = _group(search_council(council=portal.council, q="зоопарк"), "monitoring").hits

    assert hits[0].title == "Общественный мониторинг зоопарка"
    assert len(hits) == 2


def test_search_never_returns_appeals_or_drafts(portal):
    """The appeal in the data says «Жалоба на зоопарк»: it must not be found, nor the draft recommendation."""
    response = Client().get("/ru/councils/almaty/search/", {"q": "зоопарк"})

    html = response.content.decode()
    assert "Жалоба на зоопарк" not in html
    assert "Прошу проверить" not in html
    # The council's header links the public appeal form; no result links an appeal record.
    assert "/appeals/" not in html.replace("/councils/almaty/appeals/new/", "")
    draft = Client().get("/ru/councils/almaty/search/", {"q": "Черновик рекомендации"}).content.decode()
    assert "не для публики" not in draft


def test_search_page_links_each_hit_to_its_page(portal):
    event = MonitoringEvent.objects.get(topic="Общественный мониторинг зоопарка")

    html = Client().get("/ru/councils/almaty/search/", {"q": "зоопарк"}).content.decode()

    assert f'href="/ru/councils/almaty/monitoring/{event.pk}/"' in html
    assert "зоопарк" in html


def test_search_stays_within_the_council(portal):
    MonitoringEventFactory(council=portal.other, topic="Мониторинг зоопарка Караганды")

    html = Client().get("/ru/councils/almaty/search/", {"q": "зоопарк"}).content.decode()

    assert "Караганды" not in html


def test_odd_queries_do_not_break_the_page(portal):
    for q in ['"', "-", "a & b | !c", "' OR 1=1 --", "<script>alert(1)</script>", "x" * 500]:
        response = Client().get("/ru/councils/almaty/search/", {"q": q})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_an_empty_query_shows_the_form_only(portal):
    response = Client().get("/ru/councils/almaty/search/")

    assert response.status_code == 200
    assert response.context["results"] is None


def test_snippets_escape_the_text_and_mark_the_words():
    text = "Начало. " + "слово " * 60 + "Вольеры <b>зоопарка</b> требуют ремонта"

    result = snippet(text, ["зоопарк"])

    assert "&lt;b&gt;<mark>зоопарка</mark>&lt;/b&gt;" in result
    assert result.startswith("…")
