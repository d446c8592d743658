"""The appeals panel of the workspace dashboard (registered in AppealsConfig.ready(), core/dashboard.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from councils.models import Council

from .deadlines import overdue_q
from .filters import appeals_for_inbox, due_soon_limit, due_soon_q, unassigned_q


def dashboard_panel(*, council: Council, today: dt.date) -> dict[str, object]:
    """How many of the council's appeals are overdue, due soon and not taken by anyone: one query.

    Only appeals that can count are read: the new ones (`inbox_rank` 0) and those in work with a deadline
    (`open_deadline`), two ranges of the inbox's index (`appeal_inbox_order`), so the cost follows the council's
    open work, not its years of ended appeals. The rules themselves stay those of the inbox's filters."""
    in_work = Q(inbox_rank=0) | Q(inbox_rank=1, open_deadline__isnull=False)
    appeals = (
        appeals_for_inbox(council=council)
        .filter(in_work)
        .aggregate(
            overdue=Count("id", filter=overdue_q(today)),
            due_soon=Count("id", filter=due_soon_q(today, due_soon_limit(today))),
            unassigned=Count("id", filter=unassigned_q()),
        )
    )
    return {
        "appeals_overdue": appeals["overdue"],
        "appeals_due_soon": appeals["due_soon"],
        "appeals_unassigned": appeals["unassigned"],
    }
