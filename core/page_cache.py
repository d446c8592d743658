"""The cache of the public pages, and its invalidation: machinery every app's public pages share (each app
wraps its own views in its `public_urls.py`), so it lives in core and imports no app.

The council pages are cached twice, keyed by the council's *cache version*, the language, the page and its
parameters (year, filters, page number): whole, for visitors who are not signed in (`cache_council_page`, the
view decorator at the end of this module), and as template fragments (`{% cache %}`), which spare signed-in staff
the queries. The pages across councils (the council list, the state bodies) are kept whole too, under a
version that every council's edit bumps (`cache_portal_page`); the home page, which shows a page of council cards,
under the version of the list of councils and those of the councils whose cards it shows
(`cache_council_list_page`), so one council's edit re-renders only the pages with its card. The version is a number
kept in the cache itself: saving or deleting any record a council owns bumps its council's version, so every
cached fragment of that council is left behind at once and the next request renders afresh; the state bodies,
which every council shares, bump a version common to all councils. The feeds answer ETag and Last-Modified from
the same versions, so a reader's conditional request costs one query.

1. Signals (`post_save`, `post_delete`) of the council-owned models (those whose `ownership` declaration does not
   say `page_cache=False`; councils/ownership.py registers them here with `watch_council_records` and
   `watch_shared_records`) bump the version right away and again on commit: a request that renders between the
   two, seeing the data of before the commit, is cached under a version that the commit then leaves behind.
2. Bulk writes (`QuerySet.update`, `bulk_create`: the import, the report worker) send no signal; the time limit
   of every fragment (PORTAL_CACHE_SECONDS, 10 minutes by default) bounds how long their effect takes to show.
   Appeals reach the public pages only as counts, and follow the same time limit rather than a signal: a wave of
   submissions (a hundred a second in `benchmarks/load.py`) must not empty the cache of the council's pages.
3. The versions live in the cache they guard: if one is evicted it comes back as the current time, newer than any
   fragment stored under the old one. With the in-process cache (no CACHE_URL) each worker process has its own
   versions, so another process's edits show after the time limit; production sets CACHE_URL (Redis).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

# GLOBAL_KEY: bumped by the shared records (state bodies). ANY_COUNCIL_KEY: bumped with every council's own
# version: the pages across councils (home, the council list, state bodies). The open API's answers
# (core/open_api.py) and the open-data files (interchange/views.py) key on both too: `data_version()`.
GLOBAL_KEY, ANY_COUNCIL_KEY = DATA_VERSION_KEYS = ("portal:version:all", "portal:version:any-council")
# COUNCIL_LIST_KEY: what a page listing councils shows of all of them (their names, places and publication, and
# the years any of them has records of), bumped by an edit of a council's own row and by an edit that changes the
# years a council has records of; the home page keeps each address under it and the versions of the councils its
# cards show (`cache_council_list_page`), so one council's edit leaves behind only the pages that show it.
COUNCIL_LIST_KEY = "portal:version:council-list"


def _council_key(council_id: int) -> str:
    return f"portal:version:council:{council_id}"


def cache_seconds() -> int:
    return int(getattr(settings, "PORTAL_CACHE_SECONDS", 600))


def _now_us() -> int:
    return time.time_ns() // 1000


# The versions read so far by the request being served (`versions_of_this_request`, entered by
# core.middleware.RequestIdMiddleware), or None outside a request (a task, a command). A submission reads the
# portal's version for the council, again for the form's lists and the calendar's for the deadline: one round
# trip to the cache for all of them instead of three. A request sees the versions as of its first read, as if it
# had read them all then: what it caches is keyed no later than the data it read, so an edit that commits meanwhile
# still leaves it behind. Its own edits (`_bump`) drop what it read.
_request_versions: ContextVar[dict[str, int] | None] = ContextVar("portal_cache_versions", default=None)


@contextmanager
def versions_of_this_request() -> Iterator[None]:
    """Within the block, each version is read from the cache once, with the portal's and the calendar's."""
    token = _request_versions.set({})
    try:
        yield
    finally:
        _request_versions.reset(token)


def _read_versions(keys: list[str]) -> dict[str, int]:
    """The current versions of `keys`, in one cache round trip; a missing one (never set, or evicted) starts
    as the current time."""
    found = cache.get_many(keys)
    versions = {}
    for key in keys:
        value = found.get(key)
        if value is None:
            cache.add(key, _now_us(), timeout=None)  # add, not set: a concurrent bump wins
            value = cache.get(key) or _now_us()
        versions[key] = int(value)
    return versions


def _versions(*keys: str) -> list[int]:
    """The current versions of `keys`: in one cache round trip, or none when this request has read them."""
    seen = _request_versions.get()
    if seen is None:
        found = _read_versions(list(keys))
        return [found[key] for key in keys]
    missing = [key for key in keys if key not in seen]
    if missing:
        # The versions most requests read anyway come along in the same round trip.
        seen.update(_read_versions([key for key in dict.fromkeys([*missing, *READ_ALONG]) if key not in seen]))
    return [seen[key] for key in keys]


def _bump(*keys: str) -> None:
    """Move each key's version past its last one and past now: one read and one write for all of them."""
    seen = _request_versions.get()
    if seen is not None:
        for key in keys:
            seen.pop(key, None)
    found = cache.get_many(keys)
    now = _now_us()
    cache.set_many({key: max(int(found.get(key) or 0) + 1, now) for key in keys}, timeout=None)


@dataclass(frozen=True)
class CouncilCacheState:
    """What the pages of one council are cached under: `key` (changes with any edit), `ttl` in seconds and
    `changed_at` (the time of the latest change the cache knows of; Last-Modified of the feeds)."""

    council_id: int
    shared: int
    own: int
    ttl: int

    @property
    def key(self) -> str:
        return f"{self.council_id}.{self.shared}.{self.own}"

    @property
    def changed_at(self) -> dt.datetime:
        # The versions are microseconds since the epoch (or just past one when bumped twice in a microsecond).
        return dt.datetime.fromtimestamp(max(self.shared, self.own) // 1_000_000, tz=dt.UTC)


def council_cache_state(council_id: int) -> CouncilCacheState:
    """The council's cache versions (one cache round trip, no query)."""
    shared, own = _versions(GLOBAL_KEY, _council_key(council_id))
    return CouncilCacheState(council_id=council_id, shared=shared, own=own, ttl=cache_seconds())


def bump_council(council_id: int) -> None:
    _bump(_council_key(council_id), ANY_COUNCIL_KEY)


def portal_cache_version() -> str:
    """The version of the pages across councils: the shared one and the one any council's edit bumps."""
    shared, any_council = _versions(GLOBAL_KEY, ANY_COUNCIL_KEY)
    return f"all.{shared}.{any_council}"


def bump_all() -> None:
    _bump(GLOBAL_KEY)


# The working-day calendar (core.models.CalendarDay): deadlines are counted on it, and the processes keep the
# calendar they loaded while this version stays the same (core/process_cache.py).
CALENDAR_KEY = "portal:version:calendar"
READ_ALONG = (GLOBAL_KEY, ANY_COUNCIL_KEY, CALENDAR_KEY)


def calendar_version() -> str:
    (version,) = _versions(CALENDAR_KEY)
    return str(version)


def bump_calendar(**kwargs: object) -> None:
    """A receiver of `core.signals.calendar_changed` (sent inside the saving transaction): bumps the version at
    once and again on commit, so that no process keeps a calendar read between the two."""
    _bump(CALENDAR_KEY)
    transaction.on_commit(lambda: _bump(CALENDAR_KEY))


def data_version() -> str:
    """The current versions of the public data, in one cache round trip: a key that contains them is left behind
    by any edit, such as a meeting being closed, so no cached answer outlives the data it showed."""
    found = cache.get_many(DATA_VERSION_KEYS)
    return ".".join(str(found.get(key, "")) for key in DATA_VERSION_KEYS)


# ---- the signals ---------------------------------------------------------------------------------------------


def _council_of(instance: Model, path: str) -> int | None:
    """Follow `path` ("meeting.council_id") from the instance; None when a parent is already gone (a cascade:
    the parent's own signal bumps the version)."""
    value: Any = instance
    try:
        for name in path.split("."):
            value = getattr(value, name)
    except ObjectDoesNotExist:
        return None
    council_id: int | None = value  # the path ends at a council's id (a nullable key: None)
    return council_id


# How the years a council has records of are read (a frozenset of years); core imports no app, so `reports`
# hands it over when it starts (ReportsConfig.ready). Without it every edit bumps COUNCIL_LIST_KEY.
_council_years: Callable[[int], frozenset[int]] | None = None


def register_council_years(reader: Callable[[int], frozenset[int]]) -> None:
    global _council_years
    _council_years = reader


def _years_key(council_id: int) -> str:
    return f"portal:council-years:{council_id}"


class _RecheckYears:
    """An on-commit callback: bumps COUNCIL_LIST_KEY if the council's years with records are not those last seen
    (a year switcher listing every council's years must show the first record of a new year at once). One per
    council and transaction, however many of its records the transaction saves."""

    def __init__(self, council_id: int) -> None:
        self.council_id = council_id

    def __call__(self) -> None:
        if _council_years is None:
            _bump(COUNCIL_LIST_KEY)
            return
        years = sorted(_council_years(self.council_id))
        key = _years_key(self.council_id)
        if cache.get(key) != years:
            cache.set(key, years, timeout=None)
            _bump(COUNCIL_LIST_KEY)


def _recheck_years_on_commit(council_id: int) -> None:
    connection = transaction.get_connection()
    pending = [callback for _savepoints, callback, *_rest in connection.run_on_commit]
    if not any(isinstance(each, _RecheckYears) and each.council_id == council_id for each in pending):
        transaction.on_commit(_RecheckYears(council_id))


def _on_change(path: str, *, council_row: bool = False) -> Callable[..., None]:
    def receiver(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
        if raw:  # loaddata: fixtures are not edits
            return
        council_id = _council_of(instance, path)
        if council_id is None:
            return
        bump_council(council_id)
        if council_row:  # the council itself: its name, place or publication on every list of councils
            _bump(COUNCIL_LIST_KEY)
            transaction.on_commit(lambda: _bump(COUNCIL_LIST_KEY))
        transaction.on_commit(lambda: bump_council(council_id))
        _recheck_years_on_commit(council_id)

    return receiver


def _on_shared_change(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    bump_all()
    transaction.on_commit(bump_all)


def watch_council_records(model: type[Model], council_id_attribute: str, *, council_row: bool = False) -> None:
    """An edit of a record of `model` bumps its council's version; `council_id_attribute` is the attribute path
    to the council's id ("meeting.council_id"). Called for each model whose declaration (councils/ownership.py)
    asks for it; `council_row` for the council model itself, whose edits change every list of councils."""
    label = model._meta.label
    receiver = _on_change(council_id_attribute, council_row=council_row)
    # weak=False: the receiver is a closure that nothing else keeps alive.
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"portal-cache.save.{label}")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"portal-cache.delete.{label}")


def watch_shared_records(model: type[Model]) -> None:
    """An edit of a record every council shares (a state body) bumps every council's version."""
    label = model._meta.label
    post_save.connect(_on_shared_change, sender=model, dispatch_uid=f"portal-cache.save.{label}")
    post_delete.connect(_on_shared_change, sender=model, dispatch_uid=f"portal-cache.delete.{label}")


def http_date_of(state: CouncilCacheState) -> dt.datetime:
    """Last-Modified never lies in the future (a clock step back would otherwise pin it)."""
    return min(state.changed_at, timezone.now())


# ---- whole pages ---------------------------------------------------------------------------------------------

# The query parameters a public page may be cached with: the year, the page number and filters that take one of
# a few values (each page names those it reads: `cached("year", "page")`). Free text (a search, a state body's
# slug, a source reference) keeps a page uncached: every value would be an entry of its own. So does any other
# parameter, one the page does not read (?page=7 on a page without pages), and one given twice.
CACHEABLE_PARAMETERS = frozenset({"year", "page", "conclusion", "status", "place", "kind"})
# The free-text parameters a page puts in its fragments' keys: with one of them a fragment is not kept either.
FREE_TEXT_PARAMETERS = frozenset({"q", "body", "source"})
MAX_QUERY_STRING = 200


# The public pages are cached under their address; an address that names a page past the last, or a year the council
# has no records of, must not add a cache entry of its own (anyone could add millions). The helpers that correct
# such a parameter (councils/views.py) note it here while a page renders; the page cache then keeps nothing.
_corrections: ContextVar[list[str] | None] = ContextVar("public_page_corrections", default=None)


@contextmanager
def noting_corrections() -> Iterator[list[str]]:
    """The parameters the helpers corrected while the block ran (lazy data included, when a cache miss evaluates
    it inside the block)."""
    outer = _corrections.get()
    noted: list[str] = []
    token = _corrections.set(noted)
    try:
        yield noted
    finally:
        _corrections.reset(token)
        if outer is not None:  # a fragment inside a whole page: the page was corrected too
            outer.extend(noted)


def note_correction(parameter: str) -> None:
    noted = _corrections.get()
    if noted is not None:
        noted.append(parameter)


def query_cacheable(request: HttpRequest, parameters: frozenset[str]) -> bool:
    """The query names only `parameters`, each once, and is short: the first test of a cacheable address. The
    second is made while the page renders: the helpers of councils/views.py note a value they had to correct
    (`note_correction`: a page past the last, a year without records, "abc" for a page), and a corrected page is
    not kept."""
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return False
    return all(name in parameters and len(request.GET.getlist(name)) == 1 for name in request.GET)


def _page_cacheable(request: HttpRequest, parameters: frozenset[str]) -> bool:
    """A GET from a visitor without a session or a pending message, with a cacheable query.

    A signed-in user (staff) always gets a fresh render; the cached fragments still spare it the queries."""
    if request.method != "GET":
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return query_cacheable(request, parameters)


def _page_key(version: str, request: HttpRequest) -> str:
    # The parameters in a fixed order: ?page=2&year=2024 and ?year=2024&page=2 are one page.
    address = request.path + "?" + urlencode(sorted(request.GET.items()))
    path = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"portal:page:{version}:{translation.get_language()}:{path}"


def _render_noting(view: Callable[..., HttpResponse], request: HttpRequest, **kwargs: Any) -> tuple[HttpResponse, bool]:
    """The view's response, and whether it may be kept: no helper corrected a parameter while it rendered."""
    with noting_corrections() as corrected:
        response = view(request, **kwargs)
    return response, not corrected


def _cached_page(key: str) -> HttpResponse | None:
    hit = cache.get(key)
    if hit is None:
        return None
    content, content_type = hit
    return HttpResponse(content, content_type=content_type)


def _keep_page(key: str, response: HttpResponse) -> HttpResponse:
    """Store a plain 200 that sets no cookie; anything else (an error, a redirect, a stream) is not kept."""
    if response.status_code == 200 and not response.streaming and not response.cookies:
        cache.set(key, (response.content, response["Content-Type"]), timeout=cache_seconds())
    return response


# How a slug becomes the id of the published council whose pages it names (None: no such council). core imports no
# app, so `councils` hands it over when it starts (CouncilsConfig.ready).
_council_lookup: Callable[[str], int | None] | None = None


def register_council_lookup(lookup: Callable[[str], int | None]) -> None:
    global _council_lookup
    _council_lookup = lookup


def _council_id(slug: str) -> int | None:
    if _council_lookup is None:
        raise RuntimeError("no council lookup registered: councils.apps.CouncilsConfig.ready registers it")
    return _council_lookup(slug)


def _allowed(parameters: tuple[str, ...]) -> frozenset[str]:
    unknown = set(parameters) - CACHEABLE_PARAMETERS
    if unknown:
        raise ValueError(f"not cacheable query parameters: {sorted(unknown)} (free text makes an entry per value)")
    return frozenset(parameters)


def cache_council_page(view: Callable[..., HttpResponse], *parameters: str) -> Callable[..., HttpResponse]:
    """Keep a public council page whole, under the council's cache version, language and address.

    A hit costs three cache reads and no query: the council's id (remembered per slug), its versions, the page.
    A miss finds the council's id with one query, reads the versions *before* rendering (an edit committed
    during the render bumps them, leaving this render behind) and stores the page if it is a plain 200 that sets
    no cookie, and no parameter was corrected (`parameters`: the query parameters the page reads; see
    CACHEABLE_PARAMETERS). A remembered id gone stale (the council renamed or unpublished) only causes misses:
    every page is stored under the id a query has just confirmed, and unpublishing bumps the version."""

    allowed = _allowed(parameters)

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        if not _page_cacheable(request, allowed):
            return view(request, slug=slug, **kwargs)
        slug_key = f"portal:council-id:{slug}"
        remembered = cache.get(slug_key)
        if remembered is not None:
            hit = _cached_page(_page_key(council_cache_state(remembered).key, request))
            if hit is not None:
                return hit
        council_id = _council_id(slug)
        if council_id is None:
            return view(request, slug=slug, **kwargs)  # its 404
        if council_id != remembered:
            cache.set(slug_key, council_id, timeout=cache_seconds())
        key = _page_key(council_cache_state(council_id).key, request)
        response, keep = _render_noting(view, request, slug=slug, **kwargs)
        return _keep_page(key, response) if keep else response

    return wrapper


def cache_portal_page(view: Callable[..., HttpResponse], *parameters: str) -> Callable[..., HttpResponse]:
    """Keep a page across councils whole (the home page, the list of councils, the state bodies), under the
    version every council's edit bumps and the state bodies' version, the language and the address. A hit costs
    two cache reads and no query; the versions are read before a miss renders, as for a council's page."""

    allowed = _allowed(parameters)

    @wraps(view)
    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if not _page_cacheable(request, allowed):
            return view(request, **kwargs)
        key = _page_key(portal_cache_version(), request)
        hit = _cached_page(key)
        if hit is not None:
            return hit
        response, keep = _render_noting(view, request, **kwargs)
        return _keep_page(key, response) if keep else response

    return wrapper


# ---- pages listing councils, kept per council --------------------------------------------------------------

_shown: ContextVar[list[int] | None] = ContextVar("public_page_councils_shown", default=None)


def note_councils_shown(council_ids: list[int]) -> None:
    """Called by a view under `cache_council_list_page`: the councils whose cards (their own figures) it shows."""
    shown = _shown.get()
    if shown is not None:
        shown.extend(council_ids)


def _councils_version(council_ids: list[int]) -> str:
    versions = _versions(*(_council_key(council_id) for council_id in council_ids)) if council_ids else []
    joined = ",".join(f"{council_id}:{version}" for council_id, version in zip(council_ids, versions, strict=True))
    return hashlib.sha256(joined.encode()).hexdigest()[:24]


def cache_council_list_page(view: Callable[..., HttpResponse], *parameters: str) -> Callable[..., HttpResponse]:
    """Keep a page of council cards whole (the home page) under the versions of what it shows: the list of
    councils (COUNCIL_LIST_KEY: names, places, years), the shared records' version and the version of each council
    whose card it shows, so one council's edit leaves behind only the pages (address, language) that show that
    council's card, not every page.

    Which councils an address shows is learnt when it renders (the view calls `note_councils_shown`) and kept
    under the list's version; a hit costs four cache reads and no query (the versions of the list, the councils
    the address shows, their versions, the page). The versions are read before a render, as for a council's page.
    On the first render of an address the councils' versions can only be read after it: the page is kept then
    only if no council's edit happened meanwhile (the version any council's edit bumps, at once and on commit, is
    the same after the render as before it)."""

    allowed = _allowed(parameters)

    @wraps(view)
    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if not _page_cacheable(request, allowed):
            return view(request, **kwargs)
        shared, listed, any_council = _versions(GLOBAL_KEY, COUNCIL_LIST_KEY, ANY_COUNCIL_KEY)
        list_version = f"list.{shared}.{listed}"
        plan_key = _page_key(f"{list_version}.shown", request)
        plan = cache.get(plan_key)
        key = None
        if plan is not None:
            key = _page_key(f"{list_version}.{_councils_version(plan)}", request)
            hit = _cached_page(key)
            if hit is not None:
                return hit
        shown: list[int] = []
        token = _shown.set(shown)
        try:
            response, keep = _render_noting(view, request, **kwargs)
        finally:
            _shown.reset(token)
        if not keep:
            return response
        if key is not None and shown == plan:
            return _keep_page(key, response)
        if cache.get(ANY_COUNCIL_KEY) != any_council:
            return response  # a council was edited while this rendered: nothing is kept
        cache.set(plan_key, shown, timeout=cache_seconds())
        return _keep_page(_page_key(f"{list_version}.{_councils_version(shown)}", request), response)

    return wrapper
