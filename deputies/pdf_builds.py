"""The deputies app's PDFs (the per-body monitoring report, deputies/report.py, and the national summary,
deputies/national.py) are built by Celery and kept in the cache under the SHA-256 of their HTML.

A request renders only the HTML (queries, no WeasyPrint) to know the key. If the PDF is in the cache it is served;
otherwise the first request for that key asks the worker for a build (one at a time per key, for BUILD_LOCK_SECONDS)
and the page says the document is being prepared. A correction to any figure changes the HTML, hence the key, so a
stale PDF is never served; an unchanged document costs one render a day.

When no build can be asked for — the cache (which holds the claims and the PDFs) or the broker is down — the request
renders the PDF itself rather than promise a document that will never come: slower, but the reader gets it
(SECURITY.md: a Redis outage degrades the portal, it does not take it down). So does a request that finds a build
asked for more than WORKER_LATE_SECONDS ago and not done: the broker took the task but no worker runs it (a build
takes seconds), and the «being prepared» page would otherwise stand until a worker comes back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from time import time as clock

from django.core.cache import cache

from core import pdf

PDF_CONTENT_TYPE = pdf.PDF_CONTENT_TYPE
CACHE_SECONDS = 24 * 60 * 60
BUILD_LOCK_SECONDS = 10 * 60
# A build asked for this long ago and not done has no worker: the next reader's request builds it.
WORKER_LATE_SECONDS = 90


def key_for(kind: str, html: str) -> str:
    return f"deputies-pdf:{kind}:" + hashlib.sha256(html.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PdfSource:
    """A document's HTML as the data now stand, rendered once, and the cache key made from it."""

    key: str
    html: str
    what: str  # for the renderer's log: "the national summary"

    @classmethod
    def of(cls, kind: str, html: str, *, what: str) -> PdfSource:
        return cls(key=key_for(kind, html), html=html, what=what)

    def build(self) -> bytes:
        return store(self.key, self.html, what=self.what)


def cached(key: str) -> bytes | None:
    content: bytes | None = cache.get(key)
    return content


def store(key: str, html: str, *, what: str) -> bytes:
    """Render and keep the PDF (a worker's job, or a request's when no worker can be asked); then free the key's
    build claim. Returns the PDF."""
    content = cached(key)
    if content is None:
        content = pdf.html_to_pdf(html, what=what)
        cache.set(key, content, CACHE_SECONDS)  # with the cache down, a no-op (core.cache)
    release(key)
    return content


def claim(key: str) -> bool:
    """True for the first request asking for this key's build within BUILD_LOCK_SECONDS."""
    return bool(cache.add(key + ":building", clock(), BUILD_LOCK_SECONDS))


def under_way(key: str) -> bool:
    """True while a build of this key was asked for less than WORKER_LATE_SECONDS ago and has not finished (False
    too when the cache is down, and when the worker is late: then the asking request builds it)."""
    asked_at = cache.get(key + ":building")
    if asked_at is None:
        return False
    # A claim written before claims held their time (1) counts as late.
    return clock() - float(asked_at) < WORKER_LATE_SECONDS


def release(key: str) -> None:
    cache.delete(key + ":building")
