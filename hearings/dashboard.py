"""The meetings panel of the workspace dashboard (registered in HearingsConfig.ready(), core/dashboard.py)."""

from __future__ import annotations

import datetime as dt

from councils.models import Council

from .selectors import meetings_for_workspace

UPCOMING_DAYS = 30
LIST_LIMIT = 20


def dashboard_panel(*, council: Council, today: dt.date) -> dict[str, object]:
    """The meetings of the next `UPCOMING_DAYS` days, soonest first: one query."""
    meetings = list(
        meetings_for_workspace(council=council)
        .filter(date__gte=today, date__lte=today + dt.timedelta(days=UPCOMING_DAYS))
        .order_by("date", "id")[:LIST_LIMIT]
    )
    return {"upcoming_days": UPCOMING_DAYS, "meetings": meetings}
