"""The only writers of the deputies app: keyword-only, typed, atomic (STYLE.md).

1. The shared register: a body's deputy list imported from a spreadsheet (rows that cannot be read are reported,
   never half-written), and a mandate ended early with its reason.
2. The NGO monitors' records: a session with its attendance, a roll call, an activity, a promise. Each is a draft
   until a second person of the same NGO publishes it (`record_publish`), and a published record cites its source.
3. Public questions: submitted by a citizen, moderated by the NGO that monitors the deputy's body, answered by an
   account of the deputy's office, or by the deputy's e-mail reply (`answer_by_email`, the one service behind the
   `receive_deputy_answer` command and the inbound-mail webhook), held for the moderators unless the body
   publishes e-mail answers at once. Every mail goes through the outbox (deputies/notifications.py): the question
   to the deputy when it is published, and to its author the receipt (with the confirmation link: double opt-in),
   then, once the address is confirmed, "published", "rejected" and "answered".
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.outbox import outbox_enqueue
from councils.models import Council

from . import inbound
from .models import (
    Activity,
    ActivityKind,
    Answer,
    Attendance,
    Ballot,
    BodyConvocation,
    Constituency,
    Deputy,
    DeputyOffice,
    ElectedBy,
    EndReason,
    InboundAnswer,
    InboundStatus,
    Mandate,
    MonitoredBody,
    Party,
    Post,
    Presence,
    Promise,
    PromiseStatus,
    Question,
    QuestionStatus,
    RepresentativeBody,
    Reviewed,
    ReviewStatus,
    Session,
    SessionKind,
    VoteEvent,
    VoteOption,
)

logger = logging.getLogger(__name__)

# Outbox handlers (deputies/notifications.py registers them).
MAIL_TO_DEPUTY = "deputies.send_question_to_deputy"
MAIL_TO_AUTHOR = "deputies.send_author_mail"
AUTHOR_EVENTS = ("received", "published", "rejected", "answered")

# ---- 1. the shared register ---------------------------------------------------------------------------------

IMPORT_COLUMNS = ("full_name", "party", "constituency", "post", "start_date", "office_email", "office_phone")


@dataclass
class RejectedRow:
    line: int
    values: list[str]
    reason: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)


def _parse_date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValueError(value)


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=False) or "deputy"
    base = base[:70]
    slug, n = base, 1
    while Deputy.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _import_row(
    *, convocation: BodyConvocation, row: Mapping[str, str], constituencies: Mapping[int, Constituency]
) -> bool:
    """One row; True when a deputy was created, False when an existing mandate was updated. Raises ValueError
    with a translated reason for a row that cannot be taken."""
    name = " ".join(row.get("full_name", "").split())
    if not name:
        raise ValueError(_("The full name is empty."))
    if len(name) > 255:
        raise ValueError(_("The full name is longer than 255 characters."))
    raw_start = row.get("start_date", "").strip()
    try:
        start = _parse_date(raw_start) if raw_start else convocation.start_date
    except ValueError:
        raise ValueError(_("The start date is not a date (YYYY-MM-DD or DD.MM.YYYY).")) from None
    if start < convocation.start_date or (convocation.end_date and start > convocation.end_date):
        raise ValueError(_("The start date is outside the convocation."))
    constituency = None
    raw_number = row.get("constituency", "").strip()
    if raw_number:
        if not raw_number.isdigit() or int(raw_number) not in constituencies:
            raise ValueError(_("No constituency with this number in the body."))
        constituency = constituencies[int(raw_number)]
    post = row.get("post", "").strip() or Post.DEPUTY
    if post not in Post.values:
        raise ValueError(_("Unknown post: use chair, deputy or committee_chair."))
    party = None
    party_name = " ".join(row.get("party", "").split())
    if party_name:
        party = Party.objects.filter(name_ru__iexact=party_name).first()
        if party is None:
            party = Party.objects.create(slug=_unique_party_slug(party_name), name_ru=party_name)
    email = row.get("office_email", "").strip()
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            raise ValueError(_("The official e-mail is not an e-mail address.")) from None
    phone = row.get("office_phone", "").strip()[:32]
    deputy = Deputy.objects.filter(full_name_ru=name, mandates__convocation=convocation).first()
    created = deputy is None
    if deputy is None:
        deputy = Deputy.objects.create(
            slug=_unique_slug(name), full_name_ru=name, office_email=email, office_phone=phone
        )
        Mandate.objects.create(
            deputy=deputy, convocation=convocation, constituency=constituency, party=party, post=post, start_date=start
        )
    else:
        Mandate.objects.filter(deputy=deputy, convocation=convocation).update(
            constituency=constituency, party=party, post=post
        )
    return created


def _unique_party_slug(name: str) -> str:
    base = (slugify(name) or "party")[:56]
    slug, n = base, 1
    while Party.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def deputy_list_import(*, convocation: BodyConvocation, rows: Sequence[Mapping[str, str]]) -> ImportResult:
    """Import a body's deputy list (the spreadsheet's rows as dicts keyed by IMPORT_COLUMNS). Each good row is
    written in its own savepoint; a bad row is reported with its line number (the header is line 1) and reason."""
    result = ImportResult()
    constituencies = {c.number: c for c in convocation.body.constituencies.all()}
    for n, row in enumerate(rows, start=2):
        try:
            with transaction.atomic():
                if _import_row(convocation=convocation, row=row, constituencies=constituencies):
                    result.created += 1
                else:
                    result.updated += 1
        except ValueError as exc:
            result.rejected.append(RejectedRow(line=n, values=[str(v) for v in row.values()], reason=str(exc)))
    return result


@transaction.atomic
def mandate_end(*, mandate: Mandate, end_date: dt.date, reason: str, decision: str = "") -> Mandate:
    """End a mandate (early, or at the convocation's end), with its reason: the composition after that day no
    longer lists the deputy."""
    if reason not in EndReason.values:
        raise ValidationError({"end_reason": _("Choose the reason the mandate ended.")})
    if end_date < mandate.start_date:
        raise ValidationError({"end_date": _("A mandate cannot end before it starts.")})
    mandate.end_date, mandate.end_reason, mandate.end_decision = end_date, reason, decision
    mandate.save(update_fields=["end_date", "end_reason", "end_decision"])
    return mandate


@transaction.atomic
def mandate_by_election(
    *, vacated: Mandate, deputy: Deputy, start_date: dt.date, party: Party | None = None
) -> Mandate:
    """The seat of an ended mandate filled at a by-election: the same constituency, a new mandate."""
    if vacated.end_date is None or start_date <= vacated.end_date:
        raise ValidationError({"start_date": _("A by-election fills a seat after the previous mandate ended.")})
    return Mandate.objects.create(
        deputy=deputy,
        convocation=vacated.convocation,
        constituency=vacated.constituency,
        party=party,
        elected_by=ElectedBy.BY_ELECTION,
        start_date=start_date,
    )


# ---- 2. the NGO monitors' records -----------------------------------------------------------------------------


def monitored_bodies(monitor: Council) -> list[RepresentativeBody]:
    return [m.body for m in MonitoredBody.objects.filter(council=monitor).select_related("body")]


def _check_monitors(monitor: Council, body: RepresentativeBody) -> None:
    if not MonitoredBody.objects.filter(council=monitor, body=body).exists():
        raise ValidationError({"body": _("Your organisation does not monitor this body.")})


def _body_of_deputy(deputy: Deputy) -> RepresentativeBody | None:
    mandate = deputy.mandates.select_related("convocation__body").order_by("-start_date").first()
    return mandate.convocation.body if mandate else None


@dataclass(frozen=True)
class Source:
    source_url: str = ""
    source_document: UploadedFile[bytes] | None = None


def _apply_source(record: Reviewed, source: Source) -> None:
    record.source_url = source.source_url
    if source.source_document is not None:
        record.source_document = source.source_document


@dataclass(frozen=True)
class SessionData:
    body: RepresentativeBody
    number: int
    date: dt.date
    kind: str = SessionKind.REGULAR
    agenda: str = ""
    source_url: str = ""
    source_document: UploadedFile[bytes] | None = None


@transaction.atomic
def session_record(*, monitor: Council, user: User | None, data: SessionData, attendance: Mapping[int, str]) -> Session:
    """A session with who was present (deputy id → presence): a draft until reviewed."""
    _check_monitors(monitor, data.body)
    bad = [value for value in attendance.values() if value not in Presence.values]
    if bad:
        raise ValidationError(_("Unknown presence value."))
    from .selectors import composition_on

    members = {m.deputy_id for m in composition_on(body=data.body, day=data.date)}
    if set(attendance) - members:
        raise ValidationError(_("Attendance may only list deputies who held a mandate on the session's date."))
    session = Session(
        council=monitor, body=data.body, number=data.number, date=data.date, kind=data.kind, agenda=data.agenda
    )
    session.entered_by = user
    _apply_source(session, Source(data.source_url, data.source_document))
    session.save()
    Attendance.objects.bulk_create(
        [Attendance(session=session, deputy_id=deputy_id, presence=value) for deputy_id, value in attendance.items()]
    )
    return session


@transaction.atomic
def session_attendance_set(*, session: Session, attendance: Mapping[int, str]) -> Session:
    """Who was present at a session (deputy id → presence), replacing what was recorded."""
    if any(value not in Presence.values for value in attendance.values()):
        raise ValidationError(_("Unknown presence value."))
    from .selectors import composition_on

    members = {m.deputy_id for m in composition_on(body=session.body, day=session.date)}
    if set(attendance) - members:
        raise ValidationError(_("Attendance may only list deputies who held a mandate on the session's date."))
    session.attendance.all().delete()
    Attendance.objects.bulk_create(
        [Attendance(session=session, deputy_id=deputy_id, presence=value) for deputy_id, value in attendance.items()]
    )
    return session


@transaction.atomic
def vote_record(*, session: Session, motion: str, ballots: Mapping[int, str]) -> VoteEvent:
    """A roll call on one motion (deputy id → option); tallies are counted from the ballots, never typed."""
    if not motion.strip():
        raise ValidationError({"motion": _("Say what was voted on.")})
    if any(value not in VoteOption.values for value in ballots.values()):
        raise ValidationError(_("Unknown vote value."))
    from .selectors import composition_on

    members = {m.deputy_id for m in composition_on(body=session.body, day=session.date)}
    if set(ballots) - members:
        raise ValidationError(_("A roll call may only list deputies who held a mandate on the session's date."))
    vote = VoteEvent.objects.create(session=session, motion=motion.strip())
    Ballot.objects.bulk_create([Ballot(vote=vote, deputy_id=d, option=o) for d, o in ballots.items()])
    return vote


@dataclass(frozen=True)
class ActivityData:
    deputy: Deputy
    kind: str
    date: dt.date
    title: str
    summary: str = ""
    addressee: str = ""
    answered_on: dt.date | None = None
    answer: str = ""
    visitors: int | None = None
    source_url: str = ""
    source_document: UploadedFile[bytes] | None = None


@transaction.atomic
def activity_record(*, monitor: Council, user: User | None, data: ActivityData) -> Activity:
    body = _body_of_deputy(data.deputy)
    if body is None:
        raise ValidationError({"deputy": _("This person holds no mandate.")})
    _check_monitors(monitor, body)
    if data.kind not in ActivityKind.values:
        raise ValidationError({"kind": _("Choose the kind of activity.")})
    if data.answered_on is not None and data.answered_on < data.date:
        raise ValidationError({"answered_on": _("An answer cannot come before the inquiry.")})
    activity = Activity(
        council=monitor,
        deputy=data.deputy,
        kind=data.kind,
        date=data.date,
        title=data.title,
        summary=data.summary,
        addressee=data.addressee,
        answered_on=data.answered_on,
        answer=data.answer,
        visitors=data.visitors,
    )
    activity.entered_by = user
    _apply_source(activity, Source(data.source_url, data.source_document))
    activity.save()
    return activity


@dataclass(frozen=True)
class PromiseData:
    deputy: Deputy
    text: str
    rating: str = PromiseStatus.NOT_RATED
    evidence: str = ""
    source_url: str = ""
    source_document: UploadedFile[bytes] | None = None


@transaction.atomic
def promise_record(*, monitor: Council, user: User | None, data: PromiseData) -> Promise:
    body = _body_of_deputy(data.deputy)
    if body is None:
        raise ValidationError({"deputy": _("This person holds no mandate.")})
    _check_monitors(monitor, body)
    if data.rating != PromiseStatus.NOT_RATED and not data.evidence.strip():
        raise ValidationError({"evidence": _("A rated promise needs the evidence for its rating.")})
    promise = Promise(council=monitor, deputy=data.deputy, text=data.text, rating=data.rating, evidence=data.evidence)
    promise.entered_by = user
    _apply_source(promise, Source(data.source_url, data.source_document))
    promise.save()
    return promise


@transaction.atomic
def record_publish(*, record: Reviewed, reviewer: User, now: dt.datetime | None = None) -> Reviewed:
    """Publish a monitor's record: a second person, and a cited source (link or document).

    The compare-and-swap on the status makes a double click harmless."""
    if record.entered_by_id is not None and record.entered_by_id == reviewer.pk:
        raise ValidationError(_("A second person must review a record: you entered this one."))
    if not record.source_url and not record.source_document:
        raise ValidationError(_("A published fact cites its source: add a link or a document first."))
    moment = now or timezone.now()
    type(record)._default_manager.filter(pk=record.pk, status=ReviewStatus.DRAFT).update(
        status=ReviewStatus.PUBLISHED, reviewed_by=reviewer, published_at=moment
    )
    record.refresh_from_db()
    return record


# ---- 3. public questions --------------------------------------------------------------------------------------


class NoModerator(Exception):
    """No NGO monitors this deputy's body: the portal cannot take questions to them."""


def moderator_of(deputy: Deputy) -> Council | None:
    body = _body_of_deputy(deputy)
    if body is None:
        return None
    found = MonitoredBody.objects.filter(body=body).select_related("council").order_by("id").first()
    return found.council if found else None


@dataclass(frozen=True)
class QuestionData:
    author_name: str
    author_email: str
    subject: str
    text: str
    personal_data_consent: bool


@transaction.atomic
def question_submit(*, deputy: Deputy, data: QuestionData, language: str, now: dt.datetime | None = None) -> Question:
    """A citizen's question: private until the NGO moderates it against the code of conduct."""
    if not data.personal_data_consent:
        raise ValidationError({"personal_data_consent": _("Without your consent the question cannot be taken.")})
    monitor = moderator_of(deputy)
    if monitor is None:
        raise NoModerator
    moment = now or timezone.now()
    email = data.author_email.strip()
    # An address its owner confirmed for an earlier question, and from which mail was not stopped, is verified.
    verified = Question.objects.filter(
        author_email__iexact=email, email_confirmed_at__isnull=False, mail_stopped_at__isnull=True
    ).exists()
    question = Question.objects.create(
        council=monitor,
        deputy=deputy,
        author_name=data.author_name.strip(),
        author_email=email,
        subject=data.subject.strip(),
        text=data.text.strip(),
        language=language,
        asked_at=moment,
        personal_data_consent=True,
        mail_token=secrets.token_urlsafe(32),
        email_confirmed_at=moment if verified else None,
    )
    _mail_author(question, "received")
    return question


def _mail_author(question: Question, event: str) -> None:
    if question.author_email and question.mail_stopped_at is None:
        outbox_enqueue(handler=MAIL_TO_AUTHOR, kwargs={"question_id": question.pk, "event": event})


@transaction.atomic
def question_moderate(
    *, question: Question, user: User, publish: bool, reason: str = "", now: dt.datetime | None = None
) -> Question:
    if question.status != QuestionStatus.PENDING:
        raise ValidationError(_("This question was already moderated."))
    if publish:
        question.status, question.published_at = QuestionStatus.PUBLISHED, now or timezone.now()
    else:
        if not reason.strip():
            raise ValidationError({"rejection_reason": _("Say which rule of the code of conduct the question breaks.")})
        question.status, question.rejection_reason = QuestionStatus.REJECTED, reason.strip()
    question.moderated_by = user
    question.save(update_fields=["status", "published_at", "rejection_reason", "moderated_by"])
    if publish:
        if question.deputy.office_email:
            outbox_enqueue(handler=MAIL_TO_DEPUTY, kwargs={"question_id": question.pk})
        _mail_author(question, "published")
    else:
        _mail_author(question, "rejected")
    return question


def can_answer(user: Any, deputy: Deputy) -> bool:
    return bool(user.is_authenticated and DeputyOffice.objects.filter(user_id=user.pk, deputy=deputy).exists())


@transaction.atomic
def question_answer(*, question: Question, user: User, text: str, now: dt.datetime | None = None) -> Answer:
    """The deputy's office answers a published question, once; the answer is public at once."""
    if not can_answer(user, question.deputy):
        raise ValidationError(_("Only the deputy's office answers the deputy's questions."))
    if question.status != QuestionStatus.PUBLISHED:
        raise ValidationError(_("Only a published question can be answered."))
    if not text.strip():
        raise ValidationError({"text": _("Write the answer.")})
    if Answer.objects.filter(question=question).exists():
        raise ValidationError(_("This question is already answered."))
    answer = Answer.objects.create(
        question=question, text=text.strip(), answered_at=now or timezone.now(), answered_by=user
    )
    _mail_author(question, "answered")
    return answer


# ---- 4. the author's mail: confirmation and unsubscribe ------------------------------------------------------


def _by_mail_token(token: str) -> Question | None:
    if not token or len(token) > 64:
        return None
    return Question.objects.filter(mail_token=token).exclude(mail_token="").first()


@transaction.atomic
def author_email_confirm(*, token: str, now: dt.datetime | None = None) -> Question | None:
    """The author clicked the receipt's confirmation link: from now on the portal writes about the question.
    None for an unknown link. Confirming twice changes nothing; confirming after unsubscribing does not resume
    the mail (a new question does)."""
    question = _by_mail_token(token)
    if question is None or not question.author_email:
        return None
    if question.email_confirmed_at is None:
        question.email_confirmed_at = now or timezone.now()
        question.save(update_fields=["email_confirmed_at"])
    return question


@transaction.atomic
def author_mail_stop(*, token: str, now: dt.datetime | None = None) -> Question | None:
    """One-click unsubscribe (RFC 8058): no more mail about this question, and none about the author's other
    questions either (the same address). None for an unknown link."""
    question = _by_mail_token(token)
    if question is None:
        return None
    moment = now or timezone.now()
    if question.author_email:
        Question.objects.filter(author_email__iexact=question.author_email, mail_stopped_at__isnull=True).update(
            mail_stopped_at=moment
        )
    elif question.mail_stopped_at is None:
        Question.objects.filter(pk=question.pk).update(mail_stopped_at=moment)
    question.refresh_from_db()
    return question


# ---- 5. answers by e-mail reply --------------------------------------------------------------------------------

MAX_ANSWER_CHARS = 20000


@dataclass(frozen=True)
class InboundResult:
    """What became of one inbound message. `accepted` is False for every refusal; `outcome` says which:
    published / held / duplicate, or too_large, no_address, forged, unknown_question, not_published, expired,
    answered, wrong_sender, empty, too_long."""

    accepted: bool
    outcome: str
    question_id: int | None = None


def _refuse(outcome: str, question_id: int | None = None) -> InboundResult:
    logger.warning("deputy answer by e-mail refused: %s (question %s)", outcome, question_id)
    return InboundResult(accepted=False, outcome=outcome, question_id=question_id)


def deputy_addresses(deputy: Deputy) -> set[str]:
    """The addresses a deputy's answer may come from: the official address, and those of the office accounts."""
    addresses = {deputy.office_email.strip().lower()} if deputy.office_email else set()
    for email in DeputyOffice.objects.filter(deputy=deputy).values_list("user__email", flat=True):
        if email:
            addresses.add(email.strip().lower())
    return addresses


def answer_by_email(*, raw: bytes, recipient: str = "", now: dt.datetime | None = None) -> InboundResult:
    """Take a deputy's e-mail reply (one RFC 822 message, and the envelope recipient when the mail server gives
    it). The reply address must carry a valid token of a published, unanswered question whose reply window is
    open; the sender must be one of the deputy's recorded addresses; the text left after stripping quotes and
    signatures must not be empty. The answer is then held for the moderators, or published at once when the
    deputy's body says so. A message seen before (the same Message-ID) is accepted again without a second
    record, so a webhook's retries are harmless."""
    if len(raw) > settings.OVERSIGHT_DEPUTY_ANSWER_MAX_BYTES:
        return _refuse("too_large")
    parsed = inbound.parse_reply(raw)
    addresses = [recipient, *parsed.recipients] if recipient else parsed.recipients
    tokens = [token for token in (inbound.token_from_address(a) for a in addresses) if token]
    if not tokens:
        return _refuse("no_address")
    question_id = next((qid for qid in map(inbound.question_id_from_token, tokens) if qid is not None), None)
    if question_id is None:
        return _refuse("forged")
    moment = now or timezone.now()
    with transaction.atomic():
        question = (
            Question.objects.select_for_update(of=("self",)).select_related("deputy").filter(pk=question_id).first()
        )
        if question is None:
            return _refuse("unknown_question", question_id)
        if not parsed.sender or parsed.sender not in deputy_addresses(question.deputy):
            return _refuse("wrong_sender", question_id)
        if parsed.message_id and InboundAnswer.objects.filter(question=question, message_id=parsed.message_id).exists():
            return InboundResult(accepted=True, outcome="duplicate", question_id=question_id)
        if question.status != QuestionStatus.PUBLISHED or question.published_at is None:
            return _refuse("not_published", question_id)
        if moment > question.published_at + dt.timedelta(days=settings.OVERSIGHT_DEPUTY_REPLY_DAYS):
            return _refuse("expired", question_id)
        if Answer.objects.filter(question=question).exists():
            return _refuse("answered", question_id)
        if not parsed.text:
            return _refuse("empty", question_id)
        if len(parsed.text) > MAX_ANSWER_CHARS:
            return _refuse("too_long", question_id)
        record = InboundAnswer.objects.create(
            question=question,
            text=parsed.text,
            sender=parsed.sender,
            received_at=moment,
            message_id=parsed.message_id,
            attachments_dropped=min(parsed.attachments, 32767),
        )
        body = _body_of_deputy(question.deputy)
        if body is not None and body.publish_email_answers:
            _publish_inbound(record, user=None)
            return InboundResult(accepted=True, outcome="published", question_id=question_id)
    return InboundResult(accepted=True, outcome="held", question_id=question_id)


def _publish_inbound(record: InboundAnswer, *, user: User | None) -> Answer:
    if Answer.objects.filter(question=record.question).exists():
        raise ValidationError(_("This question is already answered."))
    answer = Answer.objects.create(question=record.question, text=record.text, answered_at=record.received_at)
    record.status, record.moderated_by = InboundStatus.PUBLISHED, user
    record.save(update_fields=["status", "moderated_by"])
    _mail_author(record.question, "answered")
    return answer


class InboundModeration(TypedDict):
    publish: bool


@transaction.atomic
def inbound_answer_moderate(*, record: InboundAnswer, user: User, publish: bool) -> InboundAnswer:
    """The moderators publish a held e-mail answer (it becomes the question's answer, dated when the mail
    arrived, so the response time is the deputy's, not the moderators'), or discard it."""
    record = InboundAnswer.objects.select_for_update().select_related("question").get(pk=record.pk)
    if record.status != InboundStatus.HELD:
        raise ValidationError(_("This answer was already moderated."))
    if publish:
        _publish_inbound(record, user=user)
    else:
        record.status, record.moderated_by = InboundStatus.DISCARDED, user
        record.save(update_fields=["status", "moderated_by"])
    return record
