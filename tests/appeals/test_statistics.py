"""Appeal statistics count outcomes and the share answered on time, an extension counted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from appeals.models import Appeal
from appeals.selectors import appeal_counts

pytestmark = pytest.mark.django_db


def _appeal(council, seq, *, status, due, answered=None, extended=None):
    return Appeal.objects.create(
        council=council,
        number=f"ALM-2019-{seq:06d}",
        year=2019,
        sequence=seq,
        registered_at=timezone.make_aware(dt.datetime(2019, 5, 6, 10)),
        applicant_type="individual",
        category="ecology",
        status=status,
        due_date=due,
        answered_on=answered,
        extended_until=extended,
    )


def test_outcomes_and_on_time_share(personas):
    council = personas.council
    due = dt.date(2019, 5, 27)
    _appeal(council, 1, status="closed", due=due, answered=dt.date(2019, 5, 20))  # on time
    _appeal(council, 2, status="answered", due=due, answered=dt.date(2019, 6, 3))  # late
    _appeal(council, 3, status="answered", due=due, answered=dt.date(2019, 6, 3), extended=dt.date(2019, 6, 20))
    _appeal(council, 4, status="forwarded", due=due)  # not answered yet: not counted either way
    stats = appeal_counts(council=council, year=2019, as_of=dt.date(2019, 12, 31))
    assert stats.by_status["answered"] == 2
    assert stats.by_status["closed"] == 1
    assert stats.by_status["forwarded"] == 1
    assert stats.answered == 3
    assert stats.answered_on_time == 2
    assert stats.on_time_share == pytest.approx(0.667, abs=0.001)


def test_no_share_before_anything_is_answered(personas):
    _appeal(personas.council, 1, status="registered", due=dt.date(2019, 5, 27))
    assert appeal_counts(council=personas.council, year=2019, as_of=dt.date(2019, 12, 31)).on_time_share is None
