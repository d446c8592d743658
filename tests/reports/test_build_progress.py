"""The annual report's build shows its progress: the reports page marks a queued or running build for the page's
script to poll, and a small JSON status says queued, running, done (with the file's link) or failed."""

from __future__ import annotations

import pytest

from reports.models import BuildStatus, ReportFormat
from tests import factories as f

pytestmark = pytest.mark.django_db


def _status_url(build) -> str:
    return f"/ru/workspace/{build.council.slug}/reports/{build.pk}/status.json"


def test_status_of_a_queued_build_says_queued_and_asks_to_keep_polling(personas):
    build = f.ReportBuildFactory(council=personas.council, status=BuildStatus.QUEUED)

    response = personas.client_for(personas.member).get(_status_url(build))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "id": build.pk,
        "status": "queued",
        "label": "В очереди",
        "pending": True,
        "download_url": None,
        "download_label": "",
        "error": "",
    }


def test_status_of_a_finished_build_gives_the_file_link(personas):
    build = f.ReportBuildFactory(council=personas.council, status=BuildStatus.DONE, format=ReportFormat.PDF)

    state = personas.client_for(personas.secretary).get(_status_url(build)).json()

    assert state["status"] == "done" and state["pending"] is False
    assert state["download_url"].endswith(f"/{build.pk}/download/") or str(build.pk) in state["download_url"]
    assert state["download_label"] == "Скачать PDF"


def test_status_of_a_failed_build_says_why(personas):
    build = f.ReportBuildFactory(council=personas.council, status=BuildStatus.FAILED, error="WeasyPrint: no fonts")

    state = personas.client_for(personas.secretary).get(_status_url(build)).json()

    assert (state["status"], state["pending"], state["error"]) == ("failed", False, "WeasyPrint: no fonts")


def test_status_of_another_councils_build_is_not_found(personas):
    build = f.ReportBuildFactory(council=personas.other_council, status=BuildStatus.QUEUED)

    mine = personas.client_for(personas.secretary).get(f"/ru/workspace/almaty/reports/{build.pk}/status.json")
    theirs_without_access = personas.client_for(personas.secretary).get(_status_url(build))

    assert mine.status_code == 404
    assert theirs_without_access.status_code == 404


def test_reports_page_marks_pending_builds_for_polling_and_loads_the_script(personas):
    queued = f.ReportBuildFactory(council=personas.council, status=BuildStatus.QUEUED)
    done = f.ReportBuildFactory(council=personas.council, status=BuildStatus.DONE)

    html = personas.client_for(personas.secretary).get("/ru/workspace/almaty/reports/").content.decode()

    assert f'data-build-status="queued" data-status-url="{_status_url(queued)}"' in html
    assert f'data-build-status="done" data-status-url="{_status_url(done)}"' in html
    assert "/static/js/report-builds.js" in html
    assert "страница обновится сама" in html
