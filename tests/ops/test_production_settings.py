"""Production settings: no secret has a default, `check --deploy` is clean, and the security headers and the
Content-Security-Policy are on every page (in every mode, so the whole test suite runs under them)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "oversight.example.kz",
    "SITE_URL": "https://oversight.example.kz",
    # Named in the privacy notice; `check --deploy` warns while they are unset (privacy/checks.py).
    "OVERSIGHT_OPERATOR_NAME": "ОФ «Открытые советы»",
    "OVERSIGHT_OPERATOR_ADDRESS": "Алматы, пр. Абая, 1",
    "OVERSIGHT_OPERATOR_EMAIL": "privacy@oversight.example.kz",
    "OVERSIGHT_DATA_LOCATION": "дата-центр в Алматы, Казахстан",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Only this test's settings: none of the caller's DJANGO_*, SENTRY_* or SITE_URL may fill a gap.
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_")) and k != "SITE_URL"}
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_finds_no_issue_with_the_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_required_setting(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {missing} must be set when DJANGO_DEBUG is off" in result.stderr


def test_an_empty_secret_key_counts_as_missing():
    result = manage("check", env={**PRODUCTION, "DJANGO_SECRET_KEY": ""})

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_mode_still_starts_with_nothing_set():
    result = manage("check", env={})

    assert result.returncode == 0, result.stderr


def test_an_unknown_log_format_is_refused():
    result = manage("check", env={**PRODUCTION, "DJANGO_LOG_FORMAT": "xml"})

    assert result.returncode != 0
    assert "DJANGO_LOG_FORMAT must be json or plain" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/ru/", "/ru/councils/", "/en/accounts/login/", "/healthz"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/ru/", "/ru/councils/", "/en/accounts/login/"])
def test_pages_carry_a_strict_content_security_policy(client, path):
    response = client.get(path)

    directives = dict(
        (part.split()[0], " ".join(part.split()[1:])) for part in response["Content-Security-Policy"].split(";")
    )
    assert directives == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",  # no nonce unless the page asks for one
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }


def test_staff_sessions_end_with_the_working_day_or_the_browser(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


# Templates never served as a web page: the HTML of PDFs (WeasyPrint reads their inline style) and mail.
NOT_SERVED = (
    "reports/annual/",
    "hearings/minutes/",
    "appeals/email/",
    "deputies/report.html",
    "deputies/national.html",
)
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.I), "a <style> block without the CSP nonce"),
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on...= event handler attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def served_templates() -> list[str]:
    base = ROOT / "templates"
    names = sorted(str(p.relative_to(base)) for p in base.rglob("*.html"))
    return [n for n in names if not n.startswith(NOT_SERVED)]


@pytest.mark.parametrize("name", served_templates())
def test_template_has_nothing_the_content_security_policy_blocks(name):
    text = (ROOT / "templates" / name).read_text(encoding="utf-8")

    found = [what for pattern, what in INLINE if pattern.search(text)]

    assert found == [], f"templates/{name} has {', '.join(found)}"
