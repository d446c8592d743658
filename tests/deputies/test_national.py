"""The national summary PDF: every monitored body, per city, with the comparison's methodology, figures as of the
year's day of reckoning (a closed year never changes with today's date), built by Celery and kept in the cache
under the hash of its HTML."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pikepdf
import pytest
from django.core.cache import cache
from django.test import Client

from core import pdf
from deputies import national, pdf_builds, services, tasks
from deputies.models import PROJECT_CITIES, Answer
from deputies.selectors import default_as_of

from .test_pages import _published


@pytest.fixture
def answered_late(dw):
    """A question published in 2024 and answered on 10 January 2025: not answered as of 31 December 2024."""
    question = services.question_submit(
        deputy=dw.ivanova,
        data=services.QuestionData("А", "a@example.kz", "Тема", "Текст вопроса здесь", True),
        language="ru",
        now=dt.datetime(2024, 11, 1, 10, tzinfo=dt.UTC),
    )
    services.question_moderate(
        question=question, user=dw.reviewer, publish=True, now=dt.datetime(2024, 11, 2, 10, tzinfo=dt.UTC)
    )
    services.question_answer(
        question=question, user=dw.office, text="Ответ.", now=dt.datetime(2025, 1, 10, 10, tzinfo=dt.UTC)
    )
    return question


def test_the_summary_lists_the_16_cities_the_methodology_and_every_monitored_body(dw):
    _published(dw)
    html = national.render_html(year=2024, language="ru", as_of=dt.date(2024, 12, 31))
    for _slug, name in PROJECT_CITIES:
        assert name in html
    assert "Павлодарский городской маслихат" in html and "Иванова Анна Петровна" in html
    # The comparison page's methodology, word for word (the same template).
    assert "Учитываются только записи, опубликованные после проверки вторым человеком" in html
    assert 'lang="ru"' in html


def test_a_closed_years_summary_does_not_change_with_todays_date(dw, answered_late):
    early = national.render_html(year=2024, language="ru", as_of=default_as_of(2024, dt.date(2025, 1, 5)))
    later = national.render_html(year=2024, language="ru", as_of=default_as_of(2024, dt.date(2026, 6, 1)))
    assert early == later
    assert Answer.objects.filter(question=answered_late).exists()
    # The answer of 10 January 2025 does not count for 2024: 0 of 1 answered.
    assert "0 / 1" in early


def test_the_pdf_is_built_by_the_task_then_served_from_the_cache(dw, monkeypatch):
    cache.clear()
    _published(dw)
    renders = []
    real = pdf.html_to_pdf

    def counting(html, **kwargs):
        renders.append(1)
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", counting)
    client = Client()
    first = client.get("/kk/deputies/national/2024.pdf")  # Celery runs eagerly in the tests
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert 'filename="deputies-national-summary-2024.pdf"' in first["Content-Disposition"]
    with pikepdf.open(io.BytesIO(first.content)) as document:
        assert "/StructTreeRoot" in document.Root  # tagged
        assert str(document.Root.Lang) == "kk"
        assert len(document.pages) >= 17  # the comparison, then a page per city
    second = client.get("/kk/deputies/national/2024.pdf")
    assert second.content == first.content and len(renders) == 1


def test_while_the_worker_builds_the_page_says_so(dw, monkeypatch):
    cache.clear()
    queued = []
    monkeypatch.setattr(tasks, "build_national_summary", SimpleNamespace(delay=lambda *args: queued.append(args)))
    response = Client().get("/ru/deputies/national/2024.pdf")
    assert response.status_code == 202 and response["Retry-After"] == "30"
    assert 'id="pdf-pending"' in response.content.decode()
    Client().get("/ru/deputies/national/2024.pdf")
    assert queued == [(2024, "ru")]  # one build asked for, not one per request


def test_a_correction_asks_for_a_new_build(dw, monkeypatch):
    cache.clear()
    Client().get("/ru/deputies/national/2024.pdf")
    key_before = national.source(year=2024, language="ru").key
    content = pdf_builds.cached(key_before)
    assert content is not None
    _published(dw)  # new published records change the figures
    key_after = national.source(year=2024, language="ru").key
    content = pdf_builds.cached(key_after)
    assert key_after != key_before and content is None


def test_the_comparison_page_links_the_summary_and_years_out_of_range_are_404(dw):
    page = Client().get("/en/deputies/compare/?year=2024").content.decode()
    assert 'href="/en/deputies/national/2024.pdf"' in page
    assert Client().get("/ru/deputies/national/1999.pdf").status_code == 404
    assert Client().get(f"/ru/deputies/national/{dt.date.today().year + 1}.pdf").status_code == 404
