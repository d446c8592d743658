"""The open API's response cache: a repeated request costs no query; an edit shows when the entry expires."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from monitoring.models import Recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.OPEN_API_CACHE_SECONDS = 60


def test_a_repeated_request_is_served_from_the_cache_without_queries(world, cached):
    first = Client().get("/api/v1/recommendations/", {"council": "almaty"})
    with CaptureQueriesContext(connection) as captured:
        again = Client().get("/api/v1/recommendations/", {"council": "almaty"})

    assert len(captured.captured_queries) == 0
    assert again.status_code == 200
    assert again.content == first.content
    for header in ("Content-Type", "ETag", "Cache-Control", "Vary"):
        assert again[header] == first[header]


def test_the_cached_answer_honours_if_none_match(world, cached):
    etag = Client().get("/api/v1/recommendations/")["ETag"]

    assert Client().get("/api/v1/recommendations/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_json_and_csv_are_cached_apart(world, cached):
    json_body = Client().get("/api/v1/meetings/").content
    csv_response = Client().get("/api/v1/meetings/", {"format": "csv"})
    accept_csv = Client().get("/api/v1/meetings/", HTTP_ACCEPT="text/csv")

    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert accept_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert Client().get("/api/v1/meetings/").content == json_body


def test_an_edit_shows_when_the_entry_expires(world, cached):
    before = Client().get("/api/v1/recommendations/").json()
    Recommendation.objects.filter(council=world.council).update(text="Новый текст")

    assert Client().get("/api/v1/recommendations/").json() == before  # within the minute
    cache.clear()  # the minute has passed
    assert {r["text"] for r in Client().get("/api/v1/recommendations/").json()["results"]} == {"Новый текст"}


def test_errors_are_not_cached(world, cached):
    assert Client().get("/api/v1/recommendations/", {"year": "abc"}).status_code == 400
    assert Client().get("/api/v1/recommendations/999999/").status_code == 404

    assert not [key for key in cache._cache if "open-api" in key]  # the tests' in-process cache
    Client().get("/api/v1/recommendations/")
    assert [key for key in cache._cache if "open-api" in key]
