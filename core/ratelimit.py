"""Limits on public submissions (appeals, alert subscriptions): per client address and per e-mail address; and
the client's address, as the limits and the sign-in lockouts (django-axes) see it.

The e-mail is passed in rather than read from `request.POST`, which is empty for a JSON body: an API client
would otherwise escape the per-e-mail limit. Cache-backed through django-ratelimit (Redis in production).

While the cache is down the limits fail open, with one warning per outage: the submission is accepted, not
refused (RATELIMIT_FAIL_OPEN; core/cache.py answers a miss instead of raising). A citizen's appeal is the one
thing the portal must take in (SECURITY.md), and a limiter that refuses everyone while Redis restarts would turn a
cache outage into a refusal of service; GOV.UK Notify's rate limiter (notifications-utils) makes the same choice,
logging the Redis error and answering "not exceeded". The sign-in lockouts do not depend on the cache (django-axes
keeps its counts in the database), and the cache is a Redis of its own with bounded keys, which an outsider cannot
fill to make it fail.
"""

from __future__ import annotations

import ipaddress
import logging
import threading

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django_ratelimit import ALL

# The library's own key, window and address functions (private to it, pinned <5 in pyproject.toml): the counts
# below are kept under the keys its decorators use, and tests/core/test_public_forms.py holds the limits to them.
from django_ratelimit.core import (
    EXPIRATION_FUDGE,
    _get_ip,
    _get_window,
    _make_cache_key,
    _split_rate,
    is_ratelimited,
)

from .cache import RedisCache, ThrottledLog, cache_outage_since

logger = logging.getLogger(__name__)

_warned: dict[str, float | None] = {"outage": None}  # the start of the outage already warned about
_warned_lock = threading.Lock()


def _warn_limits_not_enforced(group: str) -> None:
    since = cache_outage_since()
    with _warned_lock:
        if since is None or _warned["outage"] == since:
            return
        _warned["outage"] = since
    logger.warning("rate limits not enforced while the cache is unavailable (first: %s)", group)


def submission_rate_limited(request: HttpRequest, *, group: str, email: str, per_ip: str, per_email: str) -> bool:
    """Count this submission against both limits; True when either is exceeded. False while the cache is down."""
    if cache_outage_since() is not None:
        _warn_limits_not_enforced(group)
        return False
    address = (email or "").strip().lower()
    limits = [(f"{group}-ip", _get_ip(request), per_ip)]
    if address:
        limits.append((f"{group}-email", address, per_email))
    exceeded = _count(request, limits)
    if cache_outage_since() is not None:  # Redis failed during these calls: the limits failed open
        _warn_limits_not_enforced(group)
    return exceeded


def _count(request: HttpRequest, limits: list[tuple[str, str, str]]) -> bool:
    """Count one hit against each (group, value, rate) under django-ratelimit's own keys and windows, so that its
    decorators elsewhere and these limits count alike; True when any count is over its rate. With Redis, all the
    counters in one round trip (core.cache.RedisCache.count_hits) instead of django-ratelimit's two or three per
    limit; with another cache, through django-ratelimit itself."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return False
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    if not isinstance(cache, RedisCache):
        # Every limit counts this hit (a list, not a short-circuiting any()), as with Redis.
        over = [
            is_ratelimited(request, group=group, key=lambda _g, _r, v=value: v, rate=rate, increment=True)
            for group, value, rate in limits
        ]
        return any(over)
    counters, allowed = [], []
    for group, value, rate in limits:
        count, period = _split_rate(rate)
        window = _get_window(value, period)
        counters.append((_make_cache_key(group, window, rate, value, ALL), period + EXPIRATION_FUDGE))
        allowed.append(count)
    counts = cache.count_hits(counters)
    if counts is None:  # the cache failed: RATELIMIT_FAIL_OPEN
        return not getattr(settings, "RATELIMIT_FAIL_OPEN", False)
    return any(count > limit for count, limit in zip(counts, allowed, strict=True))


# ---- the client's address --------------------------------------------------------------------------------------

# Shared by every request: a proxy that stops sending the header would otherwise log a line per request.
_header_log = ThrottledLog(logger, interval=300)
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 - a bucket for requests with no address at all, not a bind address


def _address(raw: str) -> str | None:
    """The address in `raw` ("1.2.3.4", "2001:db8::1", "[2001:db8::1]"), normalised; None for anything else."""
    raw = raw.strip()
    if raw.startswith("[") and raw.endswith("]"):
        raw = raw[1:-1]
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def client_ip_meta_key() -> str:
    """The `request.META` key of OVERSIGHT_CLIENT_IP_HEADER ("HTTP_X_FORWARDED_FOR" or "X-Forwarded-For"), or ""."""
    name = (getattr(settings, "CLIENT_IP_HEADER", "") or "").strip()
    if not name or name.upper().startswith("HTTP_") or name == "REMOTE_ADDR":
        return name.upper()
    return "HTTP_" + name.upper().replace("-", "_")


def client_ip(request: HttpRequest) -> str:
    """The client's address: RATELIMIT_IP_META_KEY and AXES_CLIENT_IP_CALLABLE, so both limits see one client.

    1. No OVERSIGHT_CLIENT_IP_HEADER: REMOTE_ADDR.
    2. With it: the header is a list of hops ("client, proxy1, …"), each proxy appending the address it was
       connected from. With OVERSIGHT_TRUSTED_PROXY_COUNT proxies of ours in front of the portal, the last
       that many entries were written by them, and the client is the one the outermost of them saw: the N-th
       from the right. Entries left of it are whatever the client sent, and are never read (MDN,
       "X-Forwarded-For: selecting an IP address").
    3. A missing or empty header, fewer hops than trusted proxies, or an entry that is not an address: the
       request is still served, under REMOTE_ADDR (the proxy's address: such requests share one limit), with a
       warning at most every five minutes. It means a misconfigured proxy, or a request that bypassed it.
    """
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    key = client_ip_meta_key()
    if key and key != "REMOTE_ADDR":
        raw = str(request.META.get(key) or "")
        hops = [hop.strip() for hop in raw.split(",")] if raw.strip() else []
        trusted = max(1, int(getattr(settings, "TRUSTED_PROXY_COUNT", 1)))
        found = _address(hops[-trusted]) if len(hops) >= trusted else None
        if found is not None:
            return found
        _header_log.warning(
            "client address header %s is %s (%r); using REMOTE_ADDR %s",
            key,
            "missing" if not raw.strip() else "malformed",
            raw[:100],
            remote,
        )
    if remote is None:
        _header_log.warning(
            "no client address (REMOTE_ADDR is %r); counting it as %s", request.META.get("REMOTE_ADDR"), UNKNOWN_ADDRESS
        )
        return UNKNOWN_ADDRESS
    return remote
