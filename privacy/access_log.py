"""Who looked: the receiver that writes `AccessLogEntry` rows for `core.access_log.personal_data_viewed`.

Only appeals carry a council and a number today; a model that is not an appeal (or has none) is not logged here
until a branch for it is added, and `test_access_log` names the views that must log.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from .models import AccessLogEntry

# An export of more appeals than this is logged in batches of this size (one INSERT each).
BATCH = 1000


def _entries(user: Any, appeals: list[tuple[int, int, str]], what: str, detail: str) -> list[AccessLogEntry]:
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    return [
        AccessLogEntry(
            council_id=council_id, user_id=user_id, appeal_id=pk, appeal_number=number, what=what, detail=detail[:255]
        )
        for pk, council_id, number in appeals
    ]


def record_view(
    sender: type[Model], *, user: Any, records: Model | QuerySet[Any], what: str, detail: str = "", **kwargs: Any
) -> None:
    """Write one entry per appeal seen (an export: one per exported appeal, so each person's log is complete)."""
    if sender._meta.label_lower != "appeals.appeal":
        return
    if isinstance(records, Model):
        rows = [(records.pk, records.council_id, records.number)]  # type: ignore[attr-defined]
        AccessLogEntry.objects.bulk_create(_entries(user, rows, what, detail))
        return
    batch: list[tuple[int, int, str]] = []
    for row in records.order_by().values_list("pk", "council_id", "number").iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            AccessLogEntry.objects.bulk_create(_entries(user, batch, what, detail))
            batch = []
    if batch:
        AccessLogEntry.objects.bulk_create(_entries(user, batch, what, detail))
