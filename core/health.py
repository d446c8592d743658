"""`GET /healthz`: is this process able to serve? For load balancers, container health checks and monitoring.

Checks the database (`SELECT 1`), the cache (a PING to Redis, then a write read back), the compiled translation
catalogues of every language of the site (core.checks) and, when a real broker is configured, the Celery broker
(a connection with a 2-second timeout). Answers 200 `{"status": "ok", "checks": {...}}`, or 503 with
`"status": "error"` and the failing check marked `"error"`. The response names the kind of failure but never
carries a traceback or a connection string (it is public); the details go to the log.

It also reports the number of outbox messages that failed for good (`"outbox": {"failed": N}`, null when the
database cannot say). That figure is reported, not judged: a mail that could not be delivered does not make this
process unable to serve, and a 503 would have the load balancer take every web process out of rotation for it.
Monitoring should alert on `outbox.failed > 0`; the admin's outbox page lists them with their errors.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .checks import CatalogueMissing

logger = logging.getLogger(__name__)

BROKER_TIMEOUT = 2  # seconds


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 returned something else")
    return "ok"


def check_cache() -> str:
    # The Redis backend answers a miss rather than raise while Redis is down (core/cache.py); ask Redis itself
    # first, so that an outage is reported as the error it is.
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    try:
        if cache.get(key) != "1":
            raise RuntimeError("the cache did not return what was just written")
    finally:
        cache.delete(key)
    return "ok"


def check_broker() -> str:
    """Open a connection to the broker; the in-process `memory://` broker (no worker configured) is fine."""
    from kombu import Connection

    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not url or url.startswith("memory://"):
        return "ok"
    options = {"socket_connect_timeout": BROKER_TIMEOUT, "socket_timeout": BROKER_TIMEOUT, "max_retries": 0}
    # kombu's Connection has no annotations.
    with Connection(url, connect_timeout=BROKER_TIMEOUT, transport_options=options) as conn:  # type: ignore[no-untyped-call]
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT)
    return "ok"


def check_translations() -> str:
    """Every language of the site has its compiled catalogue (core.checks): without it pages and reports would
    silently come out in English."""
    from .checks import CatalogueMissing, catalogue_problems

    problems = catalogue_problems()
    if problems:
        raise CatalogueMissing("; ".join(problems.values()))
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "translations": check_translations,
}


def run_checks() -> dict[str, str]:
    """Each check's outcome: "ok", or "error: <exception class>" (the message may hold hosts; it is logged)."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure of a dependency is an unhealthy answer
            logger.warning("health check %s failed: %s: %s", name, type(exc).__name__, exc)
            results[name] = f"error: {type(exc).__name__}"
            if isinstance(exc, CatalogueMissing):  # its message names a language and a file, nothing secret
                results[name] += f": {exc}"
    return results


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks, "outbox": {"failed": outbox_failed()}},
        status=200 if healthy else 503,
    )


def outbox_failed() -> int | None:
    """Outbox messages given up on; None when the database cannot be asked (its check says why)."""
    from .outbox import failed_count

    try:
        return failed_count()
    except Exception as exc:  # noqa: BLE001 - the database check reports the failure itself
        logger.warning("health: could not count failed outbox messages: %s", type(exc).__name__)
        return None
