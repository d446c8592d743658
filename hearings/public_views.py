"""The public pages of a council's meetings and public hearings: the meeting calendar of a year grouped by
month, a meeting with its agenda and decisions, the year's public hearings with their resolutions, and one
hearing. Their URLs are in `reports/urls.py` with the council's other public pages.

A closed meeting (is_open=False) is listed with its date, kind and body only: what of a meeting is public is
decided in one place, `selectors.public_meeting`, which every public surface reads. The recommendations a
hearing made are on the recommendation tracker (`?source=hearing:<id>`): this app does not read the monitoring
app.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dates import MONTHS
from django.views.decorators.http import require_safe

from core.files import stored_file_download
from councils.views import is_web_url, lazy, parse_year, pick_year, public_council_or_404

from .selectors import (
    PublicMeeting,
    hearing_years,
    hearings_for_year,
    meeting_years,
    public_hearing_get,
    public_meeting_get,
    public_meeting_minutes_get,
    public_meetings_for_year,
)


def web_links(links: Any) -> list[dict[str, str]]:
    """A record's `links` (a list of addresses, or of {"url", "title"|"label"|"kind"}) as {"url", "label"};
    only http(s) addresses are kept."""
    result = []
    for item in links or []:
        if isinstance(item, str):
            url, label = item, ""
        elif isinstance(item, dict):
            url = str(item.get("url") or item.get("href") or "")
            label = str(item.get("title") or item.get("label") or item.get("kind") or "")
        else:
            continue
        if is_web_url(url):
            result.append({"url": url, "label": label or url})
    return result


def _by_month(meetings: list[PublicMeeting]) -> list[dict[str, Any]]:
    return [
        {"month": month, "name": MONTHS[month], "meetings": list(items)}
        for month, items in groupby(meetings, key=lambda m: m.date.month)
    ]


@require_safe
def meeting_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The year's meetings of every kind (?year=, by default the latest year with meetings), by month, each
    with its kind, date, place and agenda items with their decisions. Three queries on a cache miss."""
    council = public_council_or_404(slug)
    requested = parse_year(request.GET.get("year"))

    def build() -> dict[str, Any]:
        year, years = pick_year(requested, meeting_years(council=council))
        meetings = public_meetings_for_year(council=council, year=year)
        return {"year": year, "years": years, "months": _by_month(meetings), "total": len(meetings)}

    context = {
        "council": council,
        "section": "meetings",
        "cache_vary": f"year={requested or 'default'}",
        "page": lazy(build),
    }
    return render(request, "hearings/public/meeting_calendar.html", context)


@require_safe
def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = public_council_or_404(slug)
    meeting = public_meeting_get(council=council, pk=pk)
    if meeting is None:
        raise Http404
    context = {
        "council": council,
        "section": "meetings",
        "meeting": meeting,
        "agenda": [(item, web_links(item.links)) for item in meeting.agenda],
        "links": web_links(meeting.links),
    }
    return render(request, "hearings/public/meeting_detail.html", context)


@require_safe
def meeting_minutes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The signed minutes of an open meeting, as a download; a closed meeting's, or a meeting without them, is 404
    like an unknown one (`public_meeting_minutes_get`)."""
    council = public_council_or_404(slug)
    minutes = public_meeting_minutes_get(council=council, pk=pk)
    if minutes is None:
        raise Http404
    return stored_file_download(minutes, stem=f"{council.slug}-minutes-{pk}", private=False)


@require_safe
def hearing_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The year's public hearings (?year=) with their organisers and resolutions. Two queries on a miss."""
    council = public_council_or_404(slug)
    requested = parse_year(request.GET.get("year"))

    def build() -> dict[str, Any]:
        year, years = pick_year(requested, hearing_years(council=council))
        hearings = hearings_for_year(council=council, year=year)
        return {"year": year, "years": years, "hearings": [(h, web_links(h.links)) for h in hearings]}

    context = {
        "council": council,
        "section": "hearings",
        "cache_vary": f"year={requested or 'default'}",
        "page": lazy(build),
    }
    return render(request, "hearings/public/hearing_list.html", context)


@require_safe
def hearing_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = public_council_or_404(slug)
    hearing = public_hearing_get(council=council, pk=pk)
    if hearing is None:
        raise Http404
    context = {
        "council": council,
        "section": "hearings",
        "hearing": hearing,
        "links": web_links(hearing.links),
        "source_reference": f"hearing:{hearing.pk}",
    }
    return render(request, "hearings/public/hearing_detail.html", context)
