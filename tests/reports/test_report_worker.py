"""The report build on a real Celery worker and Redis: requested through the API, built by the worker, downloaded;
a failing build records its error; a request made while the broker is down is built once it is back; a worker
killed mid-build leaves nothing stuck."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import time

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import include, path
from django.utils import timezone
from pypdf import PdfReader

from config import urls as project_urls
from core.outbox import OutboxMessage
from reports.models import BuildStatus, ReportBuild
from reports.services import report_build_dispatch, report_build_sweep_stale
from tests.celery_worker import (
    DEAD_BROKER_URL,
    REDIS_URL,
    celery_worker,
    redis_available,
    use_broker,
    use_eager,
    wait_for,
)
from tests.reports.yeardata import make_council_year

urlpatterns = [*project_urls.urlpatterns, path("api/v1/", include("reports.report_api"))]

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls(__name__),
    pytest.mark.skipif(not redis_available(), reason="Redis is not running (make test starts it)"),
]


def worker_env() -> dict[str, str]:
    # The worker stores files where this process reads them; WeasyPrint's progress lines would fill its pipe.
    return {"DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT), "DJANGO_LOG_LEVEL": "WARNING"}


@pytest.fixture
def worker():
    with celery_worker(env=worker_env()) as proc:
        use_broker(REDIS_URL, queue=proc.args[proc.args.index("-Q") + 1])
        yield proc
    use_eager()


def status_of(build_id: int) -> str:
    return ReportBuild.objects.values_list("status", flat=True).get(pk=build_id)


def watch(build_id: int, *, timeout: float = 90) -> list[str]:
    """The statuses the build passes through, polled until it is done or failed."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = status_of(build_id)
        if not seen or seen[-1] != current:
            seen.append(current)
        if current in (BuildStatus.DONE, BuildStatus.FAILED):
            return seen
        time.sleep(0.05)
    raise AssertionError(f"build {build_id} still {seen[-1]} after {timeout}s: {seen}")


def test_a_build_requested_through_the_api_is_built_by_the_worker(personas, worker):
    make_council_year(personas.council)  # a full year: the build runs long enough to be seen running
    client = personas.client_for(personas.secretary)
    response = client.post("/api/v1/councils/almaty/reports/", {"year": 2019}, content_type="application/json")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"

    # The worker may claim the build before the first look: "queued" is then already behind it.
    assert watch(body["id"]) in (["queued", "running", "done"], ["running", "done"])
    status = client.get(body["url"]).json()
    assert status["status"] == "done" and status["content_hash"]
    download = client.get(status["download_url"])
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(content)).pages) > 5


def test_a_failing_build_records_its_error_on_the_worker(personas, worker):
    # A record the renderer cannot draw (no year 0 in the calendar) stands for any failure in a build.
    with transaction.atomic():
        build = ReportBuild.objects.create(council=personas.council, year=0, requested_by=personas.secretary)
        transaction.on_commit(lambda: report_build_dispatch(build_id=build.pk))
    assert watch(build.pk)[-1] == "failed"
    build.refresh_from_db()
    assert "ValueError" in build.error and "year 0 is out of range" in build.error
    assert build.finished_at is not None
    assert personas.client_for(personas.secretary).get(f"/api/v1/reports/{build.pk}/").json()["error"]


def test_a_build_requested_while_the_broker_is_down_is_built_when_it_is_back(personas):
    use_broker(DEAD_BROKER_URL)
    try:
        response = personas.client_for(personas.secretary).post(
            "/api/v1/councils/almaty/reports/", {"year": 2019}, content_type="application/json"
        )
        assert response.status_code == 202  # accepted although Redis is down
        build_id = response.json()["id"]
        assert status_of(build_id) == BuildStatus.QUEUED
        assert ReportBuild.objects.get(pk=build_id).dispatched_at is None  # the broker did not take it
        assert not OutboxMessage.objects.exists()  # the build row is its own outbox
        with celery_worker(env=worker_env()) as proc:
            use_broker(REDIS_URL, queue=proc.args[proc.args.index("-Q") + 1])  # the broker is back
            # What beat does every minute (once the just-requested build's own hand-over had its chance).
            assert report_build_sweep_stale(now=timezone.now() + dt.timedelta(minutes=1)) == [build_id]
            assert watch(build_id)[-1] == "done"
    finally:
        use_eager()


def test_a_worker_killed_mid_build_leaves_nothing_stuck(personas):
    make_council_year(personas.council, scale=3)  # long enough to kill the worker while it renders
    with celery_worker(env=worker_env()) as proc:
        queue = proc.args[proc.args.index("-Q") + 1]
        use_broker(REDIS_URL, queue=queue)
        try:
            response = personas.client_for(personas.secretary).post(
                "/api/v1/councils/almaty/reports/", {"year": 2019}, content_type="application/json"
            )
            build_id = response.json()["id"]
            wait_for(lambda: status_of(build_id) == BuildStatus.RUNNING, timeout=60, what="the build to start")
            os.killpg(proc.pid, signal.SIGKILL)  # the worker we started, and its children
            proc.wait(timeout=10)
        except BaseException:
            use_eager()
            raise
    time.sleep(0.5)
    assert status_of(build_id) == BuildStatus.RUNNING  # the dead worker's build is stuck...
    try:
        with celery_worker(queue=queue, env=worker_env()):
            # ... until beat's sweep finds it stale and dispatches it again.
            swept = report_build_sweep_stale(now=timezone.now() + dt.timedelta(hours=1))
            assert swept == [build_id]
            assert watch(build_id)[-1] == "done"
    finally:
        use_eager()
    build = ReportBuild.objects.get(pk=build_id)
    assert build.file.read().startswith(b"%PDF-")
