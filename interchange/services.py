"""Import of an `oversight.council-activity/2` document, or a version 1 one read as version 2
(docs/council-activity-format.md).

The import is an upsert keyed by the file's natural keys, run in one transaction, and it compares before it
writes: importing the same file twice writes nothing the second time. It adds and updates records; it never
deletes a keyed record that the file leaves out. Lists without keys (monitoring participants, publicity links,
recommendation responses and status history, a meeting's attendees when the file lists them) and a person's
memberships in the file's convocations and seats in the file's bodies are made to match the file.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar, overload

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count

from appeals.models import Appeal
from councils.models import (
    Body,
    BodyMembership,
    ConsultativeSeat,
    Convocation,
    Council,
    ExpertAppointment,
    Membership,
    Memorandum,
    Partner,
    Person,
    StateBody,
    WorkPlanItem,
)
from councils.selectors import held_in_year
from hearings.models import AgendaItem, Meeting, MeetingAttendance, PublicHearing
from monitoring.models import (
    DraftActReview,
    MonitoringEvent,
    MonitoringParticipant,
    PublicityLink,
    Recommendation,
    RecommendationResponse,
    RecommendationStatusChange,
)

from .selectors import ALMATY, SOURCE_MODELS, Record
from .validation import FILE_LANGUAGES, FORMAT_V1, SMALL_INT_MAX, ValidationIssue, check_council_activity, upgrade_v1

# An imported appeal has a registration day but no time: 10:00 local is inside office hours on any day.
APPEAL_REGISTRATION_TIME = dt.time(10, 0)


# Kinds in the order the summary lists them.
KINDS = (
    "council",
    "convocations",
    "state_bodies",
    "bodies",
    "people",
    "memberships",
    "experts",
    "body_seats",
    "partners",
    "memoranda",
    "consultative_seats",
    "meetings",
    "agenda_items",
    "meeting_attendees",
    "hearings",
    "monitoring",
    "monitoring_participants",
    "publicity_links",
    "draft_reviews",
    "appeals",
    "recommendations",
    "recommendation_responses",
    "recommendation_history",
    "work_plan",
)


class CouncilActivityInvalid(Exception):
    """The document was refused; nothing was written."""

    def __init__(self, issues: list[ValidationIssue]) -> None:
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class ImportSummary:
    council: Council
    year: int
    counts: dict[str, KindCounts]
    # Told, not refused: an attendee who was not a member that day, a meeting no convocation sat on.
    warnings: list[ValidationIssue] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.deleted for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{kind}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
            + (f", {c.deleted} deleted" if c.deleted else "")
            for kind, c in self.counts.items()
        ]


def _meeting_time(meeting: Record) -> Record:
    """A meeting's start time ("HH:MM", the schema checked its shape) and duration. A file written before the
    fields existed leaves them out, and its import leaves the time on file alone (as with `attendees`)."""
    if "start_time" not in meeting:
        return {}
    start = dt.time.fromisoformat(meeting["start_time"]) if meeting["start_time"] else None
    return {"start_time": start, "duration_minutes": meeting.get("duration_minutes") if start else None}


@overload
def _day(value: str) -> dt.date: ...
@overload
def _day(value: str | None) -> dt.date | None: ...
def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _translated(record: Record, *fields: str) -> Record:
    """The translated fields of a record (councils/translation.py) by their language columns.

    Columns are named explicitly: modeltranslation writes `name=` to the active language's column, so an import
    run under Kazakh would otherwise put the Russian name in the Kazakh one. A Kazakh or English value the file
    leaves out stays as it is (a version 1 file, or one written before the field, says nothing about it); an
    empty one removes it.
    """
    out: Record = {}
    for name in fields:
        out[f"{name}_ru"] = record.get(name, "")
        for language in FILE_LANGUAGES:
            if f"{name}_{language}" in record:
                out[f"{name}_{language}"] = record[f"{name}_{language}"] or None
    return out


def _differing(obj: models.Model, values: Record) -> list[str]:
    return [name for name, value in values.items() if getattr(obj, name) != value]


M = TypeVar("M", bound=models.Model)
K = TypeVar("K", bound=Hashable)


def _upsert(
    model: type[M],
    *,
    existing: Mapping[K, M],
    wanted: Iterable[tuple[K, Record]],
    counts: KindCounts,
    on_create: Callable[[], Record] = dict,
) -> dict[K, M]:
    """Bring the rows named by `wanted` (natural key, field values by attname) to those values.

    Rows that already match are not written; new rows go in one bulk INSERT. Returns the rows by key.
    """
    rows: dict[K, M] = {}
    new: list[M] = []
    for key, values in wanted:
        obj = existing.get(key)
        if obj is None:
            obj = model(**values, **on_create())
            new.append(obj)
        elif changed := _differing(obj, values):
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
            counts.updated += 1
        else:
            counts.unchanged += 1
        rows[key] = obj
    if new:
        model._default_manager.bulk_create(new)
        counts.created += len(new)
    return rows


def _sync_list(
    model: type[M],
    *,
    parent_field: str,
    current: Mapping[int, list[M]],
    wanted: dict[int, list[Record]],
    counts: KindCounts,
    carry: Callable[[list[M], Record], Record] | None = None,
) -> None:
    """Make each parent's keyless list equal to the file's, replacing it as a whole only where it differs.

    `carry` may copy fields the file does not hold (a response's document) from the rows being replaced.
    """
    new: list[M] = []
    stale: list[int] = []
    for parent_id, rows in wanted.items():
        have = current.get(parent_id, [])
        if len(have) == len(rows) and not any(_differing(obj, row) for obj, row in zip(have, rows, strict=True)):
            counts.unchanged += len(rows)
            continue
        stale += [obj.pk for obj in have]
        counts.deleted += len(have)
        counts.created += len(rows)
        new += [
            model(**{f"{parent_field}_id": parent_id}, **row, **(carry(have, row) if carry else {})) for row in rows
        ]
    if stale:
        model._default_manager.filter(pk__in=stale).delete()
    if new:
        model._default_manager.bulk_create(new)


def _grouped(rows: Iterable[M], attr: str) -> dict[int, list[M]]:
    out: dict[int, list[M]] = defaultdict(list)
    for row in rows:
        out[getattr(row, attr)].append(row)
    return out


def _appeal_registered_at(registered_on: dt.date) -> dt.datetime:
    return dt.datetime.combine(registered_on, APPEAL_REGISTRATION_TIME, tzinfo=ALMATY)


def _database_issues(data: Record, council: Council | None) -> list[ValidationIssue]:
    """Conflicts with rows outside the file, which only the database can tell."""
    issues = []
    code = data["council"]["code"]
    holder = Council.objects.filter(code=code).exclude(slug=data["council"]["slug"]).first()
    if holder is not None:
        issues.append(ValidationIssue("$.council.code", f"code {code!r} belongs to another council ({holder.slug})"))
    if council is not None:
        # Agenda items the file does not mention keep their numbers; a file item may not take one of those.
        meetings = {m["key"]: (i, m) for i, m in enumerate(data["meetings"])}
        for item in AgendaItem.objects.filter(meeting__council=council, meeting__key__in=meetings).select_related(
            "meeting"
        ):
            i, meeting = meetings[item.meeting.key]
            in_file = {a["key"] for a in meeting.get("agenda", [])}
            if item.key in in_file:
                continue
            for j, a in enumerate(meeting.get("agenda", [])):
                if a["number"] == item.number:
                    issues.append(
                        ValidationIssue(
                            f"$.meetings[{i}].agenda[{j}].number",
                            f"number {item.number} is taken by agenda item {item.key!r} (not in the file)",
                        )
                    )
        issues += _consultative_seat_conflicts(data, council)
    return issues


def _consultative_seat_conflicts(data: Record, council: Council) -> list[ValidationIssue]:
    """A seat in a consultative body that the file does not mention may overlap a file's seat of the same person
    in the same body: the database would refuse the second open seat midway through the import."""
    seats = data.get("consultative_seats", [])
    in_file: dict[tuple[str, str], list[int]] = {(s["person"], s["body_name"]): [] for s in seats}
    for i, s in enumerate(seats):
        in_file[(s["person"], s["body_name"])].append(i)
    others = ConsultativeSeat.objects.filter(council=council, person__key__in=[s["person"] for s in seats]).exclude(
        key__in=[s["key"] for s in seats]
    )
    issues = []
    for other in others.select_related("person"):
        for i in in_file.get((other.person.key, other.body_name), []):
            start, end = _day(seats[i]["start_date"]), _day(seats[i].get("end_date"))
            if (end is None or other.start_date <= end) and (other.end_date is None or start <= other.end_date):
                issues.append(
                    ValidationIssue(
                        f"$.consultative_seats[{i}].start_date",
                        f"overlaps the seat {other.key!r} of the same person in the same body (not in the file)",
                    )
                )
    return issues


@transaction.atomic
def council_activity_import(*, data: Record) -> ImportSummary:
    """Import a council-activity document; refuse it whole (CouncilActivityInvalid) if anything is wrong.

    1. Validate the document (validation.py), then check it against rows outside it (a council code in use,
       an agenda number taken by an item the file does not mention). Nothing is written before this passes.
       A version 1 document is then read as version 2 (its one convocation as a list of one).
    2. Upsert in dependency order: council (by slug), convocations (by number), state bodies (by slug), bodies,
       people and partners (by key), memberships and seats, memoranda, seats in consultative bodies (by key),
       meetings with their agenda items and attendees,
       hearings, monitoring with participants and publicity, draft reviews, appeals (by number),
       recommendations with their source, responses and history, work plan items (by year and number).
    3. Every row is compared with the file first and written only if it differs.
    """
    checked = check_council_activity(data)
    if checked.errors:
        raise CouncilActivityInvalid(checked.errors)
    # Version 1 said "an existing body keeps the convocation it belongs to": its files name none per body.
    legacy = data["format"] == FORMAT_V1
    if legacy:
        data = upgrade_v1(data)
    council_data = data["council"]
    council = Council.objects.filter(slug=council_data["slug"]).first()
    issues = _database_issues(data, council)
    if issues:
        raise CouncilActivityInvalid(issues)

    year: int = data["year"]
    counts = {kind: KindCounts() for kind in KINDS}

    # Council and convocation.
    council_values = {
        "slug": council_data["slug"],
        "code": council_data["code"],
        **_translated(council_data, "name", "short_name", "legal_basis", "description"),
        "kind": council_data["kind"],
        "city": council_data.get("city", ""),
        "region": council_data.get("region", ""),
        "website": council_data.get("website", ""),
        "social_links": council_data.get("social_links", []),
    }
    council = _upsert(
        Council,
        existing={council.slug: council} if council else {},
        wanted=[(council_values["slug"], council_values)],
        counts=counts["council"],
    )[council_values["slug"]]
    numbers = [c["number"] for c in data["convocations"]]
    convocations = _upsert(
        Convocation,
        existing={c.number: c for c in Convocation.objects.filter(council=council, number__in=numbers)},
        wanted=[
            (
                c["number"],
                {
                    "council_id": council.pk,
                    "number": c["number"],
                    **_translated(c, "name"),
                    "start_date": _day(c["start_date"]),
                    "end_date": _day(c.get("end_date")),
                },
            )
            for c in data["convocations"]
        ],
        counts=counts["convocations"],
    )

    # State bodies are shared by every council: keyed by slug alone.
    state_bodies = _upsert(
        StateBody,
        existing={s.slug: s for s in StateBody.objects.filter(slug__in=[s["key"] for s in data["state_bodies"]])},
        wanted=(
            (
                s["key"],
                {
                    "slug": s["key"],
                    **_translated(s, "name"),
                    "kind": s.get("kind", "other"),
                    "city": s.get("city", ""),
                    "website": s.get("website", ""),
                },
            )
            for s in data["state_bodies"]
        ),
        counts=counts["state_bodies"],
    )

    def state_body_id(key: str | None) -> int | None:
        return state_bodies[key].pk if key else None

    # A body belongs to the convocation the file names. A version 1 file names none per body: there a body
    # keeps the convocation it has, and the file's one convocation is only where a new body goes.
    def body_convocation(b: Record) -> Record:
        return {} if legacy else {"convocation_id": convocations[b["convocation"]].pk}

    bodies = _upsert(
        Body,
        existing={b.key: b for b in Body.objects.filter(council=council)},
        wanted=(
            (
                b["key"],
                {
                    "council_id": council.pk,
                    "key": b["key"],
                    "kind": b["kind"],
                    "number": b.get("number"),
                    **_translated(b, "name", "description"),
                    **body_convocation(b),
                },
            )
            for b in data["bodies"]
        ),
        counts=counts["bodies"],
        on_create=(lambda: {"convocation_id": convocations[numbers[0]].pk}) if legacy else dict,
    )

    def body_id(key: str | None) -> int | None:
        return bodies[key].pk if key else None

    people = _upsert(
        Person,
        existing={p.key: p for p in Person.objects.filter(council=council)},
        wanted=(
            (
                p["key"],
                {
                    "council_id": council.pk,
                    "key": p["key"],
                    "full_name": p["full_name"],
                    "organisation": p.get("organisation", ""),
                    "position": p.get("position", ""),
                    "is_demo": p.get("demo", False),
                },
            )
            for p in data["people"]
        ),
        counts=counts["people"],
    )
    _import_memberships(data, convocations=convocations, people=people, bodies=bodies, counts=counts)
    _import_experts(data, council=council, people=people, counts=counts["experts"])

    partners = _upsert(
        Partner,
        existing={p.key: p for p in Partner.objects.filter(council=council)},
        wanted=(
            (
                p["key"],
                {
                    "council_id": council.pk,
                    "key": p["key"],
                    **_translated(p, "name"),
                    "kind": p.get("kind", "other"),
                    "website": p.get("website", ""),
                },
            )
            for p in data["partners"]
        ),
        counts=counts["partners"],
    )
    _upsert(
        Memorandum,
        existing={m.key: m for m in Memorandum.objects.filter(council=council)},
        wanted=(
            (
                m["key"],
                {
                    "council_id": council.pk,
                    "key": m["key"],
                    "title": m["title"],
                    "partner_id": partners[m["partner"]].pk if m.get("partner") else None,
                    "signed_on": _day(m["signed_on"]),
                    "description": m.get("description", ""),
                    "is_demo": m.get("demo", False),
                },
            )
            for m in data["memoranda"]
        ),
        counts=counts["memoranda"],
    )
    # Optional in the format: a file written before seats in consultative bodies were recorded has none.
    _import_consultative_seats(
        data, council=council, people=people, state_body_id=state_body_id, counts=counts["consultative_seats"]
    )

    # Meetings with their agenda and attendees. A meeting the file lists no attendees for keeps the names on
    # file (older files have none), and with them their number: `attendance` is set from the names.
    unlisted = [m["key"] for m in data["meetings"] if "attendees" not in m]
    named = dict(
        MeetingAttendance.objects.filter(meeting__council=council, meeting__key__in=unlisted)
        .values_list("meeting__key")
        .annotate(n=Count("id"))
        .order_by()
    )
    meetings = _upsert(
        Meeting,
        existing={m.key: m for m in Meeting.objects.filter(council=council)},
        wanted=(
            (
                m["key"],
                {
                    "council_id": council.pk,
                    "key": m["key"],
                    "kind": m["kind"],
                    "body_id": body_id(m.get("body")),
                    "title": m.get("title", ""),
                    "goal": m.get("goal", ""),
                    "date": _day(m["date"]),
                    **_meeting_time(m),
                    "place": m.get("place", ""),
                    "is_open": m.get("is_open", True),
                    "is_extended": m.get("is_extended", False),
                    "attendance": named.get(m["key"], m.get("attendance")),
                    "links": m.get("links", []),
                    "is_demo": m.get("demo", False),
                },
            )
            for m in data["meetings"]
        ),
        counts=counts["meetings"],
    )
    agenda_items = _import_agenda(data, meetings=meetings, state_body_id=state_body_id, counts=counts)
    _import_attendees(data, meetings=meetings, people=people, counts=counts["meeting_attendees"])

    hearings = _upsert(
        PublicHearing,
        existing={h.key: h for h in PublicHearing.objects.filter(council=council)},
        wanted=(
            (
                h["key"],
                {
                    "council_id": council.pk,
                    "key": h["key"],
                    "number": h.get("number"),
                    "topic": h["topic"],
                    "date": _day(h["date"]),
                    "organiser_id": body_id(h.get("organiser")),
                    "participants": h.get("participants", ""),
                    "resolution": h.get("resolution", ""),
                    "links": h.get("links", []),
                    "is_demo": h.get("demo", False),
                },
            )
            for h in data["hearings"]
        ),
        counts=counts["hearings"],
    )

    # Monitoring, with its participants and publicity links kept in file order.
    events = _upsert(
        MonitoringEvent,
        existing={e.key: e for e in MonitoringEvent.objects.filter(council=council)},
        wanted=(
            (
                e["key"],
                {
                    "council_id": council.pk,
                    "key": e["key"],
                    "topic": e["topic"],
                    "date": _day(e["date"]),
                    "date_precision": e.get("date_precision", "day"),
                    "commission_id": body_id(e.get("commission")),
                    "findings": e.get("findings", ""),
                    "recommendations_summary": e.get("recommendations_summary", ""),
                    "publicity_note": e.get("publicity_note", ""),
                    "results": e.get("results", ""),
                    "is_demo": e.get("demo", False),
                },
            )
            for e in data["monitoring"]
        ),
        counts=counts["monitoring"],
    )
    event_ids = [events[e["key"]].pk for e in data["monitoring"]]
    _sync_list(
        MonitoringParticipant,
        parent_field="event",
        current=_grouped(
            MonitoringParticipant.objects.filter(event_id__in=event_ids).order_by("event_id", "position", "id"),
            "event_id",
        ),
        wanted={
            events[e["key"]].pk: [
                {
                    "position": position,
                    "person_id": people[p["person"]].pk if p.get("person") else None,
                    "name": p.get("name", ""),
                    "kind": p["kind"],
                }
                for position, p in enumerate(e.get("participants", []))
            ]
            for e in data["monitoring"]
        },
        counts=counts["monitoring_participants"],
    )
    _sync_list(
        PublicityLink,
        parent_field="event",
        current=_grouped(
            PublicityLink.objects.filter(event_id__in=event_ids).order_by("event_id", "position", "id"),
            "event_id",
        ),
        wanted={
            events[e["key"]].pk: [
                {"position": position, "url": link["url"], "kind": link.get("kind", "other")}
                for position, link in enumerate(e.get("publicity", []))
            ]
            for e in data["monitoring"]
        },
        counts=counts["publicity_links"],
    )

    reviews = _upsert(
        DraftActReview,
        existing={r.key: r for r in DraftActReview.objects.filter(council=council)},
        wanted=(
            (
                r["key"],
                {
                    "council_id": council.pk,
                    "key": r["key"],
                    "title": r["title"],
                    "developer_id": state_body_id(r.get("developer")),
                    "discussion_start": _day(r["discussion_start"]),
                    "discussion_end": _day(r["discussion_end"]),
                    "conclusion": r.get("conclusion", ""),
                    "remarks": r.get("remarks", ""),
                    "is_demo": r.get("demo", False),
                },
            )
            for r in data["draft_reviews"]
        ),
        counts=counts["draft_reviews"],
    )
    appeals = _import_appeals(data, council=council, body_id=body_id, state_body_id=state_body_id, counts=counts)

    sources: Mapping[str, Mapping[str, models.Model]] = {
        "monitoring": events,
        "hearing": hearings,
        "agenda_item": agenda_items,
        "draft_review": reviews,
        "appeal": appeals,
    }
    _import_recommendations(data, council=council, sources=sources, state_body_id=state_body_id, counts=counts)

    _upsert(
        WorkPlanItem,
        existing={w.number: w for w in WorkPlanItem.objects.filter(council=council, year=year)},
        wanted=(
            (
                w["number"],
                {
                    "council_id": council.pk,
                    "year": year,
                    "number": w["number"],
                    "activity": w["activity"],
                    "period": w.get("period", ""),
                    "expected_result": w.get("expected_result", ""),
                    "responsible": w.get("responsible", ""),
                    "status": w.get("status", "planned"),
                },
            )
            for w in data["work_plan"]
        ),
        counts=counts["work_plan"],
    )
    return ImportSummary(council=council, year=year, counts=counts, warnings=checked.warnings)


def _import_memberships(
    data: Record,
    *,
    convocations: Mapping[int, models.Model],
    people: Mapping[str, models.Model],
    bodies: Mapping[str, models.Model],
    counts: dict[str, KindCounts],
) -> None:
    """A person's memberships in the file's convocations and seats in the file's bodies follow the file: a
    membership in one of them that the person's list leaves out is removed (memberships in convocations the
    file does not carry stay), and so is a seat the person's list leaves out."""
    person_ids = [people[p["key"]].pk for p in data["people"]]
    body_ids = [bodies[b["key"]].pk for b in data["bodies"]]

    memberships = {
        (m.convocation_id, m.person_id): m
        for m in Membership.objects.filter(
            convocation_id__in=[c.pk for c in convocations.values()], person_id__in=person_ids
        )
    }
    wanted = [
        (
            (convocations[m["convocation"]].pk, people[p["key"]].pk),
            {
                "convocation_id": convocations[m["convocation"]].pk,
                "person_id": people[p["key"]].pk,
                "affiliation": m["affiliation"],
                "role": m["role"],
                "start_date": _day(m["start_date"]),
                "end_date": _day(m.get("end_date")),
                # Why the member left: a file written before these fields says nothing, and leaves them as they are.
                **{name: m[name] for name in ("end_reason", "end_decision") if name in m},
            },
        )
        for p in data["people"]
        for m in p.get("memberships", [])
    ]
    _upsert(Membership, existing=memberships, wanted=wanted, counts=counts["memberships"])
    kept = {key for key, _values in wanted}
    gone = [m.pk for key, m in memberships.items() if key not in kept]
    if gone:
        Membership.objects.filter(pk__in=gone).delete()
        counts["memberships"].deleted += len(gone)

    # A seat is known by its person, body and start date: a person who left a body and rejoined it holds
    # several seats there, one after another (the file is checked for overlaps). Seats the file leaves out go
    # first, and seats the file ends are written before open ones, so that no moment has two open seats of one
    # person in one body (the database allows one).
    seats: dict[tuple[int, int, dt.date | None], BodyMembership] = {}
    gone = []
    for seat in BodyMembership.objects.filter(person_id__in=person_ids, body_id__in=body_ids).order_by("id"):
        key = (seat.person_id, seat.body_id, seat.start_date)
        if key in seats:
            gone.append(seats[key].pk)  # two seats no file can tell apart: the later one stands for both
        seats[key] = seat
    wanted_seats = sorted(
        (
            (
                (people[p["key"]].pk, bodies[seat["body"]].pk, _day(seat.get("start_date"))),
                {
                    "body_id": bodies[seat["body"]].pk,
                    "person_id": people[p["key"]].pk,
                    "role": seat["role"],
                    "start_date": _day(seat.get("start_date")),
                    "end_date": _day(seat.get("end_date")),
                },
            )
            for p in data["people"]
            for seat in p.get("bodies", [])
        ),
        key=lambda entry: entry[1]["end_date"] is None,
    )
    kept_seats = {key for key, _values in wanted_seats}
    gone += [s.pk for key, s in seats.items() if key not in kept_seats]
    if gone:
        BodyMembership.objects.filter(pk__in=gone).delete()
        counts["body_seats"].deleted += len(gone)
    _upsert(BodyMembership, existing=seats, wanted=wanted_seats, counts=counts["body_seats"])


def _import_experts(data: Record, *, council: Council, people: Mapping[str, models.Model], counts: KindCounts) -> None:
    """Experts (councils.ExpertAppointment), known by person and start date. The appointments of the file's
    people that cover a day of the file's year follow the file (the export writes exactly those): one the file
    leaves out is removed; appointments wholly in other years stay. Ended appointments are written before open
    ones, so that no moment has two open appointments of one person (the database allows one)."""
    year: int = data["year"]
    person_ids = [people[p["key"]].pk for p in data["people"]]
    existing = {
        (a.person_id, a.start_date): a
        for a in ExpertAppointment.objects.filter(council=council, person_id__in=person_ids).filter(held_in_year(year))
    }
    wanted = sorted(
        (
            (
                (people[e["person"]].pk, _day(e["start_date"])),
                {
                    "council_id": council.pk,
                    "person_id": people[e["person"]].pk,
                    "start_date": _day(e["start_date"]),
                    "end_date": _day(e.get("end_date")),
                    "field": e.get("field", ""),
                    "decision": e.get("decision", ""),
                },
            )
            for e in data.get("experts", [])
        ),
        key=lambda entry: entry[1]["end_date"] is None,
    )
    kept = {key for key, _values in wanted}
    gone = [a.pk for key, a in existing.items() if key not in kept]
    if gone:
        ExpertAppointment.objects.filter(pk__in=gone).delete()
        counts.deleted += len(gone)
    # An appointment in the file may already be on file from another year's view (it started earlier).
    others = ExpertAppointment.objects.filter(
        council=council, person_id__in=person_ids, start_date__in=[values["start_date"] for _k, values in wanted]
    ).exclude(pk__in=[a.pk for a in existing.values()])
    existing.update({(a.person_id, a.start_date): a for a in others})
    _upsert(ExpertAppointment, existing=existing, wanted=wanted, counts=counts)


def _import_consultative_seats(
    data: Record,
    *,
    council: Council,
    people: Mapping[str, models.Model],
    state_body_id: Callable[[str | None], int | None],
    counts: KindCounts,
) -> None:
    """Seats by key. Seats the file ends are written before open ones, so that no moment has two open seats of
    one person in one body (the database allows one)."""
    seats = data.get("consultative_seats", [])
    existing = {s.key: s for s in ConsultativeSeat.objects.filter(council=council, key__in=[s["key"] for s in seats])}
    wanted = sorted(
        (
            (
                s["key"],
                {
                    "council_id": council.pk,
                    "key": s["key"],
                    "person_id": people[s["person"]].pk,
                    "body_name": s["body_name"],
                    "state_body_id": state_body_id(s.get("state_body")),
                    "level": s["level"],
                    "start_date": _day(s["start_date"]),
                    "end_date": _day(s.get("end_date")),
                    "note": s.get("note", ""),
                    "link": s.get("link", ""),
                    "is_demo": s.get("demo", False),
                },
            )
            for s in seats
        ),
        key=lambda entry: entry[1]["end_date"] is None,
    )
    _upsert(ConsultativeSeat, existing=existing, wanted=wanted, counts=counts)


def _import_agenda(
    data: Record,
    *,
    meetings: Mapping[str, models.Model],
    state_body_id: Callable[[str | None], int | None],
    counts: dict[str, KindCounts],
) -> dict[str, models.Model]:
    """Agenda items by (meeting, key); returned by key alone, which is unique across the file."""
    existing = {
        (item.meeting_id, item.key): item
        for item in AgendaItem.objects.filter(meeting_id__in=[m.pk for m in meetings.values()])
    }
    wanted = [
        (
            (meetings[m["key"]].pk, a["key"]),
            {
                "meeting_id": meetings[m["key"]].pk,
                "key": a["key"],
                "number": a["number"],
                "title": a["title"],
                "kind": a.get("kind", "other"),
                "state_body_id": state_body_id(a.get("state_body")),
                "speakers": a.get("speakers", ""),
                "decision": a.get("decision", ""),
                "links": a.get("links", []),
            },
        )
        for m in data["meetings"]
        for a in m.get("agenda", [])
    ]
    # Items that swap numbers would collide on (meeting, number) one UPDATE at a time: park the renumbered
    # ones out of the way first. Only rows whose number really changes are touched.
    renumbered = [
        existing[key] for key, values in wanted if key in existing and existing[key].number != values["number"]
    ]
    for parked, item in enumerate(renumbered, start=1):
        item.number = SMALL_INT_MAX - parked
        item.save(update_fields=["number"])
    rows = _upsert(AgendaItem, existing=existing, wanted=wanted, counts=counts["agenda_items"])
    return {key: item for (_meeting_id, key), item in rows.items()}


def _import_attendees(
    data: Record,
    *,
    meetings: Mapping[str, models.Model],
    people: Mapping[str, models.Model],
    counts: KindCounts,
) -> None:
    """Each meeting that lists `attendees` gets exactly those names: a row is kept if it is named, removed if
    not, added if new. A meeting without the list keeps its names."""
    listed = {
        meetings[m["key"]].pk: {people[a["person"]].pk for a in m["attendees"]}
        for m in data["meetings"]
        if "attendees" in m
    }
    have = {
        (meeting_id, person_id): pk
        for pk, meeting_id, person_id in MeetingAttendance.objects.filter(meeting_id__in=listed).values_list(
            "pk", "meeting_id", "person_id"
        )
    }
    gone = [pk for (meeting_id, person_id), pk in have.items() if person_id not in listed[meeting_id]]
    new = [
        MeetingAttendance(meeting_id=meeting_id, person_id=person_id)
        for meeting_id, person_ids in listed.items()
        for person_id in sorted(person_ids)
        if (meeting_id, person_id) not in have
    ]
    if gone:
        MeetingAttendance.objects.filter(pk__in=gone).delete()
    if new:
        MeetingAttendance.objects.bulk_create(new)
    counts.created += len(new)
    counts.deleted += len(gone)
    counts.unchanged += len(have) - len(gone)


def _import_appeals(
    data: Record,
    *,
    council: Council,
    body_id: Callable[[str | None], int | None],
    state_body_id: Callable[[str | None], int | None],
    counts: dict[str, KindCounts],
) -> dict[str, models.Model]:
    """Appeals by number. The file holds no personal data: those fields stay as they are (empty when new)."""
    existing = {
        a.number: a for a in Appeal.objects.filter(council=council, number__in=[a["number"] for a in data["appeals"]])
    }
    wanted = []
    for a in data["appeals"]:
        registered_on = _day(a["registered_on"])
        _code, year, sequence = a["number"].split("-")
        values = {
            "council_id": council.pk,
            "number": a["number"],
            "year": int(year),
            "sequence": int(sequence),
            "channel": a.get("channel", "web"),
            "applicant_type": a["applicant_type"],
            "category": a["category"],
            "status": a["status"],
            "due_date": _day(a.get("due_date")),
            "answered_on": _day(a.get("answered_on")),
            "forwarded_to_id": state_body_id(a.get("forwarded_to")),
            "assigned_body_id": body_id(a.get("assigned_body")),
            "is_demo": a.get("demo", False),
        }
        # The file knows the day only: an appeal registered that day keeps its real time.
        current = existing.get(a["number"])
        if current is None or current.registered_at.astimezone(ALMATY).date() != registered_on:
            values["registered_at"] = _appeal_registered_at(registered_on)
        wanted.append((a["number"], values))
    return _upsert(
        Appeal,
        existing=existing,
        wanted=wanted,
        counts=counts["appeals"],
        on_create=lambda: {"tracking_token": secrets.token_urlsafe(24)},
    )


def _import_recommendations(
    data: Record,
    *,
    council: Council,
    sources: Mapping[str, Mapping[str, models.Model]],
    state_body_id: Callable[[str | None], int | None],
    counts: dict[str, KindCounts],
) -> None:
    types = ContentType.objects.get_for_models(*SOURCE_MODELS.values())
    type_ids = {name: types[model].pk for name, model in SOURCE_MODELS.items()}

    def source(rec: Record) -> tuple[int | None, int | None]:
        ref = rec.get("source")
        if not ref:
            return None, None
        return type_ids[ref["type"]], sources[ref["type"]][ref["key"]].pk

    wanted = []
    for r in data["recommendations"]:
        source_type_id, source_id = source(r)
        wanted.append(
            (
                r["key"],
                {
                    "council_id": council.pk,
                    "key": r["key"],
                    "text": r["text"],
                    "state_body_id": state_body_id(r.get("state_body")),
                    "source_type_id": source_type_id,
                    "source_id": source_id,
                    "issued_on": _day(r["issued_on"]),
                    "sent_on": _day(r.get("sent_on")),
                    "response_due": _day(r.get("response_due")),
                    "status": r["status"],
                    "is_demo": r.get("demo", False),
                },
            )
        )
    recommendations = _upsert(
        Recommendation,
        existing={r.key: r for r in Recommendation.objects.filter(council=council)},
        wanted=wanted,
        counts=counts["recommendations"],
    )
    rec_ids = [recommendations[r["key"]].pk for r in data["recommendations"]]

    # The database lists responses and history by date: the file's lists are put in that order (stably) so
    # that a list in another order is not taken for a change on every import.
    def keep_document(replaced: list[RecommendationResponse], row: Record) -> Record:
        for old in replaced:
            if old.document and (old.received_on, old.text) == (row["received_on"], row["text"]):
                return {"document": old.document.name}
        return {}

    _sync_list(
        RecommendationResponse,
        parent_field="recommendation",
        current=_grouped(
            RecommendationResponse.objects.filter(recommendation_id__in=rec_ids).order_by(
                "recommendation_id", "received_on", "id"
            ),
            "recommendation_id",
        ),
        wanted={
            recommendations[r["key"]].pk: sorted(
                ({"received_on": _day(x["received_on"]), "text": x["text"]} for x in r.get("responses", [])),
                key=lambda x: x["received_on"],
            )
            for r in data["recommendations"]
        },
        counts=counts["recommendation_responses"],
        carry=keep_document,
    )
    _sync_list(
        RecommendationStatusChange,
        parent_field="recommendation",
        current=_grouped(
            RecommendationStatusChange.objects.filter(recommendation_id__in=rec_ids).order_by(
                "recommendation_id", "changed_on", "id"
            ),
            "recommendation_id",
        ),
        wanted={
            recommendations[r["key"]].pk: sorted(
                (
                    {"status": x["status"], "changed_on": _day(x["date"]), "note": x.get("note", "")}
                    for x in r.get("history", [])
                ),
                key=lambda x: x["changed_on"],
            )
            for r in data["recommendations"]
        },
        counts=counts["recommendation_history"],
    )
