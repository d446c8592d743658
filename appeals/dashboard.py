"""The appeals panel of the workspace dashboard (registered in AppealsConfig.ready(), core/dashboard.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from councils.models import Council

from .deadlines import overdue_q
from .filters import appeals_for_inbox, due_soon_limit, due_soon_q, unassigned_q


def dashboard_panel(*, council: Council, today: dt.date) -> dict[str, object]:
    """How many of the council's appeals are overdue, due soon and not taken by anyone: one query."""
    appeals = appeals_for_inbox(council=council).aggregate(
        overdue=Count("id", filter=overdue_q(today)),
        due_soon=Count("id", filter=due_soon_q(today, due_soon_limit(today))),
        unassigned=Count("id", filter=unassigned_q()),
    )
    return {
        "appeals_overdue": appeals["overdue"],
        "appeals_due_soon": appeals["due_soon"],
        "appeals_unassigned": appeals["unassigned"],
    }
