"""The OpenAPI schema (/api/schema/) is valid and complete; the documentation page (/api/docs/) works under the
site's Content-Security-Policy with files served by the portal itself."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
STYLE_TAG = re.compile(r"<style\b([^>]*)>", re.I)


def _schema() -> dict:
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_valid_openapi_3():
    schema = _schema()

    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_the_generator_has_no_warnings_or_errors(tmp_path):
    # --fail-on-warn: an endpoint the generator cannot describe fails here, not silently in the docs.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_the_schema_describes_every_api_endpoint():
    paths = set(_schema()["paths"])

    assert {
        "/api/v1/councils/",
        "/api/v1/councils/{slug}/",
        "/api/v1/bodies/",
        "/api/v1/people/",
        "/api/v1/state-bodies/",
        "/api/v1/meetings/",
        "/api/v1/hearings/",
        "/api/v1/monitoring-events/",
        "/api/v1/draft-reviews/",
        "/api/v1/recommendations/",
        "/api/v1/published-reports/",
        "/api/v1/public-comments/",
        "/api/v1/councils/{slug}/stats/",
        "/api/v1/councils/{slug}/appeals/",
        "/api/v1/appeals/track/{number}/",
        "/api/v1/councils/{slug}/reports/",
        "/api/v1/reports/{build_id}/download/",
    } <= paths
    assert not any("appeal" in path and "{id}" in path for path in paths)  # no list or record of appeals


def test_people_in_the_schema_have_no_contact_fields():
    person = _schema()["components"]["schemas"]["Person"]["properties"]

    assert "email" not in person
    assert "phone" not in person


def test_the_docs_page_has_no_inline_script_and_only_local_files():
    response = Client().get("/api/docs/")

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    html = response.content.decode()
    scripts = SCRIPT_TAG.findall(html)
    assert scripts
    for attributes, body in scripts:
        assert "src=" in attributes and not body.strip(), "an inline script: the CSP blocks it"
    nonce = re.search(r"'nonce-([^']+)'", policy)
    for attributes in STYLE_TAG.findall(html):
        assert nonce and f'nonce="{nonce.group(1)}"' in attributes, "an inline style without the response's nonce"
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    for source in sources:
        assert source.startswith("/"), f"{source} is not on this site"
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), f"{source} is not shipped"


def test_the_docs_init_script_is_served_by_the_portal():
    html = Client().get("/api/docs/").content.decode()
    script_url = next(src for src in re.findall(r'<script src="([^"]+)"', html) if "script" in src.split("?")[-1])

    response = Client().get(script_url.replace("&amp;", "&"))
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    assert "/api/schema/" in response.content.decode()
