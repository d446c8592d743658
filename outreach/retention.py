"""Retention of the consultation log's personal data: the name, contact and notes of a consultation are cleared
`OVERSIGHT_CONSULTATION_RETENTION_YEARS` (default 3) after its date, in the row and in its audit history; the
date, channel, topic and outcome stay, so every count and report still has it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.personal_data import erased_values, fields_of
from core.retention import history_scrub, retention_cutoff

from .models import Consultation

PERSONAL_FIELDS = tuple(entry.field.name for entry in fields_of(Consultation))


def consultations_expired(*, now: dt.datetime) -> QuerySet[Consultation]:
    """Consultations older than the retention period that still hold personal data."""
    cutoff = retention_cutoff(years=settings.OVERSIGHT["CONSULTATION_RETENTION_YEARS"], now=now).date()
    holds = Q()
    for name in PERSONAL_FIELDS:
        holds |= ~Q(**{name: ""})
    return Consultation.objects.filter(holds, date__lt=cutoff)


@transaction.atomic
def consultations_anonymise_expired(*, now: dt.datetime | None = None) -> int:
    """Clear the personal data of every expired consultation; re-runs find nothing left to do."""
    now = now or timezone.now()
    ids = list(consultations_expired(now=now).values_list("id", flat=True))
    if not ids:
        return 0
    values = erased_values(fields_of(Consultation))
    Consultation.objects.filter(id__in=ids).update(**values, anonymised_at=now)
    history_scrub(model=Consultation, filters={"id__in": ids}, values=values)
    return len(ids)
