"""The staff workspace's entry: which councils the user works in, and each council's dashboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import council_for_user, councils_for_user
from .models import Council

if TYPE_CHECKING:
    from reports.selectors import YearStats


@login_required
def workspace_home(request: HttpRequest) -> HttpResponse:
    councils = list(councils_for_user(request.user))
    if len(councils) == 1:
        return redirect("workspace:dashboard", slug=councils[0].slug)
    return render(request, "workspace/home.html", {"councils": councils})


UPCOMING_DAYS = 30
LIST_LIMIT = 10


@dataclass(frozen=True)
class Figure:
    label: str
    this_year: int
    last_year: int

    @property
    def change(self) -> int:
        return self.this_year - self.last_year


def _year_figures(this: YearStats, last: YearStats) -> list[Figure]:
    """The headline figures of two `council_year_stats` results, side by side."""
    rows: list[tuple[str, Callable[[YearStats], int]]] = [
        (_("Council meetings"), lambda s: s.meetings.get("council", 0)),
        (_("All meetings"), lambda s: sum(s.meetings.values())),
        (_("Public hearings"), lambda s: s.hearings),
        (_("Public monitoring"), lambda s: s.monitoring.total),
        (_("Draft acts reviewed"), lambda s: s.draft_acts["reviewed"]),
        (_("Recommendations issued"), lambda s: s.recommendations.total),
        (_("Recommendations answered"), lambda s: s.recommendations.answered),
        (_("Appeals"), lambda s: s.appeals.total),
        (_("Memoranda signed"), lambda s: s.memoranda),
    ]
    return [Figure(str(label), get(this), get(last)) for label, get in rows]


def dashboard_context(*, council: Council, today: dt.date) -> dict[str, Any]:
    """Everything the dashboard shows, in a fixed number of queries (about 25), whatever the amount of data.

    The dashboard is the one page of this app that shows every app's work, so it reads them here, through their
    selectors; the imports are local so that the councils app's models and gate import nothing of the others.
    """
    from appeals.filters import appeals_for_inbox, due_soon_limit, due_soon_q, overdue_q, unassigned_q
    from hearings.selectors import meetings_for_workspace
    from monitoring.selectors import information_requests_overdue, recommendations_overdue
    from reports.selectors import council_year_stats

    meetings = list(
        meetings_for_workspace(council=council)
        .filter(date__gte=today, date__lte=today + dt.timedelta(days=UPCOMING_DAYS))
        .order_by("date", "id")[: LIST_LIMIT * 2]
    )
    recommendations = recommendations_overdue(council=council, today=today)
    requests = information_requests_overdue(council=council, today=today)
    appeals = appeals_for_inbox(council=council).aggregate(
        overdue=Count("id", filter=overdue_q(today)),
        due_soon=Count("id", filter=due_soon_q(today, due_soon_limit(today))),
        unassigned=Count("id", filter=unassigned_q()),
    )
    # This year as of today; last year as of its last day (`default_as_of`), the same figures its report gives.
    this_year = council_year_stats(council=council, year=today.year, today=today)
    last_year = council_year_stats(council=council, year=today.year - 1, today=today)
    return {
        "today": today,
        "upcoming_days": UPCOMING_DAYS,
        "meetings": meetings,
        "overdue_recommendations": list(recommendations[:LIST_LIMIT]),
        "overdue_recommendations_count": recommendations.count(),
        "overdue_requests": list(requests[:LIST_LIMIT]),
        "overdue_requests_count": requests.count(),
        "appeals_overdue": appeals["overdue"],
        "appeals_due_soon": appeals["due_soon"],
        "appeals_unassigned": appeals["unassigned"],
        "year": today.year,
        "figures": _year_figures(this_year, last_year),
        "figures_as_of": this_year.as_of,
        "last_year_as_of": last_year.as_of,
    }


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    council = council_for_user(request.user, slug)
    context = dashboard_context(council=council, today=timezone.localdate())
    context.update(
        council=council, can_write=councils_for_user(request.user, write=True).filter(id=council.id).exists()
    )
    return render(request, "workspace/dashboard.html", context)
