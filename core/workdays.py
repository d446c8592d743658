"""The working-day calendar of Kazakhstan and the deadline arithmetic built on it.

1. `statutory_days(year)` states the rules of DOMAIN.md ("Working days") as data: the public holidays, the
   rule that moves a holiday falling on a weekend to the next working day, and the government's known
   transfer decrees. The data migration `core.0002` fills the `CalendarDay` table from it; from then on the
   table is the truth and is edited in the admin (a new year's decree is a few rows there).
2. `WorkCalendar` is an immutable snapshot of that table for a date range, loaded with one query. The
   calculator functions take it, so the deadlines of many appeals cost one query. Tests build one from
   explicit sets, or from the rules with `WorkCalendar.statutory`.
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.functional import Promise
from django.utils.translation import pgettext, pgettext_lazy

from .models import CalendarDay, CalendarKind

HOLIDAY: str = CalendarKind.HOLIDAY.value
DAY_OFF: str = CalendarKind.DAY_OFF.value
WORKING_DAY: str = CalendarKind.WORKING_DAY.value

StrOrPromise = str | Promise
StatutoryDay = tuple[dt.date, str, str, str]  # (date, kind, name, source)

# --- The rules ------------------------------------------------------------------------------------------

LAW_ON_HOLIDAYS = "Закон РК «О праздниках в Республике Казахстан» № 267-II от 13.12.2001"
WEEKEND_RULE = "Закон РК «О праздниках в Республике Казахстан», ст. 5: перенос выходного при совпадении с праздником"

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
WEEKDAY_NAMES = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")


@dataclass(frozen=True)
class FixedHoliday:
    month: int
    day: int
    name: str
    first_year: int | None = None
    last_year: int | None = None
    # Religious holidays (Orthodox Christmas, Kurban ait) are not moved off a weekend.
    moves: bool = True
    source: str = LAW_ON_HOLIDAYS

    def applies(self, year: int) -> bool:
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )


FIXED_HOLIDAYS: tuple[FixedHoliday, ...] = (
    FixedHoliday(1, 1, "Новый год"),
    FixedHoliday(1, 2, "Новый год"),
    FixedHoliday(1, 7, "Православное Рождество", moves=False),
    FixedHoliday(3, 8, "Международный женский день"),
    FixedHoliday(3, 15, "День Конституции", first_year=2027, source="С 2027 г. (DOMAIN.md); название и акт не сверены"),
    FixedHoliday(3, 21, "Наурыз мейрамы"),
    FixedHoliday(3, 22, "Наурыз мейрамы"),
    FixedHoliday(3, 23, "Наурыз мейрамы"),
    FixedHoliday(5, 1, "Праздник единства народа Казахстана"),
    FixedHoliday(5, 7, "День защитника Отечества"),
    FixedHoliday(5, 9, "День Победы"),
    FixedHoliday(7, 6, "День столицы"),
    # DOMAIN.md: "30 Aug (until 2025 only)": a holiday in 2025, not from 2026.
    FixedHoliday(8, 30, "День Конституции Республики Казахстан", last_year=2025),
    FixedHoliday(10, 25, "День Республики", first_year=2022),
    FixedHoliday(12, 1, "День Первого Президента Республики Казахстан", last_year=2021),
    FixedHoliday(12, 16, "День Независимости"),
    FixedHoliday(12, 17, "День Независимости", last_year=2021),
)

KURBAN_AIT_NAME = "Курбан айт"
_KURBAN_SEEN = "дата по данным пакета holidays (KazakhstanIslamicHolidays) и СМИ; с решением ДУМК не сверена"
# The first day of Kurban ait moves with the lunar calendar; the Spiritual Administration of Muslims of
# Kazakhstan (ДУМК) announces it. One entry per year; a year missing here cannot be generated.
KURBAN_AIT: Mapping[int, tuple[dt.date, str]] = {
    2019: (dt.date(2019, 8, 11), _KURBAN_SEEN),
    2020: (dt.date(2020, 7, 31), _KURBAN_SEEN),
    2021: (dt.date(2021, 7, 20), _KURBAN_SEEN),
    2022: (dt.date(2022, 7, 9), _KURBAN_SEEN),
    2023: (dt.date(2023, 6, 28), _KURBAN_SEEN),
    2024: (dt.date(2024, 6, 16), _KURBAN_SEEN),
    2025: (dt.date(2025, 6, 6), "дата из DOMAIN.md"),
    2026: (dt.date(2026, 5, 27), "дата из DOMAIN.md"),
    2027: (dt.date(2027, 5, 16), "дата рассчитана по лунному календарю, НЕ ПОДТВЕРЖДЕНА: сверить с ДУМК"),
}

STATUTORY_YEARS = range(min(KURBAN_AIT), max(KURBAN_AIT) + 1)


@dataclass(frozen=True)
class Transfer:
    """A government decree moving a day off from `from_day` to `to_day`. `from_day` is one of:

    - a weekend day, which becomes a working day (2019: Saturday 4 May works, Friday 10 May is off);
    - a holiday on a weekend, whose day off goes to `to_day`, not the next working day (2026: 8 Mar → 9 Mar);
    - the day off the weekend rule made, which becomes working again (2020: Monday 11 May → Friday 8 May).
    """

    from_day: dt.date
    to_day: dt.date
    source: str


def _past_decree(year: int, reference: str) -> str:
    return (
        f"Постановление Правительства РК о переносе дней отдыха в {year} году ({reference}); "
        "по данным пакета holidays (KazakhstanStaticHolidays) и СМИ, текст не сверен"
    )


_DECREE_2020 = _past_decree(2020, "№ 820, adilet P1900000820")
_DECREE_2022 = _past_decree(2022, "adilet P2200000796 и др.")
_DECREE_2026 = "Постановление Правительства РК о переносе дней отдыха в 2026 году (DOMAIN.md; реквизиты не сверены)"

# The decrees are data, editable like the rest: a decree for a new year is entered in the admin (or added here
# together with a data migration). Years missing from this table simply had no decree known to us.
DECREES: Mapping[int, tuple[Transfer, ...]] = {
    2019: (Transfer(dt.date(2019, 5, 4), dt.date(2019, 5, 10), _past_decree(2019, "adilet P1800000888")),),
    2020: (
        Transfer(dt.date(2020, 1, 5), dt.date(2020, 1, 3), _DECREE_2020),
        Transfer(dt.date(2020, 5, 11), dt.date(2020, 5, 8), _DECREE_2020),
        Transfer(dt.date(2020, 12, 20), dt.date(2020, 12, 18), _DECREE_2020),
    ),
    2021: (Transfer(dt.date(2021, 7, 3), dt.date(2021, 7, 5), _past_decree(2021, "adilet P2000000930")),),
    2022: (
        Transfer(dt.date(2022, 3, 5), dt.date(2022, 3, 7), _DECREE_2022),
        Transfer(dt.date(2022, 8, 27), dt.date(2022, 8, 29), _DECREE_2022),
        Transfer(dt.date(2022, 10, 22), dt.date(2022, 10, 24), _DECREE_2022),
    ),
    2023: (Transfer(dt.date(2023, 7, 1), dt.date(2023, 7, 7), _past_decree(2023, "от 25.04.2023, P2300000326")),),
    2024: (Transfer(dt.date(2024, 5, 4), dt.date(2024, 5, 8), _past_decree(2024, "adilet G24G0000109")),),
    2025: (Transfer(dt.date(2025, 1, 5), dt.date(2025, 1, 3), _past_decree(2025, "adilet G24G0000436")),),
    # DOMAIN.md. Every one of these agrees with the weekend rule; the decree's record replaces the rule's.
    2026: (
        Transfer(dt.date(2026, 3, 8), dt.date(2026, 3, 9), _DECREE_2026),
        Transfer(dt.date(2026, 3, 21), dt.date(2026, 3, 24), _DECREE_2026),
        Transfer(dt.date(2026, 3, 22), dt.date(2026, 3, 25), _DECREE_2026),
        Transfer(dt.date(2026, 5, 9), dt.date(2026, 5, 11), _DECREE_2026),
        Transfer(dt.date(2026, 10, 25), dt.date(2026, 10, 26), _DECREE_2026),
    ),
}


def day_month(day: dt.date) -> str:
    """«8 марта»."""
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]}"


def _is_weekend(day: dt.date) -> bool:
    return day.isoweekday() > 5


def statutory_days(year: int) -> list[StatutoryDay]:
    """The calendar exceptions of one year by law and the known decrees, sorted by date, one per date.

    1. The public holidays of the year (fixed dates, and the first day of Kurban ait).
    2. The days off chosen by the decrees are reserved first, so the weekend rule never picks them.
    3. Each holiday that falls on a Saturday or Sunday and moves (not Orthodox Christmas, not Kurban ait)
       gives a day off on the next weekday that is neither a holiday nor already a day off, in date order;
       where a decree names that holiday, the decree's day wins.
    4. The remaining decree transfers: a weekend day becomes working, or a rule-made day off goes elsewhere.
    """
    if year not in KURBAN_AIT:
        raise ValueError(f"No date of Kurban ait for {year}: add it to core.workdays.KURBAN_AIT first.")

    days: dict[dt.date, tuple[str, str, str]] = {}
    movable: list[tuple[dt.date, str]] = []
    for holiday in FIXED_HOLIDAYS:
        if holiday.applies(year):
            day = dt.date(year, holiday.month, holiday.day)
            days[day] = (HOLIDAY, holiday.name, holiday.source)
            if holiday.moves and _is_weekend(day):
                movable.append((day, holiday.name))
    kurban, kurban_source = KURBAN_AIT[year]
    if kurban in days:
        raise ValueError(f"Kurban ait {kurban} coincides with another holiday: the rules need a decision.")
    days[kurban] = (HOLIDAY, f"{KURBAN_AIT_NAME} (первый день)", f"{LAW_ON_HOLIDAYS}; {kurban_source}")

    decrees = DECREES.get(year, ())
    for transfer in decrees:
        if _is_weekend(transfer.to_day) or transfer.to_day in days:
            raise ValueError(f"Decree day off {transfer.to_day} must be a weekday that is not a holiday.")
    reserved = {transfer.to_day for transfer in decrees}
    by_decree = {transfer.from_day: transfer for transfer in decrees}

    rule_days_off: dict[dt.date, dt.date] = {}  # rule-made day off -> the holiday it replaces
    for holiday_day, name in sorted(movable):
        decree: Transfer | None = by_decree.pop(holiday_day, None)
        if decree is not None:
            days[decree.to_day] = (DAY_OFF, _transfer_name(holiday_day, decree.to_day), decree.source)
            continue
        day_off = holiday_day + dt.timedelta(days=1)
        while _is_weekend(day_off) or day_off in days or day_off in reserved:
            day_off += dt.timedelta(days=1)
        rule_name = f"Перенос: {day_month(holiday_day)} → {day_month(day_off)} ({name})"
        days[day_off] = (DAY_OFF, rule_name, WEEKEND_RULE)
        rule_days_off[day_off] = holiday_day

    for transfer in by_decree.values():
        name = _transfer_name(transfer.from_day, transfer.to_day)
        if transfer.from_day in rule_days_off:
            del days[transfer.from_day]  # a plain weekday again
        elif _is_weekend(transfer.from_day) and transfer.from_day not in days:
            days[transfer.from_day] = (
                WORKING_DAY,
                f"Рабочий день: перенос на {day_month(transfer.to_day)} (постановление Правительства)",
                transfer.source,
            )
        else:
            raise ValueError(f"Decree transfer from {transfer.from_day} matches no rule of {year}.")
        days[transfer.to_day] = (DAY_OFF, name, transfer.source)

    return [(day, kind, name, source) for day, (kind, name, source) in sorted(days.items())]


def _transfer_name(from_day: dt.date, to_day: dt.date) -> str:
    return f"Перенос: {day_month(from_day)} → {day_month(to_day)} (постановление Правительства)"


# --- The calendar and the calculator --------------------------------------------------------------------


# Calendar days added to a term's weeks for its holidays: the longest run of the statutory calendar (the New Year
# and Christmas, Nauryz with its transfers) fits with room to spare; a longer one costs a second query, not an error.
TERM_SLACK_DAYS = 14


class OutsideCalendarError(ValueError):
    """A date outside the range a `WorkCalendar` was loaded for: load a wider range rather than guess."""


@dataclass(frozen=True)
class DeadlineExplanation:
    """How a deadline was computed: `n` working days after `start` end on `end`.

    `skipped` lists every non-working day in between with its reason: «суббота», «воскресенье» or the
    calendar's name of the day.
    """

    start: dt.date
    n: int
    end: dt.date
    skipped: list[tuple[dt.date, str]]


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working between `start` and `end` (None: unbounded, for explicit calendars).

    `non_working` maps each holiday or day off to its name; `working` holds the weekend days made working.
    Every other Monday–Friday works. Build it with `WorkCalendar.load` (one query) or from explicit sets.
    """

    non_working: Mapping[dt.date, str] = field(default_factory=dict)
    working: frozenset[dt.date] = frozenset()
    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "non_working", MappingProxyType(dict(self.non_working)))
        object.__setattr__(self, "working", frozenset(self.working))
        if overlap := self.working & self.non_working.keys():
            raise ValueError(f"Days both working and non-working: {sorted(overlap)}")

    @classmethod
    def load(cls, start: dt.date, end: dt.date) -> WorkCalendar:
        """The calendar for `start`..`end` (inclusive) from the database, in one query."""
        if end < start:
            raise ValueError(f"Empty range {start}..{end}")
        rows = CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind", "name")
        return cls.from_days(rows, start=start, end=end)

    @classmethod
    def load_for_terms(cls, first: dt.date, last: dt.date, working_days: int) -> WorkCalendar:
        """The calendar from `first` to the end of a term of `working_days` working days counted from the
        registration day of `last`: it then holds every such term begun between the two days (a later start never
        ends earlier), so the deadlines of many records cost one query.

        The span comes from the rule, not a fixed window: five working days in seven, plus `TERM_SLACK_DAYS` for
        the holidays; should the days off entered in the admin make a term longer still, the calendar is loaded
        again twice as wide, so no term ever falls outside it.
        """
        span = dt.timedelta(days=working_days * 7 // 5 + TERM_SLACK_DAYS)
        while True:
            calendar = cls.load(first, last + span)
            try:
                calendar.add_working_days(calendar.registration_day(last), working_days)
            except OutsideCalendarError:
                span *= 2
                continue
            return calendar

    @classmethod
    def from_days(
        cls,
        days: Iterable[tuple[dt.date, str, str]],
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> WorkCalendar:
        """From (date, kind, name) rows, the shape of `CalendarDay`."""
        non_working: dict[dt.date, str] = {}
        working: set[dt.date] = set()
        for day, kind, name in days:
            if kind == WORKING_DAY:
                working.add(day)
            else:
                non_working[day] = name
        return cls(non_working=non_working, working=frozenset(working), start=start, end=end)

    @classmethod
    def statutory(cls, first_year: int, last_year: int) -> WorkCalendar:
        """The calendar the rules give for whole years, without the database (tests, previews)."""
        rows = [row[:3] for year in range(first_year, last_year + 1) for row in statutory_days(year)]
        return cls.from_days(rows, start=dt.date(first_year, 1, 1), end=dt.date(last_year, 12, 31))

    def check_covers(self, day: dt.date) -> None:
        if (self.start is not None and day < self.start) or (self.end is not None and day > self.end):
            raise OutsideCalendarError(f"{day} is outside the loaded calendar {self.start}..{self.end}")

    # The calculator, as methods too, so that callers holding a calendar need not import the functions.
    def is_working_day(self, day: dt.date) -> bool:
        return is_working_day(self, day)

    def reason_not_working(self, day: dt.date) -> str | None:
        return reason_not_working(self, day)

    def next_working_day(self, day: dt.date) -> dt.date:
        return next_working_day(self, day)

    def registration_day(self, received: dt.date) -> dt.date:
        return registration_day(self, received)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        return add_working_days(self, start, n)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        return working_days_between(self, a, b)

    def explain_deadline(self, start: dt.date, n: int) -> DeadlineExplanation:
        return explain_deadline(self, start, n)

    @staticmethod
    def add_months_capped(start: dt.date, months: int) -> dt.date:
        return add_months_capped(start, months)


ONE_DAY = dt.timedelta(days=1)


def is_working_day(calendar: WorkCalendar, day: dt.date) -> bool:
    calendar.check_covers(day)
    if day in calendar.working:
        return True
    return day not in calendar.non_working and not _is_weekend(day)


def reason_not_working(calendar: WorkCalendar, day: dt.date) -> str | None:
    """Why `day` is not a working day («суббота», «воскресенье» or the calendar's name); None if it is one."""
    if is_working_day(calendar, day):
        return None
    return calendar.non_working.get(day) or WEEKDAY_NAMES[day.weekday()]


def next_working_day(calendar: WorkCalendar, day: dt.date) -> dt.date:
    """The first working day strictly after `day`."""
    day += ONE_DAY
    while not is_working_day(calendar, day):
        day += ONE_DAY
    return day


def registration_day(calendar: WorkCalendar, received: dt.date) -> dt.date:
    """АППК: an appeal received on a non-working day is registered on the next working day."""
    return received if is_working_day(calendar, received) else next_working_day(calendar, received)


def add_working_days(calendar: WorkCalendar, start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start`; `start` itself is not counted (the term runs from registration)."""
    return explain_deadline(calendar, start, n).end


def explain_deadline(calendar: WorkCalendar, start: dt.date, n: int) -> DeadlineExplanation:
    if n < 0:
        raise ValueError(f"A number of working days cannot be negative: {n}")
    calendar.check_covers(start)
    day, counted, skipped = start, 0, []
    while counted < n:
        day += ONE_DAY
        reason = reason_not_working(calendar, day)
        if reason is None:
            counted += 1
        else:
            skipped.append((day, reason))
    return DeadlineExplanation(start=start, n=n, end=day, skipped=skipped)


def working_days_between(calendar: WorkCalendar, a: dt.date, b: dt.date) -> int:
    """The working days after `a` up to and including `b`; negative when `b` is before `a`.

    The inverse of `add_working_days`: working_days_between(d, add_working_days(d, n)) == n.
    """
    if b < a:
        return -working_days_between(calendar, b, a)
    calendar.check_covers(a)
    count, day = 0, a
    while day < b:
        day += ONE_DAY
        count += is_working_day(calendar, day)
    return count


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of a calendar year."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def year_span(year: int, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The days of a year counted as of `as_of`: its first day, and its last or `as_of` if that comes first (a
    closed year's figures stop at its end, whatever today is; the running year's at `as_of`)."""
    start, end = year_bounds(year)
    return start, min(end, as_of)


def add_months_capped(start: dt.date, months: int) -> dt.date:
    """The same day `months` later, capped at the end of a shorter month (31 Dec + 2 months = 28/29 Feb).

    Calendar arithmetic only: whether a limit falling on a non-working day moves is the caller's decision.
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, monthrange(year, month)[1]))


# --- The reasons in the reader's language -----------------------------------------------------------------

# The calendar keeps its names in Russian (the statutory rules above, and the rows an administrator enters).
# A page in Kazakh or English shows the names it knows in that language: the weekdays, the holidays of
# FIXED_HOLIDAYS and Kurban ait, and the rule's and the decrees' transfers; any other name stays as entered,
# marked as Russian by the caller.
HOLIDAY_NAMES: Mapping[str, StrOrPromise] = {
    "Новый год": pgettext_lazy("holiday", "New Year"),
    "Православное Рождество": pgettext_lazy("holiday", "Orthodox Christmas"),
    "Международный женский день": pgettext_lazy("holiday", "International Women's Day"),
    "День Конституции": pgettext_lazy("holiday", "Constitution Day"),
    "Наурыз мейрамы": pgettext_lazy("holiday", "Nauryz meiramy"),
    "Праздник единства народа Казахстана": pgettext_lazy("holiday", "Day of the Unity of the People of Kazakhstan"),
    "День защитника Отечества": pgettext_lazy("holiday", "Defender of the Fatherland Day"),
    "День Победы": pgettext_lazy("holiday", "Victory Day"),
    "День столицы": pgettext_lazy("holiday", "Capital City Day"),
    "День Конституции Республики Казахстан": pgettext_lazy("holiday", "Constitution Day of the Republic of Kazakhstan"),
    "День Республики": pgettext_lazy("holiday", "Republic Day"),
    "День Первого Президента Республики Казахстан": pgettext_lazy("holiday", "First President's Day"),
    "День Независимости": pgettext_lazy("holiday", "Independence Day"),
    KURBAN_AIT_NAME: pgettext_lazy("holiday", "Kurban ait"),
    "постановление Правительства": pgettext_lazy("holiday", "Government decree"),
}
_TRANSFER = re.compile(r"^Перенос: (\d{1,2}) (\w+) → (\d{1,2}) (\w+) \((.+)\)$")


def _day_month_localised(number: str, month_name: str) -> str | None:
    if month_name not in MONTHS_GENITIVE:
        return None
    # A leap year, so that 29 February is a date; only the day and the month are shown.
    return formats.date_format(dt.date(2000, MONTHS_GENITIVE.index(month_name) + 1, int(number)), "j E")


def reason_in_language(reason: str) -> tuple[str, bool]:
    """A non-working day's reason (`reason_not_working`) in the active language, and whether it was: the
    weekdays, the known holidays and the transfers named after them; (the reason as kept, False) otherwise."""
    if reason in WEEKDAY_NAMES:
        return str(WEEKDAYS[WEEKDAY_NAMES.index(reason)]).lower(), True
    if reason in HOLIDAY_NAMES:
        return str(HOLIDAY_NAMES[reason]), True
    match = _TRANSFER.match(reason)
    if match:
        start = _day_month_localised(match[1], match[2])
        end = _day_month_localised(match[3], match[4])
        name = HOLIDAY_NAMES.get(match[5])
        if start and end and name:
            return pgettext("holiday", "Day off moved: %(from)s → %(to)s (%(name)s)") % {
                "from": start,
                "to": end,
                "name": name,
            }, True
    return reason, False
