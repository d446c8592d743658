"""A council's dashboard in the workspace: the page that shows every app's work, on the read side.

The page names no app: each app registers its panel in its `AppConfig.ready()` (core/dashboard.py); this module
adds the year's figures, which are the read side's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dashboard import dashboard_context
from councils.access import council_for_user, councils_for_user
from councils.models import Council

from .selectors import DashboardFigures, dashboard_figures


@dataclass(frozen=True)
class Figure:
    label: str
    this_year: int
    last_year: int

    @property
    def change(self) -> int:
        return self.this_year - self.last_year


def _year_figures(this: DashboardFigures, last: DashboardFigures) -> list[Figure]:
    """The headline figures of two years, side by side."""
    rows: list[tuple[str, Callable[[DashboardFigures], int]]] = [
        (_("Council meetings"), lambda s: s.meetings.get("council", 0)),
        (_("All meetings"), lambda s: sum(s.meetings.values())),
        (_("Public hearings"), lambda s: s.hearings),
        (_("Public monitoring"), lambda s: s.monitoring),
        (_("Draft acts reviewed"), lambda s: s.draft_acts_reviewed),
        (_("Recommendations issued"), lambda s: s.recommendations.total),
        (_("Recommendations answered"), lambda s: s.recommendations.answered),
        (_("Appeals"), lambda s: s.appeals),
        (_("Memoranda signed"), lambda s: s.memoranda),
    ]
    return [Figure(str(label), get(this), get(last)) for label, get in rows]


def figures_panel(*, council: Council, today: dt.date) -> dict[str, object]:
    """This year's figures against last year's (registered in ReportsConfig.ready())."""
    # This year as of today; last year as of its last day (`default_as_of`), the same figures its report gives.
    this_year = dashboard_figures(council=council, year=today.year, today=today)
    last_year = dashboard_figures(council=council, year=today.year - 1, today=today)
    return {
        "year": today.year,
        "figures": _year_figures(this_year, last_year),
        "figures_as_of": this_year.as_of,
        "last_year_as_of": last_year.as_of,
    }


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything the dashboard shows, in a fixed number of queries (about 25), whatever the amount of data."""
    council = council_for_user(request.user, slug)
    context = dashboard_context(council=council, today=timezone.localdate())
    context.update(
        council=council, can_write=councils_for_user(request.user, write=True).filter(id=council.id).exists()
    )
    return render(request, "workspace/dashboard.html", context)
