"""Django's Redis cache backend, keeping one client per connection pool, and degrading (not failing) while Redis
is down.

1. One client per pool. Django's `RedisCacheClient.get_client` builds a new `redis.Redis` object for every
   cache operation (the pool, and so the sockets, are shared already). Building one costs more than the Redis
   round trip it then makes: an appeal submission makes seven cache operations (rate limits, the public pages'
   cache version). A `redis.Redis` object is safe to share between threads, so one per pool serves them all.
2. A cache is not a database. When Redis refuses, times out or errors, an operation answers as a miss (a read
   gives the default, a write is lost, `incr` raises ValueError as for a missing key) instead of raising: pages
   render uncached, the rate limits fail open (core/ratelimit.py) and appeals are still accepted (SECURITY.md).
   This is django-redis's `DJANGO_REDIS_IGNORE_EXCEPTIONS`, for Django's own backend.
3. A circuit breaker: after a failure, Redis is left alone for RETRY_SECONDS and every operation is a miss at
   once, then one operation tries again. A Redis host that drops packets would otherwise cost a connect timeout
   per operation, and a page makes several. The outage is logged once when it starts (and again every
   REMIND_SECONDS while it lasts), and once when Redis answers again: a warning per outage, not one per request.
4. `ping()` bypasses all of this and raises, for /healthz (core/health.py), which must report the outage.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError as RedisResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

if TYPE_CHECKING:
    from django.core.cache.backends.redis import _Key

logger = logging.getLogger(__name__)

T = TypeVar("T")

# What makes an operation a miss: Redis unreachable or too slow (ConnectionError, TimeoutError; their subclasses
# cover a wrong password and a Redis still loading its data), or refusing it (ResponseError: out of memory with
# `maxmemory` and `noeviction`, a read-only replica after a failover). OSError: a socket failing outside redis-py.
CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError, RedisResponseError, OSError)
# Seconds Redis is left alone after a failure before one operation tries again.
RETRY_SECONDS = 5.0
# While an outage lasts, it is logged again this often.
REMIND_SECONDS = 600.0
# Socket timeouts (seconds) unless OPTIONS names others: redis-py waits forever by default, and a page must not.
DEFAULT_SOCKET_OPTIONS = {"socket_connect_timeout": 1.0, "socket_timeout": 2.0}


class ThrottledLog:
    """Log a message at most once per `interval` seconds (per process): for conditions that would otherwise be
    logged on every request, such as a missing proxy header or a cache outage."""

    def __init__(self, logger: logging.Logger, interval: float) -> None:
        self.logger = logger
        self.interval = interval
        self._last = -float("inf")
        self._lock = threading.Lock()

    def warning(self, message: str, *args: object) -> bool:
        now = time.monotonic()
        with self._lock:
            if now - self._last < self.interval:
                return False
            self._last = now
        self.logger.warning(message, *args)
        return True

    def reset(self) -> None:
        self._last = -float("inf")


class Breaker:
    """The health of one Redis server as this process sees it (shared by the backend objects of all threads)."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.down_since: float | None = None  # time.time() of the first failure of the current outage
        self._retry_at = 0.0  # time.monotonic() before which Redis is not tried
        self._reminded_at = 0.0
        self._lock = threading.Lock()

    def allows_try(self) -> bool:
        return self.down_since is None or time.monotonic() >= self._retry_at

    def failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self._retry_at = now + RETRY_SECONDS
            first = self.down_since is None
            remind = not first and now - self._reminded_at >= REMIND_SECONDS
            if first:
                self.down_since = time.time()
            if first or remind:
                self._reminded_at = now
        if first:
            logger.warning(
                "cache unavailable (%s: %s): pages render uncached and rate limits are not enforced; "
                "Redis is tried again every %d s",
                type(exc).__name__,
                _first_line(exc),
                RETRY_SECONDS,
            )
        elif remind:
            logger.warning("cache still unavailable after %d s (%s)", time.time() - (self.down_since or 0), exc)

    def succeeded(self) -> None:
        if self.down_since is None:
            return
        with self._lock:
            since, self.down_since = self.down_since, None
        if since is not None:
            logger.warning("cache available again after %d s", time.time() - since)


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(server: str) -> Breaker:
    with _breakers_lock:
        return _breakers.setdefault(server, Breaker(server))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:  # Any: passed through to Django's client unchanged
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Redis] = {}

    def get_client(self, key: _Key | None = None, *, write: bool = False) -> Redis:
        # _get_connection_pool and _client are Django's private RedisCacheClient API, absent from django-stubs.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:  # Any: a CACHES entry, as Django types it
        params = {**params, "OPTIONS": {**DEFAULT_SOCKET_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self.breaker = breaker_for(server)

    def _guard(self, miss: Callable[[], T], operation: Callable[[], T]) -> T:
        if not self.breaker.allows_try():
            return miss()
        try:
            result = operation()
        except CACHE_ERRORS as exc:
            self.breaker.failed(exc)
            return miss()
        self.breaker.succeeded()
        return result

    def ping(self) -> bool:
        """Ask Redis directly, raising its error: for the health check. A success closes the breaker."""
        result = bool(self._cache.get_client(write=True).ping())
        self.breaker.succeeded()
        return result

    # Every operation of Django's RedisCache, each answering as a miss while Redis is down. `decr`, `get_or_set`
    # and the `has_key`-based `__contains__` are built on these by BaseCache. Keys and values are `Any` as in
    # BaseCache itself (django-stubs): a cache stores any picklable value under any key Django can make a string of.

    def add(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(lambda: False, lambda: super(RedisCache, self).add(key, value, timeout, version))

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guard(lambda: default, lambda: super(RedisCache, self).get(key, default, version))

    def set(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._guard(lambda: None, lambda: super(RedisCache, self).set(key, value, timeout, version))

    def touch(self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(lambda: False, lambda: super(RedisCache, self).touch(key, timeout, version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guard(lambda: False, lambda: super(RedisCache, self).delete(key, version))

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._guard(dict, lambda: super(RedisCache, self).get_many(keys, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guard(lambda: False, lambda: super(RedisCache, self).has_key(key, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        def unavailable() -> int:
            # As for a missing key: django-ratelimit then counts nothing and applies RATELIMIT_FAIL_OPEN.
            raise ValueError(f"Key {key!r} not found: the cache is unavailable.")

        return self._guard(unavailable, lambda: super(RedisCache, self).incr(key, delta, version))

    def set_many(
        self, data: dict[Any, Any], timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._guard(lambda: list(data), lambda: super(RedisCache, self).set_many(data, timeout, version))

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._guard(lambda: None, lambda: super(RedisCache, self).delete_many(keys, version))

    def clear(self) -> None:
        self._guard(lambda: None, lambda: super(RedisCache, self).clear())

    def count_hits(self, counters: list[tuple[str, int]]) -> list[int] | None:
        """Add one to each counter (`key`, `timeout` in seconds; created at 0 with that timeout when absent, as
        `add` then `incr` would) in one round trip; the counts after. None while Redis is down."""

        def operation() -> list[int]:
            pipe = self._cache.get_client(write=True).pipeline(transaction=False)
            for key, timeout in counters:
                made = self.make_and_validate_key(key)
                pipe.set(made, 0, ex=timeout, nx=True)
                pipe.incr(made)
            return [int(count) for count in pipe.execute()[1::2]]

        return self._guard(lambda: None, operation)


def cache_outage_since(alias: str = "default") -> float | None:
    """When (time.time()) the current outage of the cache `alias` began, as this process sees it; None while it
    answers, and always for a backend other than this one."""
    from django.core.cache import caches

    breaker = getattr(caches[alias], "breaker", None)
    return breaker.down_since if breaker is not None else None
