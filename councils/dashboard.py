"""The work plan panel of the workspace dashboard (registered in CouncilsConfig.ready(), core/dashboard.py)."""

from __future__ import annotations

import calendar
import datetime as dt

from .models import Council, WorkPlanItem, WorkPlanStatus
from .plan import results_for_items

LIST_LIMIT = 10


def dashboard_panel(*, council: Council, today: dt.date) -> dict[str, object]:
    """This year's plan items due by the end of this month and not done yet (late ones first): a plan has tens
    of items, so their status is worked out as the plan page does it."""
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    items = WorkPlanItem.objects.filter(council=council, year=today.year, due_date__lte=month_end).exclude(
        status__in=(WorkPlanStatus.POSTPONED, WorkPlanStatus.CANCELLED)
    )
    open_items = [
        result
        for result in results_for_items(items.order_by("due_date", "number"), council=council, today=today)
        if result.status in (WorkPlanStatus.PLANNED, WorkPlanStatus.IN_PROGRESS)
    ]
    return {"plan_due": open_items[:LIST_LIMIT], "plan_due_count": len(open_items), "plan_month_end": month_end}
