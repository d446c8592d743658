"""The admin of council staff roles writes through the services: an account's role groups and `is_staff` follow
what the portal administrator adds, changes and deletes there, one row or many at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from councils.models import CouncilStaff, StaffRole
from councils.services import council_staff_grant

pytestmark = pytest.mark.django_db


def _url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"admin:councils_councilstaff_{name}", args=args)


def _groups(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


@pytest.fixture
def aigerim(db) -> User:
    return User.objects.create_user(username="aigerim", password="not-a-real-password")


def test_adding_a_role_gives_the_group_and_opens_the_admin(admin_client, personas, aigerim):
    response = admin_client.post(
        _url("add"), {"user": aigerim.pk, "council": personas.council.pk, "role": StaffRole.SECRETARY, "_save": "1"}
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    aigerim.refresh_from_db()
    assert aigerim.is_staff
    assert _groups(aigerim) == {"Secretary"}
    assert CouncilStaff.objects.get(user=aigerim).role == StaffRole.SECRETARY


def test_changing_the_role_switches_the_group(admin_client, personas, aigerim):
    staff = council_staff_grant(user=aigerim, council=personas.council, role=StaffRole.SECRETARY)

    response = admin_client.post(_url("change", staff.pk), {"role": StaffRole.MEMBER, "_save": "1"})

    assert response.status_code == 302, response.content.decode()[:2000]
    staff.refresh_from_db()
    assert (staff.user, staff.council, staff.role) == (aigerim, personas.council, StaffRole.MEMBER)
    assert _groups(aigerim) == {"Member"}


def test_the_change_form_keeps_the_person_and_the_council(admin_client, personas, aigerim):
    staff = council_staff_grant(user=aigerim, council=personas.council, role=StaffRole.CHAIR)

    admin_client.post(
        _url("change", staff.pk),
        {"user": personas.member.pk, "council": personas.other_council.pk, "role": StaffRole.CHAIR, "_save": "1"},
    )

    staff.refresh_from_db()
    assert (staff.user, staff.council) == (aigerim, personas.council)
    assert not CouncilStaff.objects.filter(user=personas.member, council=personas.other_council).exists()


def test_deleting_the_last_role_takes_the_group_and_staff_status_away(admin_client, personas, aigerim):
    staff = council_staff_grant(user=aigerim, council=personas.council, role=StaffRole.SECRETARY)

    response = admin_client.post(_url("delete", staff.pk), {"post": "yes"})

    assert response.status_code == 302
    aigerim.refresh_from_db()
    assert not CouncilStaff.objects.filter(user=aigerim).exists()
    assert _groups(aigerim) == set()
    assert not aigerim.is_staff


def test_deleting_one_of_two_roles_keeps_the_other_group_and_staff_status(admin_client, personas, aigerim):
    staff = council_staff_grant(user=aigerim, council=personas.council, role=StaffRole.SECRETARY)
    council_staff_grant(user=aigerim, council=personas.other_council, role=StaffRole.CHAIR)

    admin_client.post(_url("delete", staff.pk), {"post": "yes"})

    aigerim.refresh_from_db()
    assert _groups(aigerim) == {"Chair"}
    assert aigerim.is_staff


def test_bulk_delete_from_the_list_keeps_every_account_in_step(admin_client, personas, aigerim):
    mine = council_staff_grant(user=aigerim, council=personas.council, role=StaffRole.CHAIR)
    member_role = CouncilStaff.objects.get(user=personas.member)

    response = admin_client.post(
        _url("changelist"),
        {"action": "delete_selected", "_selected_action": [mine.pk, member_role.pk], "post": "yes"},
    )

    assert response.status_code == 302
    for user in (aigerim, personas.member):
        user.refresh_from_db()
        assert not CouncilStaff.objects.filter(user=user).exists()
        assert _groups(user) == set()
        assert not user.is_staff
    assert CouncilStaff.objects.filter(user=personas.secretary).exists()  # the rows not selected stay


def test_a_superuser_stays_staff_when_their_last_role_is_deleted(admin_client, personas, admin_user):
    staff = council_staff_grant(user=admin_user, council=personas.council, role=StaffRole.MEMBER)

    admin_client.post(_url("delete", staff.pk), {"post": "yes"})

    admin_user.refresh_from_db()
    assert _groups(admin_user) == set()
    assert admin_user.is_staff and admin_user.is_superuser
