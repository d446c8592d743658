"""Export of a council's year as an `oversight.council-activity/2` document (docs/council-activity-format.md).

The output is deterministic so that export -> import into an empty database -> export gives the same bytes:
every list has a stable natural order, and every optional field is written, with its empty value ("", null,
[] or false) when it has none.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch, Q

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

from .validation import FILE_LANGUAGES, FORMAT

# One record (or the whole document) of the council-activity file: JSON values of the shapes its schema
# describes (checked by interchange.validation before an import reads them), so Any.
Record = dict[str, Any]

# Appeals are registered in Almaty time whatever the server's TIME_ZONE says; the file carries the local day.
ALMATY = ZoneInfo("Asia/Almaty")

# A recommendation's `source.type` in the file and the model behind it.
SOURCE_MODELS: dict[str, type] = {
    "monitoring": MonitoringEvent,
    "hearing": PublicHearing,
    "agenda_item": AgendaItem,
    "draft_review": DraftActReview,
    "appeal": Appeal,
}


class NothingToExport(Exception):
    """The council had no convocation in the year and recorded nothing in it: there is no document to write."""


def council_activity_dumps(data: Record) -> str:
    """The one way a council-activity document is written: byte-stable for equal data."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _sat_on(convocation: Convocation, day: dt.date) -> bool:
    return convocation.start_date <= day and (convocation.end_date is None or day <= convocation.end_date)


def _translated(obj: Model, *fields: str) -> dict[str, str]:
    """A record's translated fields by language (councils/translation.py): `name` is the Russian, `name_kk` and
    `name_en` the others, "" where it has none. Read from the language columns, never through `obj.name`, which
    gives the active language's value: an export run under Kazakh would write Kazakh as the Russian name."""
    out = {}
    for name in fields:
        out[name] = getattr(obj, f"{name}_ru") or ""
        if name == "name" and not out[name]:
            # Russian is the language every record has; one made in code under another active language has its
            # name only there, and the file needs one in `name` (an empty description is a description).
            out[name] = next((v for lang in FILE_LANGUAGES if (v := getattr(obj, f"{name}_{lang}"))), "")
        for language in FILE_LANGUAGES:
            out[f"{name}_{language}"] = getattr(obj, f"{name}_{language}") or ""
    return out


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
    types = ContentType.objects.get_for_models(*SOURCE_MODELS.values())
    type_names = {types[model].pk: name for name, model in SOURCE_MODELS.items()}
    wanted: dict[str, set[int]] = {name: set() for name in SOURCE_MODELS}
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
    source_keys: dict[str, dict[int, str]] = {
        "monitoring": {pk: e.key for pk, e in events.items()},
        "hearing": {pk: h.key for pk, h in hearings.items()},
        "agenda_item": {pk: item.key for pk, item in agenda_by_id.items()},
        "draft_review": {pk: r.key for pk, r in reviews.items()},
        "appeal": {pk: a.number for pk, a in appeals.items()},
    }

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
    people_keys = {p.pk: p.key for p in people}
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

    def key_of(mapping: Mapping[int, Model], pk: int | None, attr: str = "key") -> str | None:
        return getattr(mapping[pk], attr) if pk is not None else None

    def source_of(rec: Recommendation) -> dict[str, str] | None:
        name = type_names.get(rec.source_type_id) if rec.source_type_id else None
        key = source_keys[name].get(rec.source_id) if name and rec.source_id is not None else None
        return {"type": name, "key": key} if name and key else None

    return {
        "format": FORMAT,
        "year": year,
        "council": {
            "slug": council.slug,
            "code": council.code,
            **_translated(council, "name", "short_name", "legal_basis", "description"),
            "kind": council.kind,
            "city": council.city,
            "region": council.region,
            "website": council.website,
            "social_links": list(council.social_links or []),
        },
        "convocations": [
            {
                "number": c.number,
                **_translated(c, "name"),
                "start_date": _date(c.start_date),
                "end_date": _date(c.end_date),
            }
            for c in convocations
        ],
        "bodies": sorted(
            (
                {
                    "key": b.key,
                    "convocation": all_convocations[b.convocation_id].number,
                    "kind": b.kind,
                    "number": b.number,
                    **_translated(b, "name", "description"),
                }
                for b in bodies.values()
            ),
            key=lambda b: b["key"],
        ),
        "people": [_person(p, bodies) for p in sorted(people, key=lambda p: p.key)],
        "state_bodies": sorted(
            (
                {"key": s.slug, **_translated(s, "name"), "kind": s.kind, "city": s.city, "website": s.website}
                for s in state_bodies.values()
            ),
            key=lambda s: s["key"],
        ),
        "meetings": [
            {
                "key": m.key,
                "kind": m.kind,
                "body": key_of(bodies, m.body_id),
                "title": m.title,
                "goal": m.goal,
                "date": _date(m.date),
                "start_time": m.start_time.strftime("%H:%M") if m.start_time is not None else None,
                "duration_minutes": m.duration_minutes if m.start_time is not None else None,
                "place": m.place,
                "is_open": m.is_open,
                "is_extended": m.is_extended,
                "attendance": m.attendance,
                "attendees": sorted(
                    ({"person": people_keys[a.person_id]} for a in m.attendees.all()), key=lambda a: a["person"]
                ),
                "links": list(m.links or []),
                "demo": m.is_demo,
                "agenda": [
                    {
                        "key": item.key,
                        "number": item.number,
                        "title": item.title,
                        "kind": item.kind,
                        "state_body": key_of(state_bodies, item.state_body_id, "slug"),
                        "speakers": item.speakers,
                        "decision": item.decision,
                        "links": list(item.links or []),
                    }
                    for item in m.agenda_items.all()
                ],
            }
            for m in sorted(meetings.values(), key=lambda m: (m.date, m.key))
        ],
        "hearings": [
            {
                "key": h.key,
                "number": h.number,
                "topic": h.topic,
                "date": _date(h.date),
                "organiser": key_of(bodies, h.organiser_id),
                "participants": h.participants,
                "resolution": h.resolution,
                "links": list(h.links or []),
                "demo": h.is_demo,
            }
            for h in sorted(hearings.values(), key=lambda h: (h.date, h.key))
        ],
        "monitoring": [
            {
                "key": e.key,
                "topic": e.topic,
                "date": _date(e.date),
                "date_precision": e.date_precision,
                "commission": key_of(bodies, e.commission_id),
                "participants": [
                    {
                        "person": people_keys.get(p.person_id) if p.person_id else None,
                        "name": p.name,
                        "kind": p.kind,
                    }
                    for p in e.participants.all()
                ],
                "findings": e.findings,
                "recommendations_summary": e.recommendations_summary,
                "publicity_note": e.publicity_note,
                "results": e.results,
                "publicity": [{"url": link.url, "kind": link.kind} for link in e.publicity_links.all()],
                "demo": e.is_demo,
            }
            for e in sorted(events.values(), key=lambda e: (e.date, e.key))
        ],
        "draft_reviews": [
            {
                "key": r.key,
                "title": r.title,
                "developer": key_of(state_bodies, r.developer_id, "slug"),
                "discussion_start": _date(r.discussion_start),
                "discussion_end": _date(r.discussion_end),
                "conclusion": r.conclusion,
                "remarks": r.remarks,
                "demo": r.is_demo,
            }
            for r in sorted(reviews.values(), key=lambda r: (r.discussion_start, r.key))
        ],
        "recommendations": [
            {
                "key": rec.key,
                "text": rec.text,
                "state_body": key_of(state_bodies, rec.state_body_id, "slug"),
                "source": source_of(rec),
                "issued_on": _date(rec.issued_on),
                "sent_on": _date(rec.sent_on),
                "response_due": _date(rec.response_due),
                "status": rec.status,
                "responses": [
                    {"received_on": _date(resp.received_on), "text": resp.text} for resp in rec.responses.all()
                ],
                "history": [
                    {"status": change.status, "date": _date(change.changed_on), "note": change.note}
                    for change in rec.history.all()
                ],
                "demo": rec.is_demo,
            }
            for rec in sorted(recommendations, key=lambda r: (r.issued_on, r.key))
        ],
        "appeals": [
            {
                "number": a.number,
                "registered_on": _date(a.registered_at.astimezone(ALMATY).date()),
                "applicant_type": a.applicant_type,
                "channel": a.channel,
                "category": a.category,
                "status": a.status,
                "due_date": _date(a.due_date),
                "answered_on": _date(a.answered_on),
                "forwarded_to": key_of(state_bodies, a.forwarded_to_id, "slug"),
                "assigned_body": key_of(bodies, a.assigned_body_id),
                "demo": a.is_demo,
            }
            for a in sorted(appeals.values(), key=lambda a: a.number)
        ],
        "partners": sorted(
            ({"key": p.key, **_translated(p, "name"), "kind": p.kind, "website": p.website} for p in partners.values()),
            key=lambda p: p["key"],
        ),
        "memoranda": [
            {
                "key": m.key,
                "title": m.title,
                "partner": key_of(partners, m.partner_id),
                "signed_on": _date(m.signed_on),
                "description": m.description,
                "demo": m.is_demo,
            }
            for m in sorted(memoranda, key=lambda m: (m.signed_on, m.key))
        ],
        "consultative_seats": [
            {
                "key": seat.key,
                "person": people_keys[seat.person_id],
                "body_name": seat.body_name,
                "state_body": key_of(state_bodies, seat.state_body_id, "slug"),
                "level": seat.level,
                "start_date": _date(seat.start_date),
                "end_date": _date(seat.end_date),
                "note": seat.note,
                "link": seat.link,
                "demo": seat.is_demo,
            }
            for seat in sorted(consultative_seats, key=lambda seat: (seat.start_date, seat.key))
        ],
        "experts": [
            {
                "person": people_keys[expert.person_id],
                "start_date": _date(expert.start_date),
                "end_date": _date(expert.end_date),
                "field": expert.field,
                "decision": expert.decision,
            }
            for expert in sorted(experts, key=lambda e: (people_keys[e.person_id], e.start_date))
        ],
        "work_plan": [
            {
                "number": item.number,
                "activity": item.activity,
                "period": item.period,
                "expected_result": item.expected_result,
                "responsible": item.responsible,
                "status": item.status,
            }
            for item in work_plan
        ],
    }


def _person(person: Person, bodies: dict[int, Body]) -> Record:
    return {
        "key": person.key,
        "full_name": person.full_name,
        "organisation": person.organisation,
        "position": person.position,
        # Contacts (e-mail, phone) are for the council's staff only and never leave the workspace.
        "demo": person.is_demo,
        "memberships": sorted(
            (
                {
                    "convocation": membership.convocation.number,
                    "affiliation": membership.affiliation,
                    "role": membership.role,
                    "start_date": _date(membership.start_date),
                    "end_date": _date(membership.end_date),
                    "end_reason": membership.end_reason,
                    "end_decision": membership.end_decision,
                }
                for membership in person.memberships.all()
            ),
            key=lambda membership: membership["convocation"],
        ),
        "bodies": sorted(
            (
                {
                    "body": bodies[seat.body_id].key,
                    "role": seat.role,
                    "start_date": _date(seat.start_date),
                    "end_date": _date(seat.end_date),
                }
                for seat in person.body_seats.all()
            ),
            # A person who left a body and rejoined it has a seat for each time, in the order they held them.
            key=lambda seat: (seat["body"], seat["start_date"] or ""),
        ),
    }
