"""The inbox at any size (issue 17): search and the default order read an index, the list reads the columns it
shows, the count stops at a bound, the years come from two index reads. Speed itself is measured in
benchmarks/scale.py; these tests pin the behaviour and the plans that make it so."""

from __future__ import annotations

import datetime as dt
import re

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
    assert '("appeals_appeal"."search_document" @@ council_words_query(' in str(queryset.query)  # no to_tsvector
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "appeals_appeal")
    gin = [c for c in constraints.values() if c.get("type") == "gin" and c["columns"] == ["search_document"]]
    assert gin, "no GIN index over appeals_appeal (search_document)"


@postgres_only
def test_a_councils_search_reads_its_own_matches_not_the_countrys(personas, today):
    """The words of the stored document are marked with the council: the index's list of a word holds one
    council's appeals, so a word common elsewhere costs a council only its own matches."""
    ours = make_appeal(personas.council, due=today, subject="Ауладағы қоқыс", text="Қоқыс жиналмайды.")
    for _ in range(3):
        make_appeal(personas.other_council, due=today, subject="Ауладағы қоқыс", text="Қоқыс жиналмайды.")
    with connection.cursor() as cursor:
        # No council in the condition: the document alone tells the council.
        cursor.execute(
            "SELECT id FROM appeals_appeal WHERE search_document @@ council_words_query(%s, "
            "websearch_to_tsquery('simple', 'қоқыс'))",
            [personas.council.pk],
        )
        assert [row[0] for row in cursor.fetchall()] == [ours.pk]


@postgres_only
@pytest.mark.parametrize(
    ("q", "found"),
    [
        ('"ауладағы қоқыс"', ["yard"]),  # a phrase: the words in that order
        ('"қоқыс ауладағы"', []),
        ("қоқыс -жол", ["yard"]),  # "-word": without it
        ("қоқыс or жол", ["yard", "road"]),
        ("Жол жөндеу", ["road"]),
        ("дворы", ["light"]),  # Russian stemming
        ("it's", ["quote"]),  # a quote in the text and in the query
        ("ауладағы " + "ы" * 2100, []),  # a word too long to index is left out, not an error
        ("и", []),  # a stop word only: nothing, and no error
    ],
)
def test_what_a_web_search_says_keeps_its_meaning_with_the_council_marks(personas, secretary, today, q, found):
    appeals = {
        "yard": make_appeal(personas.council, due=today, subject="Ауладағы қоқыс", text="Қоқыс жиналмайды."),
        "road": make_appeal(personas.council, due=today, subject="Жол жөндеу", text="Жол бұзылған, қоқыс жоқ."),
        "light": make_appeal(personas.council, due=today, subject="Освещение", text="Во дворе темно."),
        "quote": make_appeal(personas.council, due=today, subject="Quote", text="it's dark"),
    }
    make_appeal(personas.other_council, due=today, subject="Ауладағы қоқыс", text="Жол жөндеу, освещение.")
    names = {appeal.number: name for name, appeal in appeals.items()}
    response = secretary.get(INBOX, {"q": q})
    assert response.status_code == 200
    assert sorted(names[number] for number in numbers(response)) == sorted(found)


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


# ---- a common word: the count decides, the pages walk the order's index ------------------------------------


def _search_page(secretary, params: dict) -> tuple[list[str], str, list[str]]:
    """The numbers the inbox lists, its count line and the SQL of its queries."""
    with CaptureQueriesContext(connection) as captured:
        response = secretary.get("/en/workspace/almaty/appeals/", params)
    assert response.status_code == 200
    count_line = response.text.split('id="result-count">', 1)[1].split("</p>", 1)[0]
    return numbers(response), count_line, [q["sql"] for q in captured.captured_queries]


def _mixed_appeals(council, today) -> None:
    """Twelve appeals, eight of them about lighting, in every place of the default order: new, in hand with
    near and far deadlines, closed."""
    for days_ago, status, due, subject in [
        (1, AppealStatus.REGISTERED, 10, "Освещение во дворе"),
        (2, AppealStatus.REGISTERED, 9, "Ремонт дороги"),
        (3, AppealStatus.ASSIGNED, 2, "Нет освещения на улице"),
        (4, AppealStatus.ASSIGNED, 1, "Освещение в сквере"),
        (5, AppealStatus.FORWARDED, 5, "Мусор"),
        (6, AppealStatus.ANSWER_RECEIVED, 3, "Освещение подъезда"),
        (7, AppealStatus.CLOSED, -5, "Освещение парка"),
        (8, AppealStatus.CLOSED, -6, "Автобус"),
        (9, AppealStatus.ANSWERED, -7, "Освещение остановки"),
        (10, AppealStatus.REGISTERED, 4, "Освещение двора"),
        (11, AppealStatus.ASSIGNED, 8, "Шум"),
        (12, AppealStatus.CLOSED, -9, "Освещение моста"),
    ]:
        make_appeal(
            council, due=today + dt.timedelta(days=due), status=status, subject=subject, registered_days_ago=days_ago
        )


@postgres_only
@pytest.mark.parametrize("sort", ["", "deadline", "-registered", "registered", "-deadline"])
def test_a_search_with_many_matches_lists_the_same_appeals_in_the_same_order(
    personas, secretary, today, monkeypatch, sort
):
    """Past the search's count bound the pages are read another way (walking the order's index); the rows and
    their order are those of the sort over every match, page after page."""
    _mixed_appeals(personas.council, today)
    make_appeal(personas.other_council, due=today, subject="Освещение чужое")
    params = {"q": "освещение", "sort": sort} if sort else {"q": "освещение"}
    few, few_count, _sql = _search_page(secretary, params)  # 8 matches, under the bound of 1,000: counted
    assert few_count == "8 appeals found"
    assert len(few) == 8

    monkeypatch.setattr(staff_views, "INBOX_SEARCH_COUNT_BOUND", 6)
    monkeypatch.setattr(staff_views, "PAGE_SIZE", 2)
    many: list[str] = []
    for page in (1, 2, 3):
        listed, count_line, sql = _search_page(secretary, {**params, "page": page})
        assert count_line.startswith("More than 6 appeals found")
        many += listed
        page_query = [q for q in sql if "@@" in q and "LIMIT 2" in q and "COUNT(" not in q]
        assert page_query
        walked = any('COALESCE("appeals_appeal"."search_document", \'\'::tsvector)' in q for q in page_query)
        assert walked == (sort != "-deadline"), page_query  # the latest deadline first has no index to walk
    assert many == few[:6]


@postgres_only
@pytest.mark.parametrize("extra", [{}, {"status": "open"}, {"sort": "-deadline"}, {"status": "open", "page": "2"}])
def test_a_search_under_its_bound_finds_its_matches_once_and_lists_them_as_before(
    personas, secretary, today, monkeypatch, extra
):
    """Under the count's bound the count reads the matches' ids, and the page and the place counts read those rows
    by their ids rather than each finding the matches in the index again: one text search per page, the same
    rows in the same order and the same place counts."""
    _mixed_appeals(personas.council, today)
    make_appeal(personas.other_council, due=today, subject="Освещение чужое")
    monkeypatch.setattr(staff_views, "PAGE_SIZE", 3)
    params = {"q": "освещение", **extra}

    def page() -> tuple[list[str], object, int]:
        with CaptureQueriesContext(connection) as captured:
            response = secretary.get("/en/workspace/almaty/appeals/", params)
        assert response.status_code == 200
        searches = sum("@@" in query["sql"] for query in captured.captured_queries)
        return numbers(response), response.context["place_counts"], searches

    listed, places, searches = page()
    assert searches == 1
    assert listed and places.by_category
    # Every query finding the matches itself, as before: the same page.
    monkeypatch.setattr(staff_views.AppealFilter, "found_qs", lambda self, ids: self.qs)
    assert page() == (listed, places, 3)  # the count, the page, the place counts (one grouped query)


@postgres_only
def test_a_search_walks_the_inbox_order_index_when_told_to(personas):
    queryset = AppealFilter(
        {"q": "освещение"}, queryset=appeals_for_inbox(council=personas.council), council=personas.council
    ).walk_qs()
    assert queryset is not None
    text = plan(queryset[:25])
    assert "appeal_inbox_order" in text
    assert "appeal_search_by_council" not in text


def test_the_search_count_stops_at_its_own_bound(personas, secretary, today, monkeypatch):
    monkeypatch.setattr(staff_views, "INBOX_SEARCH_COUNT_BOUND", 2)
    for _ in range(3):
        make_appeal(personas.council, due=today, subject="Освещение")
    response = secretary.get("/en/workspace/almaty/appeals/", {"q": "Освещение"})
    assert "More than 2 appeals found" in response.text
    response = secretary.get("/en/workspace/almaty/appeals/")
    assert "3 appeals found" in response.text


# ---- a deep page of a common word: PostgreSQL knows how common it is along the walk ----------------------------


def _estimated_and_actual_rows(queryset) -> tuple[float, int]:
    """PostgreSQL's estimate of how many rows of the scan that tests the search match, and how many do."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan_json = cursor.fetchone()[0][0]["Plan"]

    def scans(node):
        if "Filter" in node or "Index Cond" in node or "Recheck Cond" in node:
            yield node
        for child in node.get("Plans", []):
            yield from scans(child)

    testing = [n for n in scans(plan_json) if "tsvector" in n.get("Filter", "") + n.get("Recheck Cond", "")]
    assert testing, plan_json
    return testing[0]["Plan Rows"], queryset.count()


@postgres_only
def test_the_walk_expects_as_many_matches_of_a_common_word_as_there_are(personas, today):
    """The 40th page of a word that every third appeal has read the whole council at 1,000,000 appeals
    (benchmarks/scale.py: 104,422 rows): PostgreSQL guessed that one row in two hundred of the walk's expression
    matches, expected the walk to pass the whole council and sorted every appeal instead. With statistics on the
    expression (migration 0018) it expects what the column's own statistics say."""
    subjects = ["Освещение во дворе", "Ремонт дороги", "Вывоз мусора"]
    for n in range(300):
        make_appeal(personas.council, due=today, subject=subjects[n % 3], registered_days_ago=1 + n % 200)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE appeals_appeal")
    walk = AppealFilter(
        {"q": "освещение"}, queryset=appeals_for_inbox(council=personas.council), council=personas.council
    ).walk_qs()
    assert walk is not None
    estimated, actual = _estimated_and_actual_rows(walk)
    assert actual == 100
    assert actual / 2 <= estimated <= actual * 2, (estimated, actual)


@postgres_only
def test_the_open_appeals_oldest_first_are_read_off_their_own_index(personas):
    """Open appeals are the newest: walking every appeal from the oldest passed all the ended ones first (a search
    among the open ones, oldest first, read 98,000 rows at 1,000,000 appeals)."""
    queryset = AppealFilter(
        {"status": "open", "sort": "registered"},
        queryset=appeals_for_inbox(council=personas.council),
        council=personas.council,
    ).qs
    assert "appeal_open_newest" in plan(queryset[:25])


@postgres_only
def test_a_word_search_reads_the_gin_list_alone_not_the_councils_whole_index(personas, today):
    """The council's marks on the words already keep the search to the council: its btree index read beside the
    GIN list (a BitmapAnd) would cost a big council its whole index, 100,000 entries, for every search."""
    for _ in range(3):
        make_appeal(personas.council, due=today, subject="Освещение во дворе", text="Темно.")
        make_appeal(personas.other_council, due=today, subject="Освещение во дворе", text="Темно.")
    appeal_filter = AppealFilter(
        {"q": "освещение"}, queryset=appeals_for_inbox(council=personas.council), council=personas.council
    )
    count = appeal_filter.qs.order_by().values_list("pk", flat=True)
    text = plan(count)
    assert "appeal_search_by_council" in text
    assert "BitmapAnd" not in text
    assert "council_id = " not in text.replace("(council_id + 0) = ", "")  # no index condition on the council
    assert len(count) == 3


@postgres_only
@pytest.mark.parametrize("narrowing", [{"status": "open"}, {"status": "assigned"}, {"overdue": "on"}])
def test_a_search_among_open_appeals_tests_the_words_on_them_not_on_the_councils_past(
    personas, secretary, today, narrowing
):
    """The open appeals are the work in hand, bounded; the GIN list of a common word holds every year of the
    council and grows with it. Among open appeals the words are tested along the open appeals' own index, and
    the same appeals are found."""
    overdue = today - dt.timedelta(days=1)
    found = make_appeal(personas.council, due=overdue, status=AppealStatus.ASSIGNED, subject="Освещение во дворе")
    make_appeal(personas.council, due=overdue, status=AppealStatus.ASSIGNED, subject="Ремонт дороги")
    make_appeal(personas.council, due=overdue, status=AppealStatus.CLOSED, subject="Освещение улицы")
    make_appeal(personas.other_council, due=overdue, status=AppealStatus.ASSIGNED, subject="Освещение во дворе")
    query = {"q": "освещение", **narrowing}
    appeal_filter = AppealFilter(query, queryset=appeals_for_inbox(council=personas.council), council=personas.council)
    count = appeal_filter.qs.order_by().values_list("pk", flat=True)
    # The document as the walk reads it (an expression no index serves), the council's equality kept for the index.
    assert 'COALESCE("appeals_appeal"."search_document"' in str(count.query)
    assert '"appeals_appeal"."council_id" + 0' not in str(count.query)
    text = plan(count)
    # Along an index of the council's rows (the open appeals' own, or by status, as the statistics suggest).
    assert re.search(r"Index Cond: \(+council_id = ", text), text
    assert "appeal_search_by_council" not in text
    assert numbers(secretary.get(INBOX, query)) == [found.number]
