"""The stakeholder registry's panel of the workspace dashboard (registered in StakeholdersConfig.ready(),
core/dashboard.py): how many organisations and contact people the council keeps, how many media contacts a news
item would reach, and the contact people whose data the retention rule clears soon unless the council deals with
them again (`retention.py`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from councils.models import Council, Partner

from .models import Contact, GroupKind
from .selectors import _count, mailable

DUE_DAYS = 60
LIST_LIMIT = 5


@dataclass(frozen=True)
class RegistryCounts:
    organisations: int
    contacts: int
    media_contacts: int
    due: int


@dataclass(frozen=True)
class DueContact:
    contact: Contact
    cleared_on: dt.date


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def dashboard_panel(*, council: Council, today: dt.date) -> dict[str, object]:
    """Two queries: the counts (one row of subqueries) and the first contact people due to be cleared."""
    years = settings.OVERSIGHT["STAKEHOLDER_CONTACT_RETENTION_YEARS"]
    # Cleared once `last_dealt_on` lies `years` before the day: due within DUE_DAYS when it lies before this.
    horizon = _years_later(today + dt.timedelta(days=DUE_DAYS), -years)
    kept = Contact.objects.filter(partner__council=council, anonymised_at__isnull=True)
    due = kept.filter(last_dealt_on__lt=horizon)
    media = mailable(kept.filter(Q(partner__stakeholder_profile__category="media") | Q(groups__kind=GroupKind.MEDIA)))
    annotations = {
        "n_organisations": _count(Partner.objects.filter(council=council), "council"),
        "n_contacts": _count(kept, "partner__council"),
        "n_media": _count(media, "partner__council", distinct=True),
        "n_due": _count(due, "partner__council"),
    }
    row = Council.objects.filter(pk=council.pk).annotate(**annotations).values(*annotations).get()
    counts = RegistryCounts(
        organisations=row["n_organisations"],
        contacts=row["n_contacts"],
        media_contacts=row["n_media"],
        due=row["n_due"],
    )
    soonest = due.select_related("partner").order_by("last_dealt_on", "id")[:LIST_LIMIT] if counts.due else []
    return {
        "stakeholder_counts": counts,
        "stakeholder_due": [DueContact(c, max(_years_later(c.last_dealt_on, years), today)) for c in soonest],
        "stakeholder_due_days": DUE_DAYS,
    }
