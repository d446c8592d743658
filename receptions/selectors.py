"""Reads of receptions: the public schedule with free slots, the workspace lists and the year's counts. The
public reads never touch a visitor's data: they count bookings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from councils.models import Council

from .models import Booking, BookingStatus, Outcome, Reception

ACTIVE = ~Q(bookings__status=BookingStatus.CANCELLED)


def upcoming_receptions(*, council: Council, now: dt.datetime | None = None) -> QuerySet[Reception]:
    """The council's receptions still to come (not cancelled), soonest first, each with `taken`: its booked slots."""
    now = now or timezone.now()
    return (
        Reception.objects.filter(council=council, is_cancelled=False, starts_at__gt=now)
        .select_related("host")
        .annotate(taken=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)))
        .order_by("starts_at", "id")
    )


def free_slots(*, reception: Reception) -> list[tuple[int, dt.datetime]]:
    """(number, start) of each slot nobody holds."""
    held = set(reception.bookings.exclude(status=BookingStatus.CANCELLED).values_list("slot", flat=True))
    return [(n, reception.slot_start(n)) for n in range(1, reception.slots + 1) if n not in held]


def receptions_for_workspace(*, council: Council) -> QuerySet[Reception]:
    return (
        Reception.objects.filter(council=council)
        .select_related("host")
        .annotate(
            taken=Count("bookings", filter=~Q(bookings__status=BookingStatus.CANCELLED)),
            visited=Count("bookings", filter=Q(bookings__status=BookingStatus.VISITED)),
        )
        .order_by("-starts_at", "-id")
    )


@dataclass(frozen=True)
class ReceptionCounts:
    """The receptions held in a year and their visitors, as the year's figures give them (visits counted once
    recorded): by month of the reception, by topic (the council's appeal category codes), by member (their name,
    public as on the composition page) and by outcome."""

    receptions: int
    visitors: int
    by_month: dict[str, int]
    by_topic: dict[str, int]
    by_member: dict[str, int]
    by_outcome: dict[str, int]


def reception_counts(*, council: Council, year: int) -> ReceptionCounts:
    """Receptions of the year (not cancelled) and their visitors: two queries (one grouped over the visits by
    month, topic, member and outcome, bounded by those lists, not by the number of visitors)."""
    receptions = Reception.objects.filter(council=council, is_cancelled=False, starts_at__year=year)
    rows = (
        Booking.objects.filter(reception__in=receptions, status=BookingStatus.VISITED)
        .annotate(month=ExtractMonth("reception__starts_at"))
        .values("month", "category", "reception__host__full_name", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_month = {str(month): 0 for month in range(1, 13)}
    by_topic: dict[str, int] = {}
    by_member: dict[str, int] = {}
    by_outcome = dict.fromkeys(Outcome.values, 0)
    for row in rows:
        n = row["n"]
        by_month[str(row["month"])] += n
        by_topic[row["category"]] = by_topic.get(row["category"], 0) + n
        name = row["reception__host__full_name"]
        by_member[name] = by_member.get(name, 0) + n
        if row["outcome"] in by_outcome:
            by_outcome[row["outcome"]] += n
    return ReceptionCounts(
        receptions=receptions.count(),
        visitors=sum(by_month.values()),
        by_month=by_month,
        by_topic=dict(sorted(by_topic.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_member=dict(sorted(by_member.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_outcome=by_outcome,
    )
