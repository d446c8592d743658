"""Reads of meetings and public hearings: counts for a council's year, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.fields.files import FieldFile
from django.db.models.functions import ExtractYear

from core.prepared import prepared_values
from core.workdays import year_bounds
from councils.audit import HISTORY_MANAGER
from councils.models import Body, BodyMembership, Council, Membership, Person
from councils.selectors import body_seats_on, member_memberships_on

from .models import AgendaItem, Meeting, MeetingAttendance, MeetingKind, PublicHearing

# ---- what of a meeting the public may know: the one rule every public surface reads --------------------------
#
# A closed meeting (is_open=False) is public only as a fact: that a meeting of this kind, of this body of this
# council, was held on this day (and that it was closed, or extended). Nothing of what it discussed is: not its
# agenda items (titles, decisions, speakers, kinds, the state bodies they concern, their links), and not its own
# title, goal, place, links or attendance either, because a closed meeting's title or goal names its subject
# ("on the police's staffing") as surely as its agenda does. The list below is what stays; anything added to the
# model later is withheld until it is named here. The public pages, the iCalendar feed, the search, the open API
# (with its CSV and its filters), the alert digests and the annual report (PDF and DOCX) all read meetings
# through `public_meeting` / `public_agenda_items`, so they cannot disagree. The workspace and the council's
# own data export (interchange) are not public surfaces: they keep everything.
#
# The start time is content too: a closed meeting is a whole day in the calendar.
#
# Counts of meetings (by kind, by month) stay public; counts of agenda items by kind ("reports of state bodies
# heard") count public items only, because a count is enough to tell what a single closed meeting discussed.
# The key is the meeting's stable identifier in the open data (the council-activity file, the API, the Popolo
# view, the pages): made from the kind and the date (`m-council-2019-03-14`) or given by the council's own file.
CLOSED_MEETING_PUBLIC_FIELDS = ("id", "key", "council", "kind", "body", "date", "is_open", "is_extended")


def meeting_content_is_public(meeting: Meeting) -> bool:
    """Whether the meeting's content (title, goal, place, links, attendance, agenda) is public."""
    return meeting.is_open


def meetings_with_public_content() -> Q:
    """The same rule as a condition on meetings: the ones whose content a public text search may read."""
    return Q(is_open=True)


def public_agenda_items() -> QuerySet[AgendaItem]:
    """The agenda items the public may know of: those of open meetings, in order, with their state body. Every
    public read of agenda items (lists, filters "meetings that heard this state body", digests) starts here."""
    return AgendaItem.objects.filter(meeting__is_open=True).select_related("state_body").order_by("number", "id")


def with_public_agenda(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """`meetings` with their body and their public agenda prefetched: a closed meeting's `agenda_items` are then
    empty even for code that forgets to ask `public_meeting`. One more query, whatever the number of meetings."""
    return meetings.select_related("council", "body").prefetch_related(
        Prefetch("agenda_items", queryset=public_agenda_items())
    )


@dataclass(frozen=True)
class PublicMeeting:
    """A meeting as the public may know it (`CLOSED_MEETING_PUBLIC_FIELDS` for a closed one, the rest empty).

    It reads like a `Meeting` in templates and serializers (`pk`, `get_kind_display`, `body.name`), but it is
    not one: nothing can save it back, and nothing of a closed meeting is left in it to leak.
    """

    id: int
    key: str
    council: Council
    kind: str
    body: Body | None
    date: dt.date
    is_open: bool
    is_extended: bool
    title: str = ""
    goal: str = ""
    start_time: dt.time | None = None
    duration_minutes: int | None = None
    place: str = ""
    attendance: int | None = None
    links: list[str] = field(default_factory=list)  # web addresses (hearings.services.validate_links)
    agenda: list[AgendaItem] = field(default_factory=list)
    # The signed minutes are on file (an open meeting's only): the public page offers them for download.
    has_minutes: bool = False

    @property
    def pk(self) -> int:
        return self.id

    def get_kind_display(self) -> str:
        return str(MeetingKind(self.kind).label)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}" + (f": {self.title}" if self.title else "")


def public_meeting(meeting: Meeting) -> PublicMeeting:
    """THE rule: what of `meeting` is public. An open meeting is public whole, with its agenda in order; a closed
    one only by `CLOSED_MEETING_PUBLIC_FIELDS`. Reads the prefetched agenda (`with_public_agenda`): no query."""
    facts = {name: getattr(meeting, name) for name in CLOSED_MEETING_PUBLIC_FIELDS}
    if not meeting_content_is_public(meeting):
        return PublicMeeting(**facts)
    return PublicMeeting(
        **facts,
        title=meeting.title,
        goal=meeting.goal,
        start_time=meeting.start_time,
        duration_minutes=meeting.duration_minutes if meeting.start_time is not None else None,
        place=meeting.place,
        attendance=meeting.attendance,
        links=list(meeting.links or []),
        agenda=list(meeting.agenda_items.all()),
        has_minutes=bool(meeting.minutes),
    )


def meeting_counts(*, council: Council, year: int) -> dict[str, int]:
    """Meetings held in the year by kind, every kind present: one query."""
    counts = dict.fromkeys(MeetingKind.values, 0)
    rows = Meeting.objects.filter(council=council, date__year=year).values("kind").annotate(n=Count("id")).order_by()
    for row in rows:
        counts[row["kind"]] = row["n"]
    return counts


def hearing_count(*, council: Council, year: int) -> int:
    return PublicHearing.objects.filter(council=council, date__year=year).count()


def yearly_totals(*, council_ids: Iterable[int]) -> dict[tuple[int, int], dict[str, int]]:
    """{(council_id, year): {"meetings", "council_meetings", "hearings"}}: two queries for any number of
    councils. The years present are the years with data."""
    ids = list(council_ids)
    totals: dict[tuple[int, int], dict[str, int]] = {}
    meetings = (
        Meeting.objects.filter(council_id__in=ids)
        .annotate(year=ExtractYear("date"))
        .values("council_id", "year", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in meetings:
        entry = totals.setdefault(
            (row["council_id"], row["year"]), {"meetings": 0, "council_meetings": 0, "hearings": 0}
        )
        entry["meetings"] += row["n"]
        if row["kind"] == MeetingKind.COUNCIL:
            entry["council_meetings"] += row["n"]
    hearings = (
        PublicHearing.objects.filter(council_id__in=ids)
        .annotate(year=ExtractYear("date"))
        .values("council_id", "year")
        .annotate(n=Count("id"))
        .order_by()
    )
    for hearing_row in hearings:
        entry = totals.setdefault(
            (hearing_row["council_id"], hearing_row["year"]), {"meetings": 0, "council_meetings": 0, "hearings": 0}
        )
        entry["hearings"] += hearing_row["n"]
    return totals


def public_meetings_for_year(*, council: Council, year: int) -> list[PublicMeeting]:
    """The year's meetings of every kind as the public may know them, oldest first, each with its body and its
    public agenda in order (with the state body each item concerns): two queries, whatever the number."""
    meetings = with_public_agenda(Meeting.objects.filter(council=council, date__year=year)).order_by("date", "id")
    return [public_meeting(m) for m in meetings]


def hearings_for_year(*, council: Council, year: int) -> list[PublicHearing]:
    """The year's public hearings, oldest first, with the organising body: one query."""
    return list(
        PublicHearing.objects.filter(council=council, date__year=year)
        .select_related("organiser")
        .order_by("date", "number", "id")
    )


# ---- the workspace's pages (appended for the meetings and hearings pages) ---------------------------------


def meetings_for_workspace(*, council: Council) -> QuerySet[Meeting]:
    """The council's meetings, newest first, with the body and the number of agenda items: one query."""
    return (
        Meeting.objects.filter(council=council)
        .select_related("body")
        .annotate(agenda_count=Count("agenda_items"))
        .order_by("-date", "-id")
    )


def meeting_with_agenda(*, council: Council) -> QuerySet[Meeting]:
    """Meetings with their body and agenda items in order (with the state body): two queries per page."""
    items = AgendaItem.objects.select_related("state_body").order_by("number", "id")
    return (
        Meeting.objects.filter(council=council)
        .select_related("body", "body__convocation")
        .prefetch_related(Prefetch("agenda_items", queryset=items))
    )


def hearings_for_workspace(*, council: Council) -> QuerySet[PublicHearing]:
    """The council's public hearings, newest first, with the organising body: one query."""
    return PublicHearing.objects.filter(council=council).select_related("organiser").order_by("-date", "-id")


@dataclass(frozen=True)
class RollEntry:
    person_id: int
    full_name: str
    detail: str


@dataclass(frozen=True)
class Quorum:
    """Whether a meeting could decide: present at least 2/3 of all members on the meeting's date (Law
    No. 383-V). `total` is the membership the quorum counts against: the council's members for a council
    meeting, the body's seats for a presidium or commission meeting."""

    present: int
    total: int

    @property
    def required(self) -> int:
        return -(-2 * self.total // 3)  # 2/3 rounded up: 37 members need 25

    @property
    def reached(self) -> bool:
        return self.total > 0 and self.present >= self.required


QUORUM_KINDS = (MeetingKind.COUNCIL, MeetingKind.PRESIDIUM, MeetingKind.COMMISSION)


def attendance_roll(*, meeting: Meeting) -> list[RollEntry]:
    """Who could attend on the meeting's date: the body's seat holders for a presidium or commission meeting
    held by a body, otherwise the council's members (experts are not members): one query."""
    if meeting.kind in (MeetingKind.PRESIDIUM, MeetingKind.COMMISSION) and meeting.body is not None:
        seats = body_seats_on(body=meeting.body, day=meeting.date)
        return [RollEntry(s.person_id, s.person.full_name, s.get_role_display()) for s in seats]
    memberships = (
        member_memberships_on(council=meeting.council, day=meeting.date)
        .select_related("person")
        .order_by("person__full_name", "id")
    )
    return [
        RollEntry(m.person_id, m.person.full_name, f"{m.get_role_display()}, {m.get_affiliation_display()}")
        for m in memberships
    ]


def meeting_quorum(*, meeting: Meeting, roll_size: int | None = None) -> Quorum | None:
    """The quorum check of a meeting with recorded attendance; None when the meeting kind has no quorum or
    no attendance was recorded. One query unless `roll_size` (the length of `attendance_roll`) is given."""
    if meeting.kind not in QUORUM_KINDS or meeting.attendance is None:
        return None
    if meeting.kind != MeetingKind.COUNCIL and meeting.body_id is None:
        return None  # a body's meeting with no body on file: there is no membership to count against
    if roll_size is None:
        roll_size = len(attendance_roll(meeting=meeting))
    return Quorum(present=meeting.attendance, total=roll_size)


# ---- the public portal's pages (appended for the meeting calendar, the hearings and the iCalendar feed) ------


def meeting_years(*, council: Council) -> list[int]:
    """The years with any meeting, newest first: one query."""
    rows = Meeting.objects.filter(council=council).annotate(year=ExtractYear("date")).values_list("year", flat=True)
    return sorted(set(rows.order_by()), reverse=True)


def hearing_years(*, council: Council) -> list[int]:
    """The years with any public hearing, newest first: one query."""
    rows = (
        PublicHearing.objects.filter(council=council).annotate(year=ExtractYear("date")).values_list("year", flat=True)
    )
    return sorted(set(rows.order_by()), reverse=True)


def public_meeting_get(*, council: Council, pk: int) -> PublicMeeting | None:
    """One meeting of the council as the public may know it, or None: two queries."""
    meeting = with_public_agenda(Meeting.objects.filter(council=council, pk=pk)).first()
    return public_meeting(meeting) if meeting is not None else None


def public_meeting_minutes_get(*, council: Council, pk: int) -> FieldFile | None:
    """The signed minutes of one of the council's meetings, when the public may read them: an open meeting
    (`meeting_content_is_public`, the rule `public_meeting` follows) with the file uploaded; else None. One query."""
    meeting = Meeting.objects.filter(council=council, pk=pk).only("id", "is_open", "minutes").first()
    if meeting is None or not meeting_content_is_public(meeting) or not meeting.minutes:
        return None
    return meeting.minutes


def public_hearing_get(*, council: Council, pk: int) -> PublicHearing | None:
    """One public hearing of the council with its organising body, or None: one query."""
    return PublicHearing.objects.filter(council=council, pk=pk).select_related("organiser").first()


def public_meetings_for_calendar(*, council: Council, year: int | None = None) -> list[PublicMeeting]:
    """The council's meetings (of one year, or all) as the public may know them, oldest first, with the body
    and the public agenda: two queries, whatever the number of meetings."""
    meetings = Meeting.objects.filter(council=council)
    if year is not None:
        meetings = meetings.filter(date__year=year)
    return [public_meeting(m) for m in with_public_agenda(meetings).order_by("date", "id")]


def public_hearings_for_calendar(*, council: Council, year: int | None = None) -> list[PublicHearing]:
    """The council's public hearings (of one year, or all), oldest first, with the organising body: one query.
    Every hearing is public (there is no closed hearing), as on the hearings pages."""
    hearings = PublicHearing.objects.filter(council=council)
    if year is not None:
        hearings = hearings.filter(date__year=year)
    return list(hearings.select_related("organiser").order_by("date", "number", "id"))


# ---- revisions for the calendar: SEQUENCE and LAST-MODIFIED (RFC 5545, 3.8.7.4 and 3.8.7.3) ---------------

# What of a record its calendar event shows: a revision is a change of one of these. Of a closed meeting only
# its public facts count, so the feed does not tell that its title or agenda was edited.
MEETING_EVENT_FIELDS = ("kind", "body_id", "title", "date", "start_time", "duration_minutes", "place", "is_open")
CLOSED_MEETING_EVENT_FIELDS = ("kind", "body_id", "date", "is_open", "is_extended")
HEARING_EVENT_FIELDS = ("topic", "date", "organiser_id", "number")


@dataclass(frozen=True)
class Revision:
    """How often a record's event changed (`sequence`, 0 for never) and when it last did (`modified`, None
    when the audit history has no row of it: a record written by a bulk import before any edit)."""

    sequence: int = 0
    modified: dt.datetime | None = None


def _revisions(model: type[Any], ids: list[int], fields_of: Any) -> dict[int, Revision]:
    """Walk the audit history (django-simple-history's snapshots, oldest first) of the records `ids`, counting
    the snapshots whose event fields (`fields_of(record_id)`) differ from the one before: one query."""
    history = getattr(model, HISTORY_MANAGER).model
    names = sorted({name for record_id in ids for name in fields_of(record_id)})
    rows = (
        history.objects.filter(id__in=ids, history_type__in=("+", "~"))
        .order_by("id", "history_date", "history_id")
        .values("id", "history_date", *names)
    )
    found: dict[int, Revision] = {}
    last: dict[int, tuple[Any, ...]] = {}
    for row in rows:
        record_id = row["id"]
        seen = tuple(row[name] for name in fields_of(record_id))
        if record_id not in last:
            found[record_id] = Revision(sequence=0, modified=row["history_date"])
        elif seen != last[record_id]:
            found[record_id] = Revision(sequence=found[record_id].sequence + 1, modified=row["history_date"])
        last[record_id] = seen
    return found


def meeting_revisions(meetings: Sequence[PublicMeeting]) -> dict[int, Revision]:
    """Each meeting's revision as its calendar event shows it: one query."""
    closed = {m.id for m in meetings if not m.is_open}
    ids = [m.id for m in meetings]
    return _revisions(Meeting, ids, lambda pk: CLOSED_MEETING_EVENT_FIELDS if pk in closed else MEETING_EVENT_FIELDS)


def hearing_revisions(hearings: Sequence[PublicHearing]) -> dict[int, Revision]:
    """Each public hearing's revision as its calendar event shows it: one query."""
    return _revisions(PublicHearing, [h.pk for h in hearings], lambda pk: HEARING_EVENT_FIELDS)


# ---- members' attendance in the open ----------------------------------------------------------------------


@dataclass
class MemberAttendance:
    """One member's attendance across the year's open meetings whose attendance was taken by name: the meetings
    they were expected at (the council's while a member; the presidium's and their commissions' while they held a
    seat there) and those they attended, in total and by kind."""

    person_id: int
    name: str
    expected: int = 0
    attended: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [expected, attended]

    @property
    def share(self) -> int | None:
        """Attended as a whole percentage of expected; None when no meeting was expected."""
        return round(100 * self.attended / self.expected) if self.expected else None


def member_attendance(*, council: Council, year: int) -> list[MemberAttendance]:
    """Every member's attendance in `year` (sorted by name), counted over the open council, presidium and
    commission meetings whose attendance was taken by name (a meeting recorded with a head count alone cannot say
    who came; a closed meeting's attendance is not public), in total and by kind: a member was due at a council
    meeting while a member on its date, at a presidium or commission meeting while holding a seat in its body on its
    date (a seat holder who is no member of the council that year is not counted). The rule is stated once, in
    `_attendance_rows`, which the statistics' `attendance_figures` reads too: one query."""
    rows = []
    for row in _attendance_rows(council=council, year=year, as_of=dt.date(year, 12, 31), kinds=QUORUM_KINDS):
        by_kind = {str(kind): [row[f"due_{kind}"], row[f"came_{kind}"]] for kind in QUORUM_KINDS if row[f"due_{kind}"]}
        rows.append(MemberAttendance(row["pk"], row["full_name"], row["due"], row["came"], by_kind))
    return rows


@dataclass(frozen=True)
class AttendanceFigures:
    """One member's attendance in the open statistics (reports.selectors.YearStats): the meetings held by `as_of`
    that they were due at, those they attended, and the share attended (0 to 1, three decimals)."""

    person: int
    name: str
    meetings_due: int
    attended: int
    share: float | None


def _count(queryset: QuerySet[Meeting]) -> Subquery:
    """The number of rows of a correlated queryset, as a scalar subquery (no GROUP BY: one row)."""
    return Subquery(
        queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"), output_field=IntegerField()
    )


def _held_on_meeting_day() -> Q:
    """A membership or seat held on the day of the meeting of the enclosing subquery."""
    return Q(start_date__lte=OuterRef("date")) & (Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("date")))


def attendance_figures(*, council: Council, year: int, as_of: dt.date) -> list[AttendanceFigures]:
    """Every member's attendance in `year` as of `as_of` (31 December for a closed year), by the rule of
    `member_attendance` over the meetings held by `as_of`: one query, for the statistics' query budget."""
    return [
        AttendanceFigures(row["pk"], row["full_name"], row["due"], row["came"], round(row["came"] / row["due"], 3))
        for row in _attendance_rows(council=council, year=year, as_of=as_of)
    ]


def _attendance_rows(*, council: Council, year: int, as_of: dt.date, kinds: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The members of `year` due at one meeting or more (sorted by name), with `due` and `came`: the open meetings
    of the year held by `as_of` whose attendance was taken by name, that they were due at and that they attended;
    and `due_<kind>`, `came_<kind>` for each of `kinds`. One query of correlated counts per member, which the ORM
    took ten times longer to write than PostgreSQL to run: written once (core/prepared.py)."""
    start, end = year_bounds(year)
    return prepared_values(
        "hearings.attendance_rows:" + ",".join(kinds),
        functools.partial(_attendance_query, kinds=tuple(kinds)),
        council_id=council.pk,
        start=start,
        end=end,
        as_of=as_of,
    )


def _attendance_query(
    *, council_id: int, start: dt.date, end: dt.date, as_of: dt.date, kinds: tuple[str, ...]
) -> QuerySet[Person, dict[str, Any]]:
    """The statement of `_attendance_rows` for the year from `start` to `end`."""
    person = OuterRef(OuterRef("pk"))
    member_then = Membership.objects.filter(_held_on_meeting_day(), convocation__council_id=council_id, person=person)
    seated_then = BodyMembership.objects.filter(_held_on_meeting_day(), body=OuterRef("body_id"), person=person)
    due = Meeting.objects.filter(
        Exists(MeetingAttendance.objects.filter(meeting=OuterRef("pk"))),
        Q(Exists(member_then), kind=MeetingKind.COUNCIL)
        | Q(Exists(seated_then), kind__in=[MeetingKind.PRESIDIUM, MeetingKind.COMMISSION], body__isnull=False),
        council_id=council_id,
        date__range=(start, end),
        date__lte=as_of,
        is_open=True,
    )
    came = due.filter(Exists(MeetingAttendance.objects.filter(meeting=OuterRef("pk"), person=person)))
    members = Membership.objects.filter(
        convocation__council_id=council_id, person=OuterRef("pk"), start_date__lte=end
    ).exclude(end_date__lt=start)
    split: dict[str, Subquery] = {}
    for kind in kinds:
        split[f"due_{kind}"] = _count(due.filter(kind=kind))
        split[f"came_{kind}"] = _count(came.filter(kind=kind))
    rows: QuerySet[Person, dict[str, Any]] = (
        Person.objects.filter(Exists(members))
        .annotate(due=_count(due), came=_count(came), **split)
        .filter(due__gt=0)
        .order_by("full_name", "id")
        .values("pk", "full_name", "due", "came", *split)
    )
    return rows
