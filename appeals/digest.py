"""The daily digest to each council's secretaries: appeals overdue and appeals due within 3 working days.

The mail goes through the transactional outbox rather than straight from the beat task. The task already runs
in the worker, so the outbox is not there to keep a web request fast; it is there because
1. an SMTP failure leaves the outbox row pending and `outbox_flush` retries it, where a failed send inside the
   task would be lost until the next day;
2. the outbox rows double as the record of what was sent: a second run on the same day (beat restarted, a task
   re-delivered after a worker crash, a manual run) finds the row for (council, day) and queues nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.outbox import OutboxMessage, handler, outbox_enqueue
from core.workdays import WorkCalendar
from councils.models import Council, CouncilStaff, StaffRole

from .deadlines import overdue_q
from .filters import appeals_for_inbox, due_soon_limit, due_soon_q

DIGEST_TARGET = "appeals.send_digest"


@dataclass(frozen=True)
class DigestLine:
    number: str
    subject: str
    deadline: dt.date
    url: str


@dataclass(frozen=True)
class Digest:
    council: Council
    day: dt.date
    overdue: list[DigestLine]
    due_soon: list[DigestLine]

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_soon)


def _appeal_url(council: Council, number: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("appeals_staff:detail", kwargs={"slug": council.slug, "number": number})
    return settings.SITE_URL.rstrip("/") + path


def council_digest(*, council: Council, day: dt.date, calendar: WorkCalendar | None = None) -> Digest:
    """What the secretaries must see on `day`: overdue first, then those due within 3 working days."""
    limit = due_soon_limit(day, calendar)
    appeals = appeals_for_inbox(council=council).order_by("effective_deadline", "registered_at", "id")

    def lines(rows) -> list[DigestLine]:
        return [
            DigestLine(
                number=a.number,
                subject=a.subject,
                deadline=a.effective_deadline,
                url=_appeal_url(council, a.number),
            )
            for a in rows.select_related(None).only("number", "subject", "due_date", "extended_until")
        ]

    return Digest(
        council=council,
        day=day,
        overdue=lines(appeals.filter(overdue_q(day))),
        due_soon=lines(appeals.filter(due_soon_q(day, limit))),
    )


def _recipients(council: Council) -> list[str]:
    emails = (
        CouncilStaff.objects.filter(council=council, role=StaffRole.SECRETARY, user__is_active=True)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )
    return list(emails)


@transaction.atomic
def council_digest_queue(*, council_id: int, day: dt.date, calendar: WorkCalendar | None = None) -> bool:
    """Queue the day's digest for one council. Returns whether a digest was queued.

    1. The council row is locked, so two runs at once queue one digest.
    2. A digest already queued for this council and day stops the run (re-runs are harmless).
    3. Nothing due, or no secretary with an e-mail: nothing is queued.
    """
    council = Council.objects.select_for_update().get(pk=council_id)
    if OutboxMessage.objects.filter(
        target=DIGEST_TARGET, kwargs__council_id=council.pk, kwargs__day=day.isoformat()
    ).exists():
        return False
    if not _recipients(council) or not council_digest(council=council, day=day, calendar=calendar):
        return False
    outbox_enqueue(handler=DIGEST_TARGET, kwargs={"council_id": council.pk, "day": day.isoformat()})
    return True


@handler(DIGEST_TARGET)
def send_digest_mail(*, council_id: int, day: str) -> int:
    """The outbox handler: build the digest as the data stands now and mail each secretary. Returns mails sent.

    Built at sending time, so a digest delayed by an outage lists what is still due, not what was.
    """
    council = Council.objects.get(pk=council_id)
    digest = council_digest(council=council, day=dt.date.fromisoformat(day))
    recipients = _recipients(council)
    if not digest or not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"digest": digest, "council": council, "inbox_url": _inbox_url(council)}
        subject = render_to_string("appeals/email/digest_subject.txt", context).strip()
        body = render_to_string("appeals/email/digest_body.txt", context)
    # One message per secretary: nobody's address is shown to the others.
    mails = [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients]
    return get_connection().send_messages(mails) or 0


def _inbox_url(council: Council) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("appeals_staff:inbox", kwargs={"slug": council.slug})
    return settings.SITE_URL.rstrip("/") + path
