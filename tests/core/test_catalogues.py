"""A missing translation catalogue is an error everywhere it matters, never a silent fallback to English."""

from __future__ import annotations

import pytest
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from core.checks import CatalogueMissing, check_catalogues
from reports.rendering import render_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_catalogues(settings, tmp_path):
    """A deployment that forgot compilemessages: the locale directory holds no compiled catalogue."""
    settings.LOCALE_PATHS = [tmp_path]


def test_compiled_catalogues_pass_the_check():
    assert [m for m in check_catalogues() if isinstance(m, Error)] == []


def test_missing_catalogue_is_a_startup_error_naming_the_language(no_catalogues):
    errors = [m for m in check_catalogues() if isinstance(m, Error)]

    assert {e.id for e in errors} == {"core.E001"}
    assert any("'ru'" in e.msg for e in errors) and any("'kk'" in e.msg for e in errors)
    with pytest.raises(SystemCheckError, match="compilemessages"):
        call_command("check")


def test_missing_catalogue_fails_healthz_with_the_reason(no_catalogues):
    response = Client().get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert "'ru'" in body["checks"]["translations"] and "compilemessages" in body["checks"]["translations"]


def test_a_catalogue_of_another_project_does_not_count(settings, tmp_path):
    """A .mo that does not translate this project's messages (an empty or foreign one) is as bad as none."""
    import subprocess

    for code in ("ru", "kk"):
        folder = tmp_path / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "django.po").write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n')
        subprocess.run(["msgfmt", "-o", folder / "django.mo", folder / "django.po"], check=True)  # noqa: S603,S607
    settings.LOCALE_PATHS = [tmp_path]

    assert any("does not translate" in m.msg for m in check_catalogues())


def test_report_build_fails_rather_than_print_in_english(no_catalogues, personas):
    with pytest.raises(CatalogueMissing, match="'ru'"):
        render_html(council=personas.council, year=2019, language="ru")
    # English is the source language: it needs no catalogue.
    assert "<html" in render_html(council=personas.council, year=2019, language="en")
