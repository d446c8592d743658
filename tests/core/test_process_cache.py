"""The values kept per process (core/process_cache.py) follow the edits at once: the council an appeal is posted
to and the calendar its deadline is counted on. These tests commit (a value read inside a transaction is never
kept), so they use a database flushed after each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from appeals.deadlines import answer_due
from appeals.selectors import council_taking_appeals
from core import process_cache
from core.models import CalendarDay, CalendarKind
from councils.models import Council

pytestmark = pytest.mark.django_db(transaction=True)

RECEIVED = dt.date(2030, 3, 5)  # a Tuesday


def test_a_value_is_kept_while_its_version_holds_and_loaded_again_after():
    loads: list[int] = []

    def load() -> int:
        loads.append(1)
        return len(loads)

    assert process_cache.remember("k", lambda: "v1", load) == 1
    assert process_cache.remember("k", lambda: "v1", load) == 1
    assert process_cache.remember("k", lambda: "v2", load) == 2
    with transaction.atomic():  # read inside a transaction: never kept
        assert process_cache.remember("k", lambda: "v2", load) == 3
    assert process_cache.remember("k", lambda: "v2", load) == 2


def test_an_unpublished_council_takes_no_more_appeals_at_once():
    council = Council.objects.create(slug="taraz", code="TRZ", name="Общественный совет Тараза", is_published=True)
    assert council_taking_appeals("taraz") == council
    council.is_published = False
    council.save()
    assert council_taking_appeals("taraz") is None
    council.is_published = True
    council.save()
    assert council_taking_appeals("taraz") == council


def test_a_day_off_entered_moves_the_next_deadline_counted():
    before = answer_due(RECEIVED).end
    assert answer_due(RECEIVED).end == before  # kept
    CalendarDay.objects.create(date=RECEIVED + dt.timedelta(days=1), kind=CalendarKind.DAY_OFF, name="Выходной")
    assert answer_due(RECEIVED).end > before
