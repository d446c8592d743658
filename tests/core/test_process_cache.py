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


class _CountingGetMany:
    """Counts the cache's `get_many` calls (each one round trip to Redis in production)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from django.core.cache import cache

        self.calls = 0
        real = cache.get_many

        def get_many(keys, *args, **kwargs):
            self.calls += 1
            return real(keys, *args, **kwargs)

        monkeypatch.setattr(cache, "get_many", get_many)


def test_a_request_reads_the_cache_versions_in_one_round_trip(monkeypatch):
    from core.page_cache import calendar_version, portal_cache_version, versions_of_this_request

    counted = _CountingGetMany(monkeypatch)
    with versions_of_this_request():
        first = portal_cache_version()
        calendar_version()
        assert portal_cache_version() == first
    assert counted.calls == 1  # the portal's and the calendar's versions came together
    portal_cache_version()
    portal_cache_version()
    assert counted.calls == 3  # outside a request (a task, a command) each read asks the cache


def test_an_edit_is_seen_by_the_next_request_and_by_the_editing_one(monkeypatch):
    from core.page_cache import bump_all, portal_cache_version, versions_of_this_request

    with versions_of_this_request():
        before = portal_cache_version()
        bump_all()  # this request's own edit
        after = portal_cache_version()
        assert after != before
    with versions_of_this_request():
        assert portal_cache_version() == after
    bump_all()  # another process's edit, between two requests
    with versions_of_this_request():
        assert portal_cache_version() != after


def test_a_submission_asks_the_cache_for_versions_once(client, monkeypatch):
    council = Council.objects.create(slug="taraz", code="TRZ", name="Общественный совет Тараза", is_published=True)
    body = {
        "applicant_type": "individual",
        "name": "Айгуль Серикова",
        "email": "aigul@example.kz",
        "category": "housing",
        "subject": "Вывоз мусора",
        "text": "Во дворе не вывозят мусор третью неделю.",
        "personal_data_consent": True,
    }
    client.post(f"/api/v1/councils/{council.slug}/appeals/", body, content_type="application/json")  # warm
    counted = _CountingGetMany(monkeypatch)
    body["email"] = "aigul2@example.kz"
    response = client.post(f"/api/v1/councils/{council.slug}/appeals/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert counted.calls == 1  # the council, the form's lists and the deadline's calendar share one read
