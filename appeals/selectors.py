"""Reads of citizens' appeals for statistics. Counts only: nothing here touches the applicants' personal data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, F, Value, When
from django.db.models.functions import Coalesce, ExtractMonth

from councils.models import Council

from .models import Appeal, AppealFeedback, AppealStatus, ApplicantType, Category, Channel


def appeal_counts(*, council: Council, year: int) -> dict:
    """Appeals of the registration year: totals by applicant type, category, channel, month of registration
    (local time) and status (the outcome), and the share answered on time (answered on or before the deadline,
    an extension counted). One grouped query; the rows are bounded by the choices, not by the number of appeals."""
    by_category = dict.fromkeys(Category.values, 0)
    individuals_by_category = dict.fromkeys(Category.values, 0)
    legal_entities_by_category = dict.fromkeys(Category.values, 0)
    by_channel = dict.fromkeys(Channel.values, 0)
    by_month = {str(month): 0 for month in range(1, 13)}
    by_type = dict.fromkeys(ApplicantType.values, 0)
    by_status = dict.fromkeys(AppealStatus.values, 0)
    answered = answered_on_time = 0
    rows = (
        Appeal.objects.filter(council=council, year=year)
        .annotate(
            month=ExtractMonth("registered_at"),
            on_time=Case(
                When(answered_on__isnull=True, then=Value(None)),
                When(answered_on__lte=Coalesce(F("extended_until"), F("due_date")), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(null=True),
            ),
        )
        .values("applicant_type", "category", "channel", "month", "status", "on_time")
        .annotate(n=Count("id"))
        .order_by()
    )
    total = 0
    for row in rows:
        n = row["n"]
        total += n
        by_status[row["status"]] = by_status.get(row["status"], 0) + n
        if row["on_time"] is not None:
            answered += n
            answered_on_time += n if row["on_time"] else 0
        by_type[row["applicant_type"]] = by_type.get(row["applicant_type"], 0) + n
        by_category[row["category"]] = by_category.get(row["category"], 0) + n
        by_channel[row["channel"]] = by_channel.get(row["channel"], 0) + n
        by_month[str(row["month"])] += n
        if row["applicant_type"] == ApplicantType.INDIVIDUAL:
            individuals_by_category[row["category"]] = individuals_by_category.get(row["category"], 0) + n
        elif row["applicant_type"] == ApplicantType.LEGAL_ENTITY:
            legal_entities_by_category[row["category"]] = legal_entities_by_category.get(row["category"], 0) + n
    return {
        "total": total,
        "individuals": by_type[ApplicantType.INDIVIDUAL],
        "legal_entities": by_type[ApplicantType.LEGAL_ENTITY],
        "by_category": by_category,
        "individuals_by_category": individuals_by_category,
        "legal_entities_by_category": legal_entities_by_category,
        "by_channel": by_channel,
        "by_month": by_month,
        "by_status": by_status,
        "answered": answered,
        "answered_on_time": answered_on_time,
        # None while nothing is answered: "0%" would accuse a council of lateness it has not had time for.
        "on_time_share": round(answered_on_time / answered, 3) if answered else None,
    }


def yearly_totals(*, council_ids: Iterable[int]) -> dict[tuple[int, int], dict[str, int]]:
    """{(council_id, year): {"appeals": n}}: one query for any number of councils."""
    rows = (
        Appeal.objects.filter(council_id__in=list(council_ids))
        .values("council_id", "year")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["council_id"], row["year"]): {"appeals": row["n"]} for row in rows}


@dataclass(frozen=True)
class FeedbackCounts:
    """The applicants' word on the answers to the appeals of a registration year: each answer judged once."""

    resolved: int
    not_resolved: int

    @property
    def judged(self) -> int:
        return self.resolved + self.not_resolved


def appeal_feedback_counts(*, council: Council, year: int) -> FeedbackCounts:
    """How many answers to the appeals registered in `year` their applicants judged resolved, and not resolved
    (which reopened the appeal). One grouped query."""
    rows = (
        AppealFeedback.objects.filter(appeal__council=council, appeal__year=year)
        .values("resolved")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["resolved"]: row["n"] for row in rows}
    return FeedbackCounts(resolved=counts.get(True, 0), not_resolved=counts.get(False, 0))
