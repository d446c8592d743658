"""Creating a secretary (or a chair, or a member) from the workspace: the chair invites by e-mail, the invitee
sets a password through a one-time link and signs in to that council in that role."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from councils.invitations import INVITATION_MAX_AGE, InvitationTokenGenerator
from councils.models import CouncilStaff, StaffRole
from tests.conftest import _staff

pytestmark = pytest.mark.django_db

PASSWORD = "Тянь-Шань 2019 горы"
LINK_RE = re.compile(r"https?://[^\s]+/accounts/invitation/[^\s]+/")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # the invitation limits count per inviter across tests otherwise
    yield
    cache.clear()


@pytest.fixture
def chair(personas) -> User:
    return _staff("chair", personas.council, StaffRole.CHAIR)


def _invite(client: Client, council, email: str, role: str, capture) -> object:
    with capture(execute=True):
        return client.post(reverse("workspace:staff_invite", args=[council.slug]), {"email": email, "role": role})


def _link(message) -> str:
    found = LINK_RE.search(message.body)
    assert found, message.body
    return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def _set_password(link: str) -> Client:
    client = Client()
    response = client.get(link)
    assert response.status_code == 302  # the token moves to the session, off the address
    form_url = response["Location"]
    response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


def test_chair_invites_a_secretary_who_sets_a_password_and_signs_in_to_that_council(
    personas, chair, django_capture_on_commit_callbacks
):
    response = _invite(
        personas.client_for(chair),
        personas.council,
        "Dinara.Akhmetova@example.kz",
        StaffRole.SECRETARY,
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dinara.akhmetova@example.kz"]
    assert personas.council.name in message.subject

    _set_password(_link(message))
    visitor = Client()
    response = visitor.post(
        reverse("login"), {"username": "dinara.akhmetova@example.kz", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 302
    dashboard = visitor.get(reverse("workspace:dashboard", args=[personas.council.slug]))
    assert dashboard.status_code == 200
    staff = CouncilStaff.objects.get(user__email="dinara.akhmetova@example.kz")
    assert (staff.council, staff.role) == (personas.council, StaffRole.SECRETARY)
    # A secretary writes in that council, and sees nothing of another.
    assert visitor.get(reverse("councils_ws:member_add", args=[personas.council.slug])).status_code == 200
    assert visitor.get(reverse("workspace:dashboard", args=[personas.other_council.slug])).status_code == 404


def test_staff_list_shows_a_pending_invitation_with_resend_and_revoke(
    personas, chair, django_capture_on_commit_callbacks
):
    client = personas.client_for(chair)
    _invite(
        client, personas.council, "yerlan.zhumabekov@example.kz", StaffRole.MEMBER, django_capture_on_commit_callbacks
    )
    staff = CouncilStaff.objects.get(user__email="yerlan.zhumabekov@example.kz")
    page = client.get(reverse("workspace:staff", args=[personas.council.slug])).content.decode()
    assert "yerlan.zhumabekov@example.kz" in page
    assert reverse("workspace:staff_resend", args=[personas.council.slug, staff.pk]) in page
    assert reverse("workspace:staff_revoke", args=[personas.council.slug, staff.pk]) in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workspace:staff_resend", args=[personas.council.slug, staff.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["yerlan.zhumabekov@example.kz"]


@pytest.mark.parametrize("who", ["secretary", "member"])
def test_secretary_or_member_cannot_invite(personas, who, django_capture_on_commit_callbacks):
    client = personas.client_for(getattr(personas, who))
    url = reverse("workspace:staff_invite", args=[personas.council.slug])
    assert client.get(url).status_code == 403
    response = _invite(client, personas.council, "x@example.kz", StaffRole.CHAIR, django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not User.objects.filter(email="x@example.kz").exists()
    assert mail.outbox == []


def test_another_councils_chair_gets_404(personas, django_capture_on_commit_callbacks):
    outsider = _staff("other-chair", personas.other_council, StaffRole.CHAIR)
    client = personas.client_for(outsider)
    response = _invite(
        client, personas.council, "x@example.kz", StaffRole.SECRETARY, django_capture_on_commit_callbacks
    )
    assert response.status_code == 404
    assert client.get(reverse("workspace:staff", args=[personas.council.slug])).status_code == 404
    mine = CouncilStaff.objects.get(user=personas.secretary)
    for name in ("workspace:staff_resend", "workspace:staff_revoke"):
        # Their own council's address with this council's row: looked up inside their council, so 404.
        assert client.post(reverse(name, args=[personas.other_council.slug, mine.pk])).status_code == 404
    assert CouncilStaff.objects.filter(pk=mine.pk).exists()


def test_portal_administrator_can_invite(personas, admin_client, django_capture_on_commit_callbacks):
    response = _invite(
        admin_client, personas.council, "chair@example.kz", StaffRole.CHAIR, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert CouncilStaff.objects.get(user__email="chair@example.kz").role == StaffRole.CHAIR


def test_invitation_link_works_once(personas, chair, django_capture_on_commit_callbacks):
    _invite(
        personas.client_for(chair), personas.council, "a@example.kz", "secretary", django_capture_on_commit_callbacks
    )
    link = _link(mail.outbox[0])
    _set_password(link)
    again = Client().get(link)
    assert again.status_code == 404
    assert "no longer works" in again.content.decode() or again.context["validlink"] is False


def test_expired_invitation_link_is_refused(personas, chair, django_capture_on_commit_callbacks, monkeypatch):
    _invite(
        personas.client_for(chair), personas.council, "a@example.kz", "secretary", django_capture_on_commit_callbacks
    )
    link = _link(mail.outbox[0])
    later = dt.datetime.now() + INVITATION_MAX_AGE + dt.timedelta(minutes=5)
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: later)
    response = Client().get(link)
    assert response.status_code == 404
    assert User.objects.get(email="a@example.kz").has_usable_password() is False


def test_revoked_invitation_link_stops_working_and_access_is_gone(personas, chair, django_capture_on_commit_callbacks):
    client = personas.client_for(chair)
    _invite(client, personas.council, "a@example.kz", "secretary", django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    staff = CouncilStaff.objects.get(user__email="a@example.kz")
    assert client.post(reverse("workspace:staff_revoke", args=[personas.council.slug, staff.pk])).status_code == 302
    assert Client().get(link).status_code == 404
    assert not CouncilStaff.objects.filter(pk=staff.pk).exists()


def test_revoking_an_active_secretary_removes_their_access(personas, chair):
    staff = CouncilStaff.objects.get(user=personas.secretary)
    response = personas.client_for(chair).post(
        reverse("workspace:staff_revoke", args=[personas.council.slug, staff.pk])
    )
    assert response.status_code == 302
    secretary = personas.client_for(personas.secretary)
    assert secretary.get(reverse("workspace:dashboard", args=[personas.council.slug])).status_code == 404


def test_chair_cannot_remove_their_own_access(personas, chair):
    mine = CouncilStaff.objects.get(user=chair)
    personas.client_for(chair).post(reverse("workspace:staff_revoke", args=[personas.council.slug, mine.pk]))
    assert CouncilStaff.objects.filter(pk=mine.pk).exists()


def test_set_password_page_applies_the_password_validators(personas, chair, django_capture_on_commit_callbacks):
    _invite(
        personas.client_for(chair), personas.council, "a@example.kz", "secretary", django_capture_on_commit_callbacks
    )
    client = Client()
    form_url = client.get(_link(mail.outbox[0]))["Location"]
    response = client.post(form_url, {"new_password1": "12345", "new_password2": "12345"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.get(email="a@example.kz").has_usable_password()


@pytest.mark.parametrize(
    "email",
    ["<script>alert(1)</script>@example.kz", "a@example.kz\x00", "' OR 1=1 --", "a" * 140 + "@example.kz", ""],
)
def test_hostile_invitation_input_is_refused_with_a_clear_error(
    personas, chair, email, django_capture_on_commit_callbacks
):
    users = User.objects.count()
    response = _invite(
        personas.client_for(chair), personas.council, email, "secretary", django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert "<script>alert" not in response.content.decode()
    assert User.objects.count() == users and mail.outbox == []


def test_role_outside_the_choices_is_refused(personas, chair, django_capture_on_commit_callbacks):
    response = _invite(
        personas.client_for(chair), personas.council, "a@example.kz", "superuser", django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert not User.objects.filter(email="a@example.kz").exists()


@pytest.mark.parametrize("token", ["x-y", "zzzzzz-" + "a" * 32, "1-2-3", "%00"])
def test_made_up_invitation_links_give_404(personas, token):
    assert Client().get(f"/ru/accounts/invitation/MQ/{token}/").status_code == 404


def test_invitations_are_rate_limited_per_inviter(personas, chair, django_capture_on_commit_callbacks, settings):
    client = personas.client_for(chair)
    statuses = [
        _invite(client, personas.council, f"p{i}@example.kz", "member", django_capture_on_commit_callbacks).status_code
        for i in range(21)
    ]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429
