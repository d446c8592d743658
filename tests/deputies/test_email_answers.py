"""Answers by e-mail reply: the question's mail to the deputy carries a signed reply address; one service takes
the reply from the mail server's pipe (manage.py receive_deputy_answer) and from the inbound webhook, and refuses
forged tokens, other senders, huge, late or empty mail. Hostile input throughout: HTML-only mail, RFC 2047
headers, Kazakh text in base64 and quoted-printable, attachments."""

from __future__ import annotations

import datetime as dt
import io
import quopri
import sys
from email.header import Header
from email.message import EmailMessage
from email.utils import formataddr

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from deputies import inbound, services
from deputies.models import Answer, InboundAnswer, InboundStatus, Question, QuestionStatus

DOMAIN = "portal.example.kz"
KAZAKH = "Құрметті сайлаушы! Көшеге жарық мамыр айында орнатылады, қаражат бөлінді."
SECRET = "s3cret-webhook-value"


@pytest.fixture(autouse=True)
def mail_domain(settings):
    settings.OVERSIGHT_MAIL_DOMAIN = DOMAIN
    settings.OVERSIGHT_INBOUND_SECRET = SECRET


@pytest.fixture
def published(dw, django_capture_on_commit_callbacks):
    """A question to Ivanova (official address o@m.kz), published by the NGO: the deputy has its mail."""
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_submit(
            deputy=dw.ivanova,
            data=services.QuestionData(
                author_name="Автор",
                author_email="author-1@example.kz",
                subject="Освещение улицы",
                text="Когда на улице Ленина появится освещение?",
                personal_data_consent=True,
            ),
            language="kk",
        )
        services.question_moderate(question=question, user=dw.reviewer, publish=True)
    return question


def deputy_mail(question: Question):
    found = [m for m in mail.outbox if m.to == ["o@m.kz"]]
    assert len(found) == 1
    return found[0]


def reply(
    question: Question,
    text: str = KAZAKH,
    *,
    sender: str = "o@m.kz",
    to: str | None = None,
    html: str | None = None,
    cte: str | None = "base64",
    message_id: str = "<r1@m.kz>",
    attachment: bytes | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = formataddr(("Иванова Анна", sender))
    message["To"] = to or inbound.reply_address(question.pk)
    message["Subject"] = "Re: Сізге ашық сұрақ: Освещение улицы"
    message["Message-ID"] = message_id
    if html is None:
        message.set_content(text, cte=cte)
    else:
        message.set_content(html, subtype="html", cte=cte)
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="pdf", filename="ответ.pdf")
    return message.as_bytes()


def typical_reply(question: Question) -> str:
    """What a mail client writes: the answer, a signature, the quoted original with the portal's marker."""
    original = deputy_mail(question).body
    quoted = "\n".join("> " + line for line in original.splitlines())
    header = f"2 дек. 2026 г., в 10:00, Портал <noreply@{DOMAIN}> написал:"
    return f"{KAZAKH}\n\nС уважением,\n-- \nИванова А. П.\nдепутат\n\n{header}\n{quoted}\n"


# ---- the mail to the deputy -------------------------------------------------------------------------------------


def test_a_published_question_is_mailed_to_the_deputy_with_a_signed_reply_address(dw, published):
    message = deputy_mail(published)
    assert message.reply_to == [inbound.reply_address(published.pk)]
    local = message.reply_to[0].split("@")[0]
    assert local.startswith("answers+") and local == local.lower()
    assert message.reply_to[0].endswith("@" + DOMAIN)
    assert published.text in message.body and "/deputy-office/" in message.body
    assert message.body.startswith(inbound.MARKER)  # the marker line the reply is cut at
    assert "author-1@example.kz" not in message.body + message.subject  # the author stays private
    assert message.subject.startswith("Сізге ашық сұрақ")  # the question's language (Kazakh)


def test_without_a_mail_domain_the_deputy_answers_on_the_portal(dw, settings, django_capture_on_commit_callbacks):
    settings.OVERSIGHT_MAIL_DOMAIN = ""
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_submit(
            deputy=dw.ivanova,
            data=services.QuestionData("А", "a@example.kz", "Тема", "Текст вопроса здесь", True),
            language="ru",
        )
        services.question_moderate(question=question, user=dw.reviewer, publish=True)
    message = deputy_mail(question)
    assert message.reply_to == [] and "/deputy-office/" in message.body


# ---- the one service ----------------------------------------------------------------------------------------------


def test_a_typical_reply_is_stripped_and_held_for_the_moderators(dw, published):
    result = services.answer_by_email(raw=reply(published, typical_reply(published)))
    assert (result.accepted, result.outcome, result.question_id) == (True, "held", published.pk)
    record = InboundAnswer.objects.get()
    assert record.text == KAZAKH + "\n\nС уважением,"  # no signature, no quoted original, no marker
    assert record.status == InboundStatus.HELD and record.sender == "o@m.kz"
    assert not Answer.objects.exists()  # not public until a moderator publishes it
    page = Client().get(f"/ru/deputies/people/{dw.ivanova.slug}/").content.decode()
    assert "мамыр" not in page


def test_the_moderator_publishes_a_held_answer_dated_when_the_mail_arrived(dw, published):
    received = timezone.now() - dt.timedelta(days=2)
    services.answer_by_email(raw=reply(published), now=received)
    record = InboundAnswer.objects.get()
    client = Client()
    client.force_login(dw.reviewer)
    listing = client.get(f"/ru/workspace/{dw.ngo.slug}/deputies/questions/").content.decode()
    assert f"/answers/{record.pk}/moderate/" in listing
    moderate = f"/ru/workspace/{dw.ngo.slug}/deputies/answers/{record.pk}/moderate/"
    response = client.post(moderate, {"decision": "publish"})
    assert response.status_code == 302
    answer = Answer.objects.get(question=published)
    assert answer.text == KAZAKH and answer.answered_at == received
    page = Client().get(f"/kk/deputies/people/{dw.ivanova.slug}/").content.decode()
    assert "мамыр айында" in page
    # Moderated once: a second decision is refused, and the page is gone.
    again = client.post(moderate, {"decision": "discard"})
    assert again.status_code == 404


def test_a_discarded_answer_leaves_the_question_unanswered(dw, published):
    services.answer_by_email(raw=reply(published))
    record = InboundAnswer.objects.get()
    services.inbound_answer_moderate(record=record, user=dw.reviewer, publish=False)
    record.refresh_from_db()
    assert record.status == InboundStatus.DISCARDED and not Answer.objects.exists()


def test_a_body_that_publishes_email_answers_at_once(dw, published):
    dw.body.publish_email_answers = True
    dw.body.save()
    result = services.answer_by_email(raw=reply(published))
    assert result.outcome == "published"
    assert Answer.objects.get(question=published).text == KAZAKH
    assert InboundAnswer.objects.get().status == InboundStatus.PUBLISHED


def test_a_forged_token_is_refused(dw, published):
    token = inbound.reply_token(published.pk)
    number, digest = token.split("-")
    flipped = digest[:-1] + ("0" if digest[-1] != "0" else "1")
    forged = [
        f"answers+{number}-{flipped}@{DOMAIN}",  # one digit changed
        f"answers+{published.pk + 1}-{digest}@{DOMAIN}",  # another question's number with this digest
        f"answers+{number}-{digest[:10]}@{DOMAIN}",  # truncated
        f"answers+{number}@{DOMAIN}",  # no digest
    ]
    for address in forged:
        assert services.answer_by_email(raw=reply(published, to=address)).outcome == "forged", address
    assert services.answer_by_email(raw=reply(published, to=f"answers+{token}@evil.example")).outcome == "no_address"
    assert services.answer_by_email(raw=reply(published, to="someone@m.kz")).outcome == "no_address"
    assert not InboundAnswer.objects.exists()


def test_a_token_of_a_question_that_is_gone_is_refused(dw, published):
    token_of_missing = inbound.reply_address(published.pk + 1000)
    assert services.answer_by_email(raw=reply(published, to=token_of_missing)).outcome == "unknown_question"


def test_another_sender_is_refused_even_with_the_right_token_and_the_deputys_name(dw, published):
    result = services.answer_by_email(raw=reply(published, sender="o@m.kz.evil.example"))
    assert (result.accepted, result.outcome) == (False, "wrong_sender")
    assert services.answer_by_email(raw=reply(published, sender="office@m.kz")).outcome == "wrong_sender"
    assert not InboundAnswer.objects.exists()


def test_the_office_accounts_address_may_answer_too(dw, published):
    dw.office.email = "Priemnaya@M.kz"
    dw.office.save()
    assert services.answer_by_email(raw=reply(published, sender="priemnaya@m.kz")).outcome == "held"


def test_encoded_headers_and_a_differently_cased_address_are_read(dw, published):
    def encoded(text: str, charset: str = "utf-8") -> str:
        return Header(text, charset).encode()

    raw = (
        f"From: {encoded('Иванова Анна Петровна')} <O@M.KZ>\r\n"
        f"To: {encoded('Портал', 'koi8-r')} <{inbound.reply_address(published.pk).upper()}>\r\n"
        f"Subject: {encoded('Re: Сізге ашық сұрақ')}\r\n"
        "Message-ID: <enc@m.kz>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    ).encode() + quopri.encodestring(KAZAKH.encode("utf-8"))
    result = services.answer_by_email(raw=raw)
    assert result.outcome == "held"
    assert InboundAnswer.objects.get().text == KAZAKH


def test_an_html_only_reply_keeps_the_text_and_drops_quotes_and_scripts(dw, published):
    html = (
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
        "<div>Құрметті сайлаушы!</div><p>Жарық <b>мамыр</b> айында орнатылады.</p>"
        "<blockquote>Когда на улице Ленина появится освещение?</blockquote>"
        "<img src=x onerror=alert(2)></body></html>"
    )
    assert services.answer_by_email(raw=reply(published, html=html)).outcome == "held"
    text = InboundAnswer.objects.get().text
    assert "Құрметті сайлаушы!" in text and "Жарық мамыр айында орнатылады." in text
    assert "alert" not in text and "color" not in text and "Ленина" not in text and "<" not in text


def test_a_huge_mail_is_refused_unread(dw, published, settings):
    settings.OVERSIGHT_DEPUTY_ANSWER_MAX_BYTES = 50_000
    raw = reply(published, "ответ " * 20_000)
    assert len(raw) > 50_000
    assert services.answer_by_email(raw=raw).outcome == "too_large"
    assert not InboundAnswer.objects.exists()


def test_an_overlong_or_empty_answer_is_refused(dw, published):
    assert services.answer_by_email(raw=reply(published, "а" * 20_001, message_id="<a@m>")).outcome == "too_long"
    only_quote = "> Когда на улице Ленина появится освещение?\n"
    assert services.answer_by_email(raw=reply(published, only_quote, message_id="<b@m>")).outcome == "empty"
    assert services.answer_by_email(raw=b"\x00\xff garbage without headers").outcome == "no_address"
    nul = reply(published, "Ответ\x00 с нулевым байтом\x07.", message_id="<c@m>")
    assert services.answer_by_email(raw=nul).outcome == "held"
    assert InboundAnswer.objects.get().text == "Ответ с нулевым байтом."


def test_attachments_are_dropped_and_counted(dw, published):
    raw = reply(published, attachment=b"%PDF-1.4 <script>evil</script>")
    assert services.answer_by_email(raw=raw).outcome == "held"
    record = InboundAnswer.objects.get()
    assert record.attachments_dropped == 1 and "PDF" not in record.text


def test_late_unpublished_and_answered_questions_refuse_replies(dw, published, settings):
    late = published.published_at + dt.timedelta(days=settings.OVERSIGHT_DEPUTY_REPLY_DAYS, minutes=1)
    assert services.answer_by_email(raw=reply(published), now=late).outcome == "expired"
    services.question_answer(question=published, user=dw.office, text="Ответ на портале.")
    assert services.answer_by_email(raw=reply(published, message_id="<x@m>")).outcome == "answered"
    pending = services.question_submit(
        deputy=dw.ivanova,
        data=services.QuestionData("А", "a@example.kz", "Тема", "Текст вопроса здесь", True),
        language="ru",
    )
    assert services.answer_by_email(raw=reply(pending)).outcome == "not_published"
    Question.objects.filter(pk=pending.pk).update(status=QuestionStatus.REJECTED)
    assert services.answer_by_email(raw=reply(pending, message_id="<y@m>")).outcome == "not_published"


def test_the_same_message_twice_is_recorded_once(dw, published):
    raw = reply(published)
    assert services.answer_by_email(raw=raw).outcome == "held"
    assert services.answer_by_email(raw=raw).outcome == "duplicate"
    assert InboundAnswer.objects.count() == 1


# ---- the two ways in ---------------------------------------------------------------------------------------------


def test_the_command_reads_one_message_on_stdin(dw, published, monkeypatch, capsys):
    raw = reply(published, typical_reply(published))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    call_command("receive_deputy_answer", "--recipient", inbound.reply_address(published.pk))
    assert "held" in capsys.readouterr().out
    assert InboundAnswer.objects.get().text == KAZAKH + "\n\nС уважением,"


def test_the_command_uses_the_envelope_recipient_when_the_headers_do_not_name_it(dw, published, monkeypatch, capsys):
    raw = reply(published, to="undisclosed-recipients:;")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    call_command("receive_deputy_answer", "--recipient", inbound.reply_address(published.pk))
    assert InboundAnswer.objects.count() == 1
    forged = reply(published, sender="x@evil.example", message_id="<other@evil>")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(forged)))
    call_command("receive_deputy_answer")
    assert "refused: wrong_sender" in capsys.readouterr().err


def test_the_webhook_needs_its_secret(dw, published, settings):
    client = Client()
    raw = reply(published)
    url = "/inbound/deputy-answers/"
    assert client.post(url, raw, content_type="message/rfc822").status_code == 403
    wrong = client.post(url, raw, content_type="message/rfc822", HTTP_X_OVERSIGHT_INBOUND_SECRET="guess")
    assert wrong.status_code == 403
    assert client.get(url).status_code == 405
    settings.OVERSIGHT_INBOUND_SECRET = ""
    assert client.post(url, raw, content_type="message/rfc822", HTTP_X_OVERSIGHT_INBOUND_SECRET="").status_code == 404
    assert not InboundAnswer.objects.exists()


def test_the_webhook_takes_a_raw_message_or_a_form_field(dw, published):
    client = Client()
    url = "/inbound/deputy-answers/"
    response = client.post(url, reply(published), content_type="message/rfc822", HTTP_X_OVERSIGHT_INBOUND_SECRET=SECRET)
    assert response.status_code == 200 and response.json() == {"accepted": True, "outcome": "held"}
    forged = reply(published, sender="x@evil.example", message_id="<f@m>").decode()
    response = client.post(url, {"message": forged}, HTTP_X_OVERSIGHT_INBOUND_SECRET=SECRET)
    assert response.status_code == 200 and response.json() == {"accepted": False, "outcome": "wrong_sender"}
    assert client.post(url, {"message": ""}, HTTP_X_OVERSIGHT_INBOUND_SECRET=SECRET).status_code == 400
    assert InboundAnswer.objects.count() == 1


def test_strip_reply_knows_russian_kazakh_and_english_reply_headers():
    for header in (
        "On Tue, 2 Dec 2026 at 10:00, Portal <noreply@x.kz> wrote:",
        "2 дек. 2026 г., в 10:00, Портал <noreply@x.kz> написал(а):",
        "2026 ж. 2 жел., 10:00, Портал <noreply@x.kz> жазды:",
        "-----Original Message-----",
        "-----Исходное сообщение-----",
        "От: Портал [mailto:noreply@x.kz]",
        "Отправлено с iPhone",
        "Sent from my Galaxy",
        "iPhone-нан жіберілді",
    ):
        assert inbound.strip_reply(f"Ответ.\n\n{header}\nцитата\n") == "Ответ.", header
    # Sentences of an answer that only look like those lines are kept.
    kept = "Сұрағыңыз әкімдікке жіберілді.\nОтправлено с запросом в акимат 3 декабря."
    assert inbound.strip_reply(kept) == kept
