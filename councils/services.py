"""Writes of the councils app: who works in which council, in which role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Council, CouncilStaff, StaffRole

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The groups created by the migration councils.0004_role_groups, one per staff role.
ROLE_GROUPS: dict[str, str] = {
    StaffRole.SECRETARY: "Secretary",
    StaffRole.CHAIR: "Chair",
    StaffRole.MEMBER: "Member",
}


def _sync_role_groups(user: User) -> None:
    """The user's role groups follow the roles they hold in any council; other groups are left alone."""
    held = set(CouncilStaff.objects.filter(user=user).values_list("role", flat=True))
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLE_GROUPS.values())}
    wanted = [groups[ROLE_GROUPS[role]] for role in held if ROLE_GROUPS[role] in groups]
    unwanted = [group for name, group in groups.items() if group not in wanted]
    user.groups.remove(*unwanted)
    user.groups.add(*wanted)


@transaction.atomic
def council_staff_grant(*, user: User, council: Council, role: str) -> CouncilStaff:
    """Give the user this role in the council (replacing any other role there) and the matching group.

    The account becomes staff so that the admin opens for it; the tenant gate still limits it to its councils.
    """
    role = StaffRole(role)
    staff, _created = CouncilStaff.objects.update_or_create(user=user, council=council, defaults={"role": role})
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    _sync_role_groups(user)
    return staff


@transaction.atomic
def council_staff_revoke(*, user: User, council: Council) -> None:
    """Take the user's role in the council away; the groups follow the roles left, and an account left with no
    role anywhere is no longer staff (unless it is a portal administrator)."""
    CouncilStaff.objects.filter(user=user, council=council).delete()
    _sync_role_groups(user)
    if user.is_staff and not user.is_superuser and not CouncilStaff.objects.filter(user=user).exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])
