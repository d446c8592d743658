"""Redocly's `recommended` ruleset (npm `@redocly/cli`, installed by `scripts/setup.sh --test` into .cache/node)
finds no error in the OpenAPI schema: nullable fields that OAS 3.0 would ignore, a missing `servers` or
`info.license`, an operation that does not say who may call it, each failed it before.

The one rule this project turns from an error to a warning is in redocly.yaml, with its reason."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(settings.BASE_DIR)
REDOCLY = ROOT / ".cache" / "node" / "node_modules" / ".bin" / "redocly"

pytestmark = pytest.mark.django_db


def _lint(schema: dict, tmp_path: Path) -> dict:
    if not shutil.which("node"):
        pytest.skip("Node.js is not installed: Redocly's linter cannot run (scripts/setup.sh --test installs it)")
    assert REDOCLY.exists(), f"{REDOCLY} is missing: run scripts/setup.sh --test (it installs @redocly/cli)"
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema))
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [
            str(REDOCLY),
            "lint",
            "--extends=recommended",
            f"--config={ROOT / 'redocly.yaml'}",
            "--format=json",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        # Offline: no usage report and no look-up of a newer version.
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    start = result.stdout.find("{")
    assert start >= 0, result.stdout + result.stderr
    return json.loads(result.stdout[start:])


def _schema() -> dict:
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_redocly_recommended_finds_no_error_in_the_schema(tmp_path):
    report = _lint(_schema(), tmp_path)

    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert not errors, "\n".join(f"{p['ruleId']}: {p['message']} at {p['location'][0]['pointer']}" for p in errors)
    warnings = [p for p in report["problems"] if p["severity"] == "warn"]
    print(f"Redocly recommended: 0 errors, {len(warnings)} warnings")  # noqa: T201 (the figure, with -s)


def test_staff_only_report_endpoints_do_not_offer_anonymous_access():
    paths = _schema()["paths"]

    for path, method in [
        ("/api/v1/councils/{slug}/reports/", "post"),
        ("/api/v1/reports/{build_id}/", "get"),
        ("/api/v1/reports/{build_id}/publish/", "post"),
        ("/api/v1/reports/{build_id}/retry/", "post"),
    ]:
        security = paths[path][method]["security"]
        assert security and {} not in security, (path, security)
    # A published report is anyone's to download.
    assert {} in paths["/api/v1/reports/{build_id}/download/"]["get"]["security"]
    assert paths["/api/v1/councils/"]["get"]["security"] == [{}]
