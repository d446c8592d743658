"""The work plan against its results: which records fulfil a plan item, and the item's status as of a day.

The kinds of record that can fulfil an item (a meeting, a monitoring event, a hearing, a draft review, an
information request, a training…) live in the apps above this one, so each app registers its kinds in its
`AppConfig.ready()`, as it registers its dashboard panel:

    register_plan_record_kind(PlanRecordKind(
        "monitoring_event", _("Monitoring event"), "monitoring.MonitoringEvent", "date", "topic",
        public_url_name="reports:monitoring_event",
    ))

`date_path` is the day the record was carried out (a meeting's date, a request's sending day): a record counts
as done once that day has come. The rule, as of a day (31 December for a closed year, today for the running one):

1. an item the council postponed or cancelled has that status (with the reason it gave);
2. an item with records linked is *done* when every linked record has been carried out by that day (done on the
   latest of their days), *in progress* when some are still to come or undated;
3. an item with no record linked keeps the status set by hand (what files of earlier years carry);
4. a planned or in-progress item whose due date has passed is shown as *not done on time* (`late`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise

from .models import WORK_PLAN_DECIDED, Council, WorkPlanItem, WorkPlanLink, WorkPlanStatus
from .ownership import council_path
from .selectors import year_as_of


@dataclass(frozen=True)
class PlanRecordKind:
    key: str
    label: str | Promise
    model_label: str
    date_path: str  # the day the record was carried out ("date", "meeting__date", "sent_on")
    title_path: str
    public_url_name: str = ""  # a public page taking (slug, pk); "" when the record has none
    public_filter: tuple[tuple[str, object], ...] = ()  # which records of the kind have that page

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    def council_records(self, council: Council | int) -> QuerySet[Model]:
        path = council_path(self.model)
        if path is None:
            raise ImproperlyConfigured(f"{self.model_label} fulfils plan items but belongs to no council")
        return self.model._default_manager.filter(**{path: council})


_kinds: dict[str, PlanRecordKind] = {}


def register_plan_record_kind(kind: PlanRecordKind) -> None:
    if _kinds.get(kind.key, kind) != kind:
        raise ImproperlyConfigured(f"Two kinds of plan record are named {kind.key!r}.")
    _kinds[kind.key] = kind


def plan_record_kinds() -> dict[str, PlanRecordKind]:
    return dict(_kinds)


@dataclass(frozen=True)
class LinkedRecord:
    link_id: int
    kind: str
    kind_label: str | Promise
    object_id: int
    title: str
    day: dt.date | None
    public_url: str | None


@dataclass
class PlanItemResult:
    item: WorkPlanItem
    status: str
    done_on: dt.date | None = None
    late: bool = False
    records: list[LinkedRecord] = field(default_factory=list)

    @property
    def status_label(self) -> str | Promise:
        return WorkPlanStatus(self.status).label


def item_status(
    *, stored: str, due_date: dt.date | None, days: Iterable[dt.date | None], as_of: dt.date
) -> tuple[str, dt.date | None, bool]:
    """(status, done on, late) by the module's rule, from the days of the linked records."""
    days = list(days)
    if stored in WORK_PLAN_DECIDED:
        return stored, None, False
    done_on: dt.date | None = None
    if days:
        carried_out = [day for day in days if day is not None and day <= as_of]
        if len(carried_out) == len(days):
            status, done_on = WorkPlanStatus.DONE.value, max(carried_out)
        else:
            status = WorkPlanStatus.IN_PROGRESS.value
    else:
        status = stored
    late = status in (WorkPlanStatus.PLANNED, WorkPlanStatus.IN_PROGRESS) and due_date is not None and due_date < as_of
    return status, done_on, late


def linked_records(links: Iterable[WorkPlanLink], council: Council) -> dict[int, list[LinkedRecord]]:
    """The records linked to plan items, by item id: one query per kind of record, inside the council only."""
    by_kind: dict[str, list[WorkPlanLink]] = defaultdict(list)
    for link in links:
        by_kind[link.kind].append(link)
    found: dict[int, list[LinkedRecord]] = defaultdict(list)
    for key, kind_links in by_kind.items():
        kind = _kinds.get(key)
        if kind is None:  # an app no longer installed: its links are kept but not shown
            continue
        rows = kind.council_records(council).filter(pk__in=[link.object_id for link in kind_links])
        public_ids: set[int] = set()
        if kind.public_url_name:
            public_ids = set(rows.filter(Q(*kind.public_filter)).values_list("pk", flat=True))
        values = {pk: (title, day) for pk, title, day in rows.values_list("pk", kind.title_path, kind.date_path)}
        for link in kind_links:
            if link.object_id not in values:
                continue
            title, day = values[link.object_id]
            url = (
                reverse(kind.public_url_name, kwargs={"slug": council.slug, "pk": link.object_id})
                if link.object_id in public_ids
                else None
            )
            found[link.item_id].append(
                LinkedRecord(link.pk, key, kind.label, link.object_id, str(title or ""), day, url)
            )
    for records in found.values():
        records.sort(key=lambda record: (record.day or dt.date.max, record.kind, record.object_id))
    return found


def results_for_items(items: Iterable[WorkPlanItem], *, council: Council, today: dt.date) -> list[PlanItemResult]:
    """Each item with its status as of its year's day of reckoning and the records that fulfil it: one query for
    the links and one per kind of record."""
    items = list(items)
    if not items:
        return []
    records = linked_records(WorkPlanLink.objects.filter(item__in=items), council)
    results = []
    for item in items:
        mine = records.get(item.pk, [])
        status, done_on, late = item_status(
            stored=item.status,
            due_date=item.due_date,
            days=[record.day for record in mine],
            as_of=year_as_of(item.year, today),
        )
        results.append(PlanItemResult(item=item, status=status, done_on=done_on, late=late, records=mine))
    return results


def plan_execution(*, council: Council, year: int, today: dt.date) -> list[PlanItemResult]:
    """The year's plan, item by item, as of 31 December of a closed year (today for the running one)."""
    items = WorkPlanItem.objects.filter(council=council, year=year).order_by("number")
    return results_for_items(items, council=council, today=today)


def plan_years(*, council: Council) -> list[int]:
    return sorted(set(WorkPlanItem.objects.filter(council=council).values_list("year", flat=True)), reverse=True)


@dataclass(frozen=True)
class PlanFigures:
    items: int
    done: int
    in_progress: int
    planned: int
    postponed: int
    cancelled: int
    late: int

    @property
    def done_share(self) -> int | None:
        """Per cent of the items not cancelled that were done (None for an empty plan)."""
        counted = self.items - self.cancelled
        return round(100 * self.done / counted) if counted else None


def plan_figures(results: Iterable[PlanItemResult]) -> PlanFigures:
    counts: dict[str, int] = defaultdict(int)
    late = total = 0
    for result in results:
        total += 1
        counts[result.status] += 1
        late += result.late
    return PlanFigures(
        items=total,
        done=counts[WorkPlanStatus.DONE],
        in_progress=counts[WorkPlanStatus.IN_PROGRESS],
        planned=counts[WorkPlanStatus.PLANNED],
        postponed=counts[WorkPlanStatus.POSTPONED],
        cancelled=counts[WorkPlanStatus.CANCELLED],
        late=late,
    )


def record_choices(*, council: Council, kind_key: str, year: int) -> list[tuple[int, str]]:
    """The council's records of one kind carried out in (or planned for) the year, for the link form."""
    kind = _kinds[kind_key]
    rows = (
        kind.council_records(council)
        .filter(**{f"{kind.date_path}__year": year})
        .order_by(kind.date_path, "pk")
        .values_list("pk", kind.title_path, kind.date_path)
    )
    return [(pk, _record_label(title, day)) for pk, title, day in rows]


def _record_label(title: object, day: dt.date | None) -> str:
    text = str(title or "")[:120]
    return f"{day:%d.%m.%Y} — {text}" if day else text
