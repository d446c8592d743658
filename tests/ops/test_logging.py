"""Log lines: JSON in production with time, level, logger, message and the request id; plain otherwise."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.logging import JsonFormatter, RequestIdFilter, request_id_var

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _outside_a_request():
    # The request id lives in a context variable that request_finished clears; a test earlier in this worker whose
    # streamed response was never read to its end (a CSV download checked by its headers) leaves it set.
    token = request_id_var.set("")
    yield
    request_id_var.reset(token)


def record(message: str = "hello %s", *args, **extra) -> logging.LogRecord:
    rec = logging.LogRecord("oversight.test", logging.WARNING, __file__, 1, message, args or ("world",), None)
    for key, value in extra.items():
        setattr(rec, key, value)
    return rec


def test_json_line_has_time_level_logger_and_message():
    line = json.loads(JsonFormatter().format(record()))

    assert line["level"] == "WARNING"
    assert line["logger"] == "oversight.test"
    assert line["message"] == "hello world"
    assert line["time"].endswith("+00:00")
    assert "request_id" not in line  # outside a request


def test_json_line_outside_a_request_has_no_empty_request_id():
    rec = record()
    RequestIdFilter().filter(rec)

    assert "request_id" not in json.loads(JsonFormatter().format(rec))


def test_json_line_carries_the_request_id_and_extra_fields():
    token = request_id_var.set("abc123")
    try:
        rec = record(status_code=503)
        RequestIdFilter().filter(rec)
        line = json.loads(JsonFormatter().format(rec))
    finally:
        request_id_var.reset(token)

    assert line["request_id"] == "abc123"
    assert line["status_code"] == 503


def test_json_line_keeps_an_exception_on_one_line():
    try:
        raise ValueError("Ошибка")
    except ValueError:
        rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())

    text = JsonFormatter().format(rec)

    assert "\n" not in text
    assert "ValueError: Ошибка" in json.loads(text)["exc_info"]


def test_a_value_json_cannot_hold_does_not_lose_the_line():
    line = json.loads(JsonFormatter().format(record(request=object())))

    assert line["request"].startswith("<object object")


@pytest.mark.django_db
def test_each_response_names_its_request_id_and_the_logs_inside_carry_it(client):
    seen: list[str] = []

    def inside_the_request(*args, **kwargs):
        seen.append(request_id_var.get())

    from django.test.signals import template_rendered  # any signal sent while the view runs would do

    template_rendered.connect(inside_the_request)
    try:
        page = client.get("/ru/")
    finally:
        template_rendered.disconnect(inside_the_request)

    assert len(page["X-Request-ID"]) == 32
    assert seen and set(seen) == {page["X-Request-ID"]}
    assert client.get("/ru/")["X-Request-ID"] != page["X-Request-ID"]


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_when_it_is_sane(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="req-42.a").get("X-Request-ID") == "req-42.a"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x\n{"level": "INFO"}')["X-Request-ID"]
    assert len(forged) == 32 and "\n" not in forged


def configured_handler_formatter(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    code = "from django.conf import settings; print(settings.LOGGING['handlers']['console']['formatter'])"
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.heavy
def test_production_logs_json_and_debug_logs_plain_text():
    production = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "example.kz"}

    assert configured_handler_formatter(production) == "json"
    assert configured_handler_formatter({**production, "DJANGO_LOG_FORMAT": "plain"}) == "plain"
    assert configured_handler_formatter({}) == "plain"


def test_sentry_is_optional():
    # With a DSN but without sentry-sdk installed the settings still load (a warning says errors are not sent).
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "example.kz",
        "SENTRY_DSN": "https://public@sentry.example.kz/1",
    }
    assert configured_handler_formatter(production) == "json"
