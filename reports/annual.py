"""The annual activity report's content: the year's figures and lists, in the order of the Almaty 2019 report.

The figures come from `council_year_stats` (the one place they are computed, so the report, the stats API and
the council page agree); the lists (agenda items, monitoring rows, hearings, seminars, memoranda) come from the
other apps' selectors. A meeting is listed as the public may know it (`hearings.selectors.public_meeting`): a
closed meeting by its date, kind and body, none of its agenda; it still counts among the meetings held, but its
agenda items are neither listed nor counted (a count by kind would tell what a single closed meeting heard).
Lists longer than the council's annex threshold (`Council.report_annex_threshold`, 50 rows by default) go to
annexes at the end of the report (`ANNEX_LISTS`), so the parts keep a fixed length. Every read runs a fixed number
of queries, so the report costs the same number of
queries for a small council and for a large one.

The report is dated 31 December of its year (`reports.selectors.default_as_of`; a report of the running year is
dated the day it is built): the composition is counted that day, and every state (a recommendation's status, an
answer received, an appeal answered on time, overdue) is the one on that day, so a closed year's report never
depends on the day it is built, and the same data always gives the same report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appeals import categories as appeal_categories
from appeals.models import Category, Channel
from core import charts
from councils import selectors as council_selectors
from councils.memoranda import memoranda_of_year
from councils.models import Council, CouncilKind
from councils.plan import plan_execution
from hearings import selectors as hearing_selectors
from hearings.models import AgendaItem, AgendaItemKind, MeetingKind, PublicHearing
from hearings.selectors import PublicMeeting
from library import selectors as library_selectors
from library.models import DocumentKind
from monitoring import selectors as monitoring_selectors
from monitoring.models import (
    InformationRequestStatus,
    MonitoringEvent,
    Recommendation,
    RecommendationStatus,
    RefusalGround,
)
from news import selectors as news_selectors
from news.models import NewsKind
from outreach import selectors as outreach_selectors
from outreach.models import Audience, ConsultationOutcome, ConsultationTopic
from receptions.models import Outcome as ReceptionOutcome
from stakeholders.models import ContactKind, OrganisationCategory

from .selectors import council_year_stats, default_as_of

# Recommendations the council still follows (the report's «на исполнении и общественном контроле»).
UNDER_CONTROL = (
    RecommendationStatus.SENT,
    RecommendationStatus.UNDER_CONSIDERATION,
    RecommendationStatus.IN_PROGRESS,
)
# The categories the Almaty report sums up as one share of individuals' appeals («экология, транспорт,
# благоустройство»).
URBAN_CATEGORIES = (Category.ECOLOGY, Category.TRANSPORT, Category.IMPROVEMENT)
LINK_LABEL_CHARS = 48


@dataclass(frozen=True)
class Link:
    url: str
    label: str


@dataclass
class MonitoringRow:
    event: MonitoringEvent
    participants: list[str]
    links: list[Link]
    recommendations: list[Recommendation]


@dataclass
class MonitoringMonth:
    month: int
    name: str
    rows: list[MonitoringRow] = field(default_factory=list)


@dataclass
class HearingEntry:
    hearing: PublicHearing
    links: list[Link]
    recommendations: list[Recommendation]

    @property
    def answered(self) -> int:
        return sum(1 for r in self.recommendations if r.responses.all())


@dataclass
class MeetingEntry:
    meeting: PublicMeeting
    links: list[Link]
    items: list[AgendaItem]


@dataclass(frozen=True)
class Annex:
    """A list moved out of its part to the end of the report: its part keeps the figures and «see annex N»."""

    number: int
    key: str
    title: str
    rows: int
    landscape: bool

    @property
    def id(self) -> str:
        return f"annex-{self.number}"

    @property
    def template(self) -> str:
        return f"reports/annual/lists/{self.key}.html"


# The lists that grow with the year's data, in the order their parts come in the report (templates under
# reports/annual/lists/, included in the part or in the annex); the monitoring table is printed landscape.
ANNEX_LISTS: tuple[tuple[str, Any, bool], ...] = (
    ("presidium_items", gettext_lazy("Questions discussed at presidium meetings"), False),
    ("council_items", gettext_lazy("Questions discussed at council meetings"), False),
    ("extended_items", gettext_lazy("Questions discussed at the extended commission meetings"), False),
    ("hearings", gettext_lazy("Public hearings"), False),
    ("working_meetings", gettext_lazy("Working meetings on legislation"), False),
    ("consultative_seats", gettext_lazy("Seats in consultative and advisory bodies"), False),
    ("monitoring", gettext_lazy("Public monitoring events"), True),
    ("drafts_noted", gettext_lazy("Drafts approved with remarks or rejected"), False),
    ("seminars", gettext_lazy("Seminars"), False),
    ("round_tables", gettext_lazy("Round tables"), False),
    ("memoranda", gettext_lazy("Memoranda"), False),
    ("plan", gettext_lazy("Execution of the work plan"), False),
    ("library", gettext_lazy("Documents published in the library"), False),
    ("trainings", gettext_lazy("Trainings, seminars and information campaigns"), False),
    ("news", gettext_lazy("News, press releases and statements"), False),
)

# What other parts of the portal add to an Aarhus centre's pillars in its report: {pillar: [template names]},
# each template rendered with the report's context at the end of its pillar's section (information requests by
# body under "information", an EIA hearing's comments and their outcomes under "participation", ...). Filled by
# the apps that have something to say there; empty pillars show only their own parts.
PILLAR_PARTS: dict[str, list[str]] = {
    "information": [],
    "participation": [],
    "justice": [],
    "education": [],
    # The year's work with stakeholders, in counts (stakeholders/): an Aarhus centre reports it under cooperation.
    "cooperation": ["reports/annual/parts/stakeholders.html"],
}


def list_rows(context: dict[str, Any]) -> dict[str, int]:
    """How many rows each growing list of the report has."""
    return {
        "presidium_items": sum(len(entry.items) for entry in context["presidium_meetings"]),
        "council_items": len(context["council_items"]),
        "extended_items": len(context["extended_items"]),
        "hearings": len(context["hearings"]),
        "working_meetings": len(context["working_meetings"]),
        "consultative_seats": len(context["consultative_seats"]),
        "monitoring": sum(len(month.rows) for month in context["monitoring_months"]),
        "drafts_noted": len(context["drafts_noted"]),
        "seminars": len(context["seminars"]),
        "round_tables": len(context["round_tables"]),
        "memoranda": len(context["memoranda"]),
        "plan": len(context["plan"]),
        "library": len(context["library_documents"]),
        "trainings": len(context["trainings"]),
        "news": len(context["news_items"]),
    }


def annexes_for(context: dict[str, Any], threshold: int) -> list[Annex]:
    """The annexes of a report: every list longer than `threshold` rows, numbered in the order of the parts."""
    rows = list_rows(context)
    annexes: list[Annex] = []
    for key, title, landscape in ANNEX_LISTS:
        if rows[key] > threshold:
            annexes.append(Annex(len(annexes) + 1, key, str(title), rows[key], landscape))
    return annexes


def report_date(year: int, today: dt.date | None = None) -> dt.date:
    """The day the report's figures stand on: 31 December once the year is over, today for a report of the
    running year (a figure «overdue» on a day still to come would be a forecast)."""
    return default_as_of(year, today)


def month_name(month: int) -> str:
    """The month's name in the active language, in the nominative (Django's catalogue)."""
    return str(MONTHS[month])


def month_list(months: list[int]) -> str:
    """«апрель, май, октябрь и ноябрь»: months inside a sentence (lower case, except in English)."""
    names = [month_name(m) for m in months]
    if translation.get_language() != "en":
        names = [n.lower() for n in names]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


_ADJECTIVE_RU = re.compile(r"^(?P<stem>.+?)(?P<end>ый|ий|ой)$")


def genitive_ru(name: str) -> str:
    """«Общественный совет города Алматы» → «Общественного совета города Алматы».

    Only the leading masculine noun phrase (adjectives, then one noun) changes; whatever follows it is already in
    the genitive or is a name. Names this rule cannot decline are returned unchanged.
    """
    words = name.split(" ")
    for i, word in enumerate(words):
        match = _ADJECTIVE_RU.match(word)
        if match:
            stem, end = match["stem"], match["end"]
            soft = end == "ий" and stem[-1:] not in "гкхжшчщ"
            words[i] = stem + ("его" if soft else "ого")
            continue
        head, sep, tail = word.partition("-")  # «Орхус-центр»: the last part declines
        last = tail if sep else head
        if last.isupper():
            return name  # an abbreviation («ОС г. Алматы») does not decline
        if re.fullmatch(r"[а-яё]*[бвгдзклмнпрстфхцжшчщ]", last, flags=re.IGNORECASE):
            last += "а"
        elif re.fullmatch(r"[а-яё]*[йь]", last, flags=re.IGNORECASE):
            last = last[:-1] + "я"
        else:
            return name
        words[i] = f"{head}-{last}" if sep else last
        return " ".join(words)
    return name


def council_of(council: Council) -> str:
    """The council's name as it follows «Report on the work of» in the active language."""
    return genitive_ru(council.name) if translation.get_language() == "ru" else council.name


def territory(council: Council) -> tuple[str, str] | None:
    """The cover's line on where the council works, from its own record: the region for a regional council,
    else the city (or the region when no city is on file)."""
    if council.kind == CouncilKind.REGIONAL and council.region:
        return _("Region"), council.region
    if council.city:
        return _("City"), council.city
    if council.region:
        return _("Region"), council.region
    return None


def _link(url: str) -> Link:
    """A clickable link whose printed label is short: host and path, no tracking query."""
    parts = urlsplit(url)
    label = (parts.netloc.removeprefix("www.") + parts.path).rstrip("/") or url
    if len(label) > LINK_LABEL_CHARS:
        label = label[: LINK_LABEL_CHARS - 1] + "…"
    return Link(url=url, label=label)


def _links(values: Any) -> list[Link]:
    """Links stored as JSON: a list of addresses or of {"url": ...} objects."""
    result = []
    for value in values or []:
        url = value.get("url", "") if isinstance(value, dict) else str(value)
        if url.startswith(("http://", "https://")):
            result.append(_link(url))
    return result


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _months_covered(year: int, convocation_start: dt.date | None) -> range:
    """The months the monitoring table lists: from the month the convocation started (if it started in the
    year) to December, each month shown even when nothing happened in it, as the Almaty table does."""
    first = convocation_start.month if convocation_start and convocation_start.year == year else 1
    return range(first, 13)


def annual_report_context(*, council: Council, year: int, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the report template shows, read in a fixed number of queries (about 35).

    1. The figures: `council_year_stats` on the report date.
    2. The composition on the report date (convocation, presidium, commissions with their chairs).
    3. The lists: meetings with agenda items, hearings, the members' seats in consultative bodies held in the
       year, monitoring events with participants and links, the recommendations made on them, draft reviews worth
       naming, memoranda.
    4. The charts, drawn from the figures, with labels in the active language.
    5. The annexes: each list longer than the council's `report_annex_threshold` leaves its part for an annex at
       the end (`annexes`, and `annex` by list); the part keeps its figures (the monitoring part a month table)
       and a pointer, so the main document keeps its length however large the year.
    """
    day = report_date(year, today)
    stats = council_year_stats(council=council, year=year, as_of=day)
    composition = council_selectors.composition_on(council=council, day=day)
    meetings = hearing_selectors.public_meetings_for_year(council=council, year=year)
    hearings = hearing_selectors.hearings_for_year(council=council, year=year)
    events = monitoring_selectors.monitoring_events_for_year(council=council, year=year)
    min_days = settings.OVERSIGHT["DRAFT_REVIEW_MIN_DAYS"]
    drafts = monitoring_selectors.draft_reviews_noted(council=council, year=year, min_days=min_days)
    # The memoranda in force in the year, with their parties, state and commitments on the report date.
    memoranda = memoranda_of_year(council=council, year=year, as_of=day)
    consultative_seats = council_selectors.consultative_seats_in_year(council=council, year=year)
    library_documents = library_selectors.documents_for_year(council=council, year=year, as_of=day)
    trainings = outreach_selectors.trainings_for_year(council=council, year=year, as_of=day)
    news_items = news_selectors.news_for_year(council=council, year=year, as_of=day)

    by_kind: dict[str, list[PublicMeeting]] = {kind: [] for kind in MeetingKind.values}
    for meeting in meetings:
        by_kind[meeting.kind].append(meeting)
    commission_meetings = by_kind[MeetingKind.COMMISSION]
    extended = [m for m in commission_meetings if m.is_extended]
    agenda_ids = [item.id for m in meetings for item in m.agenda]
    recommendations = monitoring_selectors.recommendations_for_sources(
        council=council,
        as_of=day,
        sources={
            "monitoring.monitoringevent": [e.id for e in events],
            "hearings.publichearing": [h.id for h in hearings],
            "hearings.agendaitem": agenda_ids,
        },
    )

    # 8. Monitoring, month by month.
    convocation = composition.convocation
    months = {
        m: MonitoringMonth(month=m, name=month_name(m))
        for m in _months_covered(year, convocation.start_date if convocation else None)
    }
    for event in events:
        month = months.setdefault(
            event.date.month, MonitoringMonth(month=event.date.month, name=month_name(event.date.month))
        )
        month.rows.append(
            MonitoringRow(
                event=event,
                participants=[str(p) for p in event.participants.all()],
                links=[_link(link.url) for link in event.publicity_links.all()],
                recommendations=recommendations.get(("monitoring.monitoringevent", event.id), []),
            )
        )
    monitoring_months = [months[m] for m in sorted(months)]

    # 5. Extended commission meetings: the reports heard and what became of their recommendations.
    extended_items = [item for m in extended for item in m.agenda]
    commission_items = [item for m in commission_meetings for item in m.agenda]
    commission_recs = [
        r for item in commission_items for r in recommendations.get(("hearings.agendaitem", item.id), [])
    ]
    reports_heard = sum(1 for item in commission_items if item.kind == AgendaItemKind.REPORT_HEARING)
    reports_heard_total = sum(1 for m in meetings for item in m.agenda if item.kind == AgendaItemKind.REPORT_HEARING)

    # 3. The forms of public control used in the year, with their figures.
    appeals = stats.appeals
    forms = [
        (_("Public monitoring"), stats.monitoring.total),
        (_("Public hearings"), stats.hearings),
        (_("Public review of draft regulations"), stats.draft_acts["reviewed"]),
        (_("Hearing reports of state bodies"), reports_heard_total),
    ]
    channel_labels = dict(Channel.choices)
    channels = [(str(channel_labels.get(k, k)), n) for k, n in appeals.by_channel.items() if n]

    # 10. Appeals: individuals by category, with shares (the council's own names), and all by district or town.
    category_labels = appeal_categories.category_labels(council=council)
    locality_labels = appeal_categories.locality_labels(council=council)
    places = stats.appeal_places
    localities = [
        (locality_labels.get(code, code), n, _share(n, appeals.total)) for code, n in places.by_locality.items() if n
    ]
    individuals = appeals.individuals
    individual_categories = [
        (str(category_labels.get(k, k)), n, _share(n, individuals))
        for k, n in sorted(appeals.individuals_by_category.items(), key=lambda kv: -kv[1])
        if n
    ]
    urban = sum(appeals.individuals_by_category.get(c, 0) for c in URBAN_CATEGORIES)

    ground_labels = dict(RefusalGround.choices)
    request_labels = dict(InformationRequestStatus.choices)
    presidium_months = sorted({m.date.month for m in by_kind[MeetingKind.PRESIDIUM]})
    recs = stats.recommendations
    status_labels = dict(RecommendationStatus.choices)
    outcome_data = [
        (str(status_labels[s]), recs.by_status.get(s, 0))
        for s in RecommendationStatus.values
        if s != RecommendationStatus.DRAFT and recs.by_status.get(s, 0)
    ]
    month_short = [month_name(m)[:3] for m in range(1, 13)]
    charts_ = {
        "appeals_by_month": _chart(
            charts.bar_chart,
            list(zip(month_short, [appeals.by_month[str(m)] for m in range(1, 13)], strict=True)),
            title=_("Citizens' appeals by month, %(year)s") % {"year": year},
            desc=_("Number of appeals registered each month"),
        ),
        "appeals_by_category": _chart(
            charts.horizontal_bar_chart,
            sorted(
                ((str(category_labels.get(k, k)), n) for k, n in appeals.by_category.items() if n),
                key=lambda kv: -kv[1],
            ),
            title=_("Citizens' appeals by category, %(year)s") % {"year": year},
            desc=_("Number of appeals in each category and its share of all appeals"),
        ),
        "monitoring_by_month": _chart(
            charts.bar_chart,
            list(zip(month_short, [stats.monitoring.by_month[str(m)] for m in range(1, 13)], strict=True)),
            title=_("Public monitoring events by month, %(year)s") % {"year": year},
            desc=_("Number of monitoring events held each month"),
        ),
        "recommendations_by_outcome": _chart(
            charts.horizontal_bar_chart,
            outcome_data,
            title=_("Recommendations of %(year)s by status on %(date)s")
            % {"year": year, "date": day.strftime("%d.%m.%Y")},
            desc=_("Number of recommendations in each status"),
        ),
    }

    context = {
        "council": council,
        "council_of": council_of(council),
        "territory": territory(council),
        "convocation": convocation,
        "year": year,
        "report_date": day,
        "stats": stats,
        "composition": composition,
        # Part 2 says who left the council in the year and why, and lists the experts apart from the members.
        "left": council_selectors.memberships_ended_in_year(council=council, year=year),
        "experts": council_selectors.experts_on(council=council, day=day),
        "forms": forms,
        "channels": channels,
        "presidium_meetings": [_meeting(m) for m in by_kind[MeetingKind.PRESIDIUM]],
        "presidium_months": month_list(presidium_months),
        "council_meetings": [_meeting(m) for m in by_kind[MeetingKind.COUNCIL]],
        "council_items": [item for m in by_kind[MeetingKind.COUNCIL] for item in m.agenda],
        "extended_meetings": [_meeting(m) for m in extended],
        "extended_items": extended_items,
        "commission_meeting_count": len(commission_meetings),
        "reports_heard": reports_heard,
        "commission_recommendations": len(commission_recs),
        "commission_recommendations_under_control": sum(1 for r in commission_recs if r.status in UNDER_CONTROL),
        "hearings": [
            HearingEntry(
                hearing=h,
                links=_links(h.links),
                recommendations=recommendations.get(("hearings.publichearing", h.id), []),
            )
            for h in hearings
        ],
        "working_meetings": [_meeting(m) for m in by_kind[MeetingKind.WORKING]],
        "consultative_seats": consultative_seats,
        "consultative_levels": council_selectors.consultative_level_counts(consultative_seats),
        "monitoring_months": monitoring_months,
        "drafts": stats.draft_acts,
        "drafts_noted": drafts["noted"],
        "drafts_short": drafts["short_discussions"],
        "draft_min_days": min_days,
        "appeals": appeals,
        "individual_categories": individual_categories,
        "appeal_localities": localities,
        "receptions": stats.receptions,
        # Part 4 ends with each member's attendance of the year's open meetings taken by name.
        "attendance": hearing_selectors.member_attendance(council=council, year=year),
        "reception_topics": [(category_labels.get(code, code), n) for code, n in stats.receptions.by_topic.items()],
        "reception_outcomes": [
            (str(label), stats.receptions.by_outcome.get(value, 0)) for value, label in ReceptionOutcome.choices
        ],
        "appeals_without_locality": places.without_locality,
        "urban_share": _share(urban, individuals),
        "individual_share": _share(individuals, appeals.total),
        "legal_share": _share(appeals.legal_entities, appeals.total),
        "recommendations": recs,
        "information_requests": stats.information_requests,
        "request_holders": monitoring_selectors.information_requests_by_holder(council=council, year=year, as_of=day),
        "request_refusals": [
            (str(ground_labels[key]), n) for key, n in stats.information_requests.refused_by_ground.items() if n
        ],
        "request_states": [
            (str(request_labels[key]), n)
            for key, n in stats.information_requests.by_status.items()
            if n and key != InformationRequestStatus.DRAFT
        ],
        "seminars": [_meeting(m) for m in by_kind[MeetingKind.SEMINAR]],
        "round_tables": [_meeting(m) for m in by_kind[MeetingKind.ROUND_TABLE]],
        "memoranda": memoranda,
        # 12. The work plan, item by item, with the records that fulfilled it (the Karaganda format).
        "plan": plan_execution(council=council, year=year, today=day),
        "plan_figures": stats.work_plan,
        "participation": stats.participation,
        "charts": charts_,
        "monitoring_month_counts": [(month.name, len(month.rows)) for month in monitoring_months],
        # The Aarhus pillars' work (any council kind): the library, consultations (counts only) and trainings.
        "library_documents": library_documents,
        "library_kinds": _labelled(stats.library.by_kind, DocumentKind),
        "consultation_topics": _labelled(stats.consultations.by_topic, ConsultationTopic),
        "consultation_outcomes": _labelled(stats.consultations.by_outcome, ConsultationOutcome),
        "trainings": trainings,
        "training_audiences": [
            (
                str(label),
                stats.trainings.by_audience.get(value, 0),
                stats.trainings.participants_by_audience.get(value, 0),
            )
            for value, label in Audience.choices
            if stats.trainings.by_audience.get(value, 0)
        ],
        "training_partners": sorted({partner.name for training in trainings for partner in training.partners.all()}),
        "pillar_parts": PILLAR_PARTS,
        # The work with stakeholders: counts only (contact people are never named in a report).
        "stakeholder_categories": _labelled(stats.stakeholders.by_category, OrganisationCategory),
        "stakeholder_log": _labelled(stats.stakeholders.log_by_kind, ContactKind),
        # The council's news and the publications in the media (on its news and on its monitoring events).
        "news_items": news_items,
        "news_kinds": _labelled(stats.news.by_kind, NewsKind),
    }
    # 11. The annexes: lists longer than the council's threshold leave their part for the end of the report.
    annexes = annexes_for(context, council.report_annex_threshold)
    context.update(annexes=annexes, annex={annex.key: annex for annex in annexes})
    return context


def _labelled(counts: dict[str, int], choices: Any) -> list[tuple[str, int]]:
    """(label, count) in the choices' order, the zero rows left out."""
    return [(str(label), counts.get(value, 0)) for value, label in choices.choices if counts.get(value, 0)]


def _meeting(meeting: PublicMeeting) -> MeetingEntry:
    return MeetingEntry(meeting=meeting, links=_links(meeting.links), items=meeting.agenda)


def _chart(draw: Any, data: list[tuple[str, int]], *, title: str, desc: str) -> dict[str, str] | None:
    """A chart and its caption, or None when there is nothing to draw."""
    if not any(value for _label, value in data):
        return None
    return {"title": title, "svg": draw(data, title=title, desc=desc)}
