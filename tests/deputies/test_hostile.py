"""Hostile input to the deputies app's public and office forms: stored as typed and shown escaped, or refused with
400; never a 500, never raw markup on a page, nothing of the author on a public page."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from deputies import services
from deputies.models import Answer, Question
from tests.security import hostile as h

from .test_pages import SECRET_EMAIL, question_post, signed_in

TEXTS = [h.SCRIPT, h.IMG, h.SQL_OR, h.SQL_DROP, h.NUL, h.MEGABYTE]


@pytest.mark.parametrize("payload", TEXTS, ids=["script", "img", "sql-or", "sql-drop", "nul", "megabyte"])
def test_the_question_form_takes_hostile_text_as_text_or_refuses_it(dw, payload):
    cache.clear()
    response = Client().post(
        f"/ru/deputies/people/{dw.ivanova.slug}/ask/",
        question_post(subject=payload[:200], text=f"Вопрос {payload}", author_name=payload[:255]),
    )
    assert response.status_code in (302, 400)
    h.assert_nothing_raw(response.content, where="question form")
    for question in Question.objects.all():
        services.question_moderate(question=question, user=dw.reviewer, publish=True)
        assert "\x00" not in question.text
    page = Client().get(f"/ru/deputies/people/{dw.ivanova.slug}/")
    assert page.status_code == 200
    h.assert_nothing_raw(page.content, where="deputy page")


@pytest.mark.parametrize("field", ["author_email", "personal_data_consent", "accepts_code"])
@pytest.mark.parametrize("value", [h.SCRIPT, h.SQL_OR, h.HUGE_NUMBER])
def test_hostile_values_in_the_checked_fields_are_refused_or_read_as_yes(dw, field, value):
    cache.clear()
    response = Client().post(f"/ru/deputies/people/{dw.ivanova.slug}/ask/", question_post(**{field: value}))
    assert response.status_code in (302, 400)
    h.assert_nothing_raw(response.content, where=field)
    assert SECRET_EMAIL not in Client().get(f"/ru/deputies/people/{dw.ivanova.slug}/").content.decode()


@pytest.mark.parametrize("slug", ["<script>", "..%2f..%2fetc", "x" * 300, "%00"])
def test_hostile_addresses_give_404(dw, slug):
    assert Client().get(f"/ru/deputies/people/{slug}/").status_code == 404
    assert Client().get(f"/ru/deputies/bodies/{slug}/").status_code == 404


@pytest.mark.parametrize("payload", TEXTS[:5], ids=["script", "img", "sql-or", "sql-drop", "nul"])
def test_the_office_answer_takes_hostile_text_as_text(dw, payload):
    question = services.question_submit(
        deputy=dw.ivanova,
        data=services.QuestionData("Автор", "a@example.kz", "Тема", "Текст вопроса к депутату", True),
        language="ru",
    )
    services.question_moderate(question=question, user=dw.reviewer, publish=True)
    response = signed_in(dw.office).post(
        f"/ru/deputy-office/questions/{question.pk}/answer/", {"text": f"Ответ {payload}"}
    )
    assert response.status_code in (302, 400)
    page = Client().get(f"/ru/deputies/people/{dw.ivanova.slug}/")
    h.assert_nothing_raw(page.content, where="answer")
    if response.status_code == 302:
        assert Answer.objects.get().text.startswith("Ответ")
