"""The writes of public participation: the comment window of a hearing, its documents, comments from the public
with their moderation and the council's answers, registrations to attend, and the record sent to registrants.

Every mail goes through the outbox (core/outbox.py) after the commit; the handlers are in notifications.py.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.files import validate_attachment
from core.outbox import outbox_enqueue
from core.workdays import WorkCalendar
from councils.models import Council
from hearings.models import HearingKind, PublicHearing
from monitoring.models import DraftActReview

from .models import (
    CommentKind,
    CommentOutcome,
    CommentStatus,
    HearingDocument,
    HearingRegistration,
    PublicComment,
)
from .rules import rule_for

CONFIRMATION_MAIL = "participation.send_registration_confirmation"
REMINDER_MAIL = "participation.send_hearing_reminder"
RECORD_MAIL = "participation.send_hearing_record"
# A registrant is reminded the day before the hearing (or on the day, when registered that late).
REMINDER_DAYS_BEFORE = 1

Target = PublicHearing | DraftActReview


# ---- the comment window ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    opens: dt.date
    closes: dt.date

    def state(self, today: dt.date) -> str:
        """ "not_yet", "open" or "closed" on `today` (both ends included)."""
        if today < self.opens:
            return "not_yet"
        return "open" if today <= self.closes else "closed"


def comment_window(target: Target) -> Window | None:
    """The days the public may comment: a hearing's window as set, a draft's whole discussion period."""
    if isinstance(target, DraftActReview):
        return Window(target.discussion_start, target.discussion_end)
    if target.comments_open and target.comments_close:
        return Window(target.comments_open, target.comments_close)
    return None


def registration_open(hearing: PublicHearing, today: dt.date) -> bool:
    """Until the day of the hearing, and never after its record is published."""
    return hearing.date >= today and hearing.record_published_on is None


@dataclass(frozen=True)
class ConsultationData:
    kind: str
    project: str = ""
    operator: str = ""
    notice_date: dt.date | None = None
    comments_open: dt.date | None = None
    comments_close: dt.date | None = None


def _check_consultation(hearing: PublicHearing, data: ConsultationData) -> None:
    """1. The kind is known. 2. The window is whole and in order, and does not open before the notice.
    3. An EIA hearing names its project and operator, and its notice keeps the rule's minimum before the hearing
    (working days, the portal's calendar)."""
    if data.kind not in HearingKind.values:
        raise ValidationError({"kind": _("Choose the kind of hearing.")})
    if (data.comments_open is None) != (data.comments_close is None):
        missing = "comments_close" if data.comments_close is None else "comments_open"
        raise ValidationError({missing: _("Give both the first and the last day of comments, or neither.")})
    if data.comments_open and data.comments_close and data.comments_close < data.comments_open:
        raise ValidationError({"comments_close": _("Comments cannot close before they open.")})
    if data.notice_date and data.comments_open and data.comments_open < data.notice_date:
        raise ValidationError({"comments_open": _("Comments cannot open before the notice is published.")})
    if data.kind != HearingKind.EIA:
        return
    if not data.project.strip():
        raise ValidationError({"project": _("Name the project put to the hearing.")})
    if not data.operator.strip():
        raise ValidationError({"operator": _("Name the operator (the initiator of the planned activity).")})
    if data.notice_date is None:
        raise ValidationError({"notice_date": _("Give the date the notice of the hearing was published.")})
    rule = rule_for(data.kind)
    if rule.notice_working_days:
        days = 0
        if data.notice_date < hearing.date:
            calendar = WorkCalendar.load(data.notice_date, hearing.date)
            days = calendar.working_days_between(data.notice_date, hearing.date)
        if days < rule.notice_working_days:
            latest = _latest_notice(hearing.date, rule.notice_working_days)
            raise ValidationError(
                {
                    "notice_date": ngettext(
                        "The notice must be published at least %(min)s working day before the hearing; this one "
                        "was %(days)s. The latest notice date is %(latest)s (%(source)s).",
                        "The notice must be published at least %(min)s working days before the hearing; this one "
                        "was %(days)s. The latest notice date is %(latest)s (%(source)s).",
                        rule.notice_working_days,
                    )
                    % {
                        "min": rule.notice_working_days,
                        "days": max(days, 0),
                        "latest": f"{latest:%d.%m.%Y}",
                        "source": rule.source,
                    }
                },
                code="notice_too_late",
            )


def _latest_notice(hearing_date: dt.date, working_days: int) -> dt.date:
    """The last day a notice may be published: `working_days` working days still lie between it and the hearing."""
    start = hearing_date - dt.timedelta(days=working_days * 3 + 30)
    calendar = WorkCalendar.load(start, hearing_date)
    day = hearing_date - dt.timedelta(days=1)
    while calendar.working_days_between(day, hearing_date) < working_days:
        day -= dt.timedelta(days=1)
    return day


@transaction.atomic
def hearing_consultation_update(*, hearing: PublicHearing, data: ConsultationData) -> PublicHearing:
    """Set what the public needs to take part in a hearing: its kind, project, operator, notice and comment
    window; checked against the kind's rule (rules.py)."""
    _check_consultation(hearing, data)
    hearing.kind = data.kind
    hearing.project = data.project.strip()
    hearing.operator = data.operator.strip()
    hearing.notice_date = data.notice_date
    hearing.comments_open = data.comments_open
    hearing.comments_close = data.comments_close
    hearing.save()
    return hearing


@transaction.atomic
def hearing_document_add(
    *, hearing: PublicHearing, title: str, file: UploadedFile[bytes] | None = None, url: str = ""
) -> HearingDocument:
    """A document put to the public with the hearing; a file is checked by its content, as appeal attachments."""
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    if file is None and not url:
        raise ValidationError({"file": _("Attach a file or give a link.")})
    if file is not None:
        validate_attachment(file)
    return HearingDocument.objects.create(hearing=hearing, title=title.strip(), file=file or "", url=url)


@transaction.atomic
def hearing_document_delete(*, document: HearingDocument) -> None:
    document.file.delete(save=False)
    document.delete()


# ---- comments ----------------------------------------------------------------------------------------------


class WindowClosed(ValidationError):
    """The target takes no comments today; the message says when it did or will."""


@dataclass(frozen=True)
class CommentData:
    name: str
    email: str
    text: str
    kind: str = CommentKind.COMMENT
    pseudonym: str = ""
    language: str = "ru"
    personal_data_consent: bool = False


def window_refusal(target: Target, today: dt.date) -> str | None:
    """Why the target takes no comments on `today`, in words for the form; None when it does."""
    window = comment_window(target)
    if window is None:
        return _("This hearing does not take written comments on the portal.")
    state = window.state(today)
    if state == "not_yet":
        return _("Comments open on %(date)s.") % {"date": f"{window.opens:%d.%m.%Y}"}
    if state == "closed":
        return _("The comment period closed on %(date)s; comments are no longer accepted.") % {
            "date": f"{window.closes:%d.%m.%Y}"
        }
    return None


def _next_number(council: Council) -> int:
    Council.objects.select_for_update().filter(pk=council.pk).first()  # numbers one at a time per council
    top = PublicComment.objects.filter(council=council).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


@transaction.atomic
def comment_submit(*, target: Target, data: CommentData, today: dt.date | None = None) -> PublicComment:
    """Take a comment or question from the public while the target's window is open. It waits for moderation:
    nothing is public before a moderator approves it."""
    today = today or timezone.localdate()
    refusal = window_refusal(target, today)
    if refusal:
        raise WindowClosed(refusal, code="window_closed")
    if not data.personal_data_consent:
        raise ValidationError(
            {"personal_data_consent": _("Without your consent the council cannot take your comment.")}
        )
    if data.kind not in CommentKind.values:
        raise ValidationError({"kind": _("Choose whether this is a comment or a question.")})
    if not data.text.strip():
        raise ValidationError({"text": _("Write your comment.")})
    if not data.name.strip():
        raise ValidationError({"name": _("Give your name: it is not published.")})
    council = target.council
    comment = PublicComment(
        council=council,
        hearing=target if isinstance(target, PublicHearing) else None,
        draft=target if isinstance(target, DraftActReview) else None,
        kind=data.kind,
        author_name=data.name.strip(),
        email=data.email.strip(),
        pseudonym=data.pseudonym.strip(),
        text=data.text.strip(),
        language=data.language,
        personal_data_consent=True,
    )
    comment.number = _next_number(council)
    comment.save()
    return comment


@transaction.atomic
def comment_moderate(*, comment: PublicComment, publish: bool, user: Any, reason: str = "") -> PublicComment:
    """Publish a comment, or keep it off the portal with the reason (kept for the audit, never shown)."""
    if not publish and not reason.strip():
        raise ValidationError({"reason": _("Say why the comment is not published.")})
    comment.status = CommentStatus.PUBLISHED if publish else CommentStatus.REJECTED
    comment.rejection_reason = "" if publish else reason.strip()
    comment.moderated_at = timezone.now()
    comment.moderated_by = user if getattr(user, "is_authenticated", False) else None
    comment.save()
    return comment


@transaction.atomic
def comment_answer(*, comment: PublicComment, outcome: str, answer: str) -> PublicComment:
    """The council's answer: taken into account, partly, or not (then the reason is required). Only a published
    comment is answered; the answer is public with the hearing's record or the draft's conclusion."""
    if comment.status != CommentStatus.PUBLISHED:
        raise ValidationError(_("Publish the comment before answering it."))
    if outcome not in CommentOutcome.values:
        raise ValidationError({"outcome": _("Choose how the comment was treated.")})
    if outcome == CommentOutcome.REJECTED and not answer.strip():
        raise ValidationError({"answer": _("Give the reason the comment was not taken into account.")})
    comment.outcome = outcome
    comment.answer = answer.strip()
    comment.answered_at = timezone.now()
    comment.save()
    return comment


# ---- registrations -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationData:
    name: str
    email: str
    organisation: str = ""
    questions: str = ""
    language: str = "ru"
    personal_data_consent: bool = False


class AlreadyRegistered(ValidationError):
    pass


@transaction.atomic
def registration_submit(
    *, hearing: PublicHearing, data: RegistrationData, today: dt.date | None = None
) -> HearingRegistration:
    """Register a citizen to attend the hearing, with questions sent in advance; the confirmation mail goes
    through the outbox."""
    today = today or timezone.localdate()
    if not registration_open(hearing, today):
        raise ValidationError(_("Registration for this hearing is closed."), code="registration_closed")
    if not data.personal_data_consent:
        raise ValidationError({"personal_data_consent": _("Without your consent the council cannot register you.")})
    if not data.name.strip():
        raise ValidationError({"name": _("Give your name.")})
    try:
        with transaction.atomic():
            registration = HearingRegistration.objects.create(
                hearing=hearing,
                name=data.name.strip(),
                email=data.email.strip().lower(),
                organisation=data.organisation.strip(),
                questions=data.questions.strip(),
                language=data.language,
                personal_data_consent=True,
                token=secrets.token_urlsafe(32),
            )
    except IntegrityError as exc:
        raise AlreadyRegistered(
            {"email": _("This address is already registered for the hearing.")}, code="already_registered"
        ) from exc
    outbox_enqueue(handler=CONFIRMATION_MAIL, kwargs={"registration_id": registration.pk})
    return registration


@transaction.atomic
def registration_cancel(*, registration: HearingRegistration) -> HearingRegistration:
    if registration.cancelled_at is None:
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["cancelled_at"])
    return registration


def reminders_queue(*, today: dt.date) -> int:
    """Queue the reminder of every registrant of a hearing held within REMINDER_DAYS_BEFORE days. Claimed by
    compare-and-swap, so a second run (or a second worker) queues none twice. Returns how many were queued."""
    due = HearingRegistration.objects.filter(
        cancelled_at__isnull=True,
        reminded_at__isnull=True,
        hearing__date__gte=today,
        hearing__date__lte=today + dt.timedelta(days=REMINDER_DAYS_BEFORE),
    ).values_list("pk", flat=True)
    queued = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = HearingRegistration.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if claimed:
                outbox_enqueue(handler=REMINDER_MAIL, kwargs={"registration_id": pk})
                queued += 1
    return queued


@transaction.atomic
def hearing_record_publish(*, hearing: PublicHearing, today: dt.date | None = None) -> int:
    """Publish the hearing's record (each published comment with the council's answer, beside the protocol) and
    send it to every registrant once. Every published comment must be answered first. Returns the mails queued."""
    today = today or timezone.localdate()
    unanswered = hearing.public_comments.filter(status=CommentStatus.PUBLISHED, outcome="").count()
    if unanswered:
        raise ValidationError(
            ngettext(
                "%(count)s published comment has no answer yet: answer it before publishing the record.",
                "%(count)s published comments have no answer yet: answer them before publishing the record.",
                unanswered,
            )
            % {"count": unanswered},
            code="unanswered",
        )
    if hearing.record_published_on is None:
        hearing.record_published_on = today
        hearing.save(update_fields=["record_published_on"])
    queued = 0
    for pk in list(
        hearing.registrations.filter(cancelled_at__isnull=True, record_sent_at__isnull=True).values_list(
            "pk", flat=True
        )
    ):
        if HearingRegistration.objects.filter(pk=pk, record_sent_at__isnull=True).update(record_sent_at=timezone.now()):
            outbox_enqueue(handler=RECORD_MAIL, kwargs={"registration_id": pk})
            queued += 1
    return queued


@transaction.atomic
def draft_text_update(
    *, draft: DraftActReview, file: UploadedFile[bytes] | None = None, url: str = ""
) -> DraftActReview:
    """The draft the public reads while its discussion is open: a new file replaces the old; the link is set as
    given (empty clears it)."""
    if file is not None:
        validate_attachment(file)
        if draft.draft_file:
            draft.draft_file.delete(save=False)
        draft.draft_file = file  # type: ignore[assignment]
    draft.draft_url = url
    draft.save()
    return draft
