"""Reads of citizens' appeals for statistics. Counts only: nothing here touches the applicants' personal data."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count
from django.db.models.functions import ExtractMonth

from councils.models import Council

from .models import Appeal, ApplicantType, Category, Channel


def appeal_counts(*, council: Council, year: int) -> dict:
    """Appeals of the registration year: totals by applicant type, category, channel and month of registration
    (local time). One grouped query; the rows are bounded by the choices, not by the number of appeals."""
    by_category = dict.fromkeys(Category.values, 0)
    individuals_by_category = dict.fromkeys(Category.values, 0)
    legal_entities_by_category = dict.fromkeys(Category.values, 0)
    by_channel = dict.fromkeys(Channel.values, 0)
    by_month = {str(month): 0 for month in range(1, 13)}
    by_type = dict.fromkeys(ApplicantType.values, 0)
    rows = (
        Appeal.objects.filter(council=council, year=year)
        .annotate(month=ExtractMonth("registered_at"))
        .values("applicant_type", "category", "channel", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    total = 0
    for row in rows:
        n = row["n"]
        total += n
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
