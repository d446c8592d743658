"""Export of a council's year as an `oversight.council-activity/2` document (docs/council-activity-format.md).

The output is deterministic so that export -> import into an empty database -> export gives the same bytes:
every list has a stable natural order, and every optional field is written, with its empty value ("", null,
[] or false) when it has none.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch, Q

from appeals.models import Appeal
from core import record_spec
from core.record_spec import ExportKeys, Record, RecordKind, sort_records
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

from . import spec
from .validation import FORMAT

__all__ = ["NothingToExport", "Record", "council_activity_dumps", "council_activity_export"]


class NothingToExport(Exception):
    """The council had no convocation in the year and recorded nothing in it: there is no document to write."""


def council_activity_dumps(data: Record) -> str:
    """The one way a council-activity document is written: byte-stable for equal data."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _sat_on(convocation: Convocation, day: dt.date) -> bool:
    return convocation.start_date <= day and (convocation.end_date is None or day <= convocation.end_date)


def _present(ids: Iterable[int | None]) -> set[int]:
    """The ids that are set (a nullable foreign key's None left out)."""
    return {pk for pk in ids if pk is not None}


def council_activity_export(*, council: Council, year: int) -> Record:
    """The council's year as a council-activity document.

    1. Every convocation active in the year (an outgoing and an incoming one alike).
    2. The year's records: meetings, hearings and monitoring by date, draft reviews by the start of
       discussion, recommendations by issue date, appeals by registration year, memoranda by signing date,
       the year's work plan, the members' seats in consultative bodies held on any day of the year.
    3. Records outside the year that a recommendation names as its source are added, so every reference
       resolves (an appeal of another year cannot be in the file: that source is written as null).
    4. What those records refer to: the year's convocations' bodies plus any other body referred to, and the
       convocations of those bodies and of the meetings' dates (so a meeting carried from another year finds
       its convocation); people with a membership in one of the file's convocations, a seat in an exported
       body, a part in an exported monitoring, a name among an exported meeting's attendees or an exported seat
       in a consultative body; the state bodies and partners referred to.

    A year with no convocation still exports when it holds records (a meeting imported with a date before
    the first convocation can be exported again); one with neither raises NothingToExport.

    The number of queries does not depend on the number of records.
    """
    first_day, last_day = dt.date(year, 1, 1), dt.date(year, 12, 31)
    all_convocations = {c.pk: c for c in Convocation.objects.filter(council=council)}
    year_convocations = {
        pk
        for pk, c in all_convocations.items()
        if c.start_date <= last_day and (c.end_date is None or c.end_date >= first_day)
    }
    agenda = Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("number"))
    attendees = Prefetch("attendees", queryset=MeetingAttendance.objects.order_by())
    participants = Prefetch("participants", queryset=MonitoringParticipant.objects.order_by("position"))
    publicity = Prefetch("publicity_links", queryset=PublicityLink.objects.order_by("position"))

    meetings = {
        m.pk: m for m in Meeting.objects.filter(council=council, date__year=year).prefetch_related(agenda, attendees)
    }
    hearings = {h.pk: h for h in PublicHearing.objects.filter(council=council, date__year=year)}
    events = {
        e.pk: e
        for e in MonitoringEvent.objects.filter(council=council, date__year=year).prefetch_related(
            participants, publicity
        )
    }
    reviews = {r.pk: r for r in DraftActReview.objects.filter(council=council, discussion_start__year=year)}
    appeals = {a.pk: a for a in Appeal.objects.filter(council=council, year=year)}
    recommendations = list(
        Recommendation.objects.filter(council=council, issued_on__year=year).prefetch_related(
            Prefetch("responses", queryset=RecommendationResponse.objects.order_by("received_on", "id")),
            Prefetch("history", queryset=RecommendationStatusChange.objects.order_by("changed_on", "id")),
        )
    )
    memoranda = list(Memorandum.objects.filter(council=council, signed_on__year=year))
    consultative_seats = list(ConsultativeSeat.objects.filter(held_in_year(year), council=council))
    experts = list(ExpertAppointment.objects.filter(held_in_year(year), council=council))
    work_plan = list(WorkPlanItem.objects.filter(council=council, year=year).order_by("number"))

    # 3. Sources outside the year.
    source_kinds = spec.source_kinds()
    types = ContentType.objects.get_for_models(*(kind.model for kind in source_kinds))
    type_names = {types[kind.model].pk: kind.name for kind in source_kinds}
    wanted: dict[str, set[int]] = {kind.name: set() for kind in source_kinds}
    for rec in recommendations:
        if rec.source_type_id in type_names and rec.source_id is not None:
            wanted[type_names[rec.source_type_id]].add(rec.source_id)
    agenda_by_id = {item.pk: item for m in meetings.values() for item in m.agenda_items.all()}
    if missing := wanted["monitoring"] - events.keys():
        events.update(
            (e.pk, e)
            for e in MonitoringEvent.objects.filter(council=council, pk__in=missing).prefetch_related(
                participants, publicity
            )
        )
    if missing := wanted["hearing"] - hearings.keys():
        hearings.update((h.pk, h) for h in PublicHearing.objects.filter(council=council, pk__in=missing))
    if missing := wanted["draft_review"] - reviews.keys():
        reviews.update((r.pk, r) for r in DraftActReview.objects.filter(council=council, pk__in=missing))
    if missing := wanted["agenda_item"] - agenda_by_id.keys():
        for m in (
            Meeting.objects.filter(council=council, agenda_items__in=missing)
            .distinct()
            .prefetch_related(agenda, attendees)
        ):
            meetings[m.pk] = m
            agenda_by_id.update((item.pk, item) for item in m.agenda_items.all())
    if not year_convocations and not any(
        (
            meetings,
            hearings,
            events,
            reviews,
            appeals,
            recommendations,
            memoranda,
            consultative_seats,
            experts,
            work_plan,
        )
    ):
        raise NothingToExport(f"{council.slug} has no convocation active in {year} and no record of it")

    # 4. What the records refer to.
    bodies = {b.pk: b for b in Body.objects.filter(council=council, convocation__in=year_convocations)}
    referred_bodies = _present(
        [
            *(m.body_id for m in meetings.values()),
            *(h.organiser_id for h in hearings.values()),
            *(e.commission_id for e in events.values()),
            *(a.assigned_body_id for a in appeals.values()),
        ]
    )
    if missing := referred_bodies - bodies.keys():
        bodies.update((b.pk, b) for b in Body.objects.filter(council=council, pk__in=missing))
    file_convocations = year_convocations | {b.convocation_id for b in bodies.values()}
    file_convocations |= {pk for m in meetings.values() for pk, c in all_convocations.items() if _sat_on(c, m.date)}
    convocations = sorted((all_convocations[pk] for pk in file_convocations), key=lambda c: c.number)
    referred_people = _present(
        [
            *(p.person_id for e in events.values() for p in e.participants.all()),
            *(a.person_id for m in meetings.values() for a in m.attendees.all()),
            *(seat.person_id for seat in consultative_seats),
            *(expert.person_id for expert in experts),
        ]
    )
    people = list(
        Person.objects.filter(
            Q(council=council)
            & (
                Q(memberships__convocation__in=file_convocations)
                | Q(body_seats__body__in=list(bodies))
                | Q(pk__in=referred_people)
            )
        )
        .distinct()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(convocation__in=file_convocations).select_related("convocation"),
            ),
            Prefetch("body_seats", queryset=BodyMembership.objects.filter(body__in=list(bodies))),
        )
    )
    referred_state_bodies = _present(
        [
            *(item.state_body_id for item in agenda_by_id.values()),
            *(r.developer_id for r in reviews.values()),
            *(r.state_body_id for r in recommendations),
            *(a.forwarded_to_id for a in appeals.values()),
            *(seat.state_body_id for seat in consultative_seats),
        ]
    )
    state_bodies = {s.pk: s for s in StateBody.objects.filter(pk__in=referred_state_bodies)}
    partner_ids = _present(m.partner_id for m in memoranda)
    partners = {p.pk: p for p in Partner.objects.filter(pk__in=partner_ids)}

    rows: dict[str, Sequence[Model]] = {
        "convocation": convocations,
        "body": list(bodies.values()),
        "person": people,
        "state_body": list(state_bodies.values()),
        "meeting": list(meetings.values()),
        "agenda_item": list(agenda_by_id.values()),
        "hearing": list(hearings.values()),
        "monitoring": list(events.values()),
        "draft_review": list(reviews.values()),
        "recommendation": recommendations,
        "appeal": list(appeals.values()),
        "partner": list(partners.values()),
        "memorandum": memoranda,
        "consultative_seat": consultative_seats,
        "expert": experts,
        "work_plan_item": work_plan,
    }
    return _document(council, year, rows, all_convocations, type_names)


def _document(
    council: Council,
    year: int,
    rows: dict[str, Sequence[Model]],
    all_convocations: dict[int, Convocation],
    content_types: dict[int, str],
) -> Record:
    """The document of the rows of each record kind (interchange/spec.py), each list in its kind's order.

    A reference is written as the key its target has in the file; a convocation is named by its number whether or
    not the file carries it (a body of the file belongs to one of the file's convocations)."""
    keys = ExportKeys(content_types=content_types)
    for kind in record_spec.kinds():
        if kind.key is not None and kind.name in rows:
            keys.keys[kind.name] = {row.pk: getattr(row, kind.key_attr) for row in rows[kind.name]}
    keys.keys["convocation"] = {pk: c.number for pk, c in all_convocations.items()}
    document: Record = {"format": FORMAT, "year": year, "council": record_spec.kind("council").write(council, keys)}
    for kind in record_spec.kinds():
        if kind.parent or kind.name == "council":
            continue
        records = [kind.write(row, keys) for row in rows.get(kind.name) or _registered_rows(kind, council, year)]
        document[kind.file_list] = sort_records(records, kind.order) if kind.order else records
    return document


def _registered_rows(kind: RecordKind, council: Council, year: int) -> list[Model]:
    """The year's records of a kind another app registered: those whose first date falls in the year."""
    if kind.name in _BY_HAND:
        return []
    day = next(f for f in kind.all_fields if isinstance(f, record_spec.Day))
    in_year = {kind.owner.removesuffix("_id"): council, f"{day.attname}__year": year}
    return list(kind.model._default_manager.filter(**in_year))


# The kinds `council_activity_export` selects itself; another app's kinds are read by `_registered_rows`.
_BY_HAND = {kind.name for kind in spec.KINDS}
