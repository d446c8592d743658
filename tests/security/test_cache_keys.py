"""Nobody can fill the page cache by varying a query parameter (review issue 12, finding 7).

Each address is first opened in its canonical form (cached), then in many variants that show the same page or
a corrected one: a page past the last, "abc" or "007" for a page, a year the council has no records of, a
repeated or unknown parameter, a free-text filter, another Accept header. The cache (the project's Redis backend,
on a Redis database of these tests) must hold no more entries afterwards than after the canonical request.
"""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from tests import factories as f
from tests.celery_worker import redis_available

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not redis_available(), reason="Redis is not running (make test starts it)"),
]

# A Redis database per pytest-xdist worker (3 to 12; 14 and 15 are the benchmarks' and the Celery tests'): a test
# that clears the cache empties its whole database (FLUSHDB), which took another worker's entries mid-count.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = f"redis://127.0.0.1:6379/{3 + _WORKER % 10}"


@pytest.fixture
def redis_cache(settings):
    prefix = f"cache-keys-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}
    server = redis.Redis.from_url(REDIS_URL)

    def entries() -> int:
        return sum(1 for _ in server.scan_iter(f"{prefix}:*"))

    yield entries
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


@pytest.fixture
def council(db):
    council = f.CouncilFactory(slug="almaty", code="ALM")
    convocation = f.ConvocationFactory(council=council, number=1, start_date="2019-03-01")
    body = f.BodyFactory(convocation=convocation)
    for _ in range(3):
        f.DraftActReviewFactory(council=council)
    f.MeetingFactory(council=council, body=body)
    return council


def _growth(entries, client: Client, canonical: str | list[str], variants: list[str], **headers) -> int:
    for address in [canonical] if isinstance(canonical, str) else canonical:
        assert client.get(address, **headers).status_code == 200
        assert client.get(address, **headers).status_code == 200  # cached by now
    before = entries()
    for address in variants:
        assert client.get(address, **headers).status_code < 500, address
    return entries() - before


PAGE_VARIANTS = ["?page=99999", "?page=4242", "?page=abc", "?page=007", "?page=0", "?page=2&page=3", "?utm=1"]


def test_page_numbers_past_the_last_or_malformed_add_no_cache_entry(redis_cache, council):
    base = "/ru/councils/almaty/draft-reviews/"

    growth = _growth(redis_cache, Client(), base, [base + q for q in PAGE_VARIANTS])

    assert growth == 0


def test_the_council_list_cannot_be_filled_through_its_parameters(redis_cache, council):
    base = "/ru/councils/"
    variants = [base + q for q in PAGE_VARIANTS] + [f"{base}?q={uuid.uuid4().hex}" for _ in range(5)]
    variants += [f"{base}?kind={uuid.uuid4().hex}", f"{base}?place={uuid.uuid4().hex}"]

    assert _growth(redis_cache, Client(), base, variants) == 0


def test_years_without_records_and_malformed_years_add_no_cache_entry(redis_cache, council):
    base = "/ru/councils/almaty/meetings/"
    variants = [f"{base}?year={year}" for year in (2001, 2005, 2010, 2015)] + [
        f"{base}?year=abcd",
        f"{base}?year=02019",
        f"{base}?year=%202019",
        f"{base}?page=7",  # a parameter the page does not read
    ]

    # " 2019" is the page of 2019 (a key that ?year=2019 makes anyway), not one of its own.
    assert _growth(redis_cache, Client(), [base, f"{base}?year=2019"], variants) == 0


def test_free_text_filters_of_the_tracker_add_no_cache_entry(redis_cache, council):
    base = "/ru/councils/almaty/recommendations/"
    variants = [f"{base}?body={uuid.uuid4().hex}" for _ in range(5)]
    variants += [f"{base}?source=hearing:{n}" for n in range(5)] + [f"{base}?status={uuid.uuid4().hex}"]

    assert _growth(redis_cache, Client(), base, variants) == 0


def test_the_open_api_cache_keys_on_normalised_parameters(redis_cache, council):
    base = "/api/v1/draft-reviews/"
    variants = [base + q for q in ("?page=007", "?page=99999", "?page_size=9999", "?page_size=050", "?utm=1")]
    variants += [f"{base}?council={uuid.uuid4().hex}" for _ in range(5)]  # an unknown slug: an empty list
    variants += [f"{base}?year=02019", f"{base}?page=1&page=2"]

    assert _growth(redis_cache, Client(), [base, f"{base}?year=2019"], variants) == 0


def test_the_open_api_keys_on_the_format_not_the_accept_header(redis_cache, council):
    base = "/api/v1/draft-reviews/"
    client = Client()
    client.get(base, HTTP_ACCEPT="application/json")
    before = redis_cache()

    for n in range(5):
        assert client.get(base, HTTP_ACCEPT=f"application/json, text/x-{n};q=0.1").status_code == 200

    assert redis_cache() == before


def test_canonical_addresses_are_still_cached(redis_cache, council, django_assert_num_queries):
    client = Client()
    for address in ("/ru/councils/", "/ru/councils/?page=1", "/api/v1/draft-reviews/?page_size=2&page=2"):
        client.get(address)
        with django_assert_num_queries(0):  # served from the cache
            assert client.get(address).status_code == 200
    cache.clear()
