"""A Redis outage degrades the portal, it does not take it down (SECURITY.md: appeals are accepted while Redis is
down).

docker-compose puts the Celery broker and the cache on one Redis, so an outage loses both at once. Here the cache
(the project's own backend, core.cache.RedisCache) and the broker point at a closed port, with tasks handed to
the broker for real (not eager): every public page and API answer renders, uncached; an appeal posted through
the form or the JSON API is saved with its mail waiting in the outbox; staff can sign in; /healthz says 503 and
names the cache and the broker.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.test import Client

from appeals.models import Appeal
from core import cache as core_cache
from core.outbox import OutboxMessage, OutboxStatus
from tests.celery_worker import DEAD_BROKER_URL, use_broker, use_eager
from tests.test_privacy import PATTERNS, _addresses, world  # noqa: F401 - `world` is a fixture

from ..appeals.conftest import appeal_form_data

pytestmark = pytest.mark.django_db

DEAD_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings):
    """The cache and the broker on a closed port; tasks go to the broker (not eager), as in production."""
    getattr(core_cache, "_breakers", {}).clear()  # each test starts a fresh outage (and logs it)
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": DEAD_REDIS_URL}}
    settings.CELERY_BROKER_URL = DEAD_BROKER_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    use_broker(DEAD_BROKER_URL)
    yield
    use_eager()
    getattr(core_cache, "_breakers", {}).clear()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.mark.heavy
def test_every_public_address_answers_while_redis_is_down(world, redis_down):  # noqa: F811
    # One walk over the URL map of tests/test_privacy.py (every public page in every language, every open-API
    # address as JSON and CSV, with their query strings), on one set of records; every failure is listed.
    client = Client()
    failures = []
    for entry in PATTERNS:
        for path, query in _addresses(world, entry):
            status = client.get(path, query).status_code
            if entry.name == "healthz":  # its job is to say so (below)
                if status != 503:
                    failures.append(f"{path}?{query} answered {status}, not 503")
            # As with Redis up: 200, a redirect, 304, 404, or the 4xx of a POST-only address or a bad parameter.
            elif status >= 500:
                failures.append(f"{path}?{query} answered {status}")
    assert not failures, "\n".join(failures)
    assert len(PATTERNS) > 40  # the walk found the public surface


def test_the_appeal_form_accepts_an_appeal_while_redis_is_down(personas, redis_down, on_commit):
    client = Client()
    response = client.get("/ru/councils/almaty/appeals/new/")
    assert response.status_code == 200

    with on_commit(execute=True):  # the hand-over to the broker runs, and fails
        response = client.post("/ru/councils/almaty/appeals/new/", appeal_form_data())

    assert response.status_code == 302  # to the tracking page, with the appeal's number
    appeal = Appeal.objects.get()
    assert appeal.subject == "Вырубка деревьев в парке"
    # The acknowledgement mail waits in the outbox for the broker to come back (outbox_flush).
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    assert message.kwargs["appeal_id"] == appeal.pk


def test_the_json_api_accepts_an_appeal_while_redis_is_down(personas, redis_down, on_commit):
    payload = {
        "applicant_type": "individual",
        "name": "Иванов Иван",
        "email": "ivanov@example.kz",
        "category": "ecology",
        "subject": "Свалка у реки",
        "text": "На берегу реки Есентай устроили свалку строительного мусора.",
        "personal_data_consent": True,
    }

    with on_commit(execute=True):
        response = Client().post("/api/v1/councils/almaty/appeals/", payload, content_type="application/json")

    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get(number=response.json()["number"])
    assert OutboxMessage.objects.get(kwargs__appeal_id=appeal.pk).status == OutboxStatus.PENDING


def test_every_appeal_of_a_stream_is_kept_while_redis_is_down(personas, redis_down, on_commit, settings):
    """Rate limits fail open during the outage (core/ratelimit.py): more appeals than the limits allow are all
    accepted, none lost."""
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_RATE_PER_IP": "2/h", "APPEAL_RATE_PER_EMAIL": "2/h"}
    client = Client()
    for n in range(6):
        with on_commit(execute=True):
            response = client.post(
                "/ru/councils/almaty/appeals/new/",
                appeal_form_data(subject=f"Обращение {n}", submission_key=f"{n:032d}"),
            )
        assert response.status_code == 302
    assert Appeal.objects.count() == 6
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 6


def test_staff_can_sign_in_while_redis_is_down(personas, redis_down):
    client = Client()

    response = client.post("/ru/accounts/login/", {"username": "secretary", "password": "not-a-real-password"})

    assert response.status_code == 302
    assert "/workspace/" in response["Location"]  # signed in, not sent back to the form
    assert client.get(response["Location"], follow=True).status_code == 200


def test_health_answers_503_naming_the_cache_and_the_broker(client, redis_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["cache"].startswith("error: ")
    assert checks["broker"].startswith("error: ")


def test_an_outage_is_logged_once_not_per_request(personas, redis_down, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            assert client.get("/ru/councils/almaty/").status_code == 200
            client.post("/ru/councils/almaty/appeals/new/", appeal_form_data())

    cache_warnings = [r for r in caplog.records if r.name == "core.cache"]
    limit_warnings = [r for r in caplog.records if r.name == "core.ratelimit"]
    assert len(cache_warnings) == 1, [r.getMessage() for r in cache_warnings]
    assert "unavailable" in cache_warnings[0].getMessage()
    assert len(limit_warnings) == 1, [r.getMessage() for r in limit_warnings]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_the_cache_is_used_again_when_redis_comes_back(monkeypatch, caplog):
    """No restart after an outage: the next try after the pause reaches Redis, and the return is logged."""
    monkeypatch.setattr(core_cache, "RETRY_SECONDS", 0)  # try again at once rather than after 5 s
    port = _free_port()
    backend = core_cache.RedisCache(f"redis://127.0.0.1:{port}/0", {"KEY_PREFIX": "outage-test"})
    backend.breaker = core_cache.Breaker(f"redis://127.0.0.1:{port}/0")  # this test's own outage

    backend.set("page", "rendered")  # nothing listens: lost
    assert backend.get("page") is None

    server = subprocess.Popen(  # noqa: S603 - a Redis of the test's own, without persistence
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        with redis.Redis(port=port, socket_connect_timeout=1) as probe:
            for _ in range(100):
                try:
                    probe.ping()
                    break
                except redis.ConnectionError:
                    time.sleep(0.05)
        with caplog.at_level(logging.WARNING, logger="core.cache"):
            backend.set("page", "rendered")
            assert backend.get("page") == "rendered"
        assert backend.breaker.down_since is None
        assert any("available again" in r.getMessage() for r in caplog.records)
    finally:
        server.terminate()
        server.wait(timeout=10)
