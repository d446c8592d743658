"""A closed year's outcome figures as of its 31 December are counted once and kept (AppealOutcomeFigures): the
next request reads one row instead of every appeal of the year and its history, whatever their number, and any
change to the year's appeals or their histories is counted again. The running year is always counted live."""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import asdict
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appeals import selectors
from appeals.models import (
    Appeal,
    AppealOutcomeFigures,
    AppealStatus,
    AppealStatusChange,
    ApplicantType,
    Category,
    Channel,
)
from appeals.selectors import appeal_counts
from councils.selectors import year_as_of
from tests import factories as f

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
YEAR_END = dt.date(2019, 12, 31)
# Either appeals table, by name (not the kept figures' own table, whose name starts the same).
APPEAL_TABLES = re.compile(r"\bappeals_appeal(statuschange)?\b")


def _at(year: int, month: int, day: int = 4, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=ALMATY)


def _step(appeal: Appeal, status: str, when: dt.datetime) -> AppealStatusChange:
    return AppealStatusChange.objects.create(appeal=appeal, status=status, changed_at=when)


def _year_of_appeals(council, *, scale: int = 1) -> list[Appeal]:
    """A demo-like year: every kind of outcome, histories reaching past the year's end, extensions."""
    made = []
    for n in range(scale):
        on_time = f.AppealFactory(
            council=council,
            registered_at=_at(2019, 2 + n % 9),
            due_date=dt.date(2019, 3 + n % 9, 25),
            answered_on=dt.date(2019, 3 + n % 9, 20),
            status=AppealStatus.CLOSED,
        )
        _step(on_time, AppealStatus.ASSIGNED, _at(2019, 2 + n % 9, 5))
        _step(on_time, AppealStatus.CLOSED, _at(2019, 3 + n % 9, 20))
        late = f.AppealFactory(
            council=council,
            registered_at=_at(2019, 6),
            applicant_type=ApplicantType.LEGAL_ENTITY,
            category=Category.TRANSPORT,
            channel=Channel.EMAIL,
            due_date=dt.date(2019, 6, 25),
            answered_on=dt.date(2019, 7, 2),
            status=AppealStatus.ANSWERED,
        )
        _step(late, AppealStatus.ANSWERED, _at(2019, 7, 2))
        # Answered in the next year: open and overdue on 31 December.
        spilled = f.AppealFactory(
            council=council,
            registered_at=_at(2019, 11, 20),
            due_date=dt.date(2019, 12, 12),
            answered_on=dt.date(2020, 1, 15),
            status=AppealStatus.CLOSED,
        )
        _step(spilled, AppealStatus.FORWARDED, _at(2019, 11, 22))
        _step(spilled, AppealStatus.CLOSED, _at(2020, 1, 15))
        extended = f.AppealFactory(
            council=council,
            registered_at=_at(2019, 12, 2),
            category=Category.HEALTH,
            due_date=dt.date(2019, 12, 20),
            extended_until=dt.date(2020, 1, 31),
            status=AppealStatus.ASSIGNED,
        )
        # No history at all: its status on file counts.
        quiet = f.AppealFactory(council=council, registered_at=_at(2019, 4), due_date=dt.date(2019, 4, 25))
        made += [on_time, late, spilled, extended, quiet]
    return made


def _live(council, year: int = 2019, as_of: dt.date = YEAR_END) -> selectors.AppealCounts:
    return selectors._count_outcomes(council=council, year=year, as_of=as_of)


def _kept(council, year: int = 2019) -> AppealOutcomeFigures | None:
    return AppealOutcomeFigures.objects.filter(council=council, year=year, figures__isnull=False).first()


def test_kept_figures_equal_counting_the_appeals(personas):
    council = personas.council
    _year_of_appeals(council, scale=3)
    f.AppealFactory(council=personas.other_council, registered_at=_at(2019, 5))  # another council's

    first = appeal_counts(council=council, year=2019, as_of=YEAR_END)
    with CaptureQueriesContext(connection) as captured:
        again = appeal_counts(council=council, year=2019, as_of=YEAR_END)

    assert first == again == _live(council)
    assert asdict(again) == asdict(_live(council))
    assert again.total == 15 and again.answered == 6 and again.open == 9 and again.overdue == 6
    assert _kept(council) is not None
    assert len(captured.captured_queries) == 1
    assert not any(APPEAL_TABLES.search(q["sql"]) for q in captured.captured_queries)
    # The other council's year is its own.
    assert appeal_counts(council=personas.other_council, year=2019, as_of=YEAR_END).total == 1


def _answer_moved_into_the_year(appeals):
    Appeal.objects.filter(pk=appeals[2].pk).update(answered_on=dt.date(2019, 12, 30))


def _appeal_deleted(appeals):
    appeals[0].delete()


def _step_before_the_years_end(appeals):
    _step(appeals[3], AppealStatus.ANSWERED, _at(2019, 12, 28))


def _step_moved_into_the_year(appeals):
    AppealStatusChange.objects.filter(appeal=appeals[2], status=AppealStatus.CLOSED).update(
        changed_at=_at(2019, 12, 29)
    )


def _history_deleted(appeals):
    # With no history left, the status on file counts: closed, no longer open on 31 December.
    AppealStatusChange.objects.filter(appeal=appeals[2]).delete()


def _appeal_imported(appeals):
    Appeal.objects.bulk_create([f.AppealFactory.build(council=appeals[0].council, registered_at=_at(2019, 8))])


def _extension_granted(appeals):
    Appeal.objects.filter(pk=appeals[2].pk).update(extended_until=dt.date(2020, 2, 1))


def _status_on_file_changed(appeals):
    Appeal.objects.filter(pk=appeals[4].pk).update(status=AppealStatus.ANSWERED)


def _moved_to_another_council(appeals):
    Appeal.objects.filter(pk=appeals[1].pk).update(council=f.CouncilFactory())


@pytest.mark.parametrize(
    "change",
    [
        _answer_moved_into_the_year,
        _appeal_deleted,
        _step_before_the_years_end,
        _step_moved_into_the_year,
        _history_deleted,
        _appeal_imported,
        _extension_granted,
        _status_on_file_changed,
        _moved_to_another_council,
    ],
)
def test_a_change_to_the_closed_year_shows_in_the_next_figures(personas, change):
    council = personas.council
    appeals = _year_of_appeals(council)
    before = appeal_counts(council=council, year=2019, as_of=YEAR_END)
    assert _kept(council) is not None

    change(appeals)

    after = appeal_counts(council=council, year=2019, as_of=YEAR_END)
    assert after != before
    assert after == _live(council)
    assert appeal_counts(council=council, year=2019, as_of=YEAR_END) == after  # and kept again


def test_a_change_made_while_counting_is_not_hidden_by_the_kept_figures(personas, monkeypatch):
    council = personas.council
    appeals = _year_of_appeals(council)
    count = selectors._count_outcomes

    def count_then_change(**kwargs):
        counts = count(**kwargs)
        _step(appeals[3], AppealStatus.ANSWERED, _at(2019, 12, 28))  # committed after the count read the rows
        return counts

    monkeypatch.setattr(selectors, "_count_outcomes", count_then_change)
    stale = appeal_counts(council=council, year=2019, as_of=YEAR_END)
    monkeypatch.setattr(selectors, "_count_outcomes", count)

    assert appeal_counts(council=council, year=2019, as_of=YEAR_END) == _live(council) != stale


def test_the_running_year_is_never_kept_and_its_writes_touch_no_kept_row(personas):
    today = timezone.localdate()
    if (today + dt.timedelta(days=1)).year != today.year:
        pytest.skip("on 31 December the database already treats the running year as closing")
    council = personas.council
    appeal = f.AppealFactory(council=council, registered_at=timezone.now(), due_date=today + dt.timedelta(days=20))
    _step(appeal, AppealStatus.ASSIGNED, timezone.now())
    Appeal.objects.filter(pk=appeal.pk).update(status=AppealStatus.ASSIGNED, answered_on=today)
    assert not AppealOutcomeFigures.objects.exists()  # submissions write no shared row

    for as_of in (today, year_as_of(today.year), dt.date(today.year, 12, 31)):
        counts = appeal_counts(council=council, year=today.year, as_of=as_of)
        assert counts == _live(council, today.year, as_of)
    assert not AppealOutcomeFigures.objects.exists()


def test_another_day_of_a_closed_year_is_counted_live(personas):
    council = personas.council
    appeals = _year_of_appeals(council)
    day = dt.date(2019, 12, 1)
    appeal_counts(council=council, year=2019, as_of=day)
    assert _kept(council) is None
    _step(appeals[3], AppealStatus.ANSWERED, _at(2019, 11, 28))
    assert appeal_counts(council=council, year=2019, as_of=day) == _live(council, as_of=day)


@pytest.mark.parametrize("today", [dt.date(2020, 1, 2), dt.date(2024, 6, 1), dt.date(2041, 3, 8)])
def test_a_closed_years_figures_do_not_change_with_todays_date(personas, today):
    council = personas.council
    _year_of_appeals(council, scale=2)
    expected = _live(council)
    assert appeal_counts(council=council, year=2019, as_of=year_as_of(2019)) == expected  # kept today

    with time_machine.travel(dt.datetime.combine(today, dt.time(12), ALMATY), tick=False):
        as_of = year_as_of(2019)
        assert as_of == YEAR_END
        assert appeal_counts(council=council, year=2019, as_of=as_of) == expected


def test_reading_kept_figures_costs_one_query_however_many_appeals_the_year_has(
    personas, django_assert_max_num_queries
):
    council = personas.council
    _year_of_appeals(council, scale=1)
    appeal_counts(council=council, year=2019, as_of=YEAR_END)
    with django_assert_max_num_queries(1):
        small = appeal_counts(council=council, year=2019, as_of=YEAR_END)

    _year_of_appeals(council, scale=8)
    appeal_counts(council=council, year=2019, as_of=YEAR_END)  # counted again once: the year changed
    with CaptureQueriesContext(connection) as captured:
        large = appeal_counts(council=council, year=2019, as_of=YEAR_END)

    assert large.total == 9 * small.total
    assert len(captured.captured_queries) == 1
    assert not any(APPEAL_TABLES.search(q["sql"]) for q in captured.captured_queries)


def test_figures_kept_in_another_form_are_counted_again(personas):
    council = personas.council
    _year_of_appeals(council)
    appeal_counts(council=council, year=2019, as_of=YEAR_END)
    kept = _kept(council)
    assert kept is not None
    kept.figures = {"format": "0:old", "counts": {**kept.figures["counts"], "total": 999}}
    kept.save()

    assert appeal_counts(council=council, year=2019, as_of=YEAR_END) == _live(council)
    kept.refresh_from_db()
    assert kept.figures["counts"]["total"] == 5


@pytest.mark.django_db(transaction=True)
def test_two_requests_counting_at_once_both_succeed(personas):
    council = personas.council
    _year_of_appeals(council)
    results: list[object] = []
    start = threading.Barrier(2)

    def request() -> None:
        try:
            start.wait()
            results.append(appeal_counts(council=council, year=2019, as_of=YEAR_END))
        except Exception as error:  # noqa: BLE001 - the test reports it
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == [_live(council), _live(council)]
    assert _kept(council) is not None


def test_a_closed_years_statistics_read_no_appeal_once_the_figures_are_kept(personas):
    from reports.selectors import council_year_stats

    council = personas.council
    _year_of_appeals(council, scale=2)
    first = council_year_stats(council=council, year=2019, today=dt.date(2020, 3, 1)).as_dict()
    with CaptureQueriesContext(connection) as captured:
        again = council_year_stats(council=council, year=2019, today=dt.date(2020, 3, 1)).as_dict()

    assert again == first
    assert again["appeals"]["total"] == 10 and again["appeals"]["overdue"] == 4
    assert not any(APPEAL_TABLES.search(q["sql"]) for q in captured.captured_queries)


def test_a_council_with_closed_years_can_be_deleted(personas):
    council = personas.council
    _year_of_appeals(council)
    f.AppealFactory(council=council, registered_at=_at(2018, 5))
    appeal_counts(council=council, year=2019, as_of=YEAR_END)  # 2019 kept; 2018 has a generation row only

    council.delete()

    assert not AppealOutcomeFigures.objects.filter(council_id=personas.council.pk).exists()
    connection.check_constraints()  # the foreign keys PostgreSQL would check at the commit
