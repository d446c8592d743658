"""A statement the ORM writes once and runs again with new values (core/prepared.py): the same rows as the ORM for
every input, and the ORM again wherever the statement might not fit other values."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from unittest import mock

import pytest
from django.core.management import call_command
from django.db.models import Count, QuerySet
from django.db.models.sql.compiler import SQLCompiler

from core import prepared
from core.prepared import prepared_values
from councils.models import Council
from hearings.models import Meeting, MeetingKind
from monitoring import services as monitoring_services
from monitoring.models import AnswerKind, RefusalGround
from reports.selectors import council_year_stats
from tests.factories import CouncilFactory, MeetingFactory, StateBodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept():
    prepared.clear()
    yield
    prepared.clear()


@pytest.fixture
def meetings():
    """Two councils' meetings over two years, of two kinds."""
    first, second = CouncilFactory(), CouncilFactory()
    for council, days in ((first, ["2019-02-01", "2019-03-01", "2019-11-30", "2020-01-15"]), (second, ["2019-06-01"])):
        for i, day in enumerate(days):
            kind = MeetingKind.COUNCIL if i % 2 == 0 else MeetingKind.COMMISSION
            MeetingFactory(council=council, date=dt.date.fromisoformat(day), kind=kind, is_open=True)
    return first, second


def by_kind(*, council_id: int, start: dt.date, end: dt.date) -> QuerySet:
    return (
        Meeting.objects.filter(council_id=council_id, date__range=(start, end))
        .values("kind")
        .annotate(n=Count("id"), first=Count("date", distinct=True))
        .order_by("kind")
    )


def test_the_rows_are_the_orms_for_each_input_and_the_statement_is_written_once(meetings):
    first, second = meetings
    cases = [
        (first.pk, dt.date(2019, 1, 1), dt.date(2019, 12, 31)),
        (first.pk, dt.date(2019, 3, 1), dt.date(2020, 12, 31)),
        (second.pk, dt.date(2019, 1, 1), dt.date(2019, 12, 31)),
        (second.pk, dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
    ]
    wrote = mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql)
    with wrote as as_sql:
        for council_id, start, end in cases:
            rows = prepared_values("test.by_kind", by_kind, council_id=council_id, start=start, end=end)
            assert rows == list(by_kind(council_id=council_id, start=start, end=end))
    # twice for the first call (the statement is written with two sets of stand-ins), then once per call for the
    # comparison with the ORM above: never again for the prepared statement
    assert as_sql.call_count == 2 + len(cases)
    assert prepared_values("test.by_kind", by_kind, council_id=first.pk, start=cases[0][1], end=cases[0][2]) == [
        {"kind": MeetingKind.COMMISSION, "n": 1, "first": 1},
        {"kind": MeetingKind.COUNCIL, "n": 2, "first": 2},
    ]


def by_year(*, council_id: int, year: int) -> QuerySet:
    # `date__year` turns the year into two dates in the statement: not values a later call could replace
    return Meeting.objects.filter(council_id=council_id, date__year=year).values("council_id").annotate(n=Count("id"))


def from_python(*, council_id: int, start: dt.date, end: dt.date) -> QuerySet:
    last = min(end, dt.date(2019, 12, 31))  # decided in Python from an input
    return by_kind(council_id=council_id, start=start, end=last)


def branching(*, council_id: int, start: dt.date, end: dt.date) -> QuerySet:
    kind = MeetingKind.COUNCIL if start == dt.date(2019, 1, 1) else MeetingKind.COMMISSION  # decided in Python
    return by_kind(council_id=council_id, start=start, end=end).filter(kind=kind)


def reading(*, council_id: int, start: dt.date, end: dt.date) -> QuerySet:
    kinds = list(Meeting.objects.values_list("kind", flat=True).distinct())  # depends on the data
    return by_kind(council_id=council_id, start=start, end=end).filter(kind__in=kinds)


@pytest.mark.parametrize(
    ("name", "build", "inputs"),
    [
        ("derived", by_year, [{"year": 2019}, {"year": 2020}]),
        (
            "python",
            from_python,
            [{"start": dt.date(2019, 1, 1), "end": d} for d in (dt.date(2019, 6, 30), dt.date(2020, 6, 30))],
        ),
        (
            "branching",
            branching,
            [{"start": day, "end": dt.date(2020, 12, 31)} for day in (dt.date(2019, 1, 1), dt.date(2019, 1, 2))],
        ),
        ("reads", reading, [{"start": dt.date(2019, 1, 1), "end": dt.date(2020, 12, 31)}] * 2),
    ],
)
def test_a_statement_that_might_not_fit_other_values_is_left_to_the_orm(meetings, name, build, inputs):
    first, _second = meetings
    for each in inputs:
        rows = prepared_values(f"test.{name}", build, council_id=first.pk, **each)
        assert rows == list(build(council_id=first.pk, **each))
    assert prepared._prepared and all(kept is prepared._FALLBACK for kept in prepared._prepared.values())


def test_a_year_counted_through_a_derived_statement_is_each_years_own(meetings):
    first, _second = meetings
    counts = [prepared_values("test.derived", by_year, council_id=first.pk, year=y) for y in (2019, 2020)]
    assert counts == [[{"council_id": first.pk, "n": 3}], [{"council_id": first.pk, "n": 1}]]


def by_slug(*, council_id: int) -> QuerySet:
    # the input written into a text: a value of the statement the stand-ins do not show as theirs
    return Meeting.objects.filter(council__slug=f"c{council_id}").values("council_id").annotate(n=Count("id"))


def test_a_value_made_from_an_input_is_never_kept_for_the_next_input(meetings):
    for council in meetings:
        type(council).objects.filter(pk=council.pk).update(slug=f"c{council.pk}")
    counts = [prepared_values("test.by_slug", by_slug, council_id=council.pk) for council in meetings]
    assert counts == [[{"council_id": meetings[0].pk, "n": 4}], [{"council_id": meetings[1].pk, "n": 1}]]


def test_the_demo_councils_figures_are_the_orms_and_each_statement_is_kept():
    """Every council and year of the demo, on several days: the year's figures through the kept statements are
    the ORM's own, and none of the selectors that use them has fallen back to the ORM (a fallback would be slow,
    not wrong, and otherwise silent)."""
    call_command("load_demo")
    almaty = Council.objects.get(slug="almaty")
    body = StateBodyFactory()
    # The demo has no information requests: answered in time, refused, refused late, unanswered, across years.
    for sent_on, answer_on, ground in [
        (dt.date(2019, 3, 4), dt.date(2019, 3, 12), ""),
        (dt.date(2019, 11, 1), dt.date(2019, 11, 5), RefusalGround.PERSONAL_DATA),
        (dt.date(2019, 12, 20), dt.date(2020, 2, 3), RefusalGround.COMMERCIAL),
        (dt.date(2020, 5, 5), None, ""),
    ]:
        request = monitoring_services.information_request_create(
            council=almaty, subject="Данные", text="Просим", state_body=body, by=None
        )
        request = monitoring_services.information_request_send(information_request=request, sent_on=sent_on, by=None)
        if answer_on:
            monitoring_services.information_request_record_response(
                information_request=request,
                received_on=answer_on,
                text="Ответ",
                kind=AnswerKind.REFUSED if ground else AnswerKind.FULL,
                refusal_ground=ground,
                by=None,
            )
    cases = [
        (council, year, as_of)
        for council in Council.objects.order_by("pk")
        for year in (2019, 2020, 2025)
        for as_of in (dt.date(year, 6, 30), dt.date(year, 12, 31), dt.date(year + 1, 3, 1))
    ]
    kept = [asdict(council_year_stats(council=c, year=year, as_of=as_of)) for c, year, as_of in cases]
    names = {
        key[0].partition(":")[0]
        for key, statement in prepared._prepared.items()
        if isinstance(statement, prepared._Prepared)
    }
    fallen = {key[0] for key, statement in prepared._prepared.items() if not isinstance(statement, prepared._Prepared)}
    assert fallen == set()
    assert names >= {
        "stakeholders.stakeholder_counts",
        "hearings.attendance_rows",
        "participation.participation_year_stats",
        "monitoring.recommendation_counts",
        "monitoring.information_request_counts",
        "councils.expert_counts",
    }
    prepared.clear()
    with mock.patch.object(prepared, "_prepare", side_effect=prepared._InputUsedInPython):
        orm = [asdict(council_year_stats(council=c, year=year, as_of=as_of)) for c, year, as_of in cases]
    assert kept == orm
    # (the demo has no comments or name-by-name attendance: their own tests cover those figures)
    for figures in ("recommendations", "information_requests", "stakeholders", "experts"):
        assert any(year[figures] != orm[0][figures] for year in orm), f"the demo's {figures} are all alike"
