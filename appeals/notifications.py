"""Mail to the citizen, in the language of the appeal. Run by the outbox after commit, never inline."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from smtplib import SMTPServerDisconnected
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.outbox import handler

from .models import Appeal

EVENTS = ("registered", "forwarded", "extended", "answered", "left_without_consideration")
# The notices the Administrative Procedural-Process Code owes the applicant (art. 76: forwarding and extension
# are told to the applicant; the answer, or the reasons the appeal was left without consideration). They are sent
# even after consent was withdrawn; every other mail (the receipt of registration) stops at once, queued or not.
REQUIRED_BY_LAW = frozenset({"forwarded", "extended", "answered", "left_without_consideration"})


# What a mail reads (this module, templates/appeals/email/): an appeal has some forty columns and its council thirty,
# and building the objects of every one of them was half the worker's CPU per mail (benchmarks/load.py --profile).
# A field left out here still works, at the cost of one query more (a test counts them).
_NAMES = tuple(
    f"{relation}__name{suffix}" for relation in ("council", "forwarded_to") for suffix in ("", "_ru", "_kk", "_en")
)
MAIL_FIELDS = (
    "email",
    "language",
    "consent_withdrawn_at",
    "number",
    "tracking_token",
    "due_date",
    "extended_until",
    "answer_text",
    *_NAMES,
)


def tracking_path(appeal: Appeal, language: str | None = None) -> str:
    with translation.override(language or appeal.language):
        return reverse("appeals:track", kwargs={"number": appeal.number, "token": appeal.tracking_token})


def tracking_url(appeal: Appeal, language: str | None = None) -> str:
    return settings.SITE_URL.rstrip("/") + tracking_path(appeal, language)


def _letters() -> QuerySet[Appeal]:
    return Appeal.objects.select_related("council", "forwarded_to").only(*MAIL_FIELDS)


# ---- a drain's batch of mail ----------------------------------------------------------------------------------
# A drain runs the mail of up to a hundred appeals at a time (core/outbox.py). Read one at a time, each appeal was a
# query the ORM built anew (a third of a mail's CPU), and `send_mail` opened a connection to the mail server for
# each letter (with SMTP: a TCP and TLS handshake and a login per letter). Inside a batch the appeals are read in
# one query and the letters go over one connection, opened at the first letter. A server may close a connection
# it has kept open (many cap the letters per connection or the idle time): a letter that finds the kept
# connection closed is sent once more on a fresh one. Any other failure drops the connection too, so the next
# letter opens a fresh one rather than failing on a broken one.


@dataclass
class _MailBatch:
    appeals: dict[int, Appeal]
    connection: BaseEmailBackend | None = field(default=None)

    def send(self, message: EmailMessage) -> None:
        kept = self.connection is not None
        try:
            self._connection().send_messages([message])
        except SMTPServerDisconnected:
            self.close()
            if not kept:
                raise
            self.send(message)  # the server closed the kept connection: once more, on a fresh one
        except Exception:
            self.close()
            raise

    def _connection(self) -> BaseEmailBackend:
        if self.connection is None:
            connection = get_connection()
            connection.open()
            self.connection = connection
        return self.connection

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # noqa: BLE001, S110 - a connection that cannot even close is dropped all the same
                pass


_BATCH: ContextVar[_MailBatch | None] = ContextVar("appeal_mail_batch", default=None)


@contextmanager
def _mail_batch(arguments: list[dict[str, Any]]) -> Iterator[None]:
    batch = _MailBatch(_letters().in_bulk({kwargs["appeal_id"] for kwargs in arguments}))
    token = _BATCH.set(batch)
    try:
        yield
    finally:
        _BATCH.reset(token)
        batch.close()


@handler("appeals.send_mail", batch=_mail_batch)
def appeal_send_mail(*, appeal_id: int, event: str) -> None:
    """Idempotent but for the mail itself: a run repeated after a worker died mid-send sends it twice."""
    batch = _BATCH.get()
    appeal = batch.appeals.get(appeal_id) if batch is not None else None
    if appeal is None:  # on its own, or gone since the batch was read (then this raises DoesNotExist)
        appeal = _letters().get(pk=appeal_id)
    if not appeal.email or event not in EVENTS:
        return
    if appeal.consent_withdrawn_at is not None and event not in REQUIRED_BY_LAW:
        return
    with translation.override(appeal.language):
        context = {"appeal": appeal, "event": event, "tracking_url": tracking_url(appeal)}
        subject = render_to_string("appeals/email/subject.txt", context).strip()
        body = render_to_string("appeals/email/body.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [appeal.email])
    if batch is None:
        message.send()
    else:
        batch.send(message)
