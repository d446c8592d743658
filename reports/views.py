"""The public pages that read across apps: the home page and a council's page with its year in figures."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.views.decorators.http import require_safe

from appeals.models import Category, Channel
from councils.models import Affiliation, Council
from councils.selectors import composition_on, published_council_get, published_councils, year_end
from hearings.models import MeetingKind
from monitoring.models import RecommendationStatus

from .api import parse_year
from .selectors import council_headlines, council_year_stats, council_years


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    headlines = council_headlines(councils=published_councils())
    return render(request, "reports/home.html", {"headlines": headlines})


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


@require_safe
def council_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A council: who it is, its composition on 31 December and the year's figures (?year=YYYY, by default the
    latest year with data)."""
    council = published_council_get(slug=slug)
    if council is None:
        raise Http404
    years = council_years(council=council)
    year, _error = parse_year(request.GET.get("year")) if "year" in request.GET else (None, "")
    if year is None:  # no or a bad year: the page still answers, with the default year
        year = years[0] if years else timezone.localdate().year
    if year not in years:
        years = sorted([*years, year], reverse=True)
    stats = council_year_stats(council=council, year=year)
    composition = composition_on(council=council, day=year_end(year))
    context = {
        "council": council,
        "year": year,
        "years": years,
        "stats": stats,
        "composition": composition,
        "affiliation_labels": dict(Affiliation.choices),
        "social_links": _social_links(council),
        "appeal_form_url": _appeal_form_url(council),
        "meetings": _labelled(stats["meetings"], MeetingKind),
        "months": [
            (MONTHS[month], stats["monitoring"]["by_month"][str(month)], stats["appeals"]["by_month"][str(month)])
            for month in range(1, 13)
        ],
        "appeal_categories": [
            (
                label,
                stats["appeals"]["by_category"].get(value, 0),
                stats["appeals"]["individuals_by_category"].get(value, 0),
            )
            for value, label in Category.choices
        ],
        "appeal_channels": _labelled(stats["appeals"]["by_channel"], Channel),
        "recommendation_statuses": _labelled(stats["recommendations"]["by_status"], RecommendationStatus),
        "api_url": reverse("api-council-stats", kwargs={"slug": council.slug}) + f"?year={year}",
    }
    return render(request, "reports/council_page.html", context)
