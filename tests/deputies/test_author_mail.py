"""Mail to the author of a question: the receipt with the confirmation link (double opt-in), then "published",
"rejected (the rule)" and "answered", in the language the question was asked in, each with a one-click
unsubscribe; nothing after the author unsubscribed or the address was erased."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from deputies import services
from deputies.models import Question
from privacy.services import _erase_rows

EMAIL = "asker-42@example.kz"


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a service and deliver its outbox mail; returns the mails sent to the author."""

    def go(function, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = function(**kwargs)
        return result, [m for m in mail.outbox if m.to == [EMAIL]]

    return go


def submit(dw, run, language="kk", email=EMAIL):
    return run(
        services.question_submit,
        deputy=dw.ivanova,
        data=services.QuestionData(
            author_name="Асқар",
            author_email=email,
            subject="Жарық",
            text="Көшеге жарық қашан орнатылады?",
            personal_data_consent=True,
        ),
        language=language,
    )


def link(message, fragment: str) -> str:
    found = re.search(r"https?://\S*" + re.escape(fragment) + r"\S*", message.body)
    assert found, message.body
    return urlsplit(found.group(0)).path


def test_the_receipt_asks_to_confirm_the_address_in_the_authors_language(dw, run):
    question, sent = submit(dw, run)
    assert len(sent) == 1
    receipt = sent[0]
    assert receipt.subject.startswith("Депутатқа қойған сұрағыңыз қабылданды")
    assert "/kk/deputies/questions/confirm/" in receipt.body
    assert receipt.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/deputies/questions/unsubscribe/" in receipt.extra_headers["List-Unsubscribe"]
    assert question.mail_token and question.mail_token not in EMAIL


def test_nothing_but_the_receipt_until_the_address_is_confirmed(dw, run):
    question, _ = submit(dw, run)
    _, sent = run(services.question_moderate, question=question, user=dw.reviewer, publish=True)
    assert sent == []  # unconfirmed: no "published" mail
    assert [m.to for m in mail.outbox] == [["o@m.kz"]]  # the deputy was written to all the same


def test_a_confirmed_author_hears_of_publication_and_the_answer(dw, run):
    question, sent = submit(dw, run, language="ru")
    page = Client().get(link(sent[0], "/questions/confirm/"))
    assert page.status_code == 200 and EMAIL not in page.content.decode()
    _, sent = run(services.question_moderate, question=question, user=dw.reviewer, publish=True)
    assert len(sent) == 1 and "опубликован" in sent[0].subject
    assert f"/ru/deputies/people/{dw.ivanova.slug}/#q{question.pk}" in sent[0].body
    _, sent = run(services.question_answer, question=question, user=dw.office, text="Летом 2027 года.")
    assert len(sent) == 1 and "Летом 2027 года." in sent[0].body and "ответил" in sent[0].subject


def test_a_rejection_names_the_rule(dw, run):
    question, _ = submit(dw, run, language="en")
    services.author_email_confirm(token=question.mail_token)
    _, sent = run(
        services.question_moderate, question=question, user=dw.reviewer, publish=False, reason="Rule 3: insults"
    )
    assert len(sent) == 1
    assert "was not published" in sent[0].subject and "Rule 3: insults" in sent[0].body
    assert "/en/deputies/code-of-conduct/" in sent[0].body


def test_one_click_unsubscribe_stops_every_mail_about_the_authors_questions(dw, run):
    question, sent = submit(dw, run)
    other, _ = submit(dw, run)
    services.author_email_confirm(token=question.mail_token)
    services.author_email_confirm(token=other.mail_token)
    url = urlsplit(sent[0].extra_headers["List-Unsubscribe"].strip("<>")).path
    client = Client(enforce_csrf_checks=True)  # a mail program's POST carries no CSRF token (RFC 8058)
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    _, sent = run(services.question_moderate, question=question, user=dw.reviewer, publish=True)
    _, sent_other = run(services.question_moderate, question=other, user=dw.reviewer, publish=False, reason="r")
    assert sent == [] and sent_other == []
    assert Question.objects.filter(mail_stopped_at__isnull=True).count() == 0


def test_an_address_confirmed_before_needs_no_new_confirmation(dw, run):
    first, _ = submit(dw, run)
    services.author_email_confirm(token=first.mail_token)
    second, sent = submit(dw, run)
    assert second.email_confirmed_at is not None
    assert "/questions/confirm/" not in sent[0].body


def test_an_erased_author_gets_no_more_mail_and_the_links_die(dw, run):
    question, _ = submit(dw, run)
    services.author_email_confirm(token=question.mail_token)
    _erase_rows(Question, Question.objects.filter(pk=question.pk))
    question.refresh_from_db()
    assert question.author_email == ""
    _, sent = run(services.question_moderate, question=question, user=dw.reviewer, publish=True)
    assert sent == [] and all(EMAIL not in m.to for m in mail.outbox)
    assert Client().get(f"/ru/deputies/questions/confirm/{question.mail_token}/").status_code == 404


def test_unknown_links_are_404(dw):
    client = Client()
    assert client.get("/ru/deputies/questions/confirm/nope/").status_code == 404
    assert client.post("/ru/deputies/questions/unsubscribe/" + "x" * 80 + "/").status_code == 404


def test_the_authors_address_is_in_the_register_of_processing(dw):
    from core.personal_data import fields_of

    declared = {entry.field.name for entry in fields_of(Question)}
    assert {"author_email", "author_name"} <= declared
