"""The deputies panel of the workspace dashboard (registered in DeputiesConfig.ready(), core/dashboard.py): for an
NGO monitor, the questions waiting for moderation and the records waiting for a second person's review."""

from __future__ import annotations

import datetime as dt

from councils.models import Council, CouncilKind

from .models import Activity, Promise, Question, QuestionStatus, ReviewStatus, Session


def dashboard_panel(*, council: Council, today: dt.date) -> dict[str, object]:
    if council.kind != CouncilKind.NGO_MONITOR:
        return {"deputies_monitor": False}
    drafts = sum(
        model.objects.filter(council=council, status=ReviewStatus.DRAFT).count()
        for model in (Session, Activity, Promise)
    )
    pending = Question.objects.filter(council=council, status=QuestionStatus.PENDING).count()
    return {"deputies_monitor": True, "deputies_pending_questions": pending, "deputies_drafts": drafts}
