"""The size of a request's body, capped before the body is read, and the page that says a request was refused.

Django spools an uploaded file to a temporary file as it parses the body, which happens the first time anything
reads `request.POST` or `request.FILES`: the CSRF check does so before the view runs. So the cap is checked in
`process_view` of a middleware listed before CsrfViewMiddleware, from the `Content-Length` alone:

1. A page that takes files (marked with `accepts_uploads`), or a signed-in user (staff upload minutes and
   documents), may send OVERSIGHT["UPLOAD_REQUEST_MAX_BYTES"]; any other request
   OVERSIGHT["REQUEST_MAX_BYTES"]. A larger `Content-Length` is answered 413 at once: nothing is read.
2. A body that is longer than it said (a server that passes a chunked body through, or ASGI, which reads the
   body before any middleware) is counted as it is parsed: an upload handler, first in line, stops the parse
   once the files pass the cap, before the rest reaches the disk; the answer is the same 413.

Non-file fields stay under Django's own DATA_UPLOAD_MAX_MEMORY_SIZE (and DATA_UPLOAD_MAX_NUMBER_FIELDS). The
reverse proxy should refuse larger bodies still earlier (README, Operations).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

View = TypeVar("View", bound=Callable[..., object])


def accepts_uploads(view: View) -> View:
    """Mark a view (a function, or a class-based view's class) that takes files: its requests may be as large
    as OVERSIGHT["UPLOAD_REQUEST_MAX_BYTES"]."""
    view.accepts_uploads = True  # type: ignore[attr-defined]  # a mark on a function or class, read below
    return view


def _takes_uploads(view_func: Callable[..., object]) -> bool:
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    return bool(getattr(view_func, "accepts_uploads", False) or getattr(view_class, "accepts_uploads", False))


def request_body_limit(request: HttpRequest, view_func: Callable[..., object]) -> int:
    """The largest body, in bytes, this request may send to this view."""
    limits = settings.OVERSIGHT
    user = getattr(request, "user", None)
    if _takes_uploads(view_func) or (user is not None and user.is_authenticated):
        return limits["UPLOAD_REQUEST_MAX_BYTES"]
    return limits["REQUEST_MAX_BYTES"]


def content_length(request: HttpRequest) -> int:
    """The length the request announces; Django reads a missing or malformed one as 0, and so does this."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def refusal(request: HttpRequest, *, status: int, title: str, message: str, hint: str = "") -> HttpResponse:
    """A refused request's answer: JSON `{"detail": message}` for the API, else a page in the visitor's language."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(request, "refused.html", {"title": title, "message": message, "hint": hint}, status=status)


def request_too_large(request: HttpRequest, *, limit: int, size: int | None = None) -> HttpResponse:
    if size is not None and size > limit:
        message = _("You sent %(size)s; the portal takes at most %(limit)s in one request.") % {
            "size": filesizeformat(size),
            "limit": filesizeformat(limit),
        }
    else:
        message = _("You sent more than the portal takes in one request: at most %(limit)s.") % {
            "limit": filesizeformat(limit)
        }
    response = refusal(
        request,
        status=413,
        title=_("Too large to send"),
        message=message,
        hint=_(
            "Nothing was saved. Go back with your browser's Back button (what you typed is usually still there) "
            "and attach fewer or smaller files: at most 5 files of 10 MB each."
        ),
    )
    # The rest of the body was not read: the connection cannot carry another request after this one.
    response["Connection"] = "close"
    return response


class RequestBodyTooLarge(RequestDataTooBig):
    """The files of a request passed its cap while it was parsed."""


class BodyLimitUploadHandler(FileUploadHandler):
    """Counts the bytes of every file in the request; past `limit` it stops the parse before the chunk is
    handed on to the handlers that write it to memory or disk."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request._body_over_limit = self.limit  # type: ignore[attr-defined]  # our mark on the request
                self._discard_partial_files()
            raise RequestBodyTooLarge(f"the uploaded files passed the request's limit of {self.limit} bytes")
        return raw_data

    def _discard_partial_files(self) -> None:
        # The file being received is held only by the handler writing it; closing a temporary one deletes it.
        for handler in getattr(self.request, "upload_handlers", ()):
            partial = getattr(handler, "file", None)
            if handler is not self and partial is not None:
                partial.close()

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers build the file


class RequestBodyLimitMiddleware:
    """Refuse a body larger than its route's limit (413) before anything reads it; see the module's doc.

    Listed before CsrfViewMiddleware, whose `process_view` parses the body of every POST.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        limit = getattr(request, "_body_over_limit", None)
        # The handler's exception reached Django's handler as a SuspiciousOperation, which answers 400.
        if limit is not None and response.status_code == 400:
            return self._logged(request, request_too_large(request, limit=limit), None, limit)
        return response

    @staticmethod
    def _logged(request: HttpRequest, response: HttpResponse, size: int | None, limit: int) -> HttpResponse:
        # Django would log "<reason>: <path>", and a path can hold a secret (an appeal's tracking token): the
        # line names the view instead.
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None else "(no route)"
        logger.warning("%s: %s (announced %s bytes, limit %s)", response.reason_phrase, view, size, limit)
        response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own flag: do not log it again
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., object],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        limit = request_body_limit(request, view_func)
        size = content_length(request)
        if size > limit:
            return self._logged(request, request_too_large(request, limit=limit, size=size), size, limit)
        if not hasattr(request, "_files"):  # not parsed yet (the usual case): count what the parse reads
            request.upload_handlers.insert(0, BodyLimitUploadHandler(request, limit))
        return None
