"""Export of a council's year as an `oversight.council-activity/3` document (docs/council-activity-format.md).

The output is deterministic so that export -> import into an empty database -> export gives the same bytes:
every list has a stable natural order, and every optional field is written, with its empty value ("", null,
[] or false) when it has none.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch, Q, QuerySet

from appeals.models import Appeal
from core import record_spec
from core.record_spec import ExportKeys, Record, RecordKind, sort_records, without_defaults
from core.workdays import year_bounds
from councils.models import (
    EXPERT_SERVED,
    Body,
    BodyMembership,
    ConsultativeSeat,
    Convocation,
    Council,
    ExpertAppointment,
    ExpertiseArea,
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


def council_activity_export(*, council: Council, year: int, leave_out: Collection[str] = ()) -> Record:
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

    `leave_out`: top-level lists (file names, e.g. "appeals") written empty and never read, for a file that
    withholds them (the public file, interchange/open_data.py): the records they would refer to are then left out
    too, and a year whose only records are in them still exports.
    """
    first_day, last_day = year_bounds(year)
    all_convocations = {c.pk: c for c in Convocation.objects.filter(council=council)}
    year_convocations = {
        pk
        for pk, c in all_convocations.items()
        if c.start_date <= last_day and (c.end_date is None or c.end_date >= first_day)
    }
    skipped = {kind.model for kind in record_spec.kinds() if not kind.parent and kind.file_list in leave_out}
    unread: list[QuerySet[Model]] = []
    rows = _year_rows(council, year, skipped, unread)
    _carry_plan_records(council, rows)
    content_types = _carry_sources(council, rows)
    _carry_referred(council, rows)
    standing = {k.name for k in record_spec.kinds() if k.name not in _BY_HAND and not k.parent and not k.year_lookup}
    standing_models = {record_spec.kind(name).model for name in standing}
    if (
        not year_convocations
        and not any(v for name, v in rows.items() if name not in standing)
        and not any(queryset.exists() for queryset in unread if queryset.model not in standing_models)
    ):
        raise NothingToExport(f"{council.slug} has no convocation active in {year} and no record of it")

    # 4. What the records refer to (their `Ref` fields, interchange/spec.py).
    bodies = {b.pk: b for b in Body.objects.filter(council=council, convocation__in=year_convocations)}
    if missing := _referred(rows, "body") - bodies.keys():
        bodies.update((b.pk, b) for b in Body.objects.filter(council=council, pk__in=missing))
    rows["body"] = dict(bodies)
    meeting_days: set[dt.date] = {getattr(m, "date") for m in rows["meeting"].values()}  # noqa: B009
    file_convocations = year_convocations | {b.convocation_id for b in bodies.values()}
    file_convocations |= {pk for day in meeting_days for pk, c in all_convocations.items() if _sat_on(c, day)}
    rows["convocation"] = {pk: all_convocations[pk] for pk in file_convocations}
    people = (
        Person.objects.filter(
            Q(council=council)
            & (
                Q(memberships__convocation__in=file_convocations)
                | Q(body_seats__body__in=list(bodies))
                | Q(pk__in=_referred(rows, "person"))
            )
        )
        .distinct()
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.filter(convocation__in=file_convocations)),
            Prefetch("body_seats", queryset=BodyMembership.objects.filter(body__in=list(bodies))),
        )
    )
    rows["person"] = {p.pk: p for p in people}
    rows["state_body"] = {s.pk: s for s in StateBody.objects.filter(pk__in=_referred(rows, "state_body"))}
    rows["partner"] = {p.pk: p for p in Partner.objects.filter(pk__in=_referred(rows, "partner"))}
    rows["expertise_area"] = {a.pk: a for a in ExpertiseArea.objects.filter(pk__in=_referred(rows, "expertise_area"))}
    _carry_followers(council, rows)
    return _document(council, year, rows, all_convocations, content_types)


_AGENDA = Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("number"))
_ATTENDEES = Prefetch("attendees", queryset=MeetingAttendance.objects.order_by())
_PARTICIPANTS = Prefetch("participants", queryset=MonitoringParticipant.objects.order_by("position"))
_PUBLICITY = Prefetch("publicity_links", queryset=PublicityLink.objects.order_by("position"))


def _year_rows(
    council: Council, year: int, skipped: Collection[type[Model]] = (), unread: list[QuerySet[Model]] | None = None
) -> dict[str, dict[int, Model]]:
    """2. The year's records by kind name and id, with the lists nested in them prefetched; the kinds of
    `skipped` models are left empty and their querysets, never run, added to `unread`."""

    def by_id(rows: QuerySet[Any]) -> dict[int, Model]:
        if rows.model in skipped:
            if unread is not None:
                unread.append(rows)
            return {}
        return _by_id(rows)

    meetings = Meeting.objects.filter(council=council, date__year=year)
    return {
        "meeting": by_id(meetings.prefetch_related(_AGENDA, _ATTENDEES)),
        "hearing": by_id(
            PublicHearing.objects.filter(council=council, date__year=year).prefetch_related(*_nested("hearing"))
        ),
        "monitoring": by_id(
            MonitoringEvent.objects.filter(council=council, date__year=year).prefetch_related(_PARTICIPANTS, _PUBLICITY)
        ),
        "draft_review": by_id(DraftActReview.objects.filter(council=council, discussion_start__year=year)),
        "appeal": by_id(Appeal.objects.filter(council=council, year=year)),
        "recommendation": by_id(
            Recommendation.objects.filter(council=council, issued_on__year=year).prefetch_related(
                Prefetch("responses", queryset=RecommendationResponse.objects.order_by("received_on", "id")),
                Prefetch("history", queryset=RecommendationStatusChange.objects.order_by("changed_on", "id")),
            )
        ),
        "memorandum": by_id(
            Memorandum.objects.filter(council=council, signed_on__year=year).prefetch_related(*_nested("memorandum"))
        ),
        "consultative_seat": by_id(ConsultativeSeat.objects.filter(held_in_year(year), council=council)),
        # The council's experts (approved, or inactive since): never the registry's candidates.
        "expert": by_id(
            ExpertAppointment.objects.filter(
                held_in_year(year), council=council, status__in=EXPERT_SERVED
            ).prefetch_related(*_nested("expert"))
        ),
        "work_plan_item": by_id(
            WorkPlanItem.objects.filter(council=council, year=year).order_by("number").prefetch_related("links")
        ),
        # Every other kind (format /3's, and any another app registered) by its declaration: the year's rows by
        # the kind's date, or every row of the council for a kind without one (categories, districts).
        **{
            kind.name: by_id(_queryset(kind, council).filter(kind.in_year(year)))
            if kind.year_lookup
            else by_id(_queryset(kind, council))
            for kind in record_spec.kinds()
            if kind.name not in _BY_HAND and not kind.parent and not kind.follows
        },
    }


def _nested(name: str) -> list[str | Prefetch[Any]]:
    """What the export prefetches for a kind's rows: its nested lists (only the rows a nested kind's `where`
    lets into the file) and its many-to-many relations."""
    prefetch: list[str | Prefetch[Any]] = []
    for child in record_spec.children(name):
        related = child.model._default_manager.all()
        prefetch.append(Prefetch(child.related_name, queryset=related.filter(child.where) if child.where else related))
    return [*prefetch, *record_spec.kind(name).m2m_attrs()]


def _queryset(kind: RecordKind, council: Council) -> QuerySet[Model]:
    """The council's rows of a kind that the file carries, with what the export reads of them prefetched."""
    rows = kind.model._default_manager.filter(**{kind.owner.removesuffix("_id"): council})
    if kind.where is not None:
        rows = rows.filter(kind.where)
    return rows.prefetch_related(*_nested(kind.name))


# The kinds whose nested `{type, key}` links name records of the file by kind and id: (holder, link kind).
_TYPED_LINKS = (("work_plan_item", "work_plan_link"), ("news_item", "news_link"), ("expert", "expert_engagement"))


def _carry_plan_records(council: Council, rows: dict[str, dict[int, Model]]) -> None:
    """The records the year's work plan items name as done by them, the year's news items as what they are about
    and the year's experts as what they worked on, added when they are of another year (a link to a record of a
    kind the file carries always resolves)."""
    for holder, link_kind in _TYPED_LINKS:
        if holder in rows:
            _carry_linked(council, rows, holder, record_spec.kind(link_kind))


def _carry_linked(council: Council, rows: dict[str, dict[int, Model]], holder: str, link: RecordKind) -> None:
    (typed,) = [f for f in link.fields if isinstance(f, record_spec.TypedRef)]
    names = {stored: name for name, stored in typed.types}
    wanted: dict[str, set[int]] = {name: set() for name in typed.targets()}
    for item in rows[holder].values():
        for row in getattr(item, link.related_name).all():
            if getattr(row, "kind") in names:  # noqa: B009
                wanted[names[getattr(row, "kind")]].add(getattr(row, "object_id"))  # noqa: B009
    for name, pks in wanted.items():
        if missing := pks - rows[name].keys():
            rows[name].update(_by_id(_queryset(record_spec.kind(name), council).filter(pk__in=missing)))
    # A link the file cannot write is left out: a record deleted since (a link holds an id, not a key), one of
    # another council, or of a kind no app registers any more.
    for item in rows[holder].values():
        links = getattr(item, link.related_name).all()  # the prefetched list, filtered in place
        links._result_cache = [row for row in links if _resolves(row, names, rows)]


def _resolves(link: Model, names: dict[str, str], rows: dict[str, dict[int, Model]]) -> bool:
    kind: str = getattr(link, "kind")  # noqa: B009
    return kind in names and getattr(link, "object_id") in rows[names[kind]]  # noqa: B009


def _carry_referred(council: Council, rows: dict[str, dict[int, Model]]) -> None:
    """Records of the kinds the file carries by declaration that a record of the file names (a training's
    materials from another year), and the rows that follow a record of the file (a comment on its hearing)."""
    later = [k for k in record_spec.kinds() if k.name not in _BY_HAND and not k.parent]
    for kind in reversed(later):
        if kind.follows or kind.key is None:
            continue
        if missing := _referred(rows, kind.name) - rows[kind.name].keys():
            rows[kind.name].update(_by_id(_queryset(kind, council).filter(pk__in=missing)))
    _carry_followers(council, rows)


def _carry_followers(council: Council, rows: dict[str, dict[int, Model]]) -> None:
    """The rows that follow a record of the file (a comment with its hearing, an organisation's profile with its
    partner), once the rows they follow are chosen."""
    for kind in record_spec.kinds():
        if not kind.follows or kind.parent or kind.name in rows:
            continue
        refs = {f.name: f for f in kind.fields if isinstance(f, record_spec.Ref)}
        if any(refs[name].target not in rows for name in kind.follows):
            continue  # chosen later (partners are chosen last)
        near = Q()
        for name in kind.follows:
            near |= Q(**{f"{refs[name].attname}__in": list(rows[refs[name].target])})
        rows[kind.name] = _by_id(_queryset(kind, council).filter(near))


def _by_id(rows: Iterable[Model]) -> dict[int, Model]:
    return {row.pk: row for row in rows}


def _carry_sources(council: Council, rows: dict[str, dict[int, Model]]) -> dict[int, str]:
    """3. Add the records outside the year that the year's recommendations name as their source (an agenda item
    with its meeting); the agenda items of the file go in `rows` too. Returns the source kinds by content type."""
    source_kinds = spec.source_kinds()
    types = ContentType.objects.get_for_models(*(kind.model for kind in source_kinds))
    type_names = {types[kind.model].pk: kind.name for kind in source_kinds}
    wanted: dict[str, set[int]] = {kind.name: set() for kind in source_kinds}
    for rec in rows["recommendation"].values():
        type_id, source_id = getattr(rec, "source_type_id"), getattr(rec, "source_id")  # noqa: B009
        if type_id in type_names and source_id is not None:
            wanted[type_names[type_id]].add(source_id)
    if missing := wanted["agenda_item"] - {item.pk for m in rows["meeting"].values() for item in _agenda(m)}:
        meetings = Meeting.objects.filter(council=council, agenda_items__in=missing).distinct()
        rows["meeting"].update(_by_id(meetings.prefetch_related(_AGENDA, _ATTENDEES)))
    rows["agenda_item"] = {item.pk: item for m in rows["meeting"].values() for item in _agenda(m)}
    carried = {
        "monitoring": MonitoringEvent.objects.prefetch_related(_PARTICIPANTS, _PUBLICITY),
        "hearing": PublicHearing.objects.prefetch_related(*_nested("hearing")),
        "draft_review": DraftActReview.objects.all(),
    }
    for name, queryset in carried.items():
        if missing := wanted[name] - rows[name].keys():
            rows[name].update(_by_id(queryset.filter(council=council, pk__in=missing)))
    return type_names


def _agenda(meeting: Model) -> list[Model]:
    return list(getattr(meeting, "agenda_items").all())  # noqa: B009


def _referred(rows: dict[str, dict[int, Model]], target: str) -> set[int]:
    """The ids of the `target` records that the records in `rows` (and the lists nested in them) refer to."""
    out: set[int] = set()
    for kind in record_spec.kinds():
        refs = [f for f in kind.all_fields if isinstance(f, record_spec.Ref) and f.target == target]
        lists = [f for f in kind.all_fields if isinstance(f, record_spec.RefList) and f.target == target]
        if not refs and not lists:
            continue
        for row in _rows_of(kind, rows):
            out |= _present(getattr(row, f.attname) for f in refs)
            out |= {related.pk for f in lists for related in getattr(row, f.attname).all()}
    return out


def _rows_of(kind: RecordKind, rows: dict[str, dict[int, Model]]) -> list[Model]:
    """The rows of a kind in `rows`: its own, or those nested in its parent's rows (prefetched)."""
    if not kind.parent:
        return list(rows.get(kind.name, {}).values())
    return [
        child
        for parent in _rows_of(record_spec.kind(kind.parent), rows)
        for child in getattr(parent, kind.related_name).all()
    ]


def _document(
    council: Council,
    year: int,
    rows: dict[str, dict[int, Model]],
    all_convocations: dict[int, Convocation],
    content_types: dict[int, str],
) -> Record:
    """The document of the rows of each record kind (interchange/spec.py), each list in its kind's order.

    A reference is written as the key its target has in the file; a convocation is named by its number whether or
    not the file carries it (a body of the file belongs to one of the file's convocations)."""
    keys = ExportKeys(content_types=content_types)
    for kind in record_spec.kinds():
        if kind.key is not None and kind.name in rows:
            keys.keys[kind.name] = {pk: getattr(row, kind.key_attr) for pk, row in rows[kind.name].items()}
    keys.keys["convocation"] = {pk: c.number for pk, c in all_convocations.items()}
    document: Record = {"format": FORMAT, "year": year, "council": record_spec.kind("council").write(council, keys)}
    for kind in record_spec.kinds():
        if kind.parent or kind.name == "council":
            continue
        records = [kind.write(row, keys) for row in _rows_of(kind, rows)]
        document[kind.file_list] = sort_records(records, kind.order) if kind.order else records
    # Format /4: a field at its default is left out (absent means the default), so a field added with a default
    # changes no file that does not use it.
    return without_defaults(document)


# The kinds `council_activity_export` selects itself; every other kind is read by its declaration (`_queryset`).
_BY_HAND = {kind.name for kind in spec.KINDS} | spec.BY_HAND_4
