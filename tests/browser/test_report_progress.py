"""The workspace's reports page follows a queued build by itself: when the build finishes, its row says so and
offers the file, without the secretary reloading the page (static/js/report-builds.js)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone, translation

from reports.models import BuildStatus, ReportFormat
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "not-a-real-password"  # the personas' password (tests/conftest.py)


def test_reports_page_shows_a_queued_build_turn_done_with_its_file_without_a_reload(personas, page):
    build = f.ReportBuildFactory(council=personas.council, status=BuildStatus.QUEUED, format=ReportFormat.PDF)
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", "secretary")
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow-form button[type=submit]")
    page.wait_for_load_state()
    page.goto("/ru/workspace/almaty/reports/")
    row = page.locator(f"#build-{build.pk}")
    with translation.override("ru"):
        queued, done = str(BuildStatus.QUEUED.label), str(BuildStatus.DONE.label)
    assert row.locator(".status").inner_text() == queued
    page_loads = []
    page.on("load", lambda: page_loads.append(1))

    # The worker finishes the build (as reports.tasks would); the page is not reloaded.
    build.status, build.finished_at = BuildStatus.DONE, timezone.now()
    build.save(update_fields=["status", "finished_at"])

    row.locator(".status", has_text=done).wait_for()
    link = row.locator("a.build-download")
    assert link.inner_text() == "Скачать PDF"
    assert re.search(rf"/{build.pk}/", link.get_attribute("href"))
    assert row.locator(".build-waiting").count() == 0
    assert page_loads == []
