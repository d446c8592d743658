"""GET /healthz: database, cache and broker; 200 when all answer, 503 naming the one that does not."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db

DEAD_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_healthy_portal_answers_200_with_every_check_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok", "translations": "ok"},
        "outbox": {"failed": 0},
    }


def test_health_needs_no_language_prefix_and_no_sign_in(client):
    response = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="kk")

    assert response.status_code == 200
    assert client.get("/ru/healthz").status_code == 404


def test_health_answer_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_database_down_gives_503_naming_the_database_without_a_traceback(client):
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "error: OperationalError"
    assert body["checks"]["cache"] == "ok"
    assert "Traceback" not in response.content.decode()
    assert "connection refused" not in response.content.decode()  # details go to the log, not to the public


def test_cache_that_loses_writes_gives_503(client):
    with mock.patch("core.health.cache.get", return_value=None):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error: RuntimeError"


def test_unreachable_broker_gives_503_quickly(client, settings):
    settings.CELERY_BROKER_URL = DEAD_BROKER_URL

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error: ")
    assert response.json()["checks"]["database"] == "ok"


def test_in_process_broker_counts_as_healthy(client, settings):
    settings.CELERY_BROKER_URL = "memory://"

    assert client.get("/healthz").json()["checks"]["broker"] == "ok"


def test_reachable_redis_broker_is_healthy(client, settings):
    from tests.celery_worker import REDIS_URL, redis_available

    if not redis_available():
        pytest.skip("Redis is not running")
    settings.CELERY_BROKER_URL = REDIS_URL

    assert client.get("/healthz").json()["checks"]["broker"] == "ok"


def test_health_is_not_redirected_to_https_in_production(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

    client = Client()  # a new client loads the middleware with these settings

    assert client.get("/healthz").status_code == 200
    assert client.get("/ru/").status_code == 301


def test_healthcheck_command_exits_non_zero_when_a_check_fails(settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("healthcheck")
    settings.CELERY_BROKER_URL = DEAD_BROKER_URL
    with pytest.raises(CommandError, match="broker"):
        call_command("healthcheck")
