"""The public pages that read across apps: the home page, a council's overview with its year in figures and
charts, its published reports and the search across its public records."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from appeals import categories as appeal_categories
from appeals.models import Channel
from core.charts import bar_chart, horizontal_bar_chart
from core.page_cache import note_correction, note_councils_shown
from councils.models import Affiliation, Council, Person
from councils.selectors import composition_on, public_council_places, public_council_search, published_councils
from councils.views import clean_choice, lazy, parse_year, pick_year, public_council_or_404
from hearings import selectors as hearing_selectors
from hearings.models import MeetingKind
from monitoring.models import RecommendationStatus

from .search import MAX_QUERY_LENGTH, search_council
from .selectors import (
    YearStats,
    council_default_year,
    council_headlines,
    council_year_stats,
    published_reports,
    yearly_totals,
)

# Council cards per page of the home page: the figures of 250 councils made a 230 KB page; each card's figures
# are read for the councils shown only.
HOME_PAGE_SIZE = 24


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The citizen's two tasks (write to a council, find one) and the published councils with the figures of a
    year, `HOME_PAGE_SIZE` a page (?page=N): ?year=YYYY for all, by default each council's own default year
    (`reports.selectors.default_year`); ?place= (a city or region of a published council) and ?q= (a part of the
    name) narrow the cards, as on the list of councils. The year switcher and the appeal form's list name every
    council. The counts come from per-year tallies (`yearly_totals`), read once for every council: the cost
    follows the number of councils and years, not of appeals."""
    councils = list(published_councils())
    requested = parse_year(request.GET.get("year"))
    q = request.GET.get("q", "").strip()[:100]
    places = public_council_places()
    place = clean_choice(request.GET.get("place"), places)  # an unknown place is ignored and not cached
    shown = list(public_council_search(q=q, place=place)) if q or place else councils
    totals = yearly_totals(council_ids=[c.id for c in councils])
    years = sorted({year for (_id, year) in totals}, reverse=True)
    if requested is not None and requested not in years:
        note_correction("year")
    page = Paginator(shown, HOME_PAGE_SIZE).get_page(request.GET.get("page"))
    note_councils_shown([council.id for council in page.object_list])  # the page is cached per council shown
    headlines = council_headlines(councils=page.object_list, year=requested, totals=totals)
    context = {
        "headlines": headlines,
        "councils": councils,
        "page_obj": page,
        "year": requested,
        "years": years,
        "q": q,
        "place": place,
        "places": places,
        "filtered": bool(q or place),
    }
    return render(request, "reports/home.html", context)


def _social_links(council: Council) -> list[dict[str, str]]:
    """The council's social links as {"label", "url"}; only http(s) addresses reach a page."""
    links = []
    for item in council.social_links or []:
        if isinstance(item, str):
            url, label = item, ""
        elif isinstance(item, dict):
            url = str(item.get("url") or item.get("href") or "")
            label = str(item.get("title") or item.get("label") or item.get("kind") or item.get("network") or "")
        else:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            continue
        links.append({"label": label or parts.netloc.removeprefix("www."), "url": url})
    return links


def _appeal_form_url(council: Council) -> str | None:
    """The public appeal form, when the appeals app's pages are wired in."""
    try:
        return reverse("appeals:new", kwargs={"slug": council.slug})
    except NoReverseMatch:
        return None


def _labelled(counts: dict[str, int], choices: type) -> list[tuple[str, int]]:
    return [(choices(value).label, n) for value, n in counts.items() if value in choices.values]


def _charts(stats: YearStats, year: int, category_names: dict[str, str]) -> dict[str, str]:
    """The year's figures as inline SVG (core/charts.py); each carries its figures in <title>/<desc>, and the
    page has the same figures in tables."""
    month_labels = [str(MONTHS_3[month]).capitalize() for month in range(1, 13)]
    appeals_by_month = [(month_labels[m - 1], stats.appeals.by_month[str(m)]) for m in range(1, 13)]
    monitoring_by_month = [(month_labels[m - 1], stats.monitoring.by_month[str(m)]) for m in range(1, 13)]
    categories = [(category_names.get(code, code), n) for code, n in stats.appeal_places.by_category.items()]
    outcomes = [
        (str(label), stats.recommendations.by_status.get(value, 0))
        for value, label in RecommendationStatus.choices
        if value != RecommendationStatus.DRAFT
    ]
    charts = {
        "appeals_by_month": bar_chart(appeals_by_month, title=_("Appeals by month, %(year)s") % {"year": year}),
        "appeals_by_category": horizontal_bar_chart(
            categories, title=_("Appeals by category, %(year)s") % {"year": year}
        ),
        "monitoring_by_month": bar_chart(
            monitoring_by_month, title=_("Monitoring events by month, %(year)s") % {"year": year}
        ),
        "recommendations_by_outcome": horizontal_bar_chart(
            outcomes, title=_("Recommendations by status, %(year)s") % {"year": year}
        ),
    }
    return {name: mark_safe(svg) for name, svg in charts.items()}  # noqa: S308 - built by core.charts, escaped


@require_safe
def council_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A council's overview: who it is, its composition and the year's figures with charts (?year=YYYY, by
    default `reports.selectors.default_year`), all as of one day the page names: 31 December of a closed year, today
    for the current one (`reports.selectors.default_as_of`). The content is cached per council version, language and
    year (templates/reports/council_base.html); a cache hit costs the one query that finds the council."""
    council = public_council_or_404(slug)
    requested = parse_year(request.GET.get("year"))
    today = timezone.localdate()

    def build() -> dict[str, Any]:
        default, with_records = council_default_year(council=council, today=today)
        year, years = pick_year(requested, with_records, default=default)
        # The page shows the appeals by month, category and channel, not their outcomes (the stats API has those).
        stats = council_year_stats(council=council, year=year, today=today, appeal_outcomes=False)
        category_names = appeal_categories.category_labels(council=council)
        locality_names = appeal_categories.locality_labels(council=council)
        return {
            "year": year,
            "years": years,
            "stats": stats,
            "composition": composition_on(council=council, day=stats.as_of),
            "meetings": _labelled(stats.meetings, MeetingKind),
            "months": [
                (MONTHS[m], stats.monitoring.by_month[str(m)], stats.appeals.by_month[str(m)]) for m in range(1, 13)
            ],
            "appeal_categories": [
                (category_names.get(code, code), n, stats.appeals.individuals_by_category.get(code, 0))
                for code, n in stats.appeal_places.by_category.items()
            ],
            "appeal_localities": [
                (locality_names.get(code, code), n) for code, n in stats.appeal_places.by_locality.items()
            ],
            "appeal_channels": _labelled(stats.appeals.by_channel, Channel),
            "recommendation_statuses": _labelled(stats.recommendations.by_status, RecommendationStatus),
            "charts": _charts(stats, year, category_names),
            "api_url": reverse("api-council-stats", kwargs={"slug": council.slug}) + f"?year={year}",
        }

    data = lazy(build)
    context: dict[str, Any] = {
        "council": council,
        "section": "overview",
        # The current year's figures stand on today: they vary by day; a closed year's never change.
        "cache_vary": f"year={requested or 'default'}|{today if requested is None or requested >= today.year else ''}",
        "affiliation_labels": dict(Affiliation.choices),
        "social_links": _social_links(council),
        "appeal_form_url": _appeal_form_url(council),
    }
    # Each part is lazy on its own so that the template (and tests) can name it; all come from one build.
    for name in (
        "year",
        "years",
        "stats",
        "composition",
        "meetings",
        "months",
        "appeal_categories",
        "appeal_localities",
        "appeal_channels",
        "recommendation_statuses",
        "charts",
        "api_url",
    ):
        context[name] = lazy(lambda name=name: data[name])
    return render(request, "reports/council_page.html", context)


@require_safe
def council_reports(request: HttpRequest, slug: str) -> HttpResponse:
    """The council's published annual reports (finished builds its chair published), newest year first, each
    linking to its public download."""
    council = public_council_or_404(slug)
    context = {
        "council": council,
        "section": "reports",
        "cache_vary": "",
        "reports": lazy(lambda: published_reports(council=council)),
    }
    return render(request, "reports/council_reports.html", context)


@require_safe
def council_search(request: HttpRequest, slug: str) -> HttpResponse:
    """Full-text search across the council's public records (?q=): meetings, monitoring, hearings, draft
    reviews and recommendations with their answers. Appeals are never searched."""
    council = public_council_or_404(slug)
    q = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    results = search_council(council=council, q=q) if q else None
    context = {"council": council, "section": "search", "q": q, "results": results}
    return render(request, "reports/council_search.html", context)


# ---- members' attendance in the open --------------------------------------------------------------------------


def attendance_kinds() -> list[tuple[str, str]]:
    """The meeting kinds attendance is counted for, with their labels in the page's language."""
    return [(kind, str(kind.label)) for kind in (MeetingKind.COUNCIL, MeetingKind.PRESIDIUM, MeetingKind.COMMISSION)]


@require_safe
def council_attendance(request: HttpRequest, slug: str) -> HttpResponse:
    """Each member's attendance across the year's open council, presidium and commission meetings whose
    attendance was taken by name (hearings.selectors.member_attendance): a table for the whole composition."""
    council = public_council_or_404(slug)
    requested = parse_year(request.GET.get("year"))
    today = timezone.localdate()

    def build() -> dict[str, Any]:
        default, _with_records = council_default_year(council=council, today=today)
        year, years = pick_year(requested, hearing_selectors.meeting_years(council=council), default=default)
        rows = hearing_selectors.member_attendance(council=council, year=year)
        kinds = [kind for kind, _label in attendance_kinds()]
        return {"year": year, "years": years, "rows": [(row, [row.by_kind.get(k) for k in kinds]) for row in rows]}

    context = {
        "council": council,
        "section": "attendance",
        "cache_vary": f"year={requested or 'default'}|{today if requested is None or requested >= today.year else ''}",
        "page": lazy(build),
        "kinds": attendance_kinds(),
    }
    return render(request, "reports/attendance.html", context)


@require_safe
def member_profile(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A member's public profile: name, organisation and position as on the composition page, their seats, and
    their attendance in the year (?year=). A person who was never a member of the council is 404."""
    council = public_council_or_404(slug)
    person = get_object_or_404(Person.objects.filter(council=council, memberships__isnull=False).distinct(), pk=pk)
    requested = parse_year(request.GET.get("year"))
    today = timezone.localdate()

    def build() -> dict[str, Any]:
        default, _with_records = council_default_year(council=council, today=today)
        year, years = pick_year(requested, hearing_selectors.meeting_years(council=council), default=default)
        rows = hearing_selectors.member_attendance(council=council, year=year)
        mine = next((r for r in rows if r.person_id == person.pk), None)
        return {
            "year": year,
            "years": years,
            "attendance": mine,
            "by_kind": [(label, mine.by_kind.get(kind)) for kind, label in attendance_kinds()] if mine else [],
            "memberships": person.memberships.select_related("convocation").order_by("-start_date"),
            "seats": person.body_seats.select_related("body").order_by("-start_date"),
        }

    context = {
        "council": council,
        "person": person,
        "section": "member",
        # The fragment cache is keyed by section and this: each member's page is its own.
        "cache_vary": f"member={person.pk}|year={requested or 'default'}|"
        f"{today if requested is None or requested >= today.year else ''}",
        "page": lazy(build),
        "kinds": attendance_kinds(),
    }
    return render(request, "reports/member_profile.html", context)
