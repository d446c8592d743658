"""The statistics of a council's year, combined from the other apps' selectors.

`council_year_stats` is the one place the figures are computed: the stats API, the council page, the workspace
dashboard and the annual report all read it, so they cannot disagree; each figure is computed as of one day
(`default_as_of`: a closed year's last day), so a past year's figures never change with today's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from appeals import categories as appeal_categories
from appeals import selectors as appeal_selectors
from appeals.categories import AppealPlaceCounts
from appeals.selectors import AppealCounts
from councils import selectors as council_selectors
from councils.expert_selectors import ExpertCounts, expert_counts
from councils.memoranda import memorandum_figures
from councils.models import Council
from councils.plan import plan_execution, plan_figures
from hearings import selectors as hearing_selectors
from hearings.selectors import AttendanceFigures
from library import selectors as library_selectors
from library.selectors import LibraryCounts
from monitoring import selectors as monitoring_selectors
from monitoring.selectors import TrackedCounts
from news import selectors as news_selectors
from news.selectors import NewsCounts
from outreach import selectors as outreach_selectors
from outreach.selectors import ConsultationCounts, TrainingCounts
from participation import selectors as participation_selectors
from participation.selectors import ParticipationStats
from receptions import selectors as reception_selectors
from receptions.selectors import ReceptionCounts
from stakeholders import selectors as stakeholder_selectors
from stakeholders.selectors import StakeholderCounts

if TYPE_CHECKING:
    from .models import ReportBuild


def default_as_of(year: int, today: dt.date | None = None) -> dt.date:
    """The day a year's figures are computed on unless another is asked for: its last day once it is over
    (a closed year's figures never change with today's date), today while it runs."""
    return council_selectors.year_as_of(year, today)


@dataclass(frozen=True)
class MonitoringCounts:
    total: int
    by_month: dict[str, int]


@dataclass(frozen=True)
class MediaCounts:
    """Publications in the media in the year: those recorded on the council's news (`news.MediaPublication`) and
    the publicity links of its monitoring events (`monitoring.PublicityLink`), which were the media's record
    before the news existed."""

    total: int
    news: int
    monitoring: int


@dataclass(frozen=True)
class YearStats:
    """Every figure of a council's year, as it stood at the end of `as_of`. The dict-valued fields are counts
    keyed by a choice's value (members by affiliation, meetings by kind, draft reviews by conclusion)."""

    council: str
    year: int
    as_of: dt.date
    members: dict[str, int]
    # Experts of the council, never counted among the members (councils/expert_selectors.py): on `as_of` and
    # approved during the year.
    experts: ExpertCounts
    commissions: int
    meetings: dict[str, int]
    hearings: int
    monitoring: MonitoringCounts
    draft_acts: dict[str, int]
    appeals: AppealCounts
    # The year's appeals by the council's categories and districts/towns (appeals/categories.py).
    appeal_places: AppealPlaceCounts
    # Receptions of citizens held in the year and their visitors (receptions/selectors.py).
    receptions: ReceptionCounts
    recommendations: TrackedCounts
    information_requests: TrackedCounts
    memoranda: int
    # The year's work plan by status as of `as_of` (councils/plan.py): items, done, in_progress, planned,
    # postponed, cancelled, late (planned or in progress past the due date).
    work_plan: dict[str, int]
    # Memoranda signed in the year, in force on `as_of`, and the commitments due in the year by their state on
    # `as_of` (councils/memoranda.py).
    memorandum_figures: dict[str, int]
    # The Aarhus pillars, for every council kind: documents published in the library, consultations given
    # (counts only: the log names people) and trainings, seminars and campaigns held.
    library: LibraryCounts
    consultations: ConsultationCounts
    trainings: TrainingCounts
    # Comments from the public on hearings and drafts (received, published, taken into account, partly, not)
    # and registrations to attend hearings.
    participation: ParticipationStats
    # The year's work with stakeholders (stakeholders/): organisations dealt with by category, the contact log by
    # kind, mail-outs and messages sent. Counts only: contact people are never named outside the workspace.
    stakeholders: StakeholderCounts
    # The council's news, press releases and statements made public in the year (withdrawn ones included), by
    # kind, and the publications in the media: on the news and on the monitoring events (`media`).
    news: NewsCounts
    media: MediaCounts
    # Each member's attendance at the year's open meetings whose attendance was taken by name, held by `as_of`
    # (hearings.selectors.attendance_figures; the same figures as the attendance page and the member's profile:
    # members are the council's public officials, named as there).
    attendance: list[AttendanceFigures]

    @property
    def is_closed_year(self) -> bool:
        """The figures stand on the year's last day: they no longer change."""
        return self.as_of >= council_selectors.year_end(self.year)

    def headline_counts(self) -> dict[str, int]:
        """The year's counts under `HEADLINE_KEYS`, as `yearly_totals` gives them for many councils at once in a
        few grouped queries: the two must agree (tests/reports/test_almaty_demo_stats.py)."""
        return {
            "council_meetings": self.meetings.get("council", 0),
            "meetings": sum(self.meetings.values()),
            "hearings": self.hearings,
            "monitoring": self.monitoring.total,
            "draft_acts": self.draft_acts["reviewed"],
            "recommendations": self.recommendations.total,
            "appeals": self.appeals.total,
            "memoranda": self.memoranda,
            "library": self.library.total,
            "consultations": self.consultations.total,
            "trainings": self.trainings.total,
        }

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of the stats API."""
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return data


def council_year_stats(
    *,
    council: Council,
    year: int,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
    appeal_outcomes: bool = True,
) -> YearStats:
    """Every figure of the council's year, as it stood at the end of `as_of` (eighteen queries, one of them the
    members' attendance, whatever the amount of data, and one per kind of record linked to the work plan).

    1. `as_of` defaults to `default_as_of(year, today)`: the year's last day once it is over, so the same
       year always gives the same figures; today (the local date unless given) while it runs.
    2. Composition on `as_of`: members (experts excluded) and the commissions of the convocation then active.
    3. Activity dated in the year: meetings by kind, hearings, monitoring by month, draft reviews by the start of
       their discussion, appeals by registration year, recommendations by issue date, information requests by
       sending date, memoranda by signing date.
    4. With `appeal_outcomes=False` the appeals' outcomes are not counted (`appeal_counts(outcomes=False)`): the
       council page shows none, and counting them reads each appeal's history.
    5. The state of the year's appeals, recommendations and information requests on `as_of`: their status
       then, answered by then, overdue then. An answer received later does not count.
    """
    day = as_of or default_as_of(year, today)
    monitoring_months = monitoring_selectors.monitoring_by_month(council=council, year=year)
    news = news_selectors.news_counts(council=council, year=year, as_of=day)
    monitoring_links = monitoring_selectors.publicity_link_count(council=council, year=year, as_of=day)
    # The memoranda signed in the year are among those the figures read: no count of their own.
    memoranda = memorandum_figures(council=council, year=year, as_of=day)
    # The counts the database keeps per year: the places' counts read them, and the breakdown without outcomes.
    figures = appeal_selectors.year_figures(council=council, year=year)
    return YearStats(
        council=council.slug,
        year=year,
        as_of=day,
        members=council_selectors.member_counts(council=council, day=day),
        experts=expert_counts(council=council, year=year, as_of=day),
        commissions=council_selectors.commission_count(council=council, day=day),
        meetings=hearing_selectors.meeting_counts(council=council, year=year),
        hearings=hearing_selectors.hearing_count(council=council, year=year),
        monitoring=MonitoringCounts(total=sum(monitoring_months.values()), by_month=monitoring_months),
        draft_acts=monitoring_selectors.draft_review_counts(council=council, year=year),
        appeals=appeal_selectors.appeal_counts(
            council=council, year=year, as_of=day, outcomes=appeal_outcomes, figures=figures
        ),
        appeal_places=appeal_categories.appeal_place_counts(council=council, year=year, figures=figures),
        receptions=reception_selectors.reception_counts(council=council, year=year),
        recommendations=monitoring_selectors.recommendation_counts(council=council, year=year, as_of=day),
        information_requests=monitoring_selectors.information_request_counts(council=council, year=year, as_of=day),
        memoranda=memoranda.signed,
        work_plan=asdict(plan_figures(plan_execution(council=council, year=year, today=day))),
        memorandum_figures=asdict(memoranda),
        library=library_selectors.library_counts(council=council, year=year, as_of=day),
        consultations=outreach_selectors.consultation_counts(council=council, year=year, as_of=day),
        trainings=outreach_selectors.training_counts(council=council, year=year, as_of=day),
        participation=participation_selectors.participation_year_stats(council=council, year=year, as_of=day),
        stakeholders=stakeholder_selectors.stakeholder_counts(council=council, year=year, as_of=day),
        news=news,
        media=MediaCounts(
            total=news.media_publications + monitoring_links, news=news.media_publications, monitoring=monitoring_links
        ),
        attendance=hearing_selectors.attendance_figures(council=council, year=year, as_of=day),
    )


@dataclass(frozen=True)
class DashboardFigures:
    """The workspace dashboard's headline figures of a year: the same selectors `council_year_stats` calls for
    them, so the same numbers, without the rest of the year's statistics (seven queries, not twenty-nine)."""

    as_of: dt.date
    meetings: dict[str, int]
    hearings: int
    monitoring: int
    draft_acts_reviewed: int
    recommendations: TrackedCounts
    appeals: int
    memoranda: int


def dashboard_figures(*, council: Council, year: int, today: dt.date | None = None) -> DashboardFigures:
    """The year's headline figures as of `default_as_of(year, today)`, as `council_year_stats` gives them."""
    day = default_as_of(year, today)
    return DashboardFigures(
        as_of=day,
        meetings=hearing_selectors.meeting_counts(council=council, year=year),
        hearings=hearing_selectors.hearing_count(council=council, year=year),
        monitoring=sum(monitoring_selectors.monitoring_by_month(council=council, year=year).values()),
        draft_acts_reviewed=monitoring_selectors.draft_review_counts(council=council, year=year)["reviewed"],
        recommendations=monitoring_selectors.recommendation_counts(council=council, year=year, as_of=day),
        # The total does not depend on `as_of`: from the counts the database keeps per year, no appeal read.
        appeals=appeal_selectors.appeal_counts(council=council, year=year, as_of=day, outcomes=False).total,
        memoranda=council_selectors.memorandum_count(council=council, year=year),
    )


HEADLINE_KEYS = (
    "council_meetings",
    "meetings",
    "hearings",
    "monitoring",
    "draft_acts",
    "recommendations",
    "appeals",
    "memoranda",
    "library",
    "consultations",
    "trainings",
)


def yearly_totals(*, council_ids: Iterable[int]) -> dict[tuple[int, int], dict[str, int]]:
    """{(council_id, year): headline counts} for every year with any activity: ten queries for any number
    of councils."""
    ids = list(council_ids)
    totals: dict[tuple[int, int], dict[str, int]] = {}
    for part in (
        hearing_selectors.yearly_totals(council_ids=ids),
        monitoring_selectors.yearly_totals(council_ids=ids),
        appeal_selectors.yearly_totals(council_ids=ids),
        council_selectors.yearly_totals(council_ids=ids),
        library_selectors.yearly_totals(council_ids=ids),
        outreach_selectors.yearly_totals(council_ids=ids),
    ):
        for key, counts in part.items():
            totals.setdefault(key, dict.fromkeys(HEADLINE_KEYS, 0)).update(counts)
    return totals


def council_year_set(council_id: int) -> frozenset[int]:
    """The years the council has any record of (`yearly_totals`, ten queries): what the page cache compares after
    an edit to know whether the lists of every council's years changed (core/page_cache.py)."""
    return frozenset(year for (_id, year) in yearly_totals(council_ids=[council_id]))


def council_years(*, council: Council) -> list[int]:
    """The years with any activity, newest first."""
    return sorted({year for (_id, year) in yearly_totals(council_ids=[council.id])}, reverse=True)


# The council's own work that makes a year worth opening a page on: meetings of any kind, public hearings,
# monitoring events, draft acts reviewed, recommendations issued, memoranda signed, documents published in its
# library, trainings held. Appeals and consultations are left out: they arrive from outside, whenever a citizen
# writes or calls, and say nothing yet of what the council did.
STORY_KEYS = (
    "meetings",
    "hearings",
    "monitoring",
    "draft_acts",
    "recommendations",
    "memoranda",
    "library",
    "trainings",
)
# Three records of its own work: a year with a meeting or two entered so far is still being written.
STORY_MIN_RECORDS = 3


def default_year(
    *, totals: dict[int, dict[str, int]], report_years: Iterable[int], today: dt.date | None = None
) -> int | None:
    """The year a page shows when none is asked for, from {year: headline counts} (`yearly_totals`) and the
    years with a published report:

    1. the latest year with a published annual report (the council itself said that year's story is told);
    2. else the latest year whose own work (`STORY_KEYS`) counts at least `STORY_MIN_RECORDS` records;
    3. else the latest year with any record at all;
    4. else None (the page then shows the current year, empty).

    Never a year after today's. The rule keeps the first appeal of January from switching every page to a new
    year of zeros: an appeal counts only under 3, and one meeting does not make a story either.
    """
    this_year = (today or timezone.localdate()).year
    reported = [year for year in report_years if year <= this_year]
    if reported:
        return max(reported)
    years = [year for year in totals if year <= this_year]
    told = [year for year in years if sum(totals[year].get(key, 0) for key in STORY_KEYS) >= STORY_MIN_RECORDS]
    if told:
        return max(told)
    return max(years) if years else None


def published_report_years(*, council_ids: Iterable[int]) -> dict[int, set[int]]:
    """{council id: the years of its published annual reports}: one query for any number of councils."""
    from .models import BuildStatus, ReportBuild

    rows = (
        ReportBuild.objects.filter(council_id__in=list(council_ids), is_published=True, status=BuildStatus.DONE)
        .exclude(file="")
        .values_list("council_id", "year")
        .distinct()
    )
    years: dict[int, set[int]] = {}
    for council_id, year in rows:
        years.setdefault(council_id, set()).add(year)
    return years


def council_default_year(*, council: Council, today: dt.date | None = None) -> tuple[int | None, list[int]]:
    """The council's default year (`default_year`) and its years with any record, newest first: eleven queries."""
    totals = {year: counts for (_id, year), counts in yearly_totals(council_ids=[council.id]).items()}
    reports = published_report_years(council_ids=[council.id]).get(council.id, set())
    year = default_year(totals=totals, report_years=reports, today=today)
    return year, sorted(totals, reverse=True)


@dataclass
class Headline:
    """A council with its latest year's main figures, for the home page."""

    council: Council
    year: int | None
    members: dict[str, int] = field(default_factory=dict)
    figures: dict[str, int] = field(default_factory=dict)


def council_headlines(
    *,
    councils: Iterable[Council],
    year: int | None = None,
    today: dt.date | None = None,
    totals: dict[tuple[int, int], dict[str, int]] | None = None,
) -> list[Headline]:
    """Each council with the headline figures of `year`, or of its own default year (`default_year`), members
    counted as of that year's `default_as_of` (never a day after today): twelve queries for any number of
    councils, two when the caller has read `totals` (`yearly_totals`) already. A council with no record in the
    year has `year` set and empty figures."""
    councils = list(councils)
    ids = [c.id for c in councils]
    if totals is None:
        totals = yearly_totals(council_ids=ids)
    reports = published_report_years(council_ids=ids) if year is None else {}
    by_council: dict[int, dict[int, dict[str, int]]] = {}
    for (council_id, each_year), counts in totals.items():
        by_council.setdefault(council_id, {})[each_year] = counts
    shown: dict[int, int] = {}
    for council in councils:
        chosen = year
        if chosen is None:
            chosen = default_year(
                totals=by_council.get(council.id, {}), report_years=reports.get(council.id, ()), today=today
            )
        if chosen is not None:
            shown[council.id] = chosen
    members = council_selectors.member_counts_by_council(
        days={council_id: default_as_of(each_year, today) for council_id, each_year in shown.items()}
    )
    headlines = []
    for council in councils:
        chosen = shown.get(council.id)
        if chosen is None:
            headlines.append(Headline(council=council, year=None))
            continue
        headlines.append(
            Headline(
                council=council,
                year=chosen,
                members=members.get(council.id, {}),
                figures=totals.get((council.id, chosen), dict.fromkeys(HEADLINE_KEYS, 0)),
            )
        )
    return headlines


def headline_years(*, councils: Iterable[Council]) -> list[int]:
    """The years any of the councils has a record of, newest first: the home page's year switcher."""
    return sorted({year for (_id, year) in yearly_totals(council_ids=[c.id for c in councils])}, reverse=True)


# ---- the public portal's pages ---------------------------------------------------------------------------------


def published_reports(*, council: Council) -> list[ReportBuild]:
    """The council's published annual reports (finished builds its chair published), newest year first, by
    language: one query."""
    from .models import BuildStatus, ReportBuild

    return list(
        ReportBuild.objects.filter(council=council, is_published=True, status=BuildStatus.DONE)
        .exclude(file="")
        .order_by("-year", "language", "-finished_at", "-id")
    )
