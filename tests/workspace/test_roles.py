"""Staff roles: the role groups and their permissions, granting and revoking a role keeps the council role and the
group in step, and failed sign-ins lock an account for the address they came from."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import translation

from councils.access import council_for_user
from councils.models import CouncilStaff, StaffRole
from councils.services import council_staff_grant, council_staff_revoke

pytestmark = pytest.mark.django_db


def _codenames(name: str) -> set[str]:
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_the_migration_makes_three_role_groups_with_sensible_permissions():
    secretary, chair, member = _codenames("Secretary"), _codenames("Chair"), _codenames("Member")
    assert {"add_recommendation", "change_recommendation", "delete_recommendation", "view_recommendation"} <= secretary
    assert {"add_informationrequest", "change_meeting", "change_appeal", "change_council"} <= secretary
    assert "delete_appeal" not in secretary  # registered appeals keep their numbers
    assert "change_councilstaff" not in secretary  # roles are given by the portal administrator
    assert {"add_recommendation", "change_recommendation"} <= chair
    assert not any(code.startswith("delete_") for code in chair)
    assert member and all(code.startswith("view_") for code in member)
    assert {"view_recommendation", "view_meeting", "view_appeal"} <= member


def test_grant_and_revoke_keep_the_role_and_the_group_in_step(personas):
    user = User.objects.create_user(username="aigerim", password="not-a-real-password")
    council_staff_grant(user=user, council=personas.council, role=StaffRole.SECRETARY)
    user.refresh_from_db()
    assert user.is_staff
    assert set(user.groups.values_list("name", flat=True)) == {"Secretary"}
    assert council_for_user(user, personas.council.slug, write=True) == personas.council

    council_staff_grant(user=user, council=personas.council, role=StaffRole.MEMBER)  # a change of role
    council_staff_grant(user=user, council=personas.other_council, role=StaffRole.CHAIR)
    assert CouncilStaff.objects.get(user=user, council=personas.council).role == StaffRole.MEMBER
    assert set(user.groups.values_list("name", flat=True)) == {"Member", "Chair"}

    council_staff_revoke(user=user, council=personas.other_council)
    assert set(user.groups.values_list("name", flat=True)) == {"Member"}
    council_staff_revoke(user=user, council=personas.council)
    user.refresh_from_db()
    assert not user.groups.exists() and not user.is_staff
    assert not CouncilStaff.objects.filter(user=user).exists()


def test_other_groups_are_left_alone(personas):
    editors = Group.objects.create(name="Portal editors")
    user = User.objects.create_user(username="dana", password="not-a-real-password")
    user.groups.add(editors)
    council_staff_grant(user=user, council=personas.council, role=StaffRole.CHAIR)
    council_staff_revoke(user=user, council=personas.council)
    assert list(user.groups.all()) == [editors]


def _login(client, username: str, password: str, ip: str):
    with translation.override("ru"):
        url = reverse("login")
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_account_for_that_address(client, personas):
    User.objects.create_user(username="aliya", password="the-right-password-1")
    for _ in range(4):
        assert _login(client, "aliya", "wrong", "10.0.0.1").status_code == 200  # the form again, with the error
    locked = _login(client, "aliya", "wrong", "10.0.0.1")
    assert locked.status_code == 429
    assert "registration/lockout.html" in [t.name for t in locked.templates]
    assert "Вход временно заблокирован" in locked.content.decode()

    # Locked even with the right password, from that address; not from another one.
    assert _login(client, "aliya", "the-right-password-1", "10.0.0.1").status_code == 429
    assert _login(client, "aliya", "the-right-password-1", "10.0.0.2").status_code == 302
