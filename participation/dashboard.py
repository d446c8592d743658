"""The participation panel of the workspace dashboard (registered in ParticipationConfig.ready())."""

from __future__ import annotations

import datetime as dt

from councils.models import Council

from .models import CommentStatus, PublicComment


def dashboard_panel(*, council: Council, today: dt.date) -> dict[str, object]:
    """The comments from the public awaiting moderation: one query."""
    pending = PublicComment.objects.filter(council=council, status=CommentStatus.PENDING).count()
    return {"comments_pending": pending}
