"""Working days in Kazakhstan in 2019, for the demo's deadlines and registration dates.

Non-working days of 2019: weekends plus the public holidays and the transfers of that year
(1-2 Jan, 7 Jan, 8 Mar, 21-22 Mar and 25 Mar for the Saturday 23 Mar, 1 May, 7 May, 9 May,
10 May (moved from Saturday 4 May), 8 Jul for the Saturday 6 Jul, 30 Aug, 2 Dec for the Sunday 1 Dec,
16-17 Dec). The working Saturday of 4 May is ignored: the demo never registers anything on a Saturday.
"""

from __future__ import annotations

import datetime as dt

HOLIDAYS_2019 = frozenset(
    dt.date(2019, m, d)
    for m, d in [
        (1, 1),
        (1, 2),
        (1, 7),
        (3, 8),
        (3, 21),
        (3, 22),
        (3, 25),
        (5, 1),
        (5, 7),
        (5, 9),
        (5, 10),
        (7, 8),
        (8, 30),
        (12, 2),
        (12, 16),
        (12, 17),
    ]
)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS_2019


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (the day itself does not count)."""
    while n > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every working day from start to end, both included."""
    out = []
    day = start
    while day <= end:
        if is_working_day(day):
            out.append(day)
        day += dt.timedelta(days=1)
    return out
