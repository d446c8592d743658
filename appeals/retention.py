"""Retention of appellants' personal data (SECURITY.md, "Retention").

An appeal's personal data is kept for `OVERSIGHT_APPEAL_RETENTION_YEARS` (default 5) after the appeal ended
(answered, closed, left without consideration or merged; measured from its last status change, or its
registration when it has no history). Then it is anonymised, not deleted: the appeal keeps its number, dates,
council, category, applicant type, channel and status, so every statistic and report still counts it.
Open appeals are never anonymised, however old.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.personal_data import erased_values, fields_of, subject_models
from core.retention import history_scrub, retention_cutoff, storage_delete_on_commit

from .models import Appeal, AppealMessage, AppealStatus, AppealStatusChange

logger = logging.getLogger(__name__)

ENDED_STATUSES = (
    AppealStatus.ANSWERED,
    AppealStatus.CLOSED,
    AppealStatus.LEFT_WITHOUT_CONSIDERATION,
    AppealStatus.MERGED,
)
# Built from the register of processing (core/personal_data.py): a field declared personal on the appeal is
# cleared here without being listed again. Text fields are blanked; the map point is cleared to null.
PERSONAL_FIELDS = tuple(e.field.name for e in fields_of(Appeal) if e.declaration.erase == "blank")
POINT_FIELDS = tuple(e.field.name for e in fields_of(Appeal) if e.declaration.erase == "null")


def related_models() -> list[type[models.Model]]:
    """The models that hold the applicant's data through the appeal (`personal_data_subject = "appeal__…"`):
    messages, attachments, the notes of the status history, and whatever declares it next."""
    return [m for m in subject_models() if m.personal_data_subject.startswith("appeal__") and fields_of(m)]


def _rows(model: type[models.Model], appeal_ref) -> QuerySet:
    rows = model._default_manager.filter(appeal=appeal_ref)
    if model is AppealMessage:
        # The council's own notes to the applicant are the council's record; the applicant's words are theirs.
        rows = rows.filter(author=AppealMessage.Author.CITIZEN)
    return rows


def _holds_data(model: type[models.Model]) -> Q:
    """Rows of `model` on the appeal (OuterRef) that still hold something declared personal."""
    entries = fields_of(model)
    if any(e.declaration.erase == "file" for e in entries):
        return Q(Exists(_rows(model, OuterRef("pk"))))  # such rows are deleted whole
    present = Q()
    for entry in entries:
        present |= (
            ~Q(**{entry.field.name: ""})
            if entry.declaration.erase == "blank"
            else Q(**{f"{entry.field.name}__isnull": False})
        )
    return Q(Exists(_rows(model, OuterRef("pk")).filter(present)))


def appeals_expired(*, now: dt.datetime) -> QuerySet[Appeal]:
    """Ended appeals whose retention period is over and that still hold personal data."""
    cutoff = retention_cutoff(years=settings.OVERSIGHT["APPEAL_RETENTION_YEARS"], now=now)
    return appeals_holding_personal_data().filter(ended_at__lt=cutoff)


def appeals_holding_personal_data() -> QuerySet[Appeal]:
    """Ended appeals that still hold personal data, with the time they ended (`ended_at`)."""
    last_change = AppealStatusChange.objects.filter(appeal=OuterRef("pk")).order_by("-changed_at", "-id")
    holds_personal_data = Q()
    for field in PERSONAL_FIELDS:
        holds_personal_data |= ~Q(**{field: ""})
    for field in POINT_FIELDS:
        holds_personal_data |= Q(**{f"{field}__isnull": False})
    for model in related_models():
        holds_personal_data |= _holds_data(model)
    return (
        Appeal.objects.filter(status__in=ENDED_STATUSES)
        .annotate(ended_at=Coalesce(Subquery(last_change.values("changed_at")[:1]), "registered_at"))
        .filter(holds_personal_data)
        .order_by("id")
    )


@transaction.atomic
def appeal_anonymise(*, appeal_id: int) -> bool:
    """Clear one ended appeal's personal data. False when it is gone or (re)opened meanwhile.

    1. Lock the appeal and check it is still ended.
    2. Clear the fields the register declares personal (the audit-history copies too).
    3. The same for every model that holds the applicant's data through the appeal: rows with a stored file are
       deleted (their files go from the storage once this transaction commits); the others are cleared.
    """
    appeal = Appeal.objects.select_for_update().filter(pk=appeal_id, status__in=ENDED_STATUSES).first()
    if appeal is None:
        return False
    # The idempotency key and digest are no personal data themselves, but the digest is a hash of the applicant's
    # submission: it would confirm a guess of the text. They have done their work long before an appeal ends.
    blank = {**erased_values(fields_of(Appeal)), "submission_key": "", "submission_digest": ""}
    Appeal.objects.filter(pk=appeal_id).update(**blank)
    history_scrub(model=Appeal, filters={"id": appeal_id}, values=blank)
    for model in related_models():
        entries = fields_of(model)
        rows = _rows(model, appeal_id)
        ids = list(rows.values_list("id", flat=True))
        files = [e for e in entries if e.declaration.erase == "file"]
        values = {**erased_values(entries), **{e.field.name: "" for e in files}}
        history_scrub(model=model, filters={"id__in": ids}, values=values)
        if files:
            stored = {e.field.name: list(rows.values_list(e.field.name, flat=True)) for e in files}
            rows.delete()
            for entry in files:
                storage_delete_on_commit(storage=entry.field.storage, names=stored[entry.field.name])
        else:
            rows.update(**erased_values(entries))
    return True


def appeals_anonymise_expired(*, now: dt.datetime | None = None) -> int:
    """Anonymise every appeal whose retention period is over; returns how many. Safe to run again."""
    now = now or timezone.now()
    ids = list(appeals_expired(now=now).values_list("id", flat=True))
    count = sum(appeal_anonymise(appeal_id=appeal_id) for appeal_id in ids)
    if count:
        logger.info("retention: anonymised %s appeal(s) ended before the retention cut-off", count)
    return count
