"""Reads of meetings and public hearings: counts for a council's year, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import ExtractYear

from councils.models import Council
from councils.selectors import body_seats_on, member_memberships_on

from .models import AgendaItem, Meeting, MeetingKind, PublicHearing


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
    for row in hearings:
        entry = totals.setdefault(
            (row["council_id"], row["year"]), {"meetings": 0, "council_meetings": 0, "hearings": 0}
        )
        entry["hearings"] += row["n"]
    return totals


def meetings_for_year(*, council: Council, year: int) -> list[Meeting]:
    """The year's meetings of every kind, oldest first, each with its body and its agenda items in order (with
    the state body each item concerns): two queries, whatever the number of meetings."""
    items = AgendaItem.objects.select_related("state_body").order_by("number", "id")
    return list(
        Meeting.objects.filter(council=council, date__year=year)
        .select_related("body")
        .prefetch_related(Prefetch("agenda_items", queryset=items))
        .order_by("date", "id")
    )


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
    if meeting.body_id is not None and meeting.kind in (MeetingKind.PRESIDIUM, MeetingKind.COMMISSION):
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


def public_meeting_get(*, council: Council, pk: int) -> Meeting | None:
    """One meeting of the council with its body and agenda items in order, or None: two queries."""
    return meeting_with_agenda(council=council).filter(pk=pk).first()


def public_hearing_get(*, council: Council, pk: int) -> PublicHearing | None:
    """One public hearing of the council with its organising body, or None: one query."""
    return PublicHearing.objects.filter(council=council, pk=pk).select_related("organiser").first()


def meetings_for_calendar(*, council: Council, year: int | None = None) -> list[Meeting]:
    """The council's meetings (of one year, or all), oldest first, with the body and the agenda items: two
    queries, whatever the number of meetings."""
    meetings = meeting_with_agenda(council=council)
    if year is not None:
        meetings = meetings.filter(date__year=year)
    return list(meetings.order_by("date", "id"))
