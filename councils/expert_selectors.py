"""Reads of the expert registry: the staff's registry and search across councils, the public lists (approved and
consenting experts only), the experts engaged in a record, and the figures counted apart from the members.

One rule decides who the public sees (`public_experts`): approved now, of a published council, and consenting
now (`consent_given_on` set, `consent_withdrawn_on` empty). The composition of a past day reads the same consent
through `councils.selectors.experts_on(public=True)`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Count, Q, QuerySet

from core.prepared import prepared_values
from core.search import DICTIONARIES
from core.workdays import year_span

from .models import (
    EXPERT_SERVED,
    Council,
    ExpertAppointment,
    ExpertDecision,
    ExpertEngagement,
    ExpertiseArea,
    ExpertStatus,
)
from .plan import plan_record_kinds

SEARCH_MAX_CHARS = 200
_WORD = re.compile(r"\w+", re.UNICODE)

PUBLIC_CONSENT = Q(consent_given_on__isnull=False, consent_withdrawn_on__isnull=True)


def expertise_areas() -> QuerySet[ExpertiseArea]:
    return ExpertiseArea.objects.order_by("name_ru")


def registry_for_council(*, council: Council) -> QuerySet[ExpertAppointment]:
    """The council's registry for its staff: every status, newest first within the status order."""
    return (
        ExpertAppointment.objects.filter(council=council)
        .select_related("person", "council")
        .prefetch_related("areas")
        .order_by("person__full_name", "-start_date", "id")
    )


def public_experts(*, council: Council | None = None) -> QuerySet[ExpertAppointment]:
    """Approved, consenting experts of published councils: the public's registry."""
    queryset = ExpertAppointment.objects.filter(
        PUBLIC_CONSENT, status=ExpertStatus.APPROVED, council__is_published=True
    )
    if council is not None:
        queryset = queryset.filter(council=council)
    return queryset.select_related("person", "council").prefetch_related("areas").order_by("person__full_name", "id")


def prefix_query(text: str) -> SearchQuery | None:
    """Every word of `text` as a prefix, in every dictionary of core/search.py: «градостроитель» finds
    «градостроительство» (the Russian stems differ), «эколог» finds «экология»; a Kazakh word as written."""
    words = _WORD.findall(text[:SEARCH_MAX_CHARS])[:8]
    if not words:
        return None
    raw = " & ".join(f"{word}:*" for word in words)
    queries = [SearchQuery(raw, config=config, search_type="raw") for config in DICTIONARIES]
    combined = queries[0]
    for query in queries[1:]:
        combined = combined | query
    return combined


def search_experts(queryset: QuerySet[ExpertAppointment], text: str) -> QuerySet[ExpertAppointment]:
    """The experts whose areas (in any language), own words, region or name have the words: PostgreSQL full text
    on the stored search documents (core/search.py), a plain icontains on SQLite (local use only)."""
    text = text.strip()[:SEARCH_MAX_CHARS]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        query = prefix_query(text)
        if query is None:
            return queryset
        areas = ExpertiseArea.objects.filter(search_document=query)
        return queryset.filter(
            Q(search_document=query) | Q(areas__in=areas) | Q(person__full_name__icontains=text)
        ).distinct()
    return queryset.filter(
        Q(field__icontains=text)
        | Q(region__icontains=text)
        | Q(areas__name_ru__icontains=text)
        | Q(areas__name_kk__icontains=text)
        | Q(areas__name_en__icontains=text)
        | Q(person__full_name__icontains=text)
    ).distinct()


def staff_expert_search(*, council: Council, text: str, status: str = "") -> QuerySet[ExpertAppointment]:
    """Search across every council for the staff of any council: a secretary looking for an ecologist may find
    one another council approved. Of another council only the experts it approved (approved or inactive now)
    are found, never its candidates; the page shows the name, council, areas, languages, region and status (the
    CV, consent and decisions stay with the expert's own council)."""
    queryset = (
        ExpertAppointment.objects.filter(Q(council=council) | Q(status__in=EXPERT_SERVED))
        .select_related("person", "council")
        .prefetch_related("areas")
        .order_by("person__full_name", "council__name", "id")
    )
    if status:
        queryset = queryset.filter(status=status)
    return search_experts(queryset, text)


def expert_decisions(*, appointment: ExpertAppointment) -> list[ExpertDecision]:
    return list(appointment.decisions.order_by("date", "id"))


@dataclass(frozen=True)
class EngagedExpert:
    appointment_id: int
    full_name: str
    role: str


def public_engaged_experts(*, council_id: int, kind: str, object_id: int) -> list[EngagedExpert]:
    """The experts who took part in a record (a monitoring event, a draft review, a hearing) that the public may
    see by name: approved or inactive now, consenting now. One query."""
    rows = (
        ExpertEngagement.objects.filter(
            kind=kind,
            object_id=object_id,
            appointment__council_id=council_id,
            appointment__status__in=EXPERT_SERVED,
            appointment__consent_given_on__isnull=False,
            appointment__consent_withdrawn_on__isnull=True,
        )
        .order_by("appointment__person__full_name", "id")
        .values_list("appointment_id", "appointment__person__full_name", "role")
    )
    return [EngagedExpert(appointment_id, name, role) for appointment_id, name, role in rows]


def engagements_of(*, appointment: ExpertAppointment) -> list[ExpertEngagement]:
    return list(appointment.engagements.order_by("kind", "object_id"))


@dataclass(frozen=True)
class ExpertCounts:
    """The year's experts, counted apart from the members: on the day (`as_of`), approved during the year, and
    engaged in the year (in a monitoring event, a draft review or a hearing carried out in the year up to `as_of`)."""

    on_day: int
    approved_in_year: int
    engaged_in_year: int = 0


def _engagements_in_span(*, council_id: int, start: dt.date, end: dt.date) -> QuerySet[ExpertEngagement]:
    """The engagements in records of the council carried out from `start` to `end` (by each kind's day in
    councils.plan's registry): one subquery, never evaluated on its own."""
    scope = Q(pk__in=[])
    for key, kind in plan_record_kinds().items():
        records = kind.council_records(council_id).filter(**{f"{kind.date_path}__range": (start, end)})
        scope |= Q(kind=key, object_id__in=records.values("pk"))
    return ExpertEngagement.objects.filter(scope, appointment__council_id=council_id)


def _count_query(*, council_id: int, as_of: dt.date, start: dt.date, end: dt.date) -> QuerySet[Any, dict[str, Any]]:
    served = ExpertAppointment.objects.filter(council_id=council_id, status__in=EXPERT_SERVED)
    engaged = _engagements_in_span(council_id=council_id, start=start, end=end).values("appointment_id")
    # One row (a grouping on the council, which every row shares): `.values()`, so the statement is written once.
    rows = (
        served.values("council_id")
        .annotate(
            on_day=Count("id", filter=Q(start_date__lte=as_of) & (Q(end_date__isnull=True) | Q(end_date__gte=as_of))),
            approved_in_year=Count("id", filter=Q(start_date__range=(start, end))),
            engaged_in_year=Count("id", filter=Q(pk__in=engaged)),
        )
        .order_by()
    )
    return cast(QuerySet[Any, dict[str, Any]], rows)


def expert_counts(*, council: Council, year: int, as_of: dt.date) -> ExpertCounts:
    """One query, written once (core/prepared.py). Candidates, the interviewed and the declined never count;
    consent does not matter for a figure (it names no one)."""
    start, end = year_span(year, as_of)
    rows = prepared_values(
        "councils.expert_counts", _count_query, council_id=council.pk, as_of=as_of, start=start, end=end
    )
    if not rows:  # the council has no expert who served
        return ExpertCounts(on_day=0, approved_in_year=0, engaged_in_year=0)
    (figures,) = rows
    return ExpertCounts(
        on_day=figures["on_day"],
        approved_in_year=figures["approved_in_year"],
        engaged_in_year=figures["engaged_in_year"],
    )
