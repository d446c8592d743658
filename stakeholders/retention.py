"""Retention of contact people's personal data: the name, position, e-mail, phone and notes of a contact person
are cleared `OVERSIGHT_STAKEHOLDER_CONTACT_RETENTION_YEARS` (default 3) after the council last dealt with them
(`Contact.last_dealt_on`: added, edited or named in the contact log), in the row and in its audit history. The
row stays, cleared, so the organisation's log and the mail-outs' counts still add up."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.personal_data import erased_values, fields_of
from core.retention import history_scrub, retention_cutoff

from .models import Contact, MailingGroup


def contacts_expired(*, now: dt.datetime) -> QuerySet[Contact]:
    """Contact people the council has not dealt with for the retention period, not cleared yet."""
    cutoff = retention_cutoff(years=settings.OVERSIGHT["STAKEHOLDER_CONTACT_RETENTION_YEARS"], now=now).date()
    return Contact.objects.filter(anonymised_at__isnull=True, last_dealt_on__lt=cutoff)


@transaction.atomic
def contacts_anonymise_expired(*, now: dt.datetime | None = None) -> int:
    """Clear the personal data of every expired contact person; re-runs find nothing left to do."""
    now = now or timezone.now()
    ids = list(contacts_expired(now=now).values_list("id", flat=True))
    if not ids:
        return 0
    values = erased_values(fields_of(Contact))
    Contact.objects.filter(id__in=ids).update(**values, is_active=False, anonymised_at=now)
    history_scrub(model=Contact, filters={"id__in": ids}, values=values)
    MailingGroup.contacts.through.objects.filter(contact_id__in=ids).delete()
    return len(ids)
