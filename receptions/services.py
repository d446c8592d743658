"""Writes of receptions: the schedule (the workspace), a citizen's booking and its cancellation (the public
pages), the outcome of each visit, the reminders and the erasure of visitors' data. Keyword-only, typed, atomic."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import ApplicantType, Channel
from appeals.services import ApplicantData, appeal_submit
from core.outbox import outbox_enqueue
from core.personal_data import erased_values, fields_of
from core.retention import history_scrub
from councils.models import Council, Person

from .models import Booking, BookingStatus, Outcome, Reception, ReceptionFormat

# A reminder goes out this long before the visitor's slot (the beat task runs every quarter of an hour).
REMINDER_BEFORE = dt.timedelta(hours=24)


@dataclass(frozen=True)
class ReceptionData:
    host: Person
    starts_at: dt.datetime
    slot_minutes: int
    slots: int
    format: str
    place: str = ""
    online_link: str = ""
    topics_ru: str = ""
    topics_kk: str = ""
    topics_en: str = ""


def _check(council: Council, data: ReceptionData) -> None:
    if data.host.council_id != council.pk:
        raise ValidationError({"host": _("This record belongs to another council.")})
    if data.format == ReceptionFormat.IN_PERSON and not data.place.strip():
        raise ValidationError({"place": _("Give the address of an in-person reception.")})
    if data.format == ReceptionFormat.ONLINE and not data.online_link:
        raise ValidationError({"online_link": _("Give the video link of an online reception.")})


def _fields(data: ReceptionData) -> dict[str, object]:
    return {
        "host": data.host,
        "starts_at": data.starts_at,
        "slot_minutes": data.slot_minutes,
        "slots": data.slots,
        "format": data.format,
        "place_ru": data.place.strip(),
        "online_link": data.online_link,
        "topics_ru": data.topics_ru.strip(),
        "topics_kk": data.topics_kk.strip() or None,
        "topics_en": data.topics_en.strip() or None,
    }


@transaction.atomic
def reception_create(*, council: Council, data: ReceptionData) -> Reception:
    _check(council, data)
    return Reception.objects.create(council=council, **_fields(data))


@transaction.atomic
def reception_update(*, reception: Reception, data: ReceptionData) -> Reception:
    """Change a reception; a booked slot cannot be cut off by fewer slots."""
    _check(reception.council, data)
    taken = reception.bookings.exclude(status=BookingStatus.CANCELLED).filter(slot__gt=data.slots)
    if taken.exists():
        raise ValidationError({"slots": _("Some of the slots you remove are booked: cancel those bookings first.")})
    for name, value in _fields(data).items():
        setattr(reception, name, value)
    reception.save()
    return reception


@dataclass(frozen=True)
class VisitorData:
    name: str
    email: str
    category: str
    phone: str = ""
    question: str = ""


def reception_book(
    *, reception: Reception, slot: int, visitor: VisitorData, personal_data_consent: bool, language: str = "ru"
) -> Booking:
    """Book a free slot of a reception still to come, and queue the confirmation mail (with the cancel link).

    1. The reception must be open (not cancelled, not begun) and the slot one of its own.
    2. The slot is taken by the insert itself: the unique constraint refuses a second booking of it, even when
       two citizens press the button at the same moment.
    """
    if not personal_data_consent:
        raise ValidationError(_("Consent to the processing of personal data is required."))
    if reception.is_cancelled or reception.starts_at <= timezone.now():
        raise ValidationError(_("This reception no longer takes bookings."))
    if not 1 <= slot <= reception.slots:
        raise ValidationError({"slot": _("Choose one of the free times.")})
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                reception=reception,
                slot=slot,
                category=visitor.category,
                name=visitor.name.strip(),
                email=visitor.email.strip(),
                phone=visitor.phone.strip(),
                question=visitor.question.strip(),
                language=language,
                personal_data_consent=True,
                cancel_token=secrets.token_urlsafe(32),
            )
            outbox_enqueue(handler="receptions.send_mail", kwargs={"booking_id": booking.pk, "event": "booked"})
    except IntegrityError:
        raise ValidationError({"slot": _("Someone has just booked this time: choose another one.")}) from None
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking) -> Booking:
    """The visitor cancels from the link in their mail; the slot is free again. A second click changes nothing."""
    updated = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(status=BookingStatus.CANCELLED)
    booking.refresh_from_db()
    if updated:
        outbox_enqueue(handler="receptions.send_mail", kwargs={"booking_id": booking.pk, "event": "cancelled"})
    return booking


@transaction.atomic
def booking_record_outcome(*, booking: Booking, outcome: str, note: str = "", by: User | None = None) -> Booking:
    """Record how a visit ended. «Appeal registered» registers the visitor's question as an appeal of the
    council (appeals' service, channel «reception», the visitor's consent carried over), once: a booking that
    already has an appeal keeps it."""
    if outcome not in Outcome.values and outcome != BookingStatus.NO_SHOW:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError(_("The booking was cancelled."))
    if outcome == BookingStatus.NO_SHOW:
        booking.status, booking.outcome = BookingStatus.NO_SHOW, ""
    else:
        booking.status, booking.outcome = BookingStatus.VISITED, outcome
    booking.outcome_note = note.strip()
    booking.outcome_at = timezone.now()
    if outcome == Outcome.APPEAL and not booking.appeal_number:
        reception = booking.reception
        appeal, _created = appeal_submit(
            council=reception.council,
            applicant=ApplicantData(
                applicant_type=ApplicantType.INDIVIDUAL,
                name=booking.name,
                organisation="",
                bin_iin="",
                email=booking.email,
                phone=booking.phone,
                address="",
            ),
            category=booking.category,
            subject=_("Reception of citizens on %(date)s")
            % {"date": f"{timezone.localtime(booking.starts_at):%d.%m.%Y}"},
            text=booking.question or note or _("Stated at the reception."),
            language=booking.language,
            personal_data_consent=booking.personal_data_consent,
            channel=Channel.RECEPTION,
            submission_key=f"reception-booking-{booking.pk}",
            registered_by=by,
        )
        booking.appeal_number = appeal.number
    booking.save()
    return booking


def reminders_queue(*, now: dt.datetime | None = None) -> int:
    """Queue the reminder of every booking whose slot starts within REMINDER_BEFORE, once: the row is claimed by
    compare-and-swap on `reminder_sent_at`, so a repeated run queues nothing twice."""
    now = now or timezone.now()
    queued = 0
    due = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        reminder_sent_at__isnull=True,
        reception__is_cancelled=False,
        reception__starts_at__gt=now - dt.timedelta(hours=12),
        reception__starts_at__lte=now + REMINDER_BEFORE,
    ).select_related("reception")
    for booking in due:
        if not now < booking.starts_at <= now + REMINDER_BEFORE:
            continue
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
            if claimed:
                outbox_enqueue(handler="receptions.send_mail", kwargs={"booking_id": booking.pk, "event": "reminder"})
                queued += 1
    return queued


def bookings_erase_expired(*, today: dt.date | None = None) -> int:
    """Erase the visitors' data of receptions held before last year (the register of processing's term); the
    booking stays, with its slot, topic, status and outcome, so the counts do not change."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(dt.datetime(today.year - 1, 1, 1))
    values = erased_values(fields_of(Booking))
    rows = Booking.objects.filter(reception__starts_at__lt=cutoff).exclude(email="")
    ids = list(rows.values_list("id", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        Booking.objects.filter(id__in=ids).update(**values)
        for booking_id in ids:
            history_scrub(model=Booking, filters={"id": booking_id}, values=values)
    return len(ids)
