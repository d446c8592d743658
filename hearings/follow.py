"""What the public sees of a public hearing that a citizen can follow by e-mail (core/follow.py). Registered in
`HearingsConfig.ready()`."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.follow import Followable, State, iso_day, register_followable, text_digest

from .models import PublicHearing
from .open_api import public_hearings


def hearing_state(item: PublicHearing) -> State:
    """The date, the resolution (a digest), the record's day and the documents' ids. The documents are read
    through their reverse relation: participation stands above hearings."""
    return {
        "date": iso_day(item.date),
        "resolution": text_digest(item.resolution),
        "record": iso_day(item.record_published_on),
        "documents": list(item.documents.order_by("id").values_list("id", flat=True)),  # type: ignore[attr-defined]
    }


def register() -> None:
    register_followable(
        Followable(
            "hearing",
            _("Public hearing"),
            "hearings.PublicHearing",
            public=public_hearings,
            state=hearing_state,
            path=lambda item: reverse("reports:hearing", args=[item.council.slug, item.pk]),
            title=lambda item: item.topic,
            council=lambda item: item.council,
            segment="hearings",
        )
    )
