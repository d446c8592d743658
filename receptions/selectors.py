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
    """Receptions of the year (not cancelled) and their visitors: three grouped queries, bounded by the lists."""
    receptions = Reception.objects.filter(council=council, is_cancelled=False, starts_at__year=year)
    visits = Booking.objects.filter(reception__in=receptions, status=BookingStatus.VISITED).order_by()
    by_month = {str(month): 0 for month in range(1, 13)}
    for row in visits.annotate(month=ExtractMonth("reception__starts_at")).values("month").annotate(n=Count("id")):
        by_month[str(row["month"])] = row["n"]
    by_topic = {
        row["category"]: row["n"]
        for row in visits.values("category").annotate(n=Count("id")).order_by("-n", "category")
    }
    by_member = {
        row["reception__host__full_name"]: row["n"]
        for row in visits.values("reception__host__full_name").annotate(n=Count("id")).order_by("-n")
    }
    by_outcome = dict.fromkeys(Outcome.values, 0)
    for outcome_row in visits.values("outcome").annotate(n=Count("id")):
        if outcome_row["outcome"] in by_outcome:
            by_outcome[outcome_row["outcome"]] = outcome_row["n"]
    return ReceptionCounts(
        receptions=receptions.count(),
        visitors=sum(by_month.values()),
        by_month=by_month,
        by_topic=by_topic,
        by_member=by_member,
        by_outcome=by_outcome,
    )
