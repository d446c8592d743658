"""Request-wide middleware: a request id for the logs (and the cache versions read once per request), a friendly
503 while the database is unreachable, and gzip for the portal's own text."""

from __future__ import annotations

import logging
import re
import sys
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.signals import got_request_exception, request_finished
from django.db.utils import InterfaceError, OperationalError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import get_template
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from .logging import request_id_var
from .page_cache import versions_of_this_request

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds a browser or client is asked to wait before trying again.
RETRY_AFTER = 30
# An id the reverse proxy already gave the request is kept when it looks like one (no spaces or control
# characters that could forge log lines); otherwise a fresh one is made.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class RequestIdMiddleware:
    """Give each request an id (the proxy's `X-Request-ID`, or a new one): in every log line, and echoed back.
    Around the rest of the request, so that it reads each cache version once (core/page_cache.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]  # our attribute, read by the log filter
        # Not reset on the way out: Django logs a failed request's status after the middleware has returned;
        # request_finished (below) clears it once the response has been sent.
        request_id_var.set(request_id)
        with versions_of_this_request():
            response = self.get_response(request)
        response.setdefault("X-Request-ID", request_id)
        return response


def _forget_request_id(sender: object, **kwargs: object) -> None:
    request_id_var.set("")


request_finished.connect(_forget_request_id, dispatch_uid="core.middleware.forget_request_id")


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON for the API (its clients parse JSON, not a page), else standalone HTML that needs
    neither the database nor the static files manifest. Both ask the client to come back in RETRY_AFTER seconds."""
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": translation.gettext("The service is temporarily unavailable. Try again shortly.")},
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER)
        add_never_cache_headers(response)
        return response
    try:
        # Reading the lazy nonce makes django-csp add it to this response's style-src.
        nonce = str(request.csp_nonce)  # type: ignore[attr-defined]  # set by django-csp's middleware
    except Exception:  # no CSP middleware, or its header is already written: the page shows unstyled
        nonce = ""
    # LocaleMiddleware may not have run yet (a middleware before it failed): then the URL's prefix decides.
    language = (
        getattr(request, "LANGUAGE_CODE", None)
        or translation.get_language_from_path(request.path_info)
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        html = get_template("503.html").render({"csp_nonce": nonce})
    response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


def _route_of(request: HttpRequest) -> str:
    """The view name of the request's URL (`appeals:track`), never the path: a path can carry a secret, such as
    the token of an appeal's tracking link."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "(no route)"
    return match.view_name or match.route


def _remember_database_failure(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    # Django turns an exception raised inside another middleware into a 500 before it reaches ours; this
    # receiver marks the request so that DatabaseUnavailableMiddleware can swap that 500 for the 503 page.
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        request._database_unavailable = True  # type: ignore[attr-defined]  # our attribute, read below


got_request_exception.connect(_remember_database_failure, dispatch_uid="core.middleware.database_failure")


class DatabaseUnavailableMiddleware:
    """Answer 503 with a friendly page, not a 500, when the database refuses or drops the connection.

    The portal recovers by itself: with CONN_HEALTH_CHECKS the next request opens a fresh connection.
    1. A view (or its template) raising OperationalError/InterfaceError: `process_exception` logs one error
       line (no traceback: the cause is outside the code) and answers 503.
    2. A middleware inside this one raising it: Django has already logged the error and built a 500; the
       receiver above marked the request, and the 500 becomes the 503 page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "_database_unavailable", False):
            return service_unavailable(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error(
            "database unavailable: %s %s answered 503 (%s: %s)",
            request.method,
            _route_of(request),
            type(exception).__name__,
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
        )
        response = service_unavailable(request)
        response._has_been_logged = True  # type: ignore[attr-defined]  # the line above is the one log line
        return response


class TextGZipMiddleware(GZipMiddleware):
    """Pages, JSON and CSV answers gzipped for clients that accept it: a council page is 33 KB of HTML and 7 KB
    gzipped, which a phone on a slow connection notices (Lighthouse's "Enable text compression"). The reverse proxy
    compresses only the static files (deploy/nginx), so the portal does it, as whitenoise does for those files.

    Django's own middleware, with its BREACH mitigation (random bytes in the gzip header, "Heal the Breach"; the
    CSRF token is masked afresh in each response as well). Files sent as they are stored (attachments, report PDFs,
    XLSX downloads: compressed formats mostly) are left alone, so that a download keeps its Content-Length."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if isinstance(response, FileResponse):
            return response
        return super().process_response(request, response)
