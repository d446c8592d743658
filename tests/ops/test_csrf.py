"""Every form that changes something refuses a post without the CSRF token (the test client skips the check
unless asked, so these ask)."""

from __future__ import annotations

import pytest
from django.test import Client

from appeals.models import Appeal
from tests.appeals.conftest import appeal_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_public_appeal_form_refuses_a_post_without_the_token(personas, strict_client):
    response = strict_client.post("/ru/councils/almaty/appeals/new/", appeal_form_data())

    assert response.status_code == 403
    assert not Appeal.objects.exists()


def test_public_appeal_form_accepts_a_post_with_the_token(personas, strict_client):
    strict_client.get("/ru/councils/almaty/appeals/new/")
    token = strict_client.cookies["csrftoken"].value

    response = strict_client.post(
        "/ru/councils/almaty/appeals/new/", {**appeal_form_data(), "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert Appeal.objects.count() == 1


def test_sign_in_refuses_a_post_without_the_token(personas, strict_client):
    response = strict_client.post("/ru/accounts/login/", {"username": "secretary", "password": "not-a-real-password"})

    assert response.status_code == 403
    assert "_auth_user_id" not in strict_client.session


def test_signed_in_staff_action_refuses_a_post_without_the_token(personas):
    from tests.factories import AppealFactory

    appeal = AppealFactory(council=personas.council)
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.secretary)

    url = f"/ru/workspace/almaty/appeals/{appeal.number}/leave/"
    response = client.post(url, {"reason": "x"})

    assert response.status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == "registered"
    # The same post past the check (the usual test client skips it) is not refused: it was the token.
    assert personas.client_for(personas.secretary).post(url, {"reason": "x"}).status_code != 403
