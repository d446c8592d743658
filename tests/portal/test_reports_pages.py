"""Published reports on the public page, and the workspace page where they are built and published."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from councils.models import CouncilStaff, StaffRole
from reports.models import BuildStatus, ReportBuild
from tests.factories import ReportBuildFactory

pytestmark = pytest.mark.django_db

WORKSPACE = "/ru/workspace/almaty/reports/"


@pytest.fixture
def chair(personas):
    user = User.objects.create_user(username="chair", password="not-a-real-password", is_staff=True)
    CouncilStaff.objects.create(user=user, council=personas.council, role=StaffRole.CHAIR)
    return user


def _done(council, **kwargs) -> ReportBuild:
    return ReportBuildFactory(council=council, status=BuildStatus.DONE, file="reports/2019/report.pdf", **kwargs)


# ---- the public page --------------------------------------------------------------------------------------------


def test_only_published_finished_reports_are_public(personas):
    published = _done(personas.council, is_published=True, year=2019)
    draft = _done(personas.council, is_published=False, year=2018)
    failed = ReportBuildFactory(council=personas.council, status=BuildStatus.FAILED, year=2017, is_published=True)

    html = Client().get("/ru/councils/almaty/reports/").content.decode()

    assert f'href="/api/v1/reports/{published.pk}/download/"' in html
    assert "Отчёт о работе за 2019 год" in html
    assert f"/api/v1/reports/{draft.pk}/" not in html and "2018" not in html
    assert f"/api/v1/reports/{failed.pk}/" not in html


def test_a_council_without_published_reports_says_so(personas):
    _done(personas.council, is_published=False)

    html = Client().get("/en/councils/almaty/reports/").content.decode()

    assert "No report has been published yet." in html


# ---- the workspace page ----------------------------------------------------------------------------------------


def test_secretary_sees_the_builds_and_the_request_form(personas):
    build = _done(personas.council, year=2019)
    ReportBuildFactory(council=personas.other_council, year=2015)

    response = personas.client_for(personas.secretary).get(WORKSPACE)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="build-{build.pk}"' in html
    assert "2015" not in html
    assert 'action="/ru/workspace/almaty/reports/request/"' in html
    assert "Опубликовать отчёт" not in html  # only the chair publishes
    assert 'href="/ru/workspace/almaty/reports/"' in html  # in the workspace's menu


def test_secretary_requests_a_build(personas):
    response = personas.client_for(personas.secretary).post(f"{WORKSPACE}request/", {"year": "2019", "language": "kk"})

    assert response.status_code == 302
    assert response["Location"] == WORKSPACE
    build = ReportBuild.objects.get()
    assert (build.council, build.year, build.language, build.status) == (personas.council, 2019, "kk", "queued")
    assert build.requested_by == personas.secretary


def test_a_bad_year_is_refused_beside_the_form(personas):
    response = personas.client_for(personas.secretary).post(f"{WORKSPACE}request/", {"year": "1999", "language": "ru"})

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not ReportBuild.objects.exists()


def test_a_member_reads_but_cannot_request(personas):
    client = personas.client_for(personas.member)

    assert client.get(WORKSPACE).status_code == 200
    assert 'action="/ru/workspace/almaty/reports/request/"' not in client.get(WORKSPACE).content.decode()
    assert client.post(f"{WORKSPACE}request/", {"year": "2019", "language": "ru"}).status_code == 403
    assert not ReportBuild.objects.exists()


def test_another_councils_secretary_gets_404(personas):
    build = _done(personas.council)
    client = personas.client_for(personas.other_secretary)

    assert client.get(WORKSPACE).status_code == 404
    assert client.post(f"{WORKSPACE}request/", {"year": "2019", "language": "ru"}).status_code == 404
    assert client.post(f"{WORKSPACE}{build.pk}/publish/").status_code == 404
    assert not ReportBuild.objects.filter(is_published=True).exists()


def test_anonymous_visitors_are_sent_to_sign_in(personas):
    response = Client().get(WORKSPACE)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_build_of_another_council_is_404_even_for_its_own_pages(personas):
    foreign = _done(personas.other_council)

    response = personas.client_for(personas.secretary).post(f"{WORKSPACE}{foreign.pk}/publish/")

    assert response.status_code == 404


def test_chair_publishes_a_finished_build_and_it_becomes_public(personas, chair):
    build = _done(personas.council, year=2019)
    client = personas.client_for(chair)
    assert "Опубликовать отчёт за 2019 год" in client.get(WORKSPACE).content.decode()

    response = client.post(f"{WORKSPACE}{build.pk}/publish/")

    assert response.status_code == 302
    build.refresh_from_db()
    assert build.is_published
    assert f"/api/v1/reports/{build.pk}/download/" in Client().get("/ru/councils/almaty/reports/").content.decode()


def test_the_secretary_cannot_publish(personas):
    build = _done(personas.council)

    response = personas.client_for(personas.secretary).post(f"{WORKSPACE}{build.pk}/publish/")

    assert response.status_code == 403
    build.refresh_from_db()
    assert not build.is_published


def test_an_unfinished_build_is_not_published(personas, chair):
    build = ReportBuildFactory(council=personas.council, status=BuildStatus.QUEUED)

    response = personas.client_for(chair).post(f"{WORKSPACE}{build.pk}/publish/", follow=True)

    build.refresh_from_db()
    assert not build.is_published
    assert "alert-error" in response.content.decode()


def test_a_failed_build_is_queued_again(personas):
    build = ReportBuildFactory(council=personas.council, status=BuildStatus.FAILED, error="boom")

    response = personas.client_for(personas.secretary).post(f"{WORKSPACE}{build.pk}/retry/")

    assert response.status_code == 302
    build.refresh_from_db()
    assert build.status == BuildStatus.QUEUED
