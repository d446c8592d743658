"""The news panel of the workspace dashboard (registered in NewsConfig.ready(), core/dashboard.py): what is
scheduled to go public and how many drafts wait."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from councils.models import Council

from .models import NewsStatus
from .selectors import news_for_workspace

LIST_LIMIT = 5


def dashboard_panel(*, council: Council, today: dt.date) -> dict[str, object]:
    """The items scheduled for later, soonest first, and the number of drafts: two queries."""
    items = news_for_workspace(council=council)
    scheduled = items.filter(status=NewsStatus.PUBLISHED, publish_at__gt=timezone.now()).order_by("publish_at", "id")
    return {
        "news_scheduled": list(scheduled[:LIST_LIMIT]),
        "news_drafts": items.filter(status=NewsStatus.DRAFT).count(),
    }
