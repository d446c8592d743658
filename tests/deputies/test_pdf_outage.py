"""The deputies' PDFs while their build cannot be handed to a worker: the broker refuses the task, or the cache that
holds the build claims and the built files is down (a Redis outage takes both). The reader gets the document, built
in the request, instead of a «being prepared» page that no worker will ever end (deputies/pdf_builds.py)."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pikepdf
import pytest
from django.core.cache import cache
from django.test import Client

from core import cache as core_cache
from core import pdf
from deputies import pdf_builds, tasks

from .test_pages import _published

DEAD_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _refused(*args):
    raise ConnectionRefusedError("the broker is down")


@pytest.fixture
def renders(monkeypatch):
    made = []
    real = pdf.html_to_pdf

    def counting(html, **kwargs):
        made.append(1)
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", counting)
    return made


@pytest.fixture
def cache_down(settings):
    getattr(core_cache, "_breakers", {}).clear()
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": DEAD_REDIS_URL}}
    yield
    getattr(core_cache, "_breakers", {}).clear()


def _is_pdf(response, language: str) -> None:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(response.content)) as document:
        assert str(document.Root.Lang) == language


def test_the_broker_refusing_the_build_the_request_builds_and_the_next_reader_has_it_from_the_cache(
    dw, monkeypatch, renders
):
    cache.clear()
    _published(dw)
    monkeypatch.setattr(tasks, "build_national_summary", SimpleNamespace(delay=_refused))
    first = Client().get("/kk/deputies/national/2024.pdf")
    _is_pdf(first, "kk")
    second = Client().get("/kk/deputies/national/2024.pdf")
    assert second.content == first.content and len(renders) == 1  # kept: built once


def test_a_refused_body_report_is_built_in_the_request(dw, monkeypatch, renders):
    cache.clear()
    monkeypatch.setattr(tasks, "build_body_report", SimpleNamespace(delay=_refused))
    _is_pdf(Client().get(f"/en/deputies/bodies/{dw.body.slug}/report/2024.pdf"), "en")
    assert len(renders) == 1


def test_with_the_cache_down_both_pdfs_are_served_not_promised(dw, monkeypatch, cache_down, renders):
    asked = []
    monkeypatch.setattr(tasks, "build_national_summary", SimpleNamespace(delay=lambda *a: asked.append(a)))
    monkeypatch.setattr(tasks, "build_body_report", SimpleNamespace(delay=lambda *a: asked.append(a)))
    _is_pdf(Client().get("/ru/deputies/national/2024.pdf"), "ru")
    _is_pdf(Client().get(f"/ru/deputies/bodies/{dw.body.slug}/report/2024.pdf"), "ru")
    # No claim could be held, so no worker was asked for a build whose file it could not keep.
    assert asked == [] and len(renders) == 2


def test_with_no_worker_the_reader_waits_a_build_s_time_not_for_ever(dw, monkeypatch, renders):
    """The broker takes the task and no worker runs it: the page says «being prepared» while a build could still
    come, and a reader who asks again later gets the document, built in the request (tried by hand: Redis up,
    no worker, the body report answered 202 for as long as one waited)."""
    cache.clear()
    asked = []
    monkeypatch.setattr(tasks, "build_body_report", SimpleNamespace(delay=lambda *a: asked.append(a)))
    url = f"/ru/deputies/bodies/{dw.body.slug}/report/2024.pdf"
    now = [1_000_000.0]
    monkeypatch.setattr(pdf_builds, "clock", lambda: now[0])

    first = Client().get(url)
    assert first.status_code == 202 and len(asked) == 1 and not renders
    now[0] += 30
    assert Client().get(url).status_code == 202  # a worker may still be at it
    now[0] += pdf_builds.WORKER_LATE_SECONDS
    _is_pdf(Client().get(url), "ru")
    assert len(asked) == 1 and len(renders) == 1  # not asked again: built here, and kept
    _is_pdf(Client().get(url), "ru")
    assert len(renders) == 1
