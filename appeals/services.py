"""Writes on appeals: registration, the council's workflow, and the citizen's messages.

Every service saves first and queues mail through the outbox, which hands it to Celery only after commit.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import secrets
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords  # type: ignore[import-untyped]

from core.outbox import OutboxMessage, outbox_enqueue, outbox_message, outbox_save, outbox_stored
from core.rows import RowInsert
from core.workdays import DeadlineExplanation, WorkCalendar
from councils.audit import HISTORY_MANAGER
from councils.models import Body, Council, StateBody
from councils.workspace import write_export_xlsx

from .deadlines import answer_calendar, answer_due
from .models import (
    OPEN_STATUSES,
    Appeal,
    AppealAttachment,
    AppealCounter,
    AppealFeedback,
    AppealMessage,
    AppealStatus,
    AppealStatusChange,
    ApplicantType,
    Channel,
    ExportStatus,
    InboxExport,
    Locality,
)
from .retention import ENDED_STATUSES, appeal_anonymise

logger = logging.getLogger(__name__)

# The council's workflow: which status may follow which.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    AppealStatus.REGISTERED: (
        AppealStatus.ASSIGNED,
        AppealStatus.FORWARDED,
        AppealStatus.LEFT_WITHOUT_CONSIDERATION,
        AppealStatus.MERGED,
    ),
    AppealStatus.ASSIGNED: (
        AppealStatus.FORWARDED,
        AppealStatus.ANSWERED,
        AppealStatus.LEFT_WITHOUT_CONSIDERATION,
        AppealStatus.MERGED,
    ),
    AppealStatus.FORWARDED: (AppealStatus.ANSWER_RECEIVED, AppealStatus.ANSWERED),
    AppealStatus.ANSWER_RECEIVED: (AppealStatus.ANSWERED,),
    AppealStatus.ANSWERED: (AppealStatus.CLOSED,),
    AppealStatus.CLOSED: (),
    AppealStatus.LEFT_WITHOUT_CONSIDERATION: (AppealStatus.CLOSED,),
    AppealStatus.MERGED: (),
}


@dataclass(frozen=True)
class ApplicantData:
    applicant_type: str
    name: str = ""
    organisation: str = ""
    bin_iin: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""


def _notify(appeal: Appeal, event: str) -> None:
    message = _notice(appeal, event)
    if message is not None:
        outbox_save(message)


def _notice(appeal: Appeal, event: str) -> OutboxMessage | None:
    """The applicant's mail about `event`, not yet stored; None when no mail goes out."""
    # An appeal that ends after its applicant withdrew consent sends its last mail from the job that then
    # anonymises it (appeals/consent.py), so that the answer the law requires goes out before the address goes.
    if appeal.email and not _ends_withdrawn(appeal):
        return outbox_message(handler="appeals.send_mail", kwargs={"appeal_id": appeal.pk, "event": event})
    return None


def _record(appeal: Appeal, *, status: str, by: User | None, note: str = "", public: bool = False) -> None:
    _status_change(appeal, status=status, by=by, note=note, public=public).save(force_insert=True)


def _status_change(
    appeal: Appeal, *, status: str, by: User | None, note: str = "", public: bool = False
) -> AppealStatusChange:
    return AppealStatusChange(
        appeal=appeal, status=status, changed_at=timezone.now(), changed_by=by, note=note, visible_to_applicant=public
    )


def _next_sequence(council: Council, year: int) -> int:
    """The next registration number, gapless, in one statement: the upsert locks the counter row until the
    transaction ends (a rolled-back submission gives its number back)."""
    with connection.cursor() as cursor:
        cursor.execute(_counter_sql(), [council.pk, year] * 3)
        return int(cursor.fetchone()[0])


@functools.cache
def _counter_sql() -> str:
    """The counter's upsert, returning the number it gives (its values: the council's id and the year, three
    times). The number is never below the highest one already stored that year, so the numbers of imported
    appeals are never issued again."""
    counter = connection.ops.quote_name(AppealCounter._meta.db_table)
    appeals = connection.ops.quote_name(Appeal._meta.db_table)
    # Only quoted table names and a function name are formatted in; the values are parameters.
    stored = f"COALESCE((SELECT MAX(sequence) FROM {appeals} WHERE council_id = %s AND year = %s), 0)"  # noqa: S608
    greater = "GREATEST" if connection.vendor == "postgresql" else "MAX"  # SQLite's MAX of two values
    return (
        f"INSERT INTO {counter} AS c (council_id, year, last) VALUES (%s, %s, {stored} + 1) "  # noqa: S608
        f"ON CONFLICT (council_id, year) DO UPDATE SET last = {greater}(c.last, {stored}) + 1 RETURNING last"
    )


def _reserve_appeal_id() -> int | None:
    """The next id of the appeals table, taken from its sequence ahead of the insert (PostgreSQL); None elsewhere
    (the insert then takes it). A rolled-back submission leaves a gap in the ids, as a failed insert does."""
    if connection.vendor != "postgresql":
        return None
    table = Appeal._meta.db_table
    column = Appeal._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, column])
        return int(cursor.fetchone()[0])


def appeal_submit(
    *,
    council: Council,
    applicant: ApplicantData,
    category: str,
    subject: str,
    text: str,
    locality: Locality | None = None,
    place: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    language: str = "ru",
    personal_data_consent: bool,
    attachments: Sequence[UploadedFile[bytes]] = (),
    channel: str = Channel.WEB,
    submission_key: str = "",
    registered_by: User | None = None,
    received_at: dt.datetime | None = None,
) -> tuple[Appeal, bool]:
    """Register an appeal. Returns (appeal, created): the same submission_key twice gives the first appeal.

    1. A repeated submission (double click, reload, retry) meets the unique key, finds its appeal and stops.
    2. The appeal takes the next number of its council and year, and its deadline: 15 working days from the
       registration day (a non-working day's appeal is registered on the next working day).
    3. Attachments are stored through Django's storage; the history starts; mail is queued for after commit.
    """
    if not personal_data_consent and channel == Channel.WEB:
        raise ValidationError(_("Consent to the processing of personal data is required."))
    if locality is not None and locality.council_id != council.pk:
        raise ValidationError({"locality": _("Choose a district or town from the council's list.")})
    digest = (
        submission_digest(
            applicant=applicant,
            fields={
                "category": category,
                "locality": locality.pk if locality is not None else None,
                "subject": subject,
                "text": text,
                "place": place,
                "latitude": latitude,
                "longitude": longitude,
                "language": language,
                "personal_data_consent": personal_data_consent,
                "channel": channel,
                "registered_by": registered_by.pk if registered_by is not None else None,
                "received_at": received_at,
            },
            attachments=attachments,
        )
        if submission_key
        else ""
    )
    received_at = received_at or timezone.now()
    # The deadline before the transaction: read outside one, the calendar is kept in the process (appeals/deadlines.py).
    term = answer_due(timezone.localdate(received_at))
    try:
        with transaction.atomic():
            appeal = _appeal_create(
                term=term,
                council=council,
                applicant=applicant,
                category=category,
                locality=locality,
                subject=subject,
                text=text,
                place=place,
                latitude=latitude,
                longitude=longitude,
                language=language,
                personal_data_consent=personal_data_consent,
                attachments=attachments,
                channel=channel,
                submission_key=submission_key,
                submission_digest=digest,
                registered_by=registered_by,
                received_at=received_at,
            )
    except IntegrityError:
        # The key is taken: a repeated submission, or two identical posts that raced and the other one won.
        # (The insert is the check: no lookup before it, so a first submission costs no extra query.)
        if submission_key:
            existing = Appeal.objects.filter(council=council, submission_key=submission_key).first()
            if existing is not None:
                # Only the same content gets the first appeal back; other content with the key learns nothing
                # of it (no number, no tracking link). A key stored before digests were kept matches nothing.
                if existing.submission_digest and secrets.compare_digest(existing.submission_digest, digest):
                    return existing, False
                raise SubmissionKeyReused() from None
        raise
    return appeal, True


class SubmissionKeyReused(ValidationError):
    """The submission key is already taken by an appeal with other content: the request is refused (the API
    answers 422) and the appeal that holds the key is not named."""

    def __init__(self) -> None:
        super().__init__(_("This submission key was already used for an appeal with other content."), code="key_reused")


def submission_digest(
    *, applicant: ApplicantData, fields: dict[str, object], attachments: Sequence[UploadedFile[bytes]]
) -> str:
    """SHA-256 of a submission's content, in a canonical form: the fields as sorted JSON (numbers and dates as
    text), then each attachment's name, size and bytes. The same submission sent again gives the same digest,
    whatever the order of its JSON keys."""
    canonical = {"applicant": asdict(applicant), **fields}
    digest = hashlib.sha256(json.dumps(canonical, sort_keys=True, ensure_ascii=False, default=str).encode())
    for upload in attachments:
        name = (upload.name or "").encode()
        digest.update(b"\0file\0%d\0%b\0%d\0" % (len(name), name, upload.size or 0))
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)  # the storage reads it again from the start
    return digest.hexdigest()


def _appeal_create(
    *,
    council: Council,
    applicant: ApplicantData,
    received_at: dt.datetime,
    term: DeadlineExplanation,
    **fields: Any,  # Any: the Appeal fields the two callers pass on to Appeal.objects.create, checked by the model
) -> Appeal:
    attachments: Sequence[UploadedFile[bytes]] = fields.pop("attachments")
    registered_by = fields.pop("registered_by")
    year = term.start.year  # the registration day's
    appeal = Appeal(
        council=council,
        year=year,
        registered_at=received_at,
        due_date=term.end,
        applicant_type=applicant.applicant_type,
        applicant_name=applicant.name,
        organisation=applicant.organisation if applicant.applicant_type == ApplicantType.LEGAL_ENTITY else "",
        bin_iin=applicant.bin_iin,
        email=applicant.email,
        phone=applicant.phone,
        address=applicant.address,
        tracking_token=secrets.token_urlsafe(24),
        **fields,
    )
    # The rows every submission of the council's year shares (the number's counter, and the counts the appeals
    # table's triggers keep: AppealYearCount, AppealYearFigure) stay locked from their first write to the commit,
    # so concurrent submissions of one council queue on them: they are written last. On PostgreSQL the appeal's id
    # is taken first, then one statement writes its first status and its mail, the number, the appeal's row (whose
    # insert fires the triggers) and its audit record (Django's foreign keys are checked at commit); the commit
    # follows. (SQLite, the local demo, locks the whole database anyway: the appeal goes first there.)
    appeal.pk = _reserve_appeal_id()
    if appeal.pk is not None:
        change = _status_change(
            appeal, status=AppealStatus.REGISTERED, by=registered_by, note=appeal.get_channel_display()
        )
        _insert_numbered(appeal, change, _notice(appeal, "registered"))
    else:
        appeal.sequence = _next_sequence(council, year)
        appeal.number = _appeal_number(council, year, appeal.sequence)
        _insert_with_audit_record(appeal)
        _record(appeal, status=AppealStatus.REGISTERED, by=registered_by, note=appeal.get_channel_display())
        _notify(appeal, "registered")
    # After the appeal's row: a repeated submission is refused at its insert (the key), before any file is stored.
    _store_attachments(appeal, attachments)
    return appeal


def _number_prefix(council: Council, year: int) -> str:
    return f"{council.code}-{year}-"


def _appeal_number(council: Council, year: int, sequence: int) -> str:
    """The registration number people quote: the council's code, the year and the sequence, six digits at least
    (`_insert_numbered` writes the same in SQL)."""
    return f"{_number_prefix(council, year)}{sequence:06d}"


def _insert_numbered(appeal: Appeal, change: AppealStatusChange, message: OutboxMessage | None) -> None:
    """PostgreSQL: write a new appeal, its first status, its mail and its first audit record, and take its number,
    in one statement; the appeal's id is reserved.

    The counter row stays locked from this statement to the commit, and every submission of the council's year
    waits for it: three statements with the ORM's work between them held it 5 ms under load, three quarters of
    the time (`benchmarks/load.py`). Here the rows' values are prepared before the lock, as `Model.save` prepares
    them (core/rows.py), and one statement of data-modifying CTEs writes them: the status and the mail, the
    counter's upsert (`_counter_sql`), the appeal's row with the counter's number, and the audit record copied
    from that row (`_audit_copy_sql`). The lock is held for the rest of that statement and the commit."""
    rows = {"change": RowInsert(change)}
    if message is not None:
        rows["message"] = RowInsert(message)
    numbered = RowInsert(appeal, given=("sequence", "number"))
    last = "(SELECT last FROM counter)"
    number = "(SELECT %s || lpad(last::text, greatest(6, length(last::text)), '0') FROM counter)"
    ctes = [f"{name} AS ({row.sql()})" for name, row in rows.items()]
    ctes.append(f"counter AS ({_counter_sql()})")
    ctes.append(f"appeal AS ({numbered.sql({'sequence': last, 'number': number}, returning_all=True)})")
    ctes.append(f"audit AS ({_audit_copy_sql('appeal')})")
    params = [param for row in rows.values() for param in row.params]
    params += [appeal.council_id, appeal.year] * 3
    params += [*numbered.params, _number_prefix(appeal.council, appeal.year), timezone.now(), _audit_user_id()]
    rows["appeal"] = numbered
    selected = [f"{name}.{column}" for name, row in rows.items() for column in row.returned_columns()]
    with connection.cursor() as cursor:
        # The rows' SQL, quoted names and the CTEs' own names are formatted in; the values are parameters.
        sql = f"WITH {', '.join(ctes)} SELECT {', '.join(selected)} FROM {', '.join(rows)}"  # noqa: S608
        cursor.execute(sql, params)
        values = list(cursor.fetchone())
    setattr(appeal, SKIP_HISTORY, True)  # the audit record is written: django-simple-history's post_save is not
    try:
        for row in rows.values():
            row.saved([values.pop(0) for _column in row.returned])
    finally:
        delattr(appeal, SKIP_HISTORY)
    if message is not None:
        outbox_stored(message)


def _insert_with_audit_record(appeal: Appeal) -> None:
    """Insert the appeal's row and its first audit record ("+"), the record django-simple-history writes from
    `post_save` (councils/audit.py): the same columns, time, type and user, but copied by the database from the row
    just written (`INSERT … SELECT`) rather than built as a model instance of 40 fields and saved through the ORM,
    a tenth of a submission's CPU (`benchmarks/load.py --profile`)."""
    setattr(appeal, SKIP_HISTORY, True)  # the library's own switch: its post_save writes nothing
    try:
        appeal.save(force_insert=True)
    finally:
        delattr(appeal, SKIP_HISTORY)
    with connection.cursor() as cursor:
        cursor.execute(_audit_insert_sql(), [timezone.now(), _audit_user_id(), appeal.pk])


SKIP_HISTORY = "skip_history_when_saving"


@functools.cache
def _audit_insert_sql() -> str:
    quote = connection.ops.quote_name
    return _audit_copy_sql(f"{quote(Appeal._meta.db_table)} WHERE {quote(Appeal._meta.pk.column or 'id')} = %s")


@functools.cache
def _audit_copy_sql(source: str) -> str:
    """The INSERT of an appeal's audit record ("+") copied from `source`, the appeals table with its condition or
    a CTE of the new row: every column the record shares with the appeal, then its own time and user (the two
    parameters before any of `source`'s)."""
    history = getattr(Appeal, HISTORY_MANAGER).model
    own = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}
    quote = connection.ops.quote_name
    copied = ", ".join(quote(f.column) for f in history._meta.concrete_fields if f.column not in own)
    # Only quoted names of the two tables and their columns are formatted in; the values are parameters.
    return (
        f"INSERT INTO {quote(history._meta.db_table)} ({copied}, history_date, history_change_reason, "  # noqa: S608
        f"history_type, history_user_id) SELECT {copied}, %s, NULL, '+', %s FROM {source}"
    )


def _audit_user_id() -> int | None:
    """The user django-simple-history records: the signed-in user of the request being served (its middleware),
    else none (the public form, the API, a command)."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def _store_attachments(
    appeal: Appeal, files: Iterable[UploadedFile[bytes]], message: AppealMessage | None = None
) -> None:
    for upload in files:
        AppealAttachment.objects.create(
            appeal=appeal,
            message=message,
            file=upload,
            original_name=(upload.name or "")[:255],
            content_type=getattr(upload, "content_type", "") or "application/octet-stream",
            size=upload.size or 0,
        )


def _transition(appeal: Appeal, status: str, *, by: User | None, note: str = "", public: bool = False) -> None:
    if status not in TRANSITIONS[appeal.status]:
        raise ValidationError(
            _("An appeal in status «%(current)s» cannot become «%(new)s».")
            % {"current": appeal.get_status_display(), "new": AppealStatus(status).label}
        )
    appeal.status = status
    _record(appeal, status=status, by=by, note=note, public=public)
    if _ends_withdrawn(appeal):
        outbox_enqueue(handler="appeals.end_withdrawn", kwargs={"appeal_id": appeal.pk, "event": status})


def _locked(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


@transaction.atomic
def appeal_assign(
    *,
    appeal: Appeal,
    by: User,
    body: Body | None = None,
    assignee: User | None = None,
) -> Appeal:
    appeal = _locked(appeal)
    if body is None and assignee is None:
        raise ValidationError(_("Choose a commission or a member."))
    if body is not None and body.council_id != appeal.council_id:
        raise ValidationError(_("The commission belongs to another council."))
    appeal.assigned_body, appeal.assignee = body, assignee
    _transition(appeal, AppealStatus.ASSIGNED, by=by, note=str(body or assignee))
    appeal.save()
    return appeal


@transaction.atomic
def appeal_forward(*, appeal: Appeal, by: User, state_body: StateBody, letter: str = "") -> Appeal:
    """Forward to a state body (an outgoing letter); the citizen is told."""
    appeal = _locked(appeal)
    appeal.forwarded_to = state_body
    _transition(appeal, AppealStatus.FORWARDED, by=by, note=f"{state_body}. {letter}".strip())
    appeal.save()
    _notify(appeal, "forwarded")
    return appeal


@transaction.atomic
def appeal_record_body_answer(*, appeal: Appeal, by: User, text: str) -> Appeal:
    appeal = _locked(appeal)
    _transition(appeal, AppealStatus.ANSWER_RECEIVED, by=by, note=text)
    appeal.save()
    return appeal


@transaction.atomic
def appeal_answer(*, appeal: Appeal, by: User, text: str) -> Appeal:
    """The council's answer to the citizen."""
    if not text.strip():
        raise ValidationError(_("The answer cannot be empty."))
    appeal = _locked(appeal)
    appeal.answer_text = text
    appeal.answered_on = timezone.localdate()
    _transition(appeal, AppealStatus.ANSWERED, by=by)
    appeal.save()
    _notify(appeal, "answered")
    return appeal


@transaction.atomic
def appeal_close(*, appeal: Appeal, by: User, note: str = "") -> Appeal:
    appeal = _locked(appeal)
    _transition(appeal, AppealStatus.CLOSED, by=by, note=note)
    appeal.save()
    return appeal


@transaction.atomic
def appeal_leave_without_consideration(*, appeal: Appeal, by: User, reason: str) -> Appeal:
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    appeal = _locked(appeal)
    _transition(appeal, AppealStatus.LEFT_WITHOUT_CONSIDERATION, by=by, note=reason, public=True)
    appeal.save()
    _notify(appeal, "left_without_consideration")
    return appeal


@transaction.atomic
def appeal_merge(*, appeal: Appeal, by: User, into: Appeal) -> Appeal:
    if into.council_id != appeal.council_id or into.pk == appeal.pk:
        raise ValidationError(_("An appeal can only be merged into another appeal of the same council."))
    appeal = _locked(appeal)
    appeal.merged_into = into
    _transition(appeal, AppealStatus.MERGED, by=by, note=into.number)
    appeal.save()
    return appeal


@transaction.atomic
def appeal_extend(*, appeal: Appeal, by: User, until: dt.date, reason: str) -> Appeal:
    """Extend the deadline once, by a reasoned decision, to at most two months from registration."""
    appeal = _locked(appeal)
    if appeal.extended_until is not None:
        raise ValidationError(_("The deadline has already been extended once."))
    if appeal.status not in OPEN_STATUSES:
        raise ValidationError(_("Only an open appeal can be extended."))
    if not reason.strip():
        raise ValidationError(_("An extension needs a reasoned decision."))
    registered_on = timezone.localdate(appeal.registered_at)
    limit = WorkCalendar.add_months_capped(registered_on, 2)
    if appeal.due_date and until <= appeal.due_date:
        raise ValidationError(_("The new deadline must be later than the current one."))
    if until > limit:
        raise ValidationError(
            _("The deadline can be extended to %(limit)s at the latest (two months from registration).")
            % {"limit": limit.strftime("%d.%m.%Y")}
        )
    appeal.extended_until = until
    _record(
        appeal,
        status=appeal.status,
        by=by,
        note=_("Extended until %(date)s: %(reason)s") % {"date": until.strftime("%d.%m.%Y"), "reason": reason},
        public=True,
    )
    appeal.save()
    _notify(appeal, "extended")
    return appeal


@dataclass(frozen=True)
class MessageAllowance:
    """What an appeal may still take from its applicant (OVERSIGHT["APPEAL_MESSAGES_MAX"] and
    ["APPEAL_STORAGE_QUOTA_BYTES"]): messages, and bytes of attachments (its own attachments count too)."""

    messages_left: int
    bytes_left: int


def appeal_message_allowance(*, appeal: Appeal) -> MessageAllowance:
    limits = settings.OVERSIGHT
    sent = AppealMessage.objects.filter(appeal=appeal, author=AppealMessage.Author.CITIZEN).count()
    stored = AppealAttachment.objects.filter(appeal=appeal).aggregate(total=Sum("size"))["total"] or 0
    return MessageAllowance(
        messages_left=max(0, limits["APPEAL_MESSAGES_MAX"] - sent),
        bytes_left=max(0, limits["APPEAL_STORAGE_QUOTA_BYTES"] - stored),
    )


@transaction.atomic
def appeal_add_citizen_message(
    *, appeal: Appeal, text: str, attachments: Sequence[UploadedFile[bytes]] = ()
) -> AppealMessage:
    """Add the applicant's message, within the appeal's quota (the row is locked, so two messages sent at once
    cannot both take the last of it). A refusal's code is `quota_messages` or `quota_storage`."""
    appeal = _locked(appeal)
    if not appeal_accepts_messages(appeal=appeal):
        raise ValidationError(_("The appeal is closed; messages can no longer be added."))
    if not text.strip() and not attachments:
        raise ValidationError(_("Write a message or attach a document."))
    allowance = appeal_message_allowance(appeal=appeal)
    if allowance.messages_left < 1:
        raise ValidationError(
            _("This appeal has received as many messages as it can take. The council will contact you."),
            code="quota_messages",
        )
    size = sum(upload.size or 0 for upload in attachments)
    if size > allowance.bytes_left:
        raise ValidationError(
            _("The documents take %(size)s; this appeal has room for %(left)s more. Send fewer or smaller files.")
            % {"size": filesizeformat(size), "left": filesizeformat(allowance.bytes_left)},
            code="quota_storage",
        )
    message = AppealMessage.objects.create(appeal=appeal, author=AppealMessage.Author.CITIZEN, text=text)
    _store_attachments(appeal, attachments, message)
    return message


def appeals_recompute_deadlines() -> int:
    """After the holiday calendar changed: recompute the deadlines of open appeals. Returns how many changed."""
    open_appeals = list(
        Appeal.objects.filter(status__in=OPEN_STATUSES, extended_until__isnull=True).only(
            "id", "registered_at", "due_date"
        )
    )
    if not open_appeals:
        return 0
    days = [timezone.localdate(a.registered_at) for a in open_appeals]
    calendar = answer_calendar(min(days), max(days))
    changed = []
    for appeal, received_on in zip(open_appeals, days, strict=True):
        due = answer_due(received_on, calendar).end
        if due != appeal.due_date:
            appeal.due_date = due
            changed.append(appeal)
    Appeal.objects.bulk_update(changed, ["due_date"], batch_size=500)
    return len(changed)


def on_calendar_changed(sender: object, **kwargs: object) -> None:
    """The holiday calendar changed: recompute open deadlines once the change is committed (every open appeal's,
    whatever `dates` changed: a deadline moves with any day off between its registration and its due date)."""
    transaction.on_commit(appeals_recompute_deadlines)


def _ends_withdrawn(appeal: Appeal) -> bool:
    return appeal.consent_withdrawn_at is not None and appeal.status in ENDED_STATUSES


@transaction.atomic
def appeal_consent_withdraw(*, appeal_id: int, at: dt.datetime | None = None) -> tuple[Appeal, bool]:
    """The applicant withdraws consent to the processing of their personal data (Law No. 94-V, art. 8).
    Returns (appeal, withdrawn now); a second withdrawal changes nothing.

    1. Record the date on the appeal, and a history entry the applicant sees.
    2. Optional processing stops at once: no mail but what the law requires (appeals/notifications.py).
    3. An ended appeal is anonymised at once. An open one cannot drop its applicant: art. 8(2) of the law does not
       let consent be withdrawn where that would be contrary to a law, and the Administrative Procedural-Process
       Code requires the appeal to be considered, answered and recorded. It is anonymised the moment it ends.
    """
    at = at or timezone.now()
    appeal = Appeal.objects.select_for_update().get(pk=appeal_id)
    if appeal.consent_withdrawn_at is not None:
        return appeal, False
    appeal.consent_withdrawn_at = at
    appeal.save(update_fields=["consent_withdrawn_at"])
    AppealStatusChange.objects.create(
        appeal=appeal,
        status=appeal.status,
        changed_at=at,
        note=_("The applicant withdrew consent to the processing of personal data."),
        visible_to_applicant=True,
    )
    if appeal.status in ENDED_STATUSES:
        appeal_anonymise(appeal_id=appeal.pk)
        appeal.refresh_from_db()
    return appeal, True


@transaction.atomic
def appeal_take_and_answer(*, appeal: Appeal, by: User, text: str, letter: UploadedFile[bytes] | None = None) -> Appeal:
    """Answer the applicant in one step: a new appeal nobody has taken yet is first assigned to the person
    answering (the history keeps both steps), and the signed letter, when given, is kept with the appeal as the
    council's message. All of it or nothing."""
    if appeal.status == AppealStatus.REGISTERED:
        appeal = appeal_assign(appeal=appeal, by=by, assignee=by)
    appeal = appeal_answer(appeal=appeal, by=by, text=text)
    if letter is not None:
        message = AppealMessage.objects.create(
            appeal=appeal, author=AppealMessage.Author.COUNCIL, text=_("The signed answer letter.")
        )
        _store_attachments(appeal, [letter], message)
    return appeal


# After the answer: the applicant's reply and their word on the answer ------------------------------------------

ANSWERED_STATUSES = (AppealStatus.ANSWERED, AppealStatus.CLOSED)


def appeal_reply_open_until(*, appeal: Appeal) -> dt.date | None:
    """The last day the applicant may still reply to the answer and judge it (OVERSIGHT["APPEAL_REPLY_DAYS"]
    after the answer), or None when the appeal was not answered, or its applicant withdrew consent (their data
    goes as soon as the appeal ends: nothing more is taken from them)."""
    if appeal.status not in ANSWERED_STATUSES or appeal.answered_on is None or appeal.consent_withdrawn_at:
        return None
    return appeal.answered_on + dt.timedelta(days=settings.OVERSIGHT["APPEAL_REPLY_DAYS"])


def appeal_accepts_messages(*, appeal: Appeal, today: dt.date | None = None) -> bool:
    """An open appeal takes messages; an answered one, within the reply window."""
    if appeal.status in OPEN_STATUSES:
        return True
    until = appeal_reply_open_until(appeal=appeal)
    return until is not None and (today or timezone.localdate()) <= until


def appeal_answer_awaiting_feedback(*, appeal: Appeal, today: dt.date | None = None) -> AppealStatusChange | None:
    """The answer (its history entry) the applicant may still judge: the latest one, within the reply window,
    not judged yet."""
    until = appeal_reply_open_until(appeal=appeal)
    if until is None or (today or timezone.localdate()) > until:
        return None
    answer = appeal.history.filter(status=AppealStatus.ANSWERED).order_by("-changed_at", "-id").first()
    if answer is None or AppealFeedback.objects.filter(answer=answer).exists():
        return None
    return answer


@transaction.atomic
def appeal_record_feedback(*, appeal: Appeal, resolved: bool, reason: str = "") -> AppealFeedback:
    """The applicant says whether the answer resolved the matter (FixMyStreet's questionnaire).

    1. Only the latest answer, within the reply window, once (the row is locked; the answer's entry is unique).
    2. "Resolved" is recorded in the history, which the applicant and the council see.
    3. "Not resolved" needs a reason and reopens the appeal for the council: back to its commission or member
       when it had one, else to the registered appeals, with the reason in the history; the inbox shows it open
       again. The first answer's date stays (the council answered on time or not; that is not undone).
    """
    appeal = _locked(appeal)
    answer = appeal_answer_awaiting_feedback(appeal=appeal)
    if answer is None:
        raise ValidationError(_("This answer can no longer be judged here."), code="feedback_closed")
    reason = reason.strip()
    if not resolved and not reason:
        raise ValidationError(_("Say what is still not resolved, so that the council can act on it."), code="reason")
    feedback = AppealFeedback.objects.create(appeal=appeal, answer=answer, resolved=resolved, reason=reason)
    if resolved:
        _record(appeal, status=appeal.status, by=None, note=_("The applicant said the answer resolved the matter."))
    else:
        reopened = AppealStatus.ASSIGNED if appeal.assigned_body_id or appeal.assignee_id else AppealStatus.REGISTERED
        appeal.status = reopened
        _record(
            appeal,
            status=reopened,
            by=None,
            note=_("Reopened: the applicant said the answer did not resolve the matter. %(reason)s")
            % {"reason": reason},
            public=True,
        )
        appeal.save(update_fields=["status"])
    return feedback


# ---- large XLSX exports of the inbox (issue 17) ---------------------------------------------------------------
#
# An XLSX of 100,000 appeals takes longer than a request may (gunicorn's timeout): above
# `settings.INBOX_EXPORT_SYNC_ROWS` matching appeals the inbox's XLSX export is queued instead of sent.
#
# 1. `inbox_export_request` records the export (`InboxExport`: the council, the user, the inbox's query string, the
#    language, whether the applicants' contacts go in) and hands it to the task after the commit
#    (`inbox_export_dispatch`); with the broker down the export is marked unavailable at once, and its page says so
#    and offers the CSV, which is streamed and needs no worker.
# 2. The page of the export (staff_views.inbox_export_status) refreshes itself while it is prepared, then offers
#    the download; only the user who asked, in the same council, sees either (a 404 for anyone else).
# 3. `inbox_export_run` (the task) claims the export, builds the XLSX from the same filter, in the same language,
#    with the same columns the direct export has, stores it and sets when it expires (`settings.INBOX_EXPORT_HOURS`
#    after); `inbox_export_sweep` (beat, hourly) deletes expired files and records.


def inbox_export_sync_rows() -> int:
    """Up to this many appeals an XLSX export is sent in the request; above, a task builds it."""
    return int(getattr(settings, "INBOX_EXPORT_SYNC_ROWS", 5_000))


def inbox_export_hours() -> int:
    return int(getattr(settings, "INBOX_EXPORT_HOURS", 24))


@transaction.atomic
def inbox_export_request(
    *, council: Council, user: User, query: str, language: str, with_contacts: bool
) -> InboxExport:
    """Record an export and queue it for the task once the transaction commits."""
    export = InboxExport.objects.create(
        council=council, requested_by=user, query=query[:1000], language=language, with_contacts=with_contacts
    )
    transaction.on_commit(lambda: inbox_export_dispatch(export_id=export.pk))
    return export


def inbox_export_dispatch(*, export_id: int) -> bool:
    """Hand the export to its task; False (and the export marked unavailable) when the broker cannot take it.
    Never raises: it runs after the commit of a request that must not fail."""
    from .tasks import build_inbox_export

    try:
        build_inbox_export.apply_async(args=[export_id], retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the page offers the CSV instead
        logger.warning("inbox export %s: broker unavailable: %s", export_id, exc)
        InboxExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
            status=ExportStatus.UNAVAILABLE, error=str(exc)[:500], finished_at=timezone.now()
        )
        return False
    return True


def inbox_export_run(*, export_id: int) -> bool:
    """Build one queued export; True when this call finished it. Claimed by compare-and-swap (queued →
    running), built outside any transaction, stored, then done with its expiry; a failure is recorded."""
    # The inbox's filter and the export's columns, as the direct export uses them (a view module's: imported here
    # only, where the task needs them).
    from .filters import AppealFilter, appeals_for_inbox
    from .staff_views import CONTACT_COLUMNS, inbox_columns

    if not InboxExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING):
        return False
    export = InboxExport.objects.select_related("council").get(pk=export_id)
    council = export.council
    try:
        with translation.override(export.language), tempfile.TemporaryFile() as spool:
            columns = inbox_columns() + (CONTACT_COLUMNS if export.with_contacts else ())
            appeal_filter = AppealFilter(
                QueryDict(export.query), queryset=appeals_for_inbox(council=council), council=council
            )
            name = f"appeals-{council.slug}-{timezone.localdate():%Y-%m-%d}"
            rows = write_export_xlsx(spool, rows=appeal_filter.qs.iterator(chunk_size=1000), columns=columns, name=name)
            spool.seek(0)
            export.file.save(f"{name}.xlsx", File(spool), save=False)
    except Exception as exc:
        logger.exception("inbox export %s failed", export_id)
        InboxExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
            status=ExportStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return False
    now = timezone.now()
    InboxExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
        status=ExportStatus.DONE,
        file=export.file.name,
        rows=rows,
        finished_at=now,
        expires_at=now + dt.timedelta(hours=inbox_export_hours()),
    )
    return True


def inbox_export_sweep(*, now: dt.datetime | None = None) -> int:
    """Delete the exports whose file expired, and those left unfinished for a day; returns how many."""
    now = now or timezone.now()
    expired = InboxExport.objects.filter(expires_at__lt=now) | InboxExport.objects.filter(
        expires_at__isnull=True, created_at__lt=now - dt.timedelta(days=1)
    )
    count = 0
    for export in expired:
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count
