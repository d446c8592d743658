"""The public pages of public control: monitoring events by month and one event, the draft act reviews, the
recommendation tracker (every recommendation past the draft, its state body, status, source, dates and the
body's answers, like Decidim's accountability module) and the state body pages across councils. Their URLs are
in `reports/urls.py` with the council's other public pages.

Nothing here reads appeals: a recommendation made on an appeal names its source kind, never the appeal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from typing import Any
from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.views.decorators.http import require_safe

from core.files import stored_file_download
from councils.models import Council, StateBody
from councils.selectors import year_end
from councils.views import (
    clean_choice,
    is_web_url,
    lazy,
    page_number,
    paginate,
    parse_year,
    pick_year,
    public_council_or_404,
)

from .lifecycle import lifecycle_is_overdue
from .models import (
    RECOMMENDATION_LIFECYCLE,
    DraftConclusion,
    MonitoringEvent,
    Recommendation,
    RecommendationStatus,
    RefusalGround,
)
from .selectors import (
    SourceRef,
    draft_review_counts,
    draft_review_years,
    draft_reviews_for_public,
    monitoring_events_for_year,
    monitoring_years,
    public_answer_document_get,
    public_holder_request_stats,
    public_monitoring_event_get,
    public_state_bodies,
    public_state_body_response_stats,
    recommendation_addressees,
    recommendation_sources,
    recommendation_status_summary,
    recommendation_tracker,
    recommendation_years,
    recommendations_for_sources,
)

RECOMMENDATIONS_PER_PAGE = 20
DRAFTS_PER_PAGE = 25
STATE_BODIES_PER_PAGE = 50
PUBLIC_STATUSES = [value for value in RecommendationStatus.values if value != RecommendationStatus.DRAFT]
STATUS_FILTERS = [*PUBLIC_STATUSES, "overdue"]
CONCLUSION_FILTERS = [*DraftConclusion.values, "pending"]


# ---- monitoring ------------------------------------------------------------------------------------------------


def _event_links(event: MonitoringEvent) -> list[dict[str, str]]:
    """How the results were made public, as links: http(s) only, each named by its kind and site."""
    return [
        {"url": link.url, "label": link.get_kind_display(), "host": urlsplit(link.url).netloc.removeprefix("www.")}
        for link in event.publicity_links.all()
        if is_web_url(link.url)
    ]


@require_safe
def monitoring_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The year's monitoring events (?year=, by default the latest with any) by month: topic, participants,
    findings, recommendations, how the results were made public, and the results. Four queries on a miss."""
    council = public_council_or_404(slug)
    requested = parse_year(request.GET.get("year"))

    def build() -> dict[str, Any]:
        year, years = pick_year(requested, monitoring_years(council=council))
        events = monitoring_events_for_year(council=council, year=year)
        months = [
            {"month": month, "name": MONTHS[month], "events": [(e, _event_links(e)) for e in items]}
            for month, items in groupby(events, key=lambda e: e.date.month)
        ]
        return {"year": year, "years": years, "months": months, "total": len(events)}

    context = {
        "council": council,
        "section": "monitoring",
        "cache_vary": f"year={requested or 'default'}",
        "page": lazy(build),
    }
    return render(request, "monitoring/public/monitoring_list.html", context)


@require_safe
def monitoring_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One monitoring event with the recommendations it made and the answers to them."""
    council = public_council_or_404(slug)
    event = public_monitoring_event_get(council=council, pk=pk)
    if event is None:
        raise Http404
    made = recommendations_for_sources(council=council, sources={"monitoring.monitoringevent": [event.pk]})
    recommendations = [r for r in made.get(("monitoring.monitoringevent", event.pk), []) if r.status in PUBLIC_STATUSES]
    context = {
        "council": council,
        "section": "monitoring",
        "event": event,
        "links": _event_links(event),
        "recommendations": recommendations,
        "tracker_url": reverse("reports:recommendations", args=[council.slug]) + f"?source=monitoring:{event.pk}",
    }
    return render(request, "monitoring/public/monitoring_detail.html", context)


# ---- draft act reviews -----------------------------------------------------------------------------------------


@require_safe
def draft_reviews(request: HttpRequest, slug: str) -> HttpResponse:
    """The drafts whose public discussion started in the year (?year=), of one conclusion (?conclusion=),
    25 to a page: title, developer, discussion dates and conclusion. Four queries on a miss."""
    council = public_council_or_404(slug)
    requested = parse_year(request.GET.get("year"))
    conclusion = clean_choice(request.GET.get("conclusion"), CONCLUSION_FILTERS)
    number = page_number(request)

    def build() -> dict[str, Any]:
        year, years = pick_year(requested, draft_review_years(council=council))
        reviews = paginate(
            draft_reviews_for_public(council=council, year=year, conclusion=conclusion), number, DRAFTS_PER_PAGE
        )
        return {
            "year": year,
            "years": years,
            "reviews": reviews,
            "counts": draft_review_counts(council=council, year=year),
        }

    context = {
        "council": council,
        "section": "drafts",
        "cache_vary": f"year={requested or 'default'}|conclusion={conclusion}|page={number}",
        "conclusion": conclusion,
        "conclusions": [*DraftConclusion.choices],
        "page": lazy(build),
    }
    return render(request, "monitoring/public/draft_reviews.html", context)


# ---- the recommendation tracker --------------------------------------------------------------------------------


@dataclass
class TrackerRow:
    """One recommendation as the tracker shows it.

    `timing` is one of: "answered" (days: calendar days from sending to the first answer; on_time: by the
    due date), "overdue" (no answer on file; days past the due date for a record of the year the page stands
    on, None for an older record, shown as «no answer recorded» with its due date: a count of thousands of days
    tells nothing), "waiting" (days left), "closed" (settled with no answer on file), "" (no sending date or
    term on file). The page stands on one day and says which: today, or the last day of the closed year it is
    filtered by (then `status` is the status of that day and later answers are marked as later).
    """

    recommendation: Recommendation
    status: str
    status_label: str
    source: SourceRef | None
    source_url: str
    due: dt.date | None
    timing: str
    days: int | None
    on_time: bool | None


def _source_url(source: SourceRef | None, council: Council) -> str:
    if source is None or not source.is_public:
        return ""
    slug = council.slug
    if source.kind == "monitoring":
        return reverse("reports:monitoring_event", args=[slug, source.pk])
    if source.kind == "hearing":
        return reverse("reports:hearing", args=[slug, source.pk])
    if source.kind == "agenda_item" and source.meeting_id:
        return reverse("reports:meeting", args=[slug, source.meeting_id]) + f"#item-{source.pk}"
    if source.kind == "draft_review" and source.date:
        return reverse("reports:draft_reviews", args=[slug]) + f"?year={source.date.year}"
    return ""


def tracker_rows(recommendations: list[Recommendation], *, today: dt.date) -> list[TrackerRow]:
    """The rows of a page of `recommendation_tracker`, as they stand on `today` (the day the page stands on: a
    closed year's last day for a page of that year): one query per kind of source on the page."""
    labels = dict(RecommendationStatus.choices)
    sources = recommendation_sources(recommendations)
    rows = []
    for recommendation in recommendations:
        source = sources.get(recommendation.id)
        status = getattr(recommendation, "status_on", None) or recommendation.status
        due = recommendation.effective_due_date
        first = recommendation.first_answer_on
        timing, days, on_time = "", None, None
        if first is not None and recommendation.sent_on is not None:
            timing, days = "answered", (first - recommendation.sent_on).days
            on_time = due is None or first <= due
        elif lifecycle_is_overdue(RECOMMENDATION_LIFECYCLE, recommendation, today):
            # A count of days only for a record of the year the page stands on; an older one reads «no answer
            # recorded» with its due date, a fact that does not change with the clock.
            timing = "overdue"
            days = (today - due).days if recommendation.issued_on.year >= today.year else None
        elif status in RECOMMENDATION_LIFECYCLE.settled:
            timing = "closed"
        elif due is not None:
            timing, days = "waiting", (due - today).days
        rows.append(
            TrackerRow(
                recommendation=recommendation,
                status=status,
                status_label=str(labels.get(status, status)),
                source=source,
                source_url=_source_url(source, recommendation.council),
                due=due,
                timing=timing,
                days=days,
                on_time=on_time,
            )
        )
    return rows


def closed_year_end(year: int | None, today: dt.date) -> dt.date | None:
    """The day a page filtered by `year` stands on when the year is over: its last day, so that a past year's
    recommendations read as they stood then, whatever today's date; None for the running year or no filter."""
    return year_end(year) if year is not None and year < today.year else None


def _status_links(summary: dict, status: str) -> list[dict[str, Any]]:
    labels = dict(RecommendationStatus.choices)
    items = [{"value": value, "label": labels[value], "n": n} for value, n in summary["by_status"].items()]
    items.append({"value": "overdue", "label": None, "n": summary["overdue"]})
    for item in items:
        item["current"] = item["value"] == status
    return items


@require_safe
def recommendation_tracker_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Every public recommendation of the council, newest first, 20 to a page, with the counts by status on
    top; filters: ?status= (a status or "overdue"), ?body= (a state body's slug), ?year= (issue year),
    ?source= (a source reference, "hearing:12"). Nine queries at most on a miss, whatever the amount of data."""
    council = public_council_or_404(slug)
    status = clean_choice(request.GET.get("status"), STATUS_FILTERS)
    year = parse_year(request.GET.get("year"))
    body_slug = request.GET.get("body", "").strip()[:100]
    source = request.GET.get("source", "").strip()[:40]
    number = page_number(request)
    today = timezone.localdate()
    as_of = closed_year_end(year, today)
    day = as_of or today

    def build() -> dict[str, Any]:
        addressees = recommendation_addressees(council=council)
        body = next((b for b in addressees if b.slug == body_slug), None)
        filters = {"council": council, "state_body": body, "year": year, "source": source, "today": day, "as_of": as_of}
        summary = recommendation_status_summary(**filters)
        page = paginate(recommendation_tracker(status=status, **filters), number, RECOMMENDATIONS_PER_PAGE)
        return {
            "addressees": addressees,
            "body": body,
            "years": recommendation_years(council=council),
            "summary": summary,
            "status_links": _status_links(summary, status),
            "recommendations": page,
            "rows": tracker_rows(list(page.object_list), today=day),
        }

    context = {
        "council": council,
        "section": "recommendations",
        "cache_vary": f"status={status}|body={body_slug}|year={year}|source={source}|page={number}|{day}",
        "status": status,
        "as_of": day,
        "closed_year": as_of is not None,
        "year": year,
        "body_slug": body_slug,
        "source": source,
        "statuses": [(value, label) for value, label in RecommendationStatus.choices if value in PUBLIC_STATUSES],
        "page": lazy(build),
    }
    return render(request, "monitoring/public/recommendations.html", context)


@require_safe
def recommendation_answer_document(request: HttpRequest, slug: str, pk: int, answer_id: int) -> HttpResponse:
    """The document of an answer the tracker shows, as a download: only for a recommendation on the public
    tracker of a published council (a draft's, or an unpublished council's, is 404 like an unknown one)."""
    council = public_council_or_404(slug)
    answer = public_answer_document_get(council=council, recommendation_id=pk, answer_id=answer_id)
    if answer is None:
        raise Http404
    stem = f"{council.slug}-{answer.recommendation.key}-answer-{answer.received_on:%Y-%m-%d}"
    return stored_file_download(answer.document, stem=stem, private=False)


# ---- state bodies across councils ------------------------------------------------------------------------------


@require_safe
def state_body_list(request: HttpRequest) -> HttpResponse:
    """The state bodies the councils sent recommendations to, with how many each received; ?q= searches by
    name. Two queries."""
    q = request.GET.get("q", "").strip()[:100]
    bodies = paginate(public_state_bodies(q=q), page_number(request), STATE_BODIES_PER_PAGE)
    return render(request, "monitoring/public/state_body_list.html", {"bodies": bodies, "q": q})


@require_safe
def state_body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """What every (published) council asked of one state body, and how it answered: the response rate, the
    share answered on time, the average days to the first answer; the tracker of its recommendations with
    ?status= and ?year= filters."""
    body = get_object_or_404(StateBody, slug=slug)
    status = clean_choice(request.GET.get("status"), STATUS_FILTERS)
    year = parse_year(request.GET.get("year"))
    today = timezone.localdate()
    as_of = closed_year_end(year, today)
    day = as_of or today
    filters = {"state_body": body, "year": year, "today": day, "as_of": as_of}
    summary = recommendation_status_summary(**filters)
    page = paginate(recommendation_tracker(status=status, **filters), page_number(request), RECOMMENDATIONS_PER_PAGE)
    request_stats = public_holder_request_stats(state_body=body, as_of=day)
    grounds = dict(RefusalGround.choices)
    context = {
        "body": body,
        "stats": public_state_body_response_stats(state_body=body),
        "request_stats": request_stats,
        "requests_as_of": day,
        "refusals": [(grounds[key], n) for key, n in request_stats.refused_by_ground.items() if n],
        "summary": summary,
        "status_links": _status_links(summary, status),
        "status": status,
        "as_of": day,
        "closed_year": as_of is not None,
        "year": year,
        "years": recommendation_years(state_body=body),
        "statuses": [(value, label) for value, label in RecommendationStatus.choices if value in PUBLIC_STATUSES],
        "recommendations": page,
        "rows": tracker_rows(list(page.object_list), today=day),
    }
    return render(request, "monitoring/public/state_body_detail.html", context)
