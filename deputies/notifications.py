"""The deputies app's mail, run by the outbox after commit, never inline (core/outbox.py).

- `deputies.send_question_to_deputy`: a published question to the deputy's official address, with the reply
  address `answers+<token>@<OVERSIGHT_MAIL_DOMAIN>` as Reply-To (deputies/inbound.py) and how to answer.
- `deputies.send_author_mail`: to the question's author, in the language the question was asked in: the receipt
  (with the confirmation link) and, once the address is confirmed (double opt-in), "published", "rejected (the
  rule of the code of conduct)" and "answered". Each carries a one-click unsubscribe link (RFC 8058).

Both check the state when they run, so a repeated run, a question erased on request (no address left) or an
author who unsubscribed in the meantime send nothing more.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.outbox import handler

from . import inbound
from .models import Answer, Question, QuestionStatus
from .services import AUTHOR_EVENTS, MAIL_TO_AUTHOR, MAIL_TO_DEPUTY


def _site(path: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + path


def question_url(question: Question) -> str:
    """The question on the deputy's public page (it is listed there once published)."""
    with translation.override(question.language):
        return _site(reverse("deputies:deputy", kwargs={"deputy_slug": question.deputy.slug}) + f"#q{question.pk}")


def confirm_url(question: Question) -> str:
    with translation.override(question.language):
        return _site(reverse("deputies:author_confirm", kwargs={"token": question.mail_token}))


def unsubscribe_url(question: Question) -> str:
    with translation.override(question.language):
        return _site(reverse("deputies:author_unsubscribe", kwargs={"token": question.mail_token}))


@handler(MAIL_TO_DEPUTY)
def send_question_to_deputy(*, question_id: int) -> int:
    question = Question.objects.select_related("deputy").get(pk=question_id)
    deputy = question.deputy
    if question.status != QuestionStatus.PUBLISHED or not deputy.office_email:
        return 0
    if Answer.objects.filter(question=question).exists():
        return 0
    reply_to = inbound.reply_address(question.pk)
    with translation.override(question.language):
        office = _site(reverse("deputies_office:inbox"))
        context = {
            "question": question,
            "deputy": deputy,
            "reply_to": reply_to,
            "marker": inbound.MARKER,
            "office_url": office,
            "question_url": question_url(question),
            "reply_days": settings.OVERSIGHT_DEPUTY_REPLY_DAYS,
        }
        subject = render_to_string("deputies/email/to_deputy_subject.txt", context).strip()
        body = render_to_string("deputies/email/to_deputy_body.txt", context)
    mail = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [deputy.office_email],
        reply_to=[reply_to] if reply_to else None,
        headers={"Auto-Submitted": "auto-generated"},
    )
    return mail.send()


@handler(MAIL_TO_AUTHOR)
def send_author_mail(*, question_id: int, event: str) -> int:
    question = Question.objects.select_related("deputy").get(pk=question_id)
    if event not in AUTHOR_EVENTS or not question.author_email or not question.mail_token:
        return 0
    if question.mail_stopped_at is not None:
        return 0
    if event != "received" and question.email_confirmed_at is None:
        return 0  # double opt-in: nothing but the receipt until the author confirms the address
    answer = Answer.objects.filter(question=question).first()
    if event == "answered" and answer is None:
        return 0
    link = unsubscribe_url(question)
    with translation.override(question.language):
        context = {
            "question": question,
            "deputy": question.deputy,
            "event": event,
            "answer": answer,
            "question_url": question_url(question),
            "confirm_url": confirm_url(question) if question.email_confirmed_at is None else "",
            "code_url": _site(reverse("deputies:code_of_conduct")),
            "unsubscribe_url": link,
        }
        subject = render_to_string("deputies/email/author_subject.txt", context).strip()
        body = render_to_string("deputies/email/author_body.txt", context)
    mail = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [question.author_email],
        headers={
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return mail.send()
