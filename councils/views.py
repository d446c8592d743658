"""Public pages about councils alone (pages that combine other apps' figures live in `reports`), and the small
helpers every public council page shares (hearings' and monitoring's public views use them too: `councils` is
the ground floor).

The council pages cache their content as template fragments (`templates/reports/council_base.html`): a view
resolves the council (one query) and hands the template *lazy* data, which only a cache miss evaluates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from core.files import stored_file_download
from core.page_cache import note_correction

from .memoranda import memoranda_of_year, memorandum_view, memorandum_years
from .models import Council, CouncilKind
from .plan import plan_execution, plan_figures, plan_years
from .selectors import (
    body_rosters_on,
    composition_on,
    consultative_seats_in_year,
    experts_on,
    memorandum_get,
    public_council_places,
    public_council_search,
    published_council_get,
    year_as_of,
    year_end,
)

T = TypeVar("T")

MIN_YEAR = 2000
COUNCILS_PER_PAGE = 20


# ---- helpers of the public council pages -------------------------------------------------------------------


def public_council_or_404(slug: str) -> Council:
    """The published council with this slug; unknown and unpublished councils are 404 alike."""
    council = published_council_get(slug=slug)
    if council is None:
        raise Http404
    return council


def parse_year(raw: str | None) -> int | None:
    """A four-digit year from a query parameter within the portal's range, or None (the page then shows its
    default year rather than an error)."""
    given = raw or ""
    raw = given.strip()
    year = int(raw) if len(raw) == 4 and raw.isascii() and raw.isdigit() else None
    if year is not None and not MIN_YEAR <= year <= timezone.localdate().year + 1:
        year = None
    if given and (year is None or raw != given):
        note_correction("year")
    return year


def pick_year(requested: int | None, years: Sequence[int], default: int | None = None) -> tuple[int, list[int]]:
    """The year to show (the requested one, else `default`, else the latest with data, else this year) and the
    years to offer, newest first, the shown one always among them. A requested year without data is shown
    (empty), but noted as a correction: the page cache does not keep it."""
    offered = sorted(set(years), reverse=True)
    if requested is not None and requested not in offered:
        note_correction("year")
    if requested is not None:
        year = requested
    elif default is not None:
        year = default
    else:
        year = offered[0] if offered else timezone.localdate().year
    if year not in offered:
        offered = sorted([*offered, year], reverse=True)
    return year, offered


def lazy(build: Callable[[], T]) -> T:
    """`build()` run on first use: a fragment served from the cache never runs it."""
    return SimpleLazyObject(build)  # type: ignore[return-value]


def clean_choice(raw: str | None, allowed: Sequence[str]) -> str:
    """The parameter if it is one of `allowed`, else "" (unknown filter values are ignored, not errors)."""
    given = raw or ""
    raw = given.strip()
    if given and (raw not in allowed or raw != given):
        note_correction("choice")
    return raw if raw in allowed else ""


def page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    number = int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 100_000 else 1
    if raw and raw != str(number):  # "abc", "0", "007": page 1 (or 7), but not cached under that address
        note_correction("page")
    return number


def paginate(items: Any, number: int, per_page: int) -> Page:
    """A page of `items`; out-of-range numbers give the last page, as Django's `Paginator.get_page` does, noted
    as a correction so that the page is not cached under the out-of-range number."""
    page = Paginator(items, per_page).get_page(number)
    if page.number != number:
        note_correction("page")
    return page


def is_web_url(url: str) -> bool:
    """Only http(s) addresses become links on a public page."""
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# ---- pages ---------------------------------------------------------------------------------------------------


@require_safe
def council_list(request: HttpRequest) -> HttpResponse:
    """The published councils: search by name (?q=), filter by city or region (?place=) and kind (?kind=),
    20 to a page. Two queries for the page, one for the places."""
    q = request.GET.get("q", "").strip()[:100]
    places = public_council_places()
    place = clean_choice(request.GET.get("place"), places)
    kind = clean_choice(request.GET.get("kind"), CouncilKind.values)
    councils = paginate(public_council_search(q=q, place=place, kind=kind), page_number(request), COUNCILS_PER_PAGE)
    context = {
        "councils": councils,
        "q": q,
        "place": place,
        "kind": kind,
        "places": places,
        "kinds": CouncilKind.choices,
        "filtered": bool(q or place or kind),
    }
    return render(request, "councils/council_list.html", context)


def _composition_years(council: Council) -> list[int]:
    """Every year a convocation of the council sat in, newest first: one query."""
    today = timezone.localdate()
    years: set[int] = set()
    for start, end in council.convocations.values_list("start_date", "end_date"):
        last = min(end or today, today) if start <= today else start
        years.update(range(start.year, last.year + 1))
    return sorted(years, reverse=True)


@require_safe
def council_composition(request: HttpRequest, slug: str) -> HttpResponse:
    """Who sat in the council on 31 December of the year (?year=; today for the running year): members with
    their roles, the presidium, the commissions and working groups with their members, the experts, and the
    members' seats in consultative bodies held at some point in the year. Names and roles only."""
    council = public_council_or_404(slug)
    requested = parse_year(request.GET.get("year"))
    today = timezone.localdate()

    def build() -> dict[str, Any]:
        years = _composition_years(council)
        # The default is the latest year-end already passed, or the current year if none.
        if requested is None and years:
            past = [y for y in years if year_end(y) <= today]
            year, years = pick_year(past[0] if past else years[-1], years)
        else:
            year, years = pick_year(requested, years)
        # The year's last day once it is over; today while it runs: never a day still to come.
        day = year_as_of(year, today)
        composition = composition_on(council=council, day=day)
        experts = experts_on(council=council, day=day)
        return {
            "year": year,
            "years": years,
            "composition": composition,
            "stats": {"members": composition.counts, "commissions": len(composition.commissions)},
            "rosters": body_rosters_on(council=council, day=day, public=True),
            # Counted apart from the members, all of them; named only while they consent to be published.
            "experts_count": len(experts),
            "experts": [appointment for appointment in experts if appointment.consents],
            "consultative_seats": consultative_seats_in_year(council=council, year=year),
        }

    context = {
        "council": council,
        "section": "composition",
        # The running year's composition stands on today: it varies by day.
        "cache_vary": f"year={requested or 'default'}|{today if requested is None or requested >= today.year else ''}",
        "page": lazy(build),
    }
    return render(request, "councils/composition.html", context)


@require_safe
def council_plan(request: HttpRequest, slug: str) -> HttpResponse:
    """The year's work plan against its results (?year=): each item's status as of 31 December of a closed year
    (today for the running one), the day it was done and the records that did it (councils/plan.py). A linked
    record without a public page of its own (a closed meeting, an information request) is named by its kind and
    day only."""
    council = public_council_or_404(slug)
    requested = parse_year(request.GET.get("year"))
    today = timezone.localdate()

    def build() -> dict[str, Any]:
        years = plan_years(council=council)
        year, years = pick_year(requested, years)
        results = plan_execution(council=council, year=year, today=today)
        return {
            "year": year,
            "years": years,
            "as_of": year_as_of(year, today),
            "closed": year_end(year) <= today,
            "results": results,
            "figures": plan_figures(results),
        }

    context = {
        "council": council,
        "section": "plan",
        # The running year's statuses stand on today: they vary by day.
        "cache_vary": f"year={requested or 'default'}|{today if requested is None or requested >= today.year else ''}",
        "page": lazy(build),
    }
    return render(request, "councils/plan.html", context)


@require_safe
def council_memoranda(request: HttpRequest, slug: str) -> HttpResponse:
    """The memoranda in force at some time in the year (?year=), with their parties, term, state and
    commitments, each as of 31 December of a closed year (today for the running one)."""
    council = public_council_or_404(slug)
    requested = parse_year(request.GET.get("year"))
    today = timezone.localdate()

    def build() -> dict[str, Any]:
        year, years = pick_year(requested, memorandum_years(council=council, today=today))
        as_of = year_as_of(year, today)
        return {
            "year": year,
            "years": years,
            "as_of": as_of,
            "closed": year_end(year) <= today,
            "memoranda": memoranda_of_year(council=council, year=year, as_of=as_of),
        }

    context = {
        "council": council,
        "section": "memoranda",
        "cache_vary": f"year={requested or 'default'}|{today if requested is None or requested >= today.year else ''}",
        "page": lazy(build),
    }
    return render(request, "councils/memoranda.html", context)


@require_safe
def council_memorandum(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One memorandum: parties, term, state and commitments as of today, the signed text to download."""
    council = public_council_or_404(slug)
    memorandum = memorandum_get(council=council, pk=pk)
    if memorandum is None:
        raise Http404
    today = timezone.localdate()
    context = {
        "council": council,
        "section": "memoranda",
        "cache_vary": f"memorandum={memorandum.pk}|{today}",
        "memo": memorandum_view(memorandum=memorandum, as_of=today),
        "as_of": today,
    }
    return render(request, "councils/memorandum.html", context)


@require_safe
def memorandum_document(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """The signed memorandum, as the council uploaded it (a public document of the council)."""
    council = public_council_or_404(slug)
    memorandum = memorandum_get(council=council, pk=pk)
    if memorandum is None:
        raise Http404
    return stored_file_download(memorandum.document, stem=f"{council.slug}-memorandum-{memorandum.pk}", private=False)
