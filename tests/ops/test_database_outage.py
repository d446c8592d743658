"""The database refuses connections for a while: pages answer a friendly 503, and the portal recovers by itself."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

FRIENDLY = "The portal is temporarily unavailable"


@contextmanager
def database_refusing_connections() -> Iterator[None]:
    """Point the default connection at a port nothing listens on, as when PostgreSQL restarts."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (a network database that can refuse connections)")
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port


def test_page_answers_friendly_503_while_the_database_refuses_then_200(personas, client):
    with database_refusing_connections():
        response = client.get("/en/")

    assert response.status_code == 503
    html = response.content.decode()
    assert FRIENDLY in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    # Back: the next request opens a new connection by itself.
    assert client.get("/en/").status_code == 200


def test_friendly_page_is_in_the_visitors_language(personas, client):
    with database_refusing_connections():
        response = client.get("/ru/")

    assert response.status_code == 503
    assert '<html lang="ru">' in response.content.decode()


def test_friendly_page_styles_pass_the_content_security_policy(personas, client):
    with database_refusing_connections():
        response = client.get("/en/")

    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode()).group(1)
    assert f"style-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_outage_is_logged_once_per_request_without_a_traceback(personas, client, caplog):
    caplog.set_level(logging.INFO)

    with database_refusing_connections():
        client.get("/en/councils/")

    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert errors[0].name == "core.middleware"
    assert "database unavailable: GET reports:councils answered 503" in errors[0].getMessage()
    assert errors[0].exc_info is None


def test_health_reports_the_database_while_it_refuses(personas, client):
    with database_refusing_connections():
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error: OperationalError"
    assert client.get("/healthz").status_code == 200


class QueryFirstMiddleware:
    """Stands for a middleware that reads the database before the view (Django makes its error a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return self.get_response(request)


def test_failure_inside_another_middleware_also_gives_the_friendly_503(personas, client, settings):
    at = settings.MIDDLEWARE.index("core.middleware.DatabaseUnavailableMiddleware") + 1
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:at], f"{__name__}.QueryFirstMiddleware", *settings.MIDDLEWARE[at:]]
    client.raise_request_exception = False  # Django logged it; the client must not re-raise it either

    with database_refusing_connections():
        response = client.get("/en/")

    assert response.status_code == 503
    assert FRIENDLY in response.content.decode()
    assert client.get("/en/").status_code == 200


def test_other_errors_are_left_to_the_500_handler(rf):
    from django.db.utils import IntegrityError, OperationalError

    from core.middleware import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = rf.get("/en/")

    assert middleware.process_exception(request, ValueError("a bug")) is None
    assert middleware.process_exception(request, IntegrityError("a constraint")) is None
    assert middleware.process_exception(request, OperationalError("gone")).status_code == 503
