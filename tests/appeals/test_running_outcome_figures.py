"""The running year's outcome figures as of today (status, answered, on time, open, overdue) come from the counts the
database keeps (AppealYearFigure, dimensions status and answer) and one count over the year's open appeals: no
history is read and no closed appeal, whatever their number. Whatever path writes the appeals, the figures equal
counting the year's appeals and their histories."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appeals import selectors, services
from appeals.models import OPEN_STATUSES, Appeal, AppealStatus, AppealStatusChange, Category
from appeals.selectors import appeal_counts
from tests import factories as f

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
# Today by the database's clock as well as Python's (the figures trust the counts kept for today only then).
TODAY = timezone.localdate()
YEAR = TODAY.year
APPEALS = re.compile(r'\bFROM "appeals_appeal"')
HISTORY = re.compile(r"\bappeals_appealstatuschange\b")


def _day(days: int) -> dt.date:
    """A day counted from today."""
    return TODAY + dt.timedelta(days=days)


def _at(days: int) -> dt.datetime:
    return dt.datetime.combine(_day(days), dt.time(10), ALMATY)


def _appeal(council, registered: dt.datetime, steps: tuple[tuple[str, dt.datetime], ...] = (), **fields) -> Appeal:
    """An appeal whose status on file is its history's last step, as the services write them."""
    status = steps[-1][0] if steps else AppealStatus.REGISTERED
    fields.setdefault("year", YEAR)  # the running year, whatever day of it today is
    appeal = f.AppealFactory(council=council, registered_at=registered, status=status, **fields)
    AppealStatusChange.objects.create(appeal=appeal, status=AppealStatus.REGISTERED, changed_at=registered)
    for step, when in steps:
        AppealStatusChange.objects.create(appeal=appeal, status=step, changed_at=when)
    return appeal


def _running_year(council) -> dict[str, Appeal]:
    """Every outcome: open in each open status, overdue or not (an extension counted), answered on time, late,
    on time thanks to an extension, left without consideration, merged; and one with no history at all."""
    s = AppealStatus
    return {
        "fresh": _appeal(council, _at(-5), due_date=_day(25)),
        "overdue": _appeal(council, _at(-106), ((s.ASSIGNED, _at(-105)),), due_date=_day(-75)),
        "extended": _appeal(
            council,
            _at(-56),
            ((s.FORWARDED, _at(-54)),),
            due_date=_day(-26),
            extended_until=_day(5),
        ),
        "extended_overdue": _appeal(
            council,
            _at(-102),
            ((s.FORWARDED, _at(-101)), (s.ANSWER_RECEIVED, _at(-56))),
            due_date=_day(-75),
            extended_until=_day(-45),
            category=Category.HEALTH,
        ),
        "on_time": _appeal(
            council,
            _at(-75),
            ((s.ASSIGNED, _at(-74)), (s.ANSWERED, _at(-51)), (s.CLOSED, _at(-36))),
            due_date=_day(-45),
            answered_on=_day(-51),
        ),
        "late": _appeal(
            council,
            _at(-106),
            ((s.ASSIGNED, _at(-105)), (s.ANSWERED, _at(-66))),
            due_date=_day(-75),
            answered_on=_day(-66),
        ),
        "on_time_extended": _appeal(
            council,
            _at(-106),
            ((s.ASSIGNED, _at(-105)), (s.ANSWERED, _at(-56))),
            due_date=_day(-75),
            extended_until=_day(-45),
            answered_on=_day(-56),
        ),
        "left": _appeal(council, _at(-134), ((s.LEFT_WITHOUT_CONSIDERATION, _at(-132)),), due_date=_day(-106)),
        "merged": _appeal(council, _at(-45), ((s.MERGED, _at(-44)),), due_date=_day(-14)),
        # No history at all: its status on file counts; registered on 1 May, so it may still be extended.
        "quiet": f.AppealFactory(council=council, year=YEAR, registered_at=_at(-45), due_date=_day(-14)),
    }


def _running(council, year: int = YEAR) -> selectors.AppealCounts:
    return appeal_counts(council=council, year=year, as_of=TODAY)


def _live(council, year: int = YEAR) -> selectors.AppealCounts:
    return selectors._count_outcomes(council=council, year=year, as_of=TODAY)


def test_the_running_years_figures_equal_counting_the_appeals_and_their_histories(personas):
    council = personas.council
    _running_year(council)
    _appeal(personas.other_council, _at(-41), due_date=_day(-10))
    _appeal(council, _at(-222), due_date=_day(-192), year=YEAR - 1)

    counts = _running(council)

    assert asdict(counts) == asdict(_live(council))
    assert counts.total == 10 and counts.open == 5 and counts.overdue == 3
    assert counts.answered == 3 and counts.answered_on_time == 2 and counts.on_time_share == 0.667
    assert counts.by_status[AppealStatus.MERGED] == 1 and counts.by_status[AppealStatus.CLOSED] == 1
    assert _running(personas.other_council) == _live(personas.other_council)
    assert _running(council, YEAR - 1) == _live(council, YEAR - 1)
    # A later day of the year: the open ones then past their deadline are overdue.
    later = dt.date(YEAR, 12, 31)
    assert appeal_counts(council=council, year=YEAR, as_of=later) == selectors._count_outcomes(
        council=council, year=YEAR, as_of=later
    )


def _assigned(appeals, personas):
    services.appeal_assign(appeal=appeals["fresh"], by=personas.secretary, assignee=personas.member)


def _answered(appeals, personas):
    services.appeal_answer(appeal=appeals["overdue"], by=personas.secretary, text="Ответ")


def _closed(appeals, personas):
    services.appeal_close(appeal=appeals["late"], by=personas.secretary)


def _left(appeals, personas):
    services.appeal_leave_without_consideration(appeal=appeals["fresh"], by=personas.secretary, reason="Аноним")


def _reopened(appeals, personas):
    services.appeal_answer(appeal=appeals["overdue"], by=personas.secretary, text="Ответ")
    services.appeal_record_feedback(appeal=appeals["overdue"], resolved=False, reason="Ничего не сделано")


def _extended(appeals, personas):
    services.appeal_extend(appeal=appeals["quiet"], by=personas.secretary, until=_day(10), reason="Проверка")


def _extension_makes_an_answer_on_time(appeals, personas):
    Appeal.objects.filter(pk=appeals["late"].pk).update(extended_until=_day(-61))


def _answer_date_changed(appeals, personas):
    Appeal.objects.filter(pk=appeals["on_time"].pk).update(answered_on=_day(-41))


def _deleted(appeals, personas):
    appeals["overdue"].delete()


def _bulk_deleted(appeals, personas):
    Appeal.objects.filter(pk__in=[appeals["late"].pk, appeals["extended"].pk]).delete()


def _imported(appeals, personas):
    council = appeals["fresh"].council
    Appeal.objects.bulk_create(
        [
            f.AppealFactory.build(
                council=council, year=YEAR, registered_at=_at(-44), number="IMP-1", sequence=901, due_date=_day(-14)
            ),
            f.AppealFactory.build(
                council=council,
                year=YEAR,
                registered_at=_at(-44),
                number="IMP-2",
                sequence=902,
                status=AppealStatus.ANSWERED,
                due_date=_day(-14),
                answered_on=_day(-12),
            ),
        ]
    )


def _status_on_file_changed(appeals, personas):
    Appeal.objects.filter(pk=appeals["quiet"].pk).update(status=AppealStatus.CLOSED)


def _moved_to_another_council(appeals, personas):
    Appeal.objects.filter(pk=appeals["overdue"].pk).update(council=personas.other_council)


def _moved_to_another_year(appeals, personas):
    Appeal.objects.filter(pk=appeals["late"].pk).update(year=YEAR - 1)


@pytest.mark.parametrize(
    "change",
    [
        _assigned,
        _answered,
        _closed,
        _left,
        _reopened,
        _extended,
        _extension_makes_an_answer_on_time,
        _answer_date_changed,
        _deleted,
        _bulk_deleted,
        _imported,
        _status_on_file_changed,
        _moved_to_another_council,
        _moved_to_another_year,
    ],
)
def test_a_change_to_the_running_year_shows_at_once(personas, change):
    council = personas.council
    appeals = _running_year(council)
    before = _running(council)
    assert before == _live(council)

    change(appeals, personas)

    after = _running(council)
    assert after != before
    assert asdict(after) == asdict(_live(council))
    for other, year in ((personas.other_council, YEAR), (council, YEAR - 1)):
        assert _running(other, year) == _live(other, year)


def test_the_running_years_figures_read_no_history_and_only_open_appeals(personas):
    council = personas.council
    _running_year(council)
    for n in range(20):  # closed ones, however many, are not read
        _appeal(council, _at(-156 + n), ((AppealStatus.LEFT_WITHOUT_CONSIDERATION, _at(-134)),))

    with CaptureQueriesContext(connection) as captured:
        counts = _running(council)

    assert counts == _live(council)
    sql = [q["sql"] for q in captured.captured_queries]
    assert not any(HISTORY.search(q) for q in sql), sql
    reads = [q for q in sql if APPEALS.search(q)]
    assert len(reads) == 1, sql  # the overdue ones' count
    assert all(f"'{status}'" in reads[0] for status in OPEN_STATUSES), reads
    assert len(sql) == 1, sql  # with the kept counts: the stats API's query budget holds
