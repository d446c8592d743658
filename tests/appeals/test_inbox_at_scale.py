"""The inbox at any size (issue 17): search and the default order read an index, the list reads the columns it
shows, the count stops at a bound, the years come from two index reads. Speed itself is measured in
benchmarks/scale.py; these tests pin the behaviour and the plans that make it so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appeals import staff_views
from appeals.filters import AppealFilter, appeal_years, appeals_for_inbox
from appeals.models import AppealStatus
from appeals.retention import appeal_anonymise

from .test_inbox import INBOX, make_appeal, numbers

pytestmark = [pytest.mark.django_db]

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="text search and plans are PostgreSQL's")


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def secretary(personas):
    return personas.client_for(personas.secretary)


def plan(queryset) -> str:
    """PostgreSQL's plan for the query when a sequential scan and a sort are made as dear as it can make them:
    the plan names an index only when one can serve the query."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        text = queryset.explain()
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_sort")
    return text


@postgres_only
def test_search_matches_the_stored_document_which_a_gin_index_serves(personas):
    queryset = AppealFilter(
        {"q": "освещение"}, queryset=appeals_for_inbox(council=personas.council), council=personas.council
    ).qs
    assert '"appeals_appeal"."search_document" @@' in str(queryset.query)  # no per-row to_tsvector
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "appeals_appeal")
    gin = [c for c in constraints.values() if c.get("type") == "gin" and c["columns"] == ["search_document"]]
    assert gin, "no GIN index over appeals_appeal.search_document"


@postgres_only
def test_default_order_is_read_off_an_index_not_sorted(personas):
    queryset = AppealFilter({}, queryset=appeals_for_inbox(council=personas.council), council=personas.council).qs
    text = plan(queryset)
    assert "appeal_inbox_order" in text
    assert "Sort" not in text.replace("Sort Key", "")


@postgres_only
def test_a_kazakh_word_is_found_as_written_and_a_russian_one_in_any_form(personas, secretary, today):
    yard = make_appeal(personas.council, due=today, subject="Ауладағы қоқыс", text="Қоқыс жәшіктері толып тұр.")
    light = make_appeal(personas.council, due=today, subject="Освещение", text="Во дворах нет фонарей.")
    assert numbers(secretary.get(INBOX, {"q": "қоқыс"})) == [yard.number]
    assert numbers(secretary.get(INBOX, {"q": "двор"})) == [light.number]


def test_a_number_typed_in_part_or_in_lower_case_finds_the_appeals_it_begins(personas, secretary, today):
    first = make_appeal(personas.council, due=today, subject="Первое")
    second = make_appeal(personas.council, due=today, subject="Второе")
    make_appeal(personas.other_council, due=today, subject="Чужое")
    prefix = first.number[: first.number.rindex("-") + 1].lower()  # "alm-2026-"
    assert sorted(numbers(secretary.get(INBOX, {"q": prefix}))) == sorted([first.number, second.number])
    assert numbers(secretary.get(INBOX, {"q": second.number})) == [second.number]


@postgres_only
def test_an_anonymised_appeal_is_no_longer_found_by_its_words(personas, secretary, today):
    appeal = make_appeal(
        personas.council, due=today, status=AppealStatus.CLOSED, subject="Шум от стройки", text="Стройка ночью."
    )
    assert numbers(secretary.get(INBOX, {"q": "стройка"})) == [appeal.number]
    assert appeal_anonymise(appeal_id=appeal.pk)
    assert numbers(secretary.get(INBOX, {"q": "стройка"})) == []


def test_the_list_does_not_read_the_applicants_text_or_contacts(personas, secretary, today):
    make_appeal(personas.council, due=today, text="Длинный текст обращения", email="someone@example.kz")
    with CaptureQueriesContext(connection) as captured:
        response = secretary.get(INBOX)
    assert response.status_code == 200
    listing = [
        q["sql"] for q in captured.captured_queries if 'FROM "appeals_appeal"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert listing, "the page query was not seen"
    for column in ('"appeals_appeal"."text"', '"appeals_appeal"."email"', '"appeals_appeal"."answer_text"'):
        assert all(column not in sql for sql in listing), column


def test_past_the_bound_the_count_says_more_than_and_the_list_still_pages(personas, secretary, today, monkeypatch):
    monkeypatch.setattr(staff_views, "INBOX_COUNT_BOUND", 3)
    for _ in range(5):
        make_appeal(personas.council, due=today)
    response = secretary.get("/en/workspace/almaty/appeals/")
    assert "More than 3 appeals found" in response.text
    assert len(numbers(response)) == 3
    monkeypatch.setattr(staff_views, "INBOX_COUNT_BOUND", 10)
    response = secretary.get("/en/workspace/almaty/appeals/")
    assert "5 appeals found" in response.text


def test_the_year_filter_offers_every_year_from_the_first_appeal_to_the_last(personas, today):
    make_appeal(personas.council, due=today, registered_days_ago=365 * 2 + 30)
    make_appeal(personas.council, due=today)
    first = timezone.localdate() - dt.timedelta(days=365 * 2 + 30)
    assert appeal_years(personas.council) == list(range(timezone.localdate().year, first.year - 1, -1))
    assert appeal_years(personas.other_council) == []
