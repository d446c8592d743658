"""Writes on meetings (with their agenda, attendance and signed minutes) and public hearings.

Keyword-only, typed, one transaction each; a rule the council's data must keep is a ValidationError keyed by the
form field it concerns, so the page can show it beside that field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from core.files import PDF, validate_attachment
from councils.member_services import unique_key
from councils.models import Body, BodyKind, Council, StateBody

from .models import AgendaItem, AgendaItemKind, Meeting, MeetingAttendance, MeetingKind, PublicHearing
from .selectors import attendance_roll

_http_url = URLValidator(schemes=["http", "https"])


def validate_links(links: Sequence[str], *, field_name: str = "links") -> list[str]:
    """Web addresses (http or https only: a `javascript:` or `file:` link must never reach a page)."""
    cleaned = []
    for link in links:
        link = link.strip()
        if not link:
            continue
        try:
            _http_url(link)
        except ValidationError:
            raise ValidationError(
                {field_name: _("«%(link)s» is not a web address (http:// or https://).") % {"link": link[:200]}}
            ) from None
        cleaned.append(link)
    return cleaned


# ---- meetings ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingData:
    kind: str
    date: dt.date
    title: str = ""
    goal: str = ""
    body: Body | None = None
    place: str = ""
    is_open: bool = True
    is_extended: bool = False
    links: Sequence[str] = field(default_factory=tuple)
    start_time: dt.time | None = None
    duration_minutes: int | None = None


@dataclass(frozen=True)
class AgendaItemData:
    """One agenda item as the form left it; `id` is None for a new item."""

    number: int
    title: str
    kind: str = AgendaItemKind.OTHER
    state_body: StateBody | None = None
    speakers: str = ""
    decision: str = ""
    id: int | None = None


def _check_meeting(council: Council, data: MeetingData) -> list[str]:
    if data.kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Choose a kind of meeting.")})
    body = data.body
    if body is not None and body.council_id != council.id:
        raise ValidationError({"body": _("This record belongs to another council.")})
    if data.kind == MeetingKind.COUNCIL and body is not None:
        raise ValidationError({"body": _("A council meeting is held by the whole council: leave the body empty.")})
    if data.kind == MeetingKind.COMMISSION and (body is None or body.kind != BodyKind.COMMISSION):
        raise ValidationError({"body": _("Choose the commission that held the meeting.")})
    if data.kind == MeetingKind.PRESIDIUM and body is not None and body.kind != BodyKind.PRESIDIUM:
        raise ValidationError({"body": _("A presidium meeting is held by the presidium.")})
    if data.is_extended and data.kind != MeetingKind.COMMISSION:
        raise ValidationError({"is_extended": _("Only commission meetings may be extended.")})
    return validate_links(data.links)


def _apply(meeting: Meeting, data: MeetingData, links: list[str]) -> None:
    meeting.kind = data.kind
    meeting.body = data.body
    meeting.title = data.title.strip()
    meeting.goal = data.goal
    meeting.date = data.date
    meeting.place = data.place.strip()
    meeting.is_open = data.is_open
    meeting.is_extended = data.is_extended
    meeting.links = links
    meeting.start_time = data.start_time
    # A duration counts from a start time; without one the meeting is a whole day.
    meeting.duration_minutes = data.duration_minutes if data.start_time is not None else None


@transaction.atomic
def meeting_create(*, council: Council, data: MeetingData, agenda: Sequence[AgendaItemData] = ()) -> Meeting:
    links = _check_meeting(council, data)
    meeting = Meeting(council=council)
    _apply(meeting, data, links)
    meeting.key = unique_key(
        Meeting.objects.filter(council=council), f"m-{data.kind}-{data.date:%Y-%m-%d}".replace("_", "-")
    )
    meeting.save()
    _set_agenda(meeting, agenda, protected_item_ids=frozenset())
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    data: MeetingData,
    agenda: Sequence[AgendaItemData] | None = None,
    protected_item_ids: Collection[int] = frozenset(),
) -> Meeting:
    """Change the meeting and, when `agenda` is given, make its agenda exactly that list.

    A changed date (or body) changes who could attend, so the names recorded present are kept and checked
    against the new roll wherever the quorum is shown: those who were not members on the new date are named
    there, and do not count towards the quorum.
    """
    links = _check_meeting(meeting.council, data)
    _apply(meeting, data, links)
    meeting.save()
    if agenda is not None:
        _set_agenda(meeting, agenda, protected_item_ids=protected_item_ids)
    return meeting


def _set_agenda(meeting: Meeting, items: Sequence[AgendaItemData], *, protected_item_ids: Collection[int]) -> None:
    """Make the meeting's agenda exactly `items`.

    1. Items on file but not in the list are deleted, unless protected (a recommendation was made on them).
    2. Numbers must be unique; kept items first move out of the way (the database checks numbers row by row).
    3. Kept items are updated in place (their keys, which other records and exports refer to, stay); new
       items get the next free key.
    """
    numbers = [item.number for item in items]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise ValidationError(
            _("Agenda item numbers must differ: %(numbers)s used twice.")
            % {"numbers": ", ".join(str(n) for n in duplicates)}
        )
    existing = {item.pk: item for item in AgendaItem.objects.filter(meeting=meeting)}
    kept_ids = {item.id for item in items if item.id is not None}
    if unknown := kept_ids - existing.keys():
        raise ValidationError(_("An agenda item does not belong to this meeting (%(ids)s).") % {"ids": sorted(unknown)})
    removed = existing.keys() - kept_ids
    if blocked := removed & set(protected_item_ids):
        raise ValidationError(
            _("Agenda item %(numbers)s has recommendations made on it and cannot be removed.")
            % {"numbers": ", ".join(str(existing[pk].number) for pk in sorted(blocked))}
        )
    for item in items:
        if item.kind not in AgendaItemKind.values:
            raise ValidationError(_("Choose a kind for agenda item %(number)s.") % {"number": item.number})
        if not item.title.strip():
            raise ValidationError(_("Agenda item %(number)s needs a title.") % {"number": item.number})
    AgendaItem.objects.filter(pk__in=removed).delete()
    for offset, pk in enumerate(sorted(kept_ids)):
        AgendaItem.objects.filter(pk=pk).update(number=20000 + offset)
    taken = {item.key for pk, item in existing.items() if pk in kept_ids}
    for data in items:
        row = existing[data.id] if data.id is not None else AgendaItem(meeting=meeting)
        if data.id is None:
            key = f"item-{data.number}"
            n = 2
            while key in taken:
                key, n = f"item-{data.number}-{n}", n + 1
            row.key = key
            taken.add(key)
        row.number = data.number
        row.title = data.title.strip()
        row.kind = data.kind
        row.state_body = data.state_body
        row.speakers = data.speakers
        row.decision = data.decision
        row.save()


@transaction.atomic
def meeting_record_attendance(*, meeting: Meeting, present_person_ids: Collection[int]) -> Meeting:
    """Keep who was present, and their number as the meeting's attendance.

    1. Those ticked must be on the roll of the meeting's date (who could attend), so the count can never exceed
       it.
    2. The meeting's attendees become exactly those ticked: names no longer ticked are removed, new ones added.
    3. `Meeting.attendance` is set to their number (the figure the reports and the export count).
    """
    Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk").get()  # one checklist at a time
    roll = {entry.person_id for entry in attendance_roll(meeting=meeting)}
    present = set(present_person_ids)
    if stray := present - roll:
        raise ValidationError(
            {"present": _("%(n)s of the people ticked were not members on the meeting's date.") % {"n": len(stray)}}
        )
    kept = set(MeetingAttendance.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    MeetingAttendance.objects.filter(meeting=meeting, person_id__in=kept - present).delete()
    MeetingAttendance.objects.bulk_create(
        [MeetingAttendance(meeting=meeting, person_id=person_id) for person_id in sorted(present - kept)]
    )
    meeting.attendance = len(present)
    meeting.save(update_fields=["attendance"])
    return meeting


class MinutesUploadInput(TypedDict):
    """`meeting_upload_minutes`'s keyword arguments after the meeting (the workspace form's `to_data()`)."""

    upload: UploadedFile[bytes]


class MeetingHeldInput(TypedDict):
    """`meeting_record_held`'s keyword arguments after the meeting."""

    present_person_ids: Collection[int]
    minutes: UploadedFile[bytes] | None


@transaction.atomic
def meeting_upload_minutes(*, meeting: Meeting, upload: UploadedFile[bytes]) -> Meeting:
    """Attach the signed minutes (a scan, as PDF). The type is read from the file's content, not its name."""
    try:
        content_type = validate_attachment(upload)
    except ValidationError as exc:
        raise ValidationError({"minutes": exc.messages}) from None
    if content_type != PDF:
        raise ValidationError(
            {"minutes": _("«%(name)s» is not a PDF file: upload the signed minutes as PDF.") % {"name": upload.name}}
        )
    old = meeting.minutes.name if meeting.minutes else ""
    meeting.minutes.save(f"{meeting.key}.pdf", upload, save=False)
    meeting.save(update_fields=["minutes"])
    if old and old != meeting.minutes.name:
        storage = meeting.minutes.storage
        transaction.on_commit(lambda: storage.delete(old))
    return meeting


@transaction.atomic
def meeting_record_held(
    *, meeting: Meeting, present_person_ids: Collection[int], minutes: UploadedFile[bytes] | None = None
) -> Meeting:
    """The attendance and, when given, the signed minutes of a held meeting, from one page: both are kept or
    neither (a scan that is not a PDF leaves the attendance as it was, so the page can be sent again as it is)."""
    meeting_record_attendance(meeting=meeting, present_person_ids=present_person_ids)
    if minutes is not None:
        meeting_upload_minutes(meeting=meeting, upload=minutes)
    return meeting


# ---- public hearings ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HearingData:
    topic: str
    date: dt.date
    number: int | None = None
    organiser: Body | None = None
    participants: str = ""
    resolution: str = ""
    links: Sequence[str] = field(default_factory=tuple)


def _check_hearing(council: Council, data: HearingData) -> list[str]:
    if data.organiser is not None and data.organiser.council_id != council.id:
        raise ValidationError({"organiser": _("This record belongs to another council.")})
    if not data.topic.strip():
        raise ValidationError({"topic": _("Enter the topic.")})
    return validate_links(data.links)


def _apply_hearing(hearing: PublicHearing, data: HearingData, links: list[str]) -> None:
    hearing.topic = data.topic.strip()
    hearing.date = data.date
    hearing.number = data.number
    hearing.organiser = data.organiser
    hearing.participants = data.participants
    hearing.resolution = data.resolution
    hearing.links = links


@transaction.atomic
def hearing_create(*, council: Council, data: HearingData) -> PublicHearing:
    links = _check_hearing(council, data)
    hearing = PublicHearing(council=council)
    _apply_hearing(hearing, data, links)
    hearing.key = unique_key(PublicHearing.objects.filter(council=council), f"hearing-{data.date:%Y-%m-%d}")
    hearing.save()
    return hearing


@transaction.atomic
def hearing_update(*, hearing: PublicHearing, data: HearingData) -> PublicHearing:
    links = _check_hearing(hearing.council, data)
    _apply_hearing(hearing, data, links)
    hearing.save()
    return hearing
