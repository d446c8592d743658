"""Reads on the consultation log and trainings. Of a consultation only counts leave the workspace
(`consultation_counts`): by month, kind, channel, topic and outcome, never a row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from councils.models import Council
from library.models import Document

from .models import (
    Audience,
    Consultation,
    ConsultationChannel,
    ConsultationKind,
    ConsultationOutcome,
    ConsultationTopic,
    Training,
    TrainingKind,
)


@dataclass(frozen=True)
class ConsultationCounts:
    """The year's consultations (up to `as_of`), counted; month keys are "1".."12"."""

    total: int
    by_month: dict[str, int]
    by_kind: dict[str, int]
    by_channel: dict[str, int]
    by_topic: dict[str, int]
    by_outcome: dict[str, int]


@dataclass(frozen=True)
class TrainingCounts:
    """The year's trainings, seminars, lectures and campaigns (up to `as_of`) and the people they reached."""

    total: int
    participants: int
    by_kind: dict[str, int]
    by_audience: dict[str, int]
    participants_by_audience: dict[str, int]


def consultations_for_workspace(*, council: Council) -> QuerySet[Consultation]:
    return Consultation.objects.filter(council=council).order_by("-date", "-id")


def _year(queryset: QuerySet[Consultation], year: int, as_of: dt.date | None) -> QuerySet[Consultation]:
    queryset = queryset.filter(date__year=year)
    return queryset.filter(date__lte=as_of) if as_of is not None else queryset


def consultation_counts(*, council: Council, year: int, as_of: dt.date | None = None) -> ConsultationCounts:
    """One grouped query, whatever the number of consultations (at most a few thousand groups: the product of the
    choices and the months), summed up here by each dimension."""
    rows = (
        _year(Consultation.objects.filter(council=council), year, as_of)
        .annotate(m=ExtractMonth("date"))
        .values("m", "kind", "channel", "topic", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    months = dict.fromkeys([str(m) for m in range(1, 13)], 0)
    by_kind = dict.fromkeys(ConsultationKind.values, 0)
    by_channel = dict.fromkeys(ConsultationChannel.values, 0)
    by_topic = dict.fromkeys(ConsultationTopic.values, 0)
    by_outcome = dict.fromkeys(ConsultationOutcome.values, 0)
    for row in rows:
        n = row["n"]
        months[str(row["m"])] += n
        for counts, value in (
            (by_kind, row["kind"]),
            (by_channel, row["channel"]),
            (by_topic, row["topic"]),
            (by_outcome, row["outcome"]),
        ):
            counts[value] = counts.get(value, 0) + n
    return ConsultationCounts(
        total=sum(months.values()),
        by_month=months,
        by_kind=by_kind,
        by_channel=by_channel,
        by_topic=by_topic,
        by_outcome=by_outcome,
    )


def consultation_years(*, council: Council) -> list[int]:
    rows = (
        Consultation.objects.filter(council=council)
        .annotate(y=ExtractYear("date"))
        .values_list("y", flat=True)
        .distinct()
        .order_by("-y")
    )
    return [int(y) for y in rows]


def trainings_for_workspace(*, council: Council) -> QuerySet[Training]:
    return (
        Training.objects.filter(council=council)
        .annotate(material_count=Count("materials", distinct=True), partner_count=Count("partners", distinct=True))
        .order_by("-date", "-id")
    )


def _public_trainings() -> QuerySet[Training]:
    """Trainings of published councils with their partners and their *published* materials (a draft document of
    the library is the staff's alone)."""
    return (
        Training.objects.filter(council__is_published=True)
        .select_related("council")
        .prefetch_related(
            "partners",
            Prefetch("materials", queryset=Document.objects.filter(is_published=True).order_by("published_on", "id")),
        )
        .order_by("-date", "-id")
    )


def public_trainings() -> QuerySet[Training]:
    return _public_trainings()


def public_trainings_for_year(*, council: Council, year: int) -> list[Training]:
    return list(_public_trainings().filter(council=council, date__year=year))


def public_training_get(*, council: Council, pk: int) -> Training | None:
    return _public_trainings().filter(council=council, pk=pk).first()


def training_years(*, council: Council) -> list[int]:
    rows = (
        Training.objects.filter(council=council)
        .annotate(y=ExtractYear("date"))
        .values_list("y", flat=True)
        .distinct()
        .order_by("-y")
    )
    return [int(y) for y in rows]


def training_counts(*, council: Council, year: int, as_of: dt.date | None = None) -> TrainingCounts:
    """One grouped query."""
    rows = Training.objects.filter(council=council, date__year=year)
    if as_of is not None:
        rows = rows.filter(date__lte=as_of)
    by_kind = dict.fromkeys(TrainingKind.values, 0)
    by_audience = dict.fromkeys(Audience.values, 0)
    people = dict.fromkeys(Audience.values, 0)
    for row in rows.values("kind", "audience").annotate(n=Count("id"), p=Sum("participants")).order_by():
        by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["n"]
        by_audience[row["audience"]] = by_audience.get(row["audience"], 0) + row["n"]
        people[row["audience"]] = people.get(row["audience"], 0) + (row["p"] or 0)
    return TrainingCounts(
        total=sum(by_kind.values()),
        participants=sum(people.values()),
        by_kind=by_kind,
        by_audience=by_audience,
        participants_by_audience=people,
    )


def trainings_for_year(*, council: Council, year: int, as_of: dt.date | None = None) -> list[Training]:
    """The year's trainings in date order with their partners and published materials, for the annual report."""
    rows = _public_trainings().filter(council=council, date__year=year)
    if as_of is not None:
        rows = rows.filter(date__lte=as_of)
    return list(rows.order_by("date", "id"))


def yearly_totals(*, council_ids: list[int]) -> dict[tuple[int, int], dict[str, int]]:
    """{(council_id, year): {"consultations": n, "trainings": n}}: two grouped queries."""
    totals: dict[tuple[int, int], dict[str, int]] = {}
    for model, key in ((Consultation, "consultations"), (Training, "trainings")):
        rows = (
            model.objects.filter(council_id__in=council_ids)
            .annotate(y=ExtractYear("date"))
            .values("council_id", "y")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            totals.setdefault((row["council_id"], int(row["y"])), {})[key] = row["n"]
    return totals
