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
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.retention import history_scrub, retention_cutoff, storage_delete_on_commit

from .models import Appeal, AppealAttachment, AppealMessage, AppealStatus, AppealStatusChange

logger = logging.getLogger(__name__)

ENDED_STATUSES = (
    AppealStatus.ANSWERED,
    AppealStatus.CLOSED,
    AppealStatus.LEFT_WITHOUT_CONSIDERATION,
    AppealStatus.MERGED,
)
PERSONAL_FIELDS = (
    "applicant_name",
    "organisation",
    "bin_iin",
    "email",
    "phone",
    "address",
    "place",
    "subject",
    "text",
    "answer_text",
)
# The map point: personal data too (it may be the applicant's home), cleared to null rather than blanked.
POINT_FIELDS = ("latitude", "longitude")


def appeals_expired(*, now: dt.datetime) -> QuerySet[Appeal]:
    """Ended appeals whose retention period is over and that still hold personal data."""
    cutoff = retention_cutoff(years=settings.OVERSIGHT["APPEAL_RETENTION_YEARS"], now=now)
    last_change = AppealStatusChange.objects.filter(appeal=OuterRef("pk")).order_by("-changed_at", "-id")
    holds_personal_data = Q()
    for field in PERSONAL_FIELDS:
        holds_personal_data |= ~Q(**{field: ""})
    holds_personal_data |= Q(latitude__isnull=False)
    holds_personal_data |= Q(Exists(AppealAttachment.objects.filter(appeal=OuterRef("pk"))))
    holds_personal_data |= Q(
        Exists(
            AppealMessage.objects.filter(appeal=OuterRef("pk"), author=AppealMessage.Author.CITIZEN).exclude(text="")
        )
    )
    return (
        Appeal.objects.filter(status__in=ENDED_STATUSES)
        .annotate(ended_at=Coalesce(Subquery(last_change.values("changed_at")[:1]), "registered_at"))
        .filter(ended_at__lt=cutoff)
        .filter(holds_personal_data)
        .order_by("id")
    )


@transaction.atomic
def appeal_anonymise(*, appeal_id: int) -> bool:
    """Clear one ended appeal's personal data. False when it is gone or (re)opened meanwhile.

    1. Lock the appeal and check it is still ended.
    2. Blank the personal fields (the audit-history copies too) and the citizen's messages.
    3. Delete the attachments' rows; their files go from the storage once this transaction commits.
    """
    appeal = Appeal.objects.select_for_update().filter(pk=appeal_id, status__in=ENDED_STATUSES).first()
    if appeal is None:
        return False
    blank = {**dict.fromkeys(PERSONAL_FIELDS, ""), **dict.fromkeys(POINT_FIELDS, None)}
    Appeal.objects.filter(pk=appeal_id).update(**blank)
    history_scrub(model=Appeal, filters={"id": appeal_id}, values=blank)
    citizen_messages = AppealMessage.objects.filter(appeal_id=appeal_id, author=AppealMessage.Author.CITIZEN)
    message_ids = list(citizen_messages.values_list("id", flat=True))
    history_scrub(model=AppealMessage, filters={"id__in": message_ids}, values={"text": ""})
    citizen_messages.update(text="")
    attachments = AppealAttachment.objects.filter(appeal_id=appeal_id)
    names = list(attachments.values_list("file", flat=True))
    history_scrub(model=AppealAttachment, filters={"appeal_id": appeal_id}, values={"file": "", "original_name": ""})
    attachments.delete()
    storage_delete_on_commit(storage=AppealAttachment._meta.get_field("file").storage, names=names)
    return True


def appeals_anonymise_expired(*, now: dt.datetime | None = None) -> int:
    """Anonymise every appeal whose retention period is over; returns how many. Safe to run again."""
    now = now or timezone.now()
    ids = list(appeals_expired(now=now).values_list("id", flat=True))
    count = sum(appeal_anonymise(appeal_id=appeal_id) for appeal_id in ids)
    if count:
        logger.info("retention: anonymised %s appeal(s) ended before the retention cut-off", count)
    return count
