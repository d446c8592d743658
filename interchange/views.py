"""The open-data page and its downloads (interchange/open_data.py builds the files).

The downloads answer conditional requests: the ETag is a hash of the file's bytes and Last-Modified the time of
the latest edit the data version knows of (`core.page_cache.data_version`); a built file is kept in the cache under
that version, so the next edit leaves it behind and a reader who has the current file gets 304 for one cache
read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.page_cache import DATA_VERSION_KEYS, data_version
from councils.selectors import published_council_get, published_councils

from .open_data import (
    CODE_LICENSE,
    LICENSE,
    LICENSE_URL,
    OpenDataFile,
    bulk_zip,
    council_year_file,
    council_year_popolo,
    councils_years,
)
from .selectors import NothingToExport
from .validation import FORMAT, SCHEMA_PATHS

# ---- the downloads -------------------------------------------------------------------------------------------


def _current_version() -> str:
    """The data version; a part missing (a flushed or restarted cache) starts at the current time, as the pages'
    cache starts it (core/page_cache.py), so the first download after a flush still has a Last-Modified and is
    kept. `add`, not `set`: a concurrent bump wins."""
    version = data_version()
    if all(part.isdigit() for part in version.split(".")):
        return version
    now = time.time_ns() // 1000
    for key in DATA_VERSION_KEYS:
        cache.add(key, now, timeout=None)
    return data_version()


def _changed_at(version: str) -> int | None:
    """The time (seconds since the epoch) of the latest edit the data version records; None when a part of it is
    missing (evicted, or never set): then nothing is cached either."""
    parts = version.split(".")
    if not all(part.isdigit() for part in parts):
        return None
    latest = max(int(part) for part in parts) // 1_000_000
    return min(latest, int(timezone.now().timestamp()))


def _cache_seconds() -> int:
    return int(getattr(settings, "PORTAL_CACHE_SECONDS", 600))


def serve_file(request: HttpRequest, name: str, build: Callable[[], OpenDataFile]) -> HttpResponse:
    """The file `build` makes, kept under the data version, as an attachment with its ETag and Last-Modified."""
    version = _current_version()
    changed_at = _changed_at(version)
    key = f"open-data:{version}:{name}" if changed_at is not None else None
    file = cache.get(key) if key else None
    if file is None:
        file = build()
        if key:
            cache.set(key, file, _cache_seconds())
    etag = quote_etag(file.etag)
    response = get_conditional_response(request, etag=etag, last_modified=changed_at)
    if response is None:
        response = HttpResponse(file.content, content_type=file.content_type)
        response["Content-Disposition"] = content_disposition_header(True, file.filename)
    response["ETag"] = etag
    if changed_at is not None:
        response["Last-Modified"] = http_date(changed_at)
    patch_cache_control(response, public=True, max_age=_cache_seconds())
    response["Access-Control-Allow-Origin"] = "*"  # open data: a page elsewhere may read it
    return response


def _council_year(slug: str, year: int):
    council = published_council_get(slug=slug)
    if council is None or not 2000 <= year <= timezone.localdate().year:
        raise Http404
    return council


@require_safe
def council_year_download(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    council = _council_year(slug, year)
    try:
        return serve_file(request, f"{council.pk}:{year}:json", lambda: council_year_file(council, year))
    except NothingToExport as exc:
        raise Http404 from exc


@require_safe
def council_year_popolo_download(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    council = _council_year(slug, year)
    try:
        return serve_file(request, f"{council.pk}:{year}:popolo", lambda: council_year_popolo(council, year))
    except NothingToExport as exc:
        raise Http404 from exc


@require_safe
def bulk_download(request: HttpRequest) -> HttpResponse:
    return serve_file(request, "all:zip", bulk_zip)


@require_safe
def schema_download(request: HttpRequest, version: str = FORMAT) -> HttpResponse:
    """The JSON Schema of the council-activity file (the current version, or an older one's), for validators."""
    response = HttpResponse(SCHEMA_PATHS[version].read_bytes(), content_type="application/schema+json")
    patch_cache_control(response, public=True, max_age=_cache_seconds())
    response["Access-Control-Allow-Origin"] = "*"
    return response


# ---- the page ------------------------------------------------------------------------------------------------

# The open API's lists as the page names them; a list added to the router without a title here shows its path.
API_LIST_TITLES = {
    "councils": _("Councils"),
    "bodies": _("Bodies of the councils: presidiums, commissions, working groups"),
    "people": _("People: members, experts, participants (public fields only)"),
    "state-bodies": _("State bodies"),
    "consultative-seats": _("Members' seats in consultative bodies of state bodies"),
    "meetings": _("Meetings with their agenda"),
    "hearings": _("Public hearings"),
    "monitoring-events": _("Public monitoring"),
    "draft-reviews": _("Reviews of draft acts"),
    "recommendations": _("Recommendations and the state bodies' answers"),
    "published-reports": _("Published annual reports"),
    "work-plan-items": _("Work plans and their execution"),
    "memoranda": _("Memoranda with their parties and commitments"),
    "organisations": _("Organisations in the councils' stakeholder registries (never their contact people)"),
}


@dataclass(frozen=True)
class ApiList:
    prefix: str
    title: str
    columns: Sequence[str]

    @property
    def url(self) -> str:
        return f"/api/v1/{self.prefix}/"


@dataclass(frozen=True)
class CouncilFiles:
    slug: str
    council: Any
    years: list[int]


@require_safe
def open_data_page(request: HttpRequest, api: Sequence[tuple[str, Any, str]] = ()) -> HttpResponse:
    """Every download of the portal's open data, its fields and its licence. `api` is the open API's router
    registry (prefix, viewset, basename), handed in by config/urls.py so that this page lists every list the
    router has."""
    published = list(published_councils())
    years = councils_years(published)
    councils = [CouncilFiles(slug=c.slug, council=c, years=years[c.pk]) for c in published]
    lists = [
        ApiList(prefix=prefix, title=str(API_LIST_TITLES.get(prefix, prefix)), columns=viewset.csv_columns)
        for prefix, viewset, _basename in api
        if getattr(viewset, "csv_columns", None)
    ]
    example = next((c for c in councils if c.years), None)
    return render(
        request,
        "interchange/open_data.html",
        {
            "councils": [c for c in councils if c.years],
            "api_lists": lists,
            "example": example,
            "example_year": example.years[-1] if example else timezone.localdate().year,
            "license": LICENSE,
            "license_url": LICENSE_URL,
            "code_license": CODE_LICENSE,
            "format_version": FORMAT.rsplit("/", 1)[1],
        },
    )
