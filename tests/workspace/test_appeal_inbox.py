"""Issue 14, item 10: the inbox no longer hides new appeals. New, unassigned appeals come first and the dashboard
counts them; the inbox and the appeal page keep the workspace menu; the applicant can be answered straight from a
new appeal (taking it in the same step), with the signed letter attached."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from appeals.models import Appeal, AppealMessage, AppealStatus
from appeals.services import ApplicantData, appeal_assign, appeal_submit

pytestmark = [pytest.mark.django_db]

BASE = "/ru/workspace/almaty/appeals/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _submit(personas, subject: str, **overrides) -> Appeal:
    appeal, _created = appeal_submit(
        council=personas.council,
        applicant=ApplicantData(applicant_type="individual", name="Ахметова Динара", email="dinara@example.kz"),
        category="ecology",
        subject=subject,
        text="Текст обращения.",
        personal_data_consent=True,
        **overrides,
    )
    return appeal


@pytest.fixture
def secretary(personas):
    return personas.client_for(personas.secretary)


def test_new_unassigned_appeals_come_before_an_old_overdue_one_in_hand(personas, secretary):
    old = _submit(personas, "Старое, просроченное, в работе")
    Appeal.objects.filter(pk=old.pk).update(due_date=timezone.localdate() - dt.timedelta(days=30))
    appeal_assign(appeal=old, by=personas.secretary, assignee=personas.secretary)
    new = _submit(personas, "Новое, никем не взятое")
    page = secretary.get(BASE)
    assert [a.number for a in page.context["page"].object_list][:2] == [new.number, old.number]


def test_dashboard_counts_new_appeals_nobody_has_taken(personas, secretary):
    _submit(personas, "Первое")
    _submit(personas, "Второе")
    taken = _submit(personas, "Взятое")
    appeal_assign(appeal=taken, by=personas.secretary, assignee=personas.secretary)
    page = secretary.get("/ru/workspace/almaty/")
    assert page.context["appeals_unassigned"] == 2
    assert 'id="appeals-unassigned"' in page.text


def test_inbox_and_appeal_page_keep_the_workspace_menu(personas, secretary):
    appeal = _submit(personas, "Меню")
    for url in (BASE, f"{BASE}{appeal.number}/", f"{BASE}new/"):
        page = secretary.get(url)
        assert page.status_code == 200
        assert 'class="workspace-nav"' in page.text, url


def test_a_new_appeal_is_answered_in_one_step_with_the_signed_letter(personas, secretary):
    appeal = _submit(personas, "Ответить сразу")
    letter = SimpleUploadedFile("otvet.pdf", PDF, content_type="application/pdf")
    response = secretary.post(
        f"{BASE}{appeal.number}/answer/", {"answer-text": "Ваш вопрос решён.", "answer-letter": letter}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.status, appeal.assignee, appeal.answer_text) == (
        AppealStatus.ANSWERED,
        personas.secretary,
        "Ваш вопрос решён.",
    )
    assert list(appeal.history.order_by("id").values_list("status", flat=True)) == [
        AppealStatus.REGISTERED,
        AppealStatus.ASSIGNED,
        AppealStatus.ANSWERED,
    ]
    message = AppealMessage.objects.get(appeal=appeal, author=AppealMessage.Author.COUNCIL)
    assert [a.original_name for a in message.attachments.all()] == ["otvet.pdf"]


def test_a_letter_that_is_not_a_document_is_refused_and_nothing_changes(personas, secretary):
    appeal = _submit(personas, "Плохое письмо")
    fake = SimpleUploadedFile("otvet.pdf", b"MZ\x90\x00not a document", content_type="application/pdf")
    response = secretary.post(f"{BASE}{appeal.number}/answer/", {"answer-text": "Ответ.", "answer-letter": fake})
    assert response.status_code == 400
    appeal.refresh_from_db()
    assert (appeal.status, appeal.answer_text, appeal.assignee) == (AppealStatus.REGISTERED, "", None)
    assert not AppealMessage.objects.filter(appeal=appeal).exists()
