"""Report builds: the queued → running → done/failed lifecycle, retries, the stale sweep, publishing, the build API
and the `build_report` command. Celery runs eagerly here (the real worker is in test_report_worker.py)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import include, path
from django.utils import timezone

from config import urls as project_urls
from core.outbox import OutboxMessage
from councils.models import CouncilStaff, StaffRole
from reports import rendering
from reports.models import BuildStatus, ReportBuild
from reports.services import (
    report_build_request,
    report_build_retry,
    report_build_run,
    report_build_sweep_stale,
    report_publish,
)
from tests.reports.yeardata import make_council_year

# The lead includes reports.report_api under api/v1/ in config/urls.py; until then this test module does.
urlpatterns = [*project_urls.urlpatterns, path("api/v1/", include("reports.report_api"))]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__), pytest.mark.heavy]


@pytest.fixture
def chair(personas) -> User:
    user = User.objects.create_user(username="chair", password="not-a-real-password")
    CouncilStaff.objects.create(user=user, council=personas.council, role=StaffRole.CHAIR)
    return user


@pytest.fixture
def request_build(personas, django_capture_on_commit_callbacks):
    """Request a build as the secretary and let the commit hand it to (eager) Celery."""

    def request(**kwargs) -> ReportBuild:
        with django_capture_on_commit_callbacks(execute=True):
            build = report_build_request(
                council=personas.council, year=kwargs.pop("year", 2019), by=personas.secretary, **kwargs
            )
        build.refresh_from_db()
        return build

    return request


def boom(build: ReportBuild):
    raise RuntimeError("the renderer fell over")


# ---- lifecycle ------------------------------------------------------------------------------------------


def test_a_requested_build_is_handed_to_the_worker_and_ends_done_with_its_file(request_build):
    build = request_build()
    assert build.status == BuildStatus.DONE
    assert build.started_at and build.finished_at and build.started_at <= build.finished_at
    assert build.error == ""
    content = build.file.read()
    assert content.startswith(b"%PDF-")
    assert build.content_hash == hashlib.sha256(content).hexdigest()
    # One path: the build row is its own outbox; no outbox message, no second task.
    assert not OutboxMessage.objects.exists()


def test_two_builds_of_the_same_data_and_build_time_have_the_same_hash(personas):
    make_council_year(personas.council)
    builds = [report_build_request(council=personas.council, year=2019, dispatch=False) for _ in range(2)]
    # The PDF is dated with the build's stored time: give both the same one.
    ReportBuild.objects.filter(pk__in=[b.pk for b in builds]).update(created_at=timezone.now())
    for build in builds:
        assert report_build_run(build_id=build.pk)
    first, second = (ReportBuild.objects.get(pk=b.pk) for b in builds)
    assert first.status == second.status == BuildStatus.DONE
    assert first.content_hash == second.content_hash
    assert first.file.name != second.file.name


def test_a_build_runs_once_however_often_its_task_is_delivered(personas):
    build = report_build_request(council=personas.council, year=2019, dispatch=False)
    assert report_build_run(build_id=build.pk) is True
    finished = ReportBuild.objects.get(pk=build.pk)
    assert report_build_run(build_id=build.pk) is False  # a re-delivered message changes nothing
    assert ReportBuild.objects.get(pk=build.pk).finished_at == finished.finished_at


def test_a_failing_build_records_its_error_and_can_be_retried(personas, django_capture_on_commit_callbacks):
    build = report_build_request(council=personas.council, year=2019, dispatch=False)
    assert report_build_run(build_id=build.pk, renderer=boom) is False
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED
    assert "RuntimeError: the renderer fell over" in build.error
    assert build.finished_at is not None and not build.file

    with django_capture_on_commit_callbacks(execute=True):
        report_build_retry(build=build, by=personas.secretary)
    build.refresh_from_db()
    assert build.status == BuildStatus.DONE
    assert build.error == ""
    assert build.file.read().startswith(b"%PDF-")
    with pytest.raises(ValidationError):
        report_build_retry(build=build)  # only a failed build


def test_a_failure_inside_the_task_is_recorded_not_raised(request_build, monkeypatch):
    monkeypatch.setattr("reports.rendering.render", boom)
    build = request_build()
    assert build.status == BuildStatus.FAILED
    assert "the renderer fell over" in build.error


def test_a_stale_running_build_is_swept_back_and_finished_once(personas, django_capture_on_commit_callbacks):
    """A worker killed mid-build leaves it running: the sweep queues it again, the next run finishes it, and the
    dead worker's run, should it come back, changes nothing."""
    build = report_build_request(council=personas.council, year=2019, dispatch=False)
    renders = []

    def stuck_then_back(b: ReportBuild):
        renders.append("stuck")
        # While this worker hangs, the beat task finds the build stale and another run finishes it.
        later = timezone.now() + dt.timedelta(hours=1)
        with django_capture_on_commit_callbacks(execute=True):
            assert report_build_sweep_stale(now=later) == [b.pk]
        return "late.pdf", "application/pdf", b"%PDF-1.7 late"

    assert report_build_run(build_id=build.pk, renderer=stuck_then_back) is False
    build.refresh_from_db()
    assert renders == ["stuck"]
    assert build.status == BuildStatus.DONE
    content = build.file.read()
    assert content != b"%PDF-1.7 late" and build.content_hash == hashlib.sha256(content).hexdigest()
    assert not build.file.storage.exists(build.file.name.rsplit("/", 1)[0] + "/late.pdf")
    # Nothing is stale any more.
    assert report_build_sweep_stale(now=timezone.now() + dt.timedelta(hours=2)) == []


def test_the_sweep_leaves_fresh_running_builds_alone(personas):
    build = report_build_request(council=personas.council, year=2019, dispatch=False)
    ReportBuild.objects.filter(pk=build.pk).update(status=BuildStatus.RUNNING, started_at=timezone.now())
    assert report_build_sweep_stale() == []
    assert ReportBuild.objects.get(pk=build.pk).status == BuildStatus.RUNNING


def test_a_long_queued_build_is_dispatched_again_once(personas, django_capture_on_commit_callbacks):
    build = report_build_request(council=personas.council, year=2019, dispatch=False)
    later = timezone.now() + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert report_build_sweep_stale(now=later) == [build.pk]
    assert ReportBuild.objects.get(pk=build.pk).status == BuildStatus.DONE


def test_a_build_the_broker_could_not_take_is_handed_over_by_the_one_sweep(personas, monkeypatch, request_build):
    from reports import tasks

    def broker_down(*args, **kwargs):
        raise OSError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.build_report, "apply_async", broker_down)
    build = request_build()  # the secretary's request is accepted although the broker is down
    assert build.status == BuildStatus.QUEUED and build.dispatched_at is None
    assert not OutboxMessage.objects.exists()  # one path: no outbox message, no second task
    monkeypatch.undo()  # the broker is back
    assert report_build_sweep_stale(now=timezone.now() + dt.timedelta(minutes=1)) == [build.pk]
    assert ReportBuild.objects.get(pk=build.pk).status == BuildStatus.DONE
    assert report_build_sweep_stale(now=timezone.now() + dt.timedelta(hours=2)) == []


def test_a_build_handed_over_is_left_to_the_worker_until_its_message_may_be_lost(personas, monkeypatch, request_build):
    from reports import tasks

    sent: list[list[int]] = []
    monkeypatch.setattr(tasks.build_report, "apply_async", lambda args, **kwargs: sent.append(args))
    build = request_build()
    assert sent == [[build.pk]] and build.status == BuildStatus.QUEUED and build.dispatched_at is not None
    assert report_build_sweep_stale(now=timezone.now() + dt.timedelta(minutes=1)) == []  # a busy worker: no duplicate
    assert report_build_sweep_stale(now=timezone.now() + dt.timedelta(hours=1)) == [build.pk]
    assert sent == [[build.pk], [build.pk]]


# ---- publishing -----------------------------------------------------------------------------------------


def test_only_the_chair_or_a_superuser_publishes(personas, chair):
    build = report_build_request(council=personas.council, year=2019, dispatch=False)
    report_build_run(build_id=build.pk)
    for user in (personas.secretary, personas.member, personas.other_secretary):
        with pytest.raises(PermissionDenied):
            report_publish(build=build, by=user)
    assert report_publish(build=build, by=chair).is_published
    admin = User.objects.create_superuser(username="root", password="not-a-real-password")
    newer = report_build_request(council=personas.council, year=2019, dispatch=False)
    report_build_run(build_id=newer.pk)
    assert report_publish(build=newer, by=admin).is_published
    # The newer publication replaces the older one.
    assert not ReportBuild.objects.get(pk=build.pk).is_published


def test_an_unfinished_build_cannot_be_published(personas, chair):
    build = report_build_request(council=personas.council, year=2019, dispatch=False)
    with pytest.raises(ValidationError):
        report_publish(build=build, by=chair)


# ---- API ------------------------------------------------------------------------------------------------


def post_build(personas, user, slug=None, **data):
    client = personas.client_for(user)
    return client.post(
        f"/api/v1/councils/{slug or personas.council.slug}/reports/",
        {"year": 2019, **data},
        content_type="application/json",
    )


def test_the_secretary_gets_202_and_the_status_url(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_build(personas, personas.secretary)
    assert response.status_code == 202
    body = response.json()
    build = ReportBuild.objects.get()
    assert body["url"] == f"http://testserver/api/v1/reports/{build.pk}/"
    assert response["Location"] == body["url"]
    assert build.requested_by == personas.secretary
    status = personas.client_for(personas.secretary).get(body["url"]).json()
    assert status["status"] == "done"
    assert status["download_url"] == f"http://testserver/api/v1/reports/{build.pk}/download/"


def test_another_councils_secretary_gets_404_and_a_member_403(personas):
    assert post_build(personas, personas.other_secretary).status_code == 404
    assert post_build(personas, personas.member).status_code == 403
    assert post_build(personas, None).status_code == 404
    assert not ReportBuild.objects.exists()


def test_a_bad_year_or_language_is_refused(personas):
    assert post_build(personas, personas.secretary, year=1900).status_code == 400
    assert post_build(personas, personas.secretary, year="soon").status_code == 400
    assert post_build(personas, personas.secretary, language="de").status_code == 400


def test_the_status_is_for_the_councils_staff_only(personas):
    build = report_build_request(council=personas.council, year=2019, dispatch=False)
    url = f"/api/v1/reports/{build.pk}/"
    assert personas.client_for(personas.secretary).get(url).json()["status"] == "queued"
    assert personas.client_for(personas.member).get(url).status_code == 200
    assert personas.client_for(personas.other_secretary).get(url).status_code == 404
    assert personas.client_for(None).get(url).status_code == 404


def test_download_only_when_done(personas):
    build = report_build_request(council=personas.council, year=2019, dispatch=False)
    url = f"/api/v1/reports/{build.pk}/download/"
    secretary = personas.client_for(personas.secretary)
    assert secretary.get(url).status_code == 409
    report_build_run(build_id=build.pk)
    response = secretary.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "almaty-annual-report-2019-ru.pdf" in response["Content-Disposition"]


def test_public_download_only_once_published(personas, chair):
    build = report_build_request(council=personas.council, year=2019, dispatch=False)
    report_build_run(build_id=build.pk)
    url = f"/api/v1/reports/{build.pk}/download/"
    public = personas.client_for(None)
    assert public.get(url).status_code == 404
    assert personas.client_for(personas.other_secretary).get(url).status_code == 404
    report_publish(build=build, by=chair)
    response = public.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_publish_through_the_api_only_by_the_chair(personas, chair):
    build = report_build_request(council=personas.council, year=2019, dispatch=False)
    report_build_run(build_id=build.pk)
    url = f"/api/v1/reports/{build.pk}/publish/"
    assert personas.client_for(personas.secretary).post(url).status_code == 403
    assert personas.client_for(personas.member).post(url).status_code == 403
    assert personas.client_for(personas.other_secretary).post(url).status_code == 404
    response = personas.client_for(chair).post(url)
    assert response.status_code == 200
    assert response.json()["is_published"] is True


def test_retry_through_the_api(personas, django_capture_on_commit_callbacks):
    build = report_build_request(council=personas.council, year=2019, dispatch=False)
    report_build_run(build_id=build.pk, renderer=boom)
    url = f"/api/v1/reports/{build.pk}/retry/"
    assert personas.client_for(personas.member).post(url).status_code == 403
    assert personas.client_for(personas.other_secretary).post(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert personas.client_for(personas.secretary).post(url).status_code == 202
    assert ReportBuild.objects.get(pk=build.pk).status == BuildStatus.DONE
    assert personas.client_for(personas.secretary).post(url).status_code == 409


# ---- command --------------------------------------------------------------------------------------------


def test_the_command_builds_the_same_pdf_synchronously(personas, tmp_path):
    make_council_year(personas.council)
    output = tmp_path / "almaty.pdf"
    call_command("build_report", "almaty", "2019", "-o", str(output), "--language", "ru")
    command_build = ReportBuild.objects.get()
    assert command_build.status == BuildStatus.DONE
    assert hashlib.sha256(output.read_bytes()).hexdigest() == command_build.content_hash
    assert rendering.render(command_build)[2] == output.read_bytes()  # the worker's renderer, the same bytes


def test_the_command_refuses_an_unknown_council(db):
    with pytest.raises(CommandError):
        call_command("build_report", "nowhere", "2019")
