"""Reads of citizens' appeals for statistics. Counts only: nothing here touches the applicants' personal data."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields, replace

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    Expression,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from core.page_cache import portal_cache_version
from core.process_cache import remember
from councils.models import Council

from .deadlines import overdue_q
from .models import (
    OPEN_STATUSES,
    Appeal,
    AppealFeedback,
    AppealOutcomeFigures,
    AppealStatus,
    AppealStatusChange,
    AppealYearCount,
    AppealYearFigure,
    ApplicantType,
    Category,
    Channel,
    FigureDimension,
    effective_deadline,
)


@dataclass(frozen=True)
class AppealCounts:
    """The appeals of a registration year as they stood at the end of `as_of`."""

    total: int
    individuals: int
    legal_entities: int
    by_category: dict[str, int]
    individuals_by_category: dict[str, int]
    legal_entities_by_category: dict[str, int]
    by_channel: dict[str, int]
    by_month: dict[str, int]
    by_status: dict[str, int]
    answered: int
    answered_on_time: int
    # None while nothing is answered: "0%" would accuse a council of lateness it has not had time for.
    on_time_share: float | None
    open: int
    overdue: int
    # False when the outcomes (by_status, answered, answered_on_time, on_time_share, open, overdue) were not
    # counted (`appeal_counts(outcomes=False)`: they are then empty, zero and None), for a page that shows none
    # of them.
    outcomes_counted: bool = True


def appeal_status_on(as_of: dt.date) -> Case:
    """An appeal's status at the end of `as_of`: the last step of its history registered by then (local time),
    or, before its first step, «registered»; an appeal with no history at all keeps the status on file."""
    steps = AppealStatusChange.objects.filter(appeal=OuterRef("pk"))
    end = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min))
    last = Subquery(steps.filter(changed_at__lt=end).order_by("-changed_at", "-id").values("status")[:1])
    return Case(
        When(Exists(steps), then=Coalesce(last, Value(AppealStatus.REGISTERED))),
        default=F("status"),
        output_field=CharField(),
    )


def appeal_counts(
    *,
    council: Council,
    year: int,
    as_of: dt.date,
    outcomes: bool = True,
    figures: dict[str, dict[str, int]] | None = None,
) -> AppealCounts:
    """Appeals of the registration year, as they stood on `as_of`: totals by applicant type, category, channel,
    month of registration (local time) and status then (the outcome); answered (an answer given by `as_of`) and
    answered on time (on or before the deadline, an extension counted); open (in an open status then) and
    overdue (open, past the deadline). One grouped query; the rows are bounded by the choices, not by the number
    of appeals.

    With `outcomes=False` only what does not depend on `as_of` is counted (applicant type, category, channel,
    month): from the counts the database keeps per year (`AppealYearFigure`), a few dozen rows and none of the
    appeals or their histories, which the status on `as_of` needs twice per appeal.

    A closed year's figures as of its 31 December are counted once and kept (`_kept_outcomes`): they change only
    when the year's appeals or their histories do, and the database marks that. As of today (the running year's
    figures) they come from the counts the database keeps and the year's open appeals (`_running_outcomes`).
    `figures`: the year's `year_figures` when the caller has read them (used without the outcomes)."""
    if not outcomes:
        return _appeal_breakdown(council=council, year=year, figures=figures)
    today = timezone.localdate()
    if as_of >= today:
        return _running_outcomes(council=council, year=year, as_of=as_of)
    if as_of == dt.date(year, 12, 31):
        return _kept_outcomes(council=council, year=year)
    return _count_outcomes(council=council, year=year, as_of=as_of)


def _count_outcomes(*, council: Council, year: int, as_of: dt.date) -> AppealCounts:
    """`appeal_counts` counted from the year's appeals and their histories: one grouped query."""
    by_category = dict.fromkeys(Category.values, 0)
    individuals_by_category = dict.fromkeys(Category.values, 0)
    legal_entities_by_category = dict.fromkeys(Category.values, 0)
    by_channel = dict.fromkeys(Channel.values, 0)
    by_month = {str(month): 0 for month in range(1, 13)}
    by_type = dict.fromkeys(ApplicantType.values, 0)
    by_status = dict.fromkeys(AppealStatus.values, 0)
    answered = answered_on_time = still_open = overdue = 0
    deadline = effective_deadline()
    rows = (
        Appeal.objects.filter(council=council, year=year)
        .annotate(
            month=ExtractMonth("registered_at"),
            status_on=appeal_status_on(as_of),
            on_time=Case(
                When(Q(answered_on__isnull=True) | Q(answered_on__gt=as_of), then=Value(None)),
                When(answered_on__lte=deadline, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(null=True),
            ),
            effective_deadline=deadline,
        )
        .values("applicant_type", "category", "channel", "month", "status_on", "on_time")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=overdue_q(as_of, status="status_on")),
        )
        .order_by()
    )
    total = 0
    for row in rows:
        n = row["n"]
        total += n
        by_status[row["status_on"]] = by_status.get(row["status_on"], 0) + n
        if row["status_on"] in OPEN_STATUSES:
            still_open += n
        overdue += row["overdue"]
        if row["on_time"] is not None:
            answered += n
            answered_on_time += n if row["on_time"] else 0
        by_type[row["applicant_type"]] = by_type.get(row["applicant_type"], 0) + n
        by_category[row["category"]] = by_category.get(row["category"], 0) + n
        by_channel[row["channel"]] = by_channel.get(row["channel"], 0) + n
        by_month[str(row["month"])] += n
        if row["applicant_type"] == ApplicantType.INDIVIDUAL:
            individuals_by_category[row["category"]] = individuals_by_category.get(row["category"], 0) + n
        elif row["applicant_type"] == ApplicantType.LEGAL_ENTITY:
            legal_entities_by_category[row["category"]] = legal_entities_by_category.get(row["category"], 0) + n
    return AppealCounts(
        total=total,
        individuals=by_type[ApplicantType.INDIVIDUAL],
        legal_entities=by_type[ApplicantType.LEGAL_ENTITY],
        by_category=by_category,
        individuals_by_category=individuals_by_category,
        legal_entities_by_category=legal_entities_by_category,
        by_channel=by_channel,
        by_month=by_month,
        by_status=by_status,
        answered=answered,
        answered_on_time=answered_on_time,
        on_time_share=round(answered_on_time / answered, 3) if answered else None,
        open=still_open,
        overdue=overdue,
    )


# The form the kept figures are written in: a change of the counting or of the choices it counts by (a new
# category, status or channel) leaves the kept figures behind, to be counted again. Bump the number for a change
# of the rule itself (what "answered on time" or "overdue" means).
_KEPT_FORMAT = (
    "1:"
    + hashlib.sha256(
        repr(
            (
                [f.name for f in fields(AppealCounts)],
                ApplicantType.values,
                Category.values,
                Channel.values,
                AppealStatus.values,
                sorted(OPEN_STATUSES),
            )
        ).encode()
    ).hexdigest()[:12]
)


def _kept_outcomes(*, council: Council, year: int) -> AppealCounts:
    """A closed year's `appeal_counts` as of its 31 December, counted once and kept (`AppealOutcomeFigures`).

    1. One query reads the kept row and asks the database whether the year is over by its own clock (the clock
       its triggers read: a year is "before the current one" for them a day early, so a year over for both has
       every change since marked).
    2. Figures kept at the generation the row has now, in this code's form, are the answer: no appeal is read.
    3. Otherwise they are counted (`_count_outcomes`) and kept with the generation read in 1, unless the
       database has bumped it since (a change committed meanwhile, which the count may have missed): then the
       next request counts again. Two requests counting at once both write the same figures; neither fails.
    """
    table = AppealOutcomeFigures._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            current_year = "CAST(extract(year FROM now() AT TIME ZONE %s) AS integer)"
            params = [settings.TIME_ZONE]
        else:  # SQLite's clock is UTC: the year is over everywhere once it is over twelve hours west of it
            current_year = "CAST(strftime('%%Y', 'now', '-12 hours') AS integer)"
            params = []
        cursor.execute(
            f"SELECT {current_year}, f.generation, f.figures_generation, f.figures FROM (SELECT 1) AS one "  # noqa: S608
            f"LEFT JOIN {table} AS f ON f.council_id = %s AND f.year = %s",
            [*params, council.pk, year],
        )
        database_year, generation, figures_generation, kept = cursor.fetchone()
    as_of = dt.date(year, 12, 31)
    if year >= database_year:
        return _count_outcomes(council=council, year=year, as_of=as_of)
    generation = generation or 0
    if isinstance(kept, str):
        kept = json.loads(kept)
    if kept is not None and figures_generation == generation and kept.get("format") == _KEPT_FORMAT:
        return AppealCounts(**kept["counts"])
    counts = _count_outcomes(council=council, year=year, as_of=as_of)
    # A cache's write, made by the read that fills it (as core.process_cache's): no record of the council changes.
    figures = json.dumps({"format": _KEPT_FORMAT, "counts": asdict(counts)})
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (council_id, year, generation, figures, figures_generation) "  # noqa: S608
            f"VALUES (%s, %s, %s, %s, %s) ON CONFLICT (council_id, year) DO UPDATE "
            f"SET figures = excluded.figures, figures_generation = excluded.figures_generation "
            f"WHERE {table}.generation = excluded.figures_generation",
            [council.pk, year, generation, figures, generation],
        )
    return counts


def year_figures(*, council: Council, year: int) -> dict[str, dict[str, int]]:
    """{dimension: {value: appeals}} of the council's registration year (`AppealYearFigure`, kept by the
    database): a few dozen rows, whatever the number of appeals; values counted at zero are left out."""
    figures: dict[str, dict[str, int]] = {}
    rows = AppealYearFigure.objects.filter(council=council, year=year, appeals__gt=0).values_list(
        "dimension", "value", "appeals"
    )
    for dimension, value, n in rows:
        figures.setdefault(dimension, {})[value] = n
    return figures


def _running_outcomes(*, council: Council, year: int, as_of: dt.date) -> AppealCounts:
    """`appeal_counts` as of today or later, without the appeals' histories: the status today is the status on
    file (services write it with its history step) and whether an appeal is answered, on time or late, depends on
    its own row, so both are among the counts the database keeps (`AppealYearFigure`, dimensions `status` and
    `answer`, migration 0020). Overdue depends on the day: the year's open appeals past their deadline
    (`Appeal.open_deadline`) are counted, reading the open ones only (the partial index `appeal_open_newest`).
    One query: the year's kept counts, each row carrying that count (computed once by the database) and the
    database's date."""
    overdue_count = (
        Appeal.objects.filter(council=council, year=year, status__in=OPEN_STATUSES, open_deadline__lt=as_of)
        .order_by()
        .values("council")
        .annotate(n=Count("pk"))
        .values("n")
    )
    database_today: Expression
    if connection.vendor == "postgresql":
        # The day by the database's clock, which the appeals' histories are written by: a day before it (a clock
        # set back) may see later answers and steps in the rows, so that day is counted from the histories.
        database_today = RawSQL("CAST(now() AT TIME ZONE %s AS date)", [settings.TIME_ZONE])
    else:
        database_today = Value(as_of, output_field=DateField())
    rows = (
        AppealYearFigure.objects.filter(council=council, year=year, appeals__gt=0)
        .annotate(overdue=Coalesce(Subquery(overdue_count), 0), database_today=database_today)
        .values_list("dimension", "value", "appeals", "overdue", "database_today")
    )
    figures: dict[str, dict[str, int]] = {}
    overdue = 0
    for dimension, value, n, overdue_in_year, day in rows:
        if day > as_of:
            return _count_outcomes(council=council, year=year, as_of=as_of)
        figures.setdefault(dimension, {})[value] = n
        overdue = overdue_in_year  # the same on every row
    counts = _appeal_breakdown(council=council, year=year, figures=figures)
    by_status = dict.fromkeys(AppealStatus.values, 0)
    for status, n in figures.get(FigureDimension.STATUS, {}).items():
        by_status[status] = by_status.get(status, 0) + n
    answers = figures.get(FigureDimension.ANSWER, {})
    answered_on_time = answers.get("on_time", 0)
    answered = answered_on_time + answers.get("late", 0)
    return replace(
        counts,
        by_status=by_status,
        answered=answered,
        answered_on_time=answered_on_time,
        on_time_share=round(answered_on_time / answered, 3) if answered else None,
        open=sum(by_status.get(status, 0) for status in OPEN_STATUSES),
        overdue=overdue,
        outcomes_counted=True,
    )


def _appeal_breakdown(*, council: Council, year: int, figures: dict[str, dict[str, int]] | None = None) -> AppealCounts:
    """`appeal_counts` without the outcomes, from the counts the database keeps per year (`year_figures`, unless
    `figures` gives them already read): one query of a few dozen rows, no appeal read."""
    by_category = dict.fromkeys(Category.values, 0)
    individuals_by_category = dict.fromkeys(Category.values, 0)
    legal_entities_by_category = dict.fromkeys(Category.values, 0)
    by_channel = dict.fromkeys(Channel.values, 0)
    by_month = {str(month): 0 for month in range(1, 13)}
    by_type = dict.fromkeys(ApplicantType.values, 0)
    if figures is None:
        figures = year_figures(council=council, year=year)
    total = 0
    for value, n in figures.get(FigureDimension.TYPE_CATEGORY, {}).items():
        applicant_type, category = value.split(":", 1)
        total += n
        by_type[applicant_type] = by_type.get(applicant_type, 0) + n
        by_category[category] = by_category.get(category, 0) + n
        if applicant_type == ApplicantType.INDIVIDUAL:
            individuals_by_category[category] = individuals_by_category.get(category, 0) + n
        elif applicant_type == ApplicantType.LEGAL_ENTITY:
            legal_entities_by_category[category] = legal_entities_by_category.get(category, 0) + n
    for channel, n in figures.get(FigureDimension.CHANNEL, {}).items():
        by_channel[channel] = by_channel.get(channel, 0) + n
    for month, n in figures.get(FigureDimension.MONTH, {}).items():
        by_month[month] += n
    return AppealCounts(
        total=total,
        individuals=by_type[ApplicantType.INDIVIDUAL],
        legal_entities=by_type[ApplicantType.LEGAL_ENTITY],
        by_category=by_category,
        individuals_by_category=individuals_by_category,
        legal_entities_by_category=legal_entities_by_category,
        by_channel=by_channel,
        by_month=by_month,
        by_status={},
        answered=0,
        answered_on_time=0,
        on_time_share=None,
        open=0,
        overdue=0,
        outcomes_counted=False,
    )


def appeal_years(*, council: Council) -> list[int]:
    """The years from the council's first appeal to its last, newest first, from the counts the database keeps
    per council and year (`AppealYearCount`): a handful of rows, whatever the number of appeals."""
    years = list(
        AppealYearCount.objects.filter(council=council, appeals__gt=0).values_list("year", flat=True).order_by()
    )
    if not years:
        return []
    return list(range(max(years), min(years) - 1, -1))


def yearly_totals(*, council_ids: Iterable[int]) -> dict[tuple[int, int], dict[str, int]]:
    """{(council_id, year): {"appeals": n}}: one query for any number of councils, reading the counts the
    database keeps (`AppealYearCount`, one row per council and year), not the appeals themselves."""
    rows = AppealYearCount.objects.filter(council_id__in=list(council_ids), appeals__gt=0).values_list(
        "council_id", "year", "appeals"
    )
    return {(council_id, year): {"appeals": n} for council_id, year, n in rows}


@dataclass(frozen=True)
class FeedbackCounts:
    """The applicants' word on the answers to the appeals of a registration year: each answer judged once."""

    resolved: int
    not_resolved: int

    @property
    def judged(self) -> int:
        return self.resolved + self.not_resolved


def appeal_feedback_counts(*, council: Council, year: int) -> FeedbackCounts:
    """How many answers to the appeals registered in `year` their applicants judged resolved, and not resolved
    (which reopened the appeal). One grouped query."""
    rows = (
        AppealFeedback.objects.filter(appeal__council=council, appeal__year=year)
        .values("resolved")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["resolved"]: row["n"] for row in rows}
    return FeedbackCounts(resolved=counts.get(True, 0), not_resolved=counts.get(False, 0))


def council_taking_appeals(slug: str) -> Council | None:
    """The published council an appeal is posted to, by its slug; None when there is none. Kept in the process
    while no council's record changes (core/process_cache.py): every submission reads it, and the query and its ORM
    work were a seventh of a submission's CPU. The instance is shared by the process's threads: read it, never
    change it."""
    return remember(
        ("appeals.council_taking_appeals", slug),
        portal_cache_version,
        lambda: Council.objects.filter(slug=slug, is_published=True).first(),
    )
