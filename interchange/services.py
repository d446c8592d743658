"""Import of an `oversight.council-activity/3` document, or a version 2 one (which says nothing of what /3 added,
and leaves it as it is), or a version 1 one read as version 2 (docs/council-activity-format.md).

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
from typing import Any, TypeVar, overload

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count

from core import record_spec
from core.record_spec import ImportRefs, Record, RecordKind, sort_records, with_defaults
from councils.models import (
    EXPERT_SERVED,
    BodyMembership,
    ConsultativeSeat,
    Council,
    ExpertAppointment,
    ExpertEngagement,
    ExpertiseArea,
    ExpertStatus,
    Membership,
)
from councils.selectors import held_in_year
from hearings.models import AgendaItem, MeetingAttendance
from monitoring.models import RecommendationResponse

from . import spec
from .validation import FORMAT, FORMAT_V1, SMALL_INT_MAX, ValidationIssue, check_council_activity, upgrade_v1


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


@overload
def _day(value: str) -> dt.date: ...
@overload
def _day(value: str | None) -> dt.date | None: ...
def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


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
        if len(have) == len(rows) and _same_rows(have, rows):
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


def _same_rows(have: list[M], rows: list[Record]) -> bool:
    """Whether the rows on file hold the file's values, in any order: the order of a list is a value of its rows
    (a position) or follows from them (by date), and the database may sort a null where the file does not."""
    if not any(_differing(obj, row) for obj, row in zip(have, rows, strict=True)):
        return True
    names = sorted({name for row in rows for name in row})
    return sorted(repr([getattr(obj, name) for name in names]) for obj in have) == sorted(
        repr([row.get(name) for name in names]) for row in rows
    )


def _grouped(rows: Iterable[M], attr: str) -> dict[int, list[M]]:
    out: dict[int, list[M]] = defaultdict(list)
    for row in rows:
        out[getattr(row, attr)].append(row)
    return out


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


def _upsert_kind(
    name: str,
    records: list[Record],
    *,
    refs: ImportRefs,
    counts: dict[str, KindCounts],
    scope: Record | None = None,
    open_last: bool = False,
    adjust: Callable[[Record, Record], None] | None = None,
    on_create: Callable[[], Record] = dict,
) -> dict[Hashable, models.Model]:
    """Upsert the file's records of a keyed top-level kind (core/record_spec.py) by their natural key, within
    `scope` (the council, and the year for a work plan); the rows become what later references resolve to.

    `open_last` writes ended records before open ones, so that no moment has two open ones where the database
    allows one; `adjust(record, values)` changes the values the declaration gives (what only the database knows).
    """
    kind = record_spec.kind(name)
    # A kind owned through another record (an organisation's profile, through its partner) is scoped by it.
    scope = scope if scope is not None else _owner(refs) if kind.owner == "council_id" else {}
    m2m = kind.m2m_attrs()
    existing: dict[Hashable, models.Model]
    if kind.key is None:
        # Known by model attributes (a reception: its host and start), read from the record first.
        read = [{**scope, **kind.read(record, refs)} for record in records]
        natural = [tuple(values[attr] for attr in kind.natural_key) for values in read]
        first = kind.natural_key[0]
        existing = {
            tuple(getattr(row, attr) for attr in kind.natural_key): row
            for row in kind.model._default_manager.filter(**scope, **{f"{first}__in": [n[0] for n in natural]})
        }
        wanted: list[tuple[Hashable, Record]] = list(zip(natural, read, strict=True))
    else:
        keys = [r[kind.key] for r in records]
        existing = {
            getattr(row, kind.key_attr): row
            for row in kind.model._default_manager.filter(**scope, **{f"{kind.key_attr}__in": keys})
        }
        wanted = []
        for record in records:
            values = {**scope, **kind.read(record, refs, existing.get(record[kind.key]))}
            if adjust is not None:
                adjust(record, values)
            wanted.append((record[kind.key], values))
    # Many-to-many relations are set once the rows exist; a row whose columns match counts as updated when only
    # they change.
    related = {key: {attr: values.pop(attr) for attr in m2m if attr in values} for key, values in wanted}
    unchanged = {key for key, values in wanted if key in existing and not _differing(existing[key], values)}
    if open_last:
        wanted.sort(key=lambda entry: entry[1]["end_date"] is None)
    create_with = dict(kind.create_with)
    rows: dict[Hashable, models.Model] = _upsert(
        kind.model,
        existing=existing,
        wanted=wanted,
        counts=counts[kind.summary],
        on_create=(lambda: {**create_with, **on_create()}) if create_with else on_create,
    )
    for key, sets in related.items():
        if _set_related(rows[key], sets, new=key not in existing) and key in unchanged:
            counts[kind.summary].unchanged -= 1
            counts[kind.summary].updated += 1
    refs.rows[name] = rows
    return rows


def _set_related(row: models.Model, sets: Record, *, new: bool) -> bool:
    """Make a row's many-to-many relations (a memorandum's other parties, a training's materials) the file's;
    whether any changed."""
    changed = False
    for attr, pks in sets.items():
        manager = getattr(row, attr)
        if new and not pks:
            continue
        if new or sorted(manager.values_list("pk", flat=True)) != pks:
            manager.set(pks)
            changed = True
    return changed


def _sync_children(
    name: str,
    records: list[Record],
    *,
    refs: ImportRefs,
    counts: dict[str, KindCounts],
    carry: Callable[[list[Any], Record], Record] | None = None,
    only_listed: bool = False,
) -> None:
    """Make each file record's list of a keyless nested kind (participants, responses, ...) equal to the file's.

    With `only_listed` (the lists format /3 added to a kind of /2), a record that leaves the list out keeps its
    rows; a kind's `where` limits the rows replaced to those the file carries (documents with an address)."""
    kind = record_spec.kind(name)
    parent = record_spec.kind(kind.parent)
    assert parent.key is not None
    if only_listed:
        records = [r for r in records if kind.file_list in r]
    parents = refs.rows[kind.parent]
    parent_ids = [parents[r[parent.key]].pk for r in records]
    current = kind.model._default_manager.filter(**{f"{kind.parent_attr}__in": parent_ids})
    if kind.where is not None:
        current = current.filter(kind.where)
    current = current.order_by(kind.parent_attr, *([kind.position] if kind.position else [_model_order(kind)]), "id")
    wanted: dict[int, list[Record]] = {}
    for record in records:
        rows = record.get(kind.file_list, [])
        if kind.order:
            rows = sort_records(rows, kind.order)
        wanted[parents[record[parent.key]].pk] = [
            {**kind.read(row, refs), **({kind.position: position} if kind.position else {})}
            for position, row in enumerate(rows)
        ]
    _sync_list(
        kind.model,
        parent_field=kind.parent_attr.removesuffix("_id"),
        current=_grouped(current, kind.parent_attr),
        wanted=wanted,
        counts=counts[kind.summary],
        carry=carry,
    )


def _model_order(kind: RecordKind) -> str:
    """The model attribute a keyless list is kept in order by: its first `order` field's."""
    field = next(f for f in kind.all_fields if f.name == kind.order[0])
    return field.model_attrs()[0]


_COUNCIL = "council"


@transaction.atomic
def council_activity_import(*, data: Record) -> ImportSummary:
    """Import a council-activity document; refuse it whole (CouncilActivityInvalid) if anything is wrong.

    1. Validate the document (validation.py), then check it against rows outside it (a council code in use,
       an agenda number taken by an item the file does not mention). Nothing is written before this passes.
       A version 1 document is then read as version 2 (its one convocation as a list of one).
    2. Upsert the record kinds (interchange/spec.py) in dependency order: council (by slug), convocations (by
       number), state bodies (by slug), bodies, people and partners (by key), memberships and seats, memoranda,
       seats in consultative bodies (by key), meetings with their agenda items and attendees, hearings, monitoring
       with participants and publicity, draft reviews, appeals (by number), recommendations with their source,
       responses and history, work plan items (by year and number), then any kind another app registered.
    3. Every row is compared with the file first and written only if it differs.
    """
    checked = check_council_activity(data)
    if checked.errors:
        raise CouncilActivityInvalid(checked.errors)
    # Version 1 said "an existing body keeps the convocation it belongs to": its files name none per body.
    legacy = data["format"] == FORMAT_V1
    if legacy:
        data = upgrade_v1(data)
    elif data["format"] == FORMAT:
        # Format /4 leaves out a field whose value is its default: absent means that value, exactly.
        data = with_defaults(data)
    council = Council.objects.filter(slug=data["council"]["slug"]).first()
    issues = _database_issues(data, council)
    if issues:
        raise CouncilActivityInvalid(issues)

    year: int = data["year"]
    counts = {kind.summary: KindCounts() for kind in record_spec.kinds() if kind.summary}
    refs = ImportRefs(
        content_types={kind.name: ContentType.objects.get_for_model(kind.model).pk for kind in spec.source_kinds()}
    )
    row = _upsert_kind(_COUNCIL, [data["council"]], refs=refs, counts=counts, scope={})[data["council"]["slug"]]
    assert isinstance(row, Council)
    council = row
    convocations = _upsert_kind("convocation", data["convocations"], refs=refs, counts=counts)
    # State bodies are shared by every council: keyed by slug alone.
    _upsert_kind("state_body", data["state_bodies"], refs=refs, counts=counts, scope={})

    # A body belongs to the convocation the file names. A version 1 file names none per body: there a body
    # keeps the convocation it has, and the file's one convocation is only where a new body goes.
    def keep_convocation(record: Record, values: Record) -> None:
        del values["convocation_id"]

    first = data["convocations"][0]["number"] if legacy else None
    _upsert_kind(
        "body",
        data["bodies"],
        refs=refs,
        counts=counts,
        adjust=keep_convocation if legacy else None,
        on_create=(lambda: {"convocation_id": convocations[first].pk}) if legacy else dict,
    )
    _upsert_kind("person", data["people"], refs=refs, counts=counts)
    _import_memberships(data, refs=refs, counts=counts)
    _import_expertise_areas(data, refs=refs, counts=counts["expertise_areas"])
    experts = _import_experts(data, council=council, refs=refs, counts=counts["experts"])
    _upsert_kind("partner", data["partners"], refs=refs, counts=counts)
    _upsert_kind("memorandum", data["memoranda"], refs=refs, counts=counts)
    # Optional in the format: a file written before seats in consultative bodies were recorded has none.
    _upsert_kind("consultative_seat", data.get("consultative_seats", []), refs=refs, counts=counts, open_last=True)

    # Meetings with their agenda and attendees. A meeting the file lists no attendees for keeps the names on
    # file (older files have none), and with them their number: `attendance` is set from the names.
    unlisted = [m["key"] for m in data["meetings"] if "attendees" not in m]
    named = dict(
        MeetingAttendance.objects.filter(meeting__council=council, meeting__key__in=unlisted)
        .values_list("meeting__key")
        .annotate(n=Count("id"))
        .order_by()
    )

    def counted(record: Record, values: Record) -> None:
        values["attendance"] = named.get(record["key"], values["attendance"])

    _upsert_kind("meeting", data["meetings"], refs=refs, counts=counts, adjust=counted)
    _import_agenda(data, refs=refs, counts=counts)
    _import_attendees(data, refs=refs, counts=counts["meeting_attendees"])
    _upsert_kind("hearing", data["hearings"], refs=refs, counts=counts)
    # Monitoring, with its participants and publicity links kept in file order.
    _upsert_kind("monitoring", data["monitoring"], refs=refs, counts=counts)
    _sync_children("monitoring_participant", data["monitoring"], refs=refs, counts=counts)
    _sync_children("publicity_link", data["monitoring"], refs=refs, counts=counts)
    _upsert_kind("draft_review", data["draft_reviews"], refs=refs, counts=counts)
    # Format /4: what the experts worked on, once the records they name are written.
    _import_engagements(data, experts=experts, refs=refs, counts=counts["expert_engagements"])
    # Format /3: the council's own appeal categories and districts, which its appeals name.
    for name in _BEFORE_APPEALS:
        _upsert_kind(name, data.get(record_spec.kind(name).file_list, []), refs=refs, counts=counts)
    _upsert_kind(
        "appeal",
        data["appeals"],
        refs=refs,
        counts=counts,
        on_create=lambda: {"tracking_token": secrets.token_urlsafe(24)},
    )
    _upsert_kind("recommendation", data["recommendations"], refs=refs, counts=counts)
    _sync_children("recommendation_response", data["recommendations"], refs=refs, counts=counts, carry=_keep_document)
    _sync_children("recommendation_status_change", data["recommendations"], refs=refs, counts=counts)
    _upsert_kind("work_plan_item", data["work_plan"], refs=refs, counts=counts, scope={**_owner(refs), "year": year})
    # Every other kind (format /3's and any another app registered), by its declaration alone: the top-level
    # ones in the order they were registered, then the lists nested in any record.
    for kind in record_spec.kinds():
        if kind.name not in _BY_HAND and not kind.parent:
            _upsert_kind(kind.name, data.get(kind.file_list, []), refs=refs, counts=counts)
    for kind in record_spec.kinds():
        if kind.name not in _BY_HAND and kind.parent:
            parent = record_spec.kind(kind.parent)
            # A replaced answer's document (the file holds none) goes to the same answer in the new list.
            carry = _keep_document if "document" in kind.not_in_file else None
            _sync_children(
                kind.name, data.get(parent.file_list, []), refs=refs, counts=counts, carry=carry, only_listed=True
            )
    return ImportSummary(council=council, year=year, counts=counts, warnings=checked.warnings)


_BEFORE_APPEALS = ("appeal_category", "locality")
# The kinds `council_activity_import` writes itself; another app's kinds follow them, upserted by key.
_BY_HAND = {kind.name for kind in spec.KINDS} | set(_BEFORE_APPEALS) | spec.BY_HAND_4


def _owner(refs: ImportRefs) -> Record:
    """The file's council, as the scope of its records."""
    (council,) = refs.rows[_COUNCIL].values()
    return {"council_id": council.pk}


def _keep_document(replaced: list[RecommendationResponse], row: Record) -> Record:
    """A replaced response's document (the file holds none) goes to the same response in the new list (a
    recommendation's or an information request's: the same columns)."""
    for old in replaced:
        if old.document and (old.received_on, old.text) == (row["received_on"], row["text"]):
            return {"document": old.document.name}
    return {}


def _import_memberships(data: Record, *, refs: ImportRefs, counts: dict[str, KindCounts]) -> None:
    """A person's memberships in the file's convocations and seats in the file's bodies follow the file: a
    membership in one of them that the person's list leaves out is removed (memberships in convocations the
    file does not carry stay), and so is a seat the person's list leaves out."""
    people, bodies, convocations = refs.rows["person"], refs.rows["body"], refs.rows["convocation"]
    person_ids = [people[p["key"]].pk for p in data["people"]]
    body_ids = [bodies[b["key"]].pk for b in data["bodies"]]
    membership, seat_kind = record_spec.kind("membership"), record_spec.kind("body_seat")

    memberships = {
        (m.convocation_id, m.person_id): m
        for m in Membership.objects.filter(
            convocation_id__in=[c.pk for c in convocations.values()], person_id__in=person_ids
        )
    }
    wanted = [
        ((values["convocation_id"], values["person_id"]), values)
        for p in data["people"]
        for m in p.get("memberships", [])
        for values in [{"person_id": people[p["key"]].pk, **membership.read(m, refs)}]
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
            ((values["person_id"], values["body_id"], values["start_date"]), values)
            for p in data["people"]
            for seat in p.get("bodies", [])
            for values in [{"person_id": people[p["key"]].pk, **seat_kind.read(seat, refs)}]
        ),
        key=lambda entry: entry[1]["end_date"] is None,
    )
    kept_seats = {key for key, _values in wanted_seats}
    gone += [s.pk for key, s in seats.items() if key not in kept_seats]
    if gone:
        BodyMembership.objects.filter(pk__in=gone).delete()
        counts["body_seats"].deleted += len(gone)
    _upsert(BodyMembership, existing=seats, wanted=wanted_seats, counts=counts["body_seats"])


def _import_expertise_areas(data: Record, *, refs: ImportRefs, counts: KindCounts) -> None:
    """The areas of expertise the file's experts name: the portal's vocabulary, which its administrators keep. An
    area the portal lacks is added; one it has keeps its names (an import never renames the whole portal's)."""
    area = record_spec.kind("expertise_area")
    records = data.get(area.file_list, [])
    existing = {a.key: a for a in ExpertiseArea.objects.filter(key__in=[r["key"] for r in records])}
    new = [ExpertiseArea(**area.read(r, refs)) for r in records if r["key"] not in existing]
    if new:
        ExpertiseArea.objects.bulk_create(new)
    counts.created += len(new)
    counts.unchanged += len(existing)
    refs.rows["expertise_area"] = {**existing, **{a.key: a for a in new}}


def _import_engagements(
    data: Record, *, experts: dict[tuple[int, dt.date], ExpertAppointment], refs: ImportRefs, counts: KindCounts
) -> None:
    """Each file expert's engagements become the file's; an expert of a /2 or /3 file (which knows no such list)
    keeps its engagements (a /4 file that leaves the list out means none)."""
    engagement = record_spec.kind("expert_engagement")
    people = refs.rows["person"]
    wanted: dict[int, list[Record]] = {}
    for e in data.get("experts", []):
        if engagement.file_list not in e:
            continue
        appointment = experts[(people[e["person"]].pk, dt.date.fromisoformat(e["start_date"]))]
        rows = sort_records(e[engagement.file_list], engagement.order)
        wanted[appointment.pk] = [engagement.read(row, refs) for row in rows]
    current = ExpertEngagement.objects.filter(appointment_id__in=wanted).order_by("appointment_id", "kind", "id")
    _sync_list(
        ExpertEngagement,
        parent_field="appointment",
        current=_grouped(current, "appointment_id"),
        wanted=wanted,
        counts=counts,
    )


def _import_experts(
    data: Record, *, council: Council, refs: ImportRefs, counts: KindCounts
) -> dict[tuple[int, dt.date], ExpertAppointment]:
    """Experts (councils.ExpertAppointment), known by person and start date. The appointments of the file's
    people that cover a day of the file's year follow the file (the export writes exactly those): one the file
    leaves out is removed; appointments wholly in other years stay. Ended appointments are written before open
    ones, so that no moment has two open appointments of one person (the database allows one)."""
    year: int = data["year"]
    people = refs.rows["person"]
    person_ids = [people[p["key"]].pk for p in data["people"]]
    existing = {
        (a.person_id, a.start_date): a
        # The registry's candidates are not in the file (the export writes approved experts only): left alone.
        for a in ExpertAppointment.objects.filter(
            council=council, person_id__in=person_ids, status__in=EXPERT_SERVED
        ).filter(held_in_year(year))
    }
    expert = record_spec.kind("expert")
    wanted = sorted(
        (
            ((values["person_id"], values["start_date"]), values)
            for e in data.get("experts", [])
            for values in [{"council_id": council.pk, **expert.read(e, refs)}]
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
    # A file lists the experts its council approved and published: one new to the portal is recorded as consenting
    # from its start (the workspace records a withdrawal, and a later import never touches the consent or the status
    # of an expert on file), approved, or inactive when it has ended.
    wanted = [
        (
            key,
            values
            if key in existing
            else {
                "status": ExpertStatus.INACTIVE if values["end_date"] else ExpertStatus.APPROVED,
                **values,
                "consent_given_on": values["start_date"],
            },
        )
        for key, values in wanted
    ]
    # The areas are set once the rows exist.
    areas = {key: values.pop("areas") for key, values in wanted if "areas" in values}
    unchanged = {key for key, values in wanted if key in existing and not _differing(existing[key], values)}
    rows = _upsert(ExpertAppointment, existing=existing, wanted=wanted, counts=counts)
    for key, pks in areas.items():
        if _set_related(rows[key], {"areas": pks}, new=key not in existing) and key in unchanged:
            counts.unchanged -= 1
            counts.updated += 1
    return rows


def _import_agenda(data: Record, *, refs: ImportRefs, counts: dict[str, KindCounts]) -> None:
    """Agenda items by (meeting, key); they resolve by key alone, which is unique across the file."""
    meetings = refs.rows["meeting"]
    existing = {
        (item.meeting_id, item.key): item
        for item in AgendaItem.objects.filter(meeting_id__in=[m.pk for m in meetings.values()])
    }
    agenda = record_spec.kind("agenda_item")
    wanted = [
        ((meetings[m["key"]].pk, a["key"]), {"meeting_id": meetings[m["key"]].pk, **agenda.read(a, refs)})
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
    refs.rows["agenda_item"] = {key: item for (_meeting_id, key), item in rows.items()}


def _import_attendees(data: Record, *, refs: ImportRefs, counts: KindCounts) -> None:
    """Each meeting that lists `attendees` gets exactly those names: a row is kept if it is named, removed if
    not, added if new. A meeting without the list keeps its names."""
    meetings, people = refs.rows["meeting"], refs.rows["person"]
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
