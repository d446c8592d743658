"""The statistics of a council's year, combined from the other apps' selectors.

`council_year_stats` is the one place the figures are computed: the stats API, the council page and the annual
report all read it, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from appeals import selectors as appeal_selectors
from councils import selectors as council_selectors
from councils.models import Council
from hearings import selectors as hearing_selectors
from monitoring import selectors as monitoring_selectors


def council_year_stats(*, council: Council, year: int, today: dt.date | None = None) -> dict:
    """Every figure of the council's year, as the API returns it (nine queries, whatever the amount of data).

    1. Composition on 31 December of the year: members (experts excluded) and the commissions of the
       convocation then active.
    2. Activity dated in the year: meetings by kind, hearings, monitoring by month, draft reviews by the start of
       their discussion, appeals by registration year, recommendations by issue date, memoranda by signing date.
    3. `today` decides which recommendations are overdue (default: the local date).
    """
    today = today or timezone.localdate()
    day = council_selectors.year_end(year)
    monitoring_months = monitoring_selectors.monitoring_by_month(council=council, year=year)
    return {
        "council": council.slug,
        "year": year,
        "as_of": day.isoformat(),
        "members": council_selectors.member_counts(council=council, day=day),
        "commissions": council_selectors.commission_count(council=council, day=day),
        "meetings": hearing_selectors.meeting_counts(council=council, year=year),
        "hearings": hearing_selectors.hearing_count(council=council, year=year),
        "monitoring": {"total": sum(monitoring_months.values()), "by_month": monitoring_months},
        "draft_acts": monitoring_selectors.draft_review_counts(council=council, year=year),
        "appeals": appeal_selectors.appeal_counts(council=council, year=year),
        "recommendations": monitoring_selectors.recommendation_counts(council=council, year=year, today=today),
        "memoranda": council_selectors.memorandum_count(council=council, year=year),
    }


HEADLINE_KEYS = (
    "council_meetings",
    "meetings",
    "hearings",
    "monitoring",
    "draft_acts",
    "recommendations",
    "appeals",
    "memoranda",
)


def yearly_totals(*, council_ids: Iterable[int]) -> dict[tuple[int, int], dict[str, int]]:
    """{(council_id, year): headline counts} for every year with any activity: seven queries for any number
    of councils."""
    ids = list(council_ids)
    totals: dict[tuple[int, int], dict[str, int]] = {}
    for part in (
        hearing_selectors.yearly_totals(council_ids=ids),
        monitoring_selectors.yearly_totals(council_ids=ids),
        appeal_selectors.yearly_totals(council_ids=ids),
        council_selectors.yearly_totals(council_ids=ids),
    ):
        for key, counts in part.items():
            totals.setdefault(key, dict.fromkeys(HEADLINE_KEYS, 0)).update(counts)
    return totals


def council_years(*, council: Council) -> list[int]:
    """The years with any activity, newest first."""
    return sorted({year for (_id, year) in yearly_totals(council_ids=[council.id])}, reverse=True)


@dataclass
class Headline:
    """A council with its latest year's main figures, for the home page."""

    council: Council
    year: int | None
    members: dict[str, int] = field(default_factory=dict)
    figures: dict[str, int] = field(default_factory=dict)


def council_headlines(*, councils: Iterable[Council]) -> list[Headline]:
    """Each council with its latest year's headline figures, in eight queries for any number of councils."""
    councils = list(councils)
    totals = yearly_totals(council_ids=[c.id for c in councils])
    latest: dict[int, int] = {}
    for council_id, year in totals:
        latest[council_id] = max(year, latest.get(council_id, year))
    members = council_selectors.member_counts_by_council(
        days={council_id: council_selectors.year_end(year) for council_id, year in latest.items()}
    )
    headlines = []
    for council in councils:
        year = latest.get(council.id)
        if year is None:
            headlines.append(Headline(council=council, year=None))
            continue
        headlines.append(
            Headline(council=council, year=year, members=members[council.id], figures=totals[(council.id, year)])
        )
    return headlines


# ---- the public portal's pages ---------------------------------------------------------------------------------


def published_reports(*, council: Council) -> list:
    """The council's published annual reports (finished builds its chair published), newest year first, by
    language: one query."""
    from .models import BuildStatus, ReportBuild

    return list(
        ReportBuild.objects.filter(council=council, is_published=True, status=BuildStatus.DONE)
        .exclude(file="")
        .order_by("-year", "language", "-finished_at", "-id")
    )
