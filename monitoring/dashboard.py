"""The overdue answers panel of the workspace dashboard (registered in MonitoringConfig.ready(), core/dashboard.py)."""

from __future__ import annotations

import datetime as dt

from councils.models import Council

from .selectors import information_requests_overdue, recommendations_overdue

LIST_LIMIT = 10


def dashboard_panel(*, council: Council, today: dt.date) -> dict[str, object]:
    """The recommendations and information requests past their response date: the first few and how many."""
    recommendations = recommendations_overdue(council=council, as_of=today)
    requests = information_requests_overdue(council=council, as_of=today)
    return {
        "overdue_recommendations": list(recommendations[:LIST_LIMIT]),
        "overdue_recommendations_count": recommendations.count(),
        "overdue_requests": list(requests[:LIST_LIMIT]),
        "overdue_requests_count": requests.count(),
    }
