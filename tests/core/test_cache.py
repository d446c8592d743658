"""The production cache backend (Redis, one client per connection pool) behaves as Django's: what one web
process counts, another sees, so the appeal rate limits hold across gunicorn workers and threads."""

from __future__ import annotations

import threading
import uuid

import pytest

from core.cache import RedisCache
from tests.celery_worker import REDIS_URL, redis_available

pytestmark = pytest.mark.skipif(not redis_available(), reason="Redis is not running (make test starts it)")


def _backend(prefix: str) -> RedisCache:
    return RedisCache(REDIS_URL, {"KEY_PREFIX": prefix, "TIMEOUT": 60})


def test_two_processes_share_counts_and_values():
    prefix = uuid.uuid4().hex
    web1, web2 = _backend(prefix), _backend(prefix)
    assert web1.add("limit", 0) is True
    assert web2.add("limit", 0) is False  # already there: the other worker's count is kept
    assert [web1.incr("limit"), web2.incr("limit"), web1.incr("limit")] == [1, 2, 3]
    web2.set("version", {"council": 7})
    assert web1.get("version") == {"council": 7}
    web1.delete("version")
    assert web2.get("version", "gone") == "gone"


def test_threads_sharing_one_backend_lose_no_increment():
    backend = _backend(uuid.uuid4().hex)
    backend.add("hits", 0)

    def hit() -> None:
        for _ in range(200):
            backend.incr("hits")

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert backend.get("hits") == 1600
