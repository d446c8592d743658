"""The one tenant gate: which councils a user may read and write.

HTML views, the admin and the API all ask here, so a secretary of one council never reaches another's data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Council, StaffRole

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

WRITE_ROLES = (StaffRole.SECRETARY, StaffRole.CHAIR)


def councils_for_user(user: AbstractBaseUser | AnonymousUser, *, write: bool = False) -> QuerySet[Council]:
    """The councils whose private data the user may see (or, with write=True, change)."""
    if not user.is_authenticated or not user.is_active:
        return Council.objects.none()
    if user.is_superuser:
        return Council.objects.all()
    roles = user.council_roles.all()  # type: ignore[union-attr]
    if write:
        roles = roles.filter(role__in=WRITE_ROLES)
    return Council.objects.filter(id__in=roles.values("council_id"))


def can_write(user: AbstractBaseUser | AnonymousUser, council: Council) -> bool:
    """Whether the user may change the council's records (its secretary or chair, or a portal administrator)."""
    return councils_for_user(user, write=True).filter(id=council.id).exists()


def council_for_user(user: AbstractBaseUser | AnonymousUser, slug: str, *, write: bool = False) -> Council:
    """The council, or 404 for outsiders (they must not learn of private data) and 403 for read-only staff."""
    council = councils_for_user(user).filter(slug=slug).first()
    if council is None:
        raise Http404
    if write and not can_write(user, council):
        raise PermissionDenied
    return council
