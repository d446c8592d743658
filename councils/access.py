"""The one tenant gate: which councils a user may read and write.

HTML views, the admin and the API all ask here, so a secretary of one council never reaches another's data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .models import Council, CouncilStaff, StaffRole
from .ownership import council_path

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


def is_chair(user: AbstractBaseUser | AnonymousUser, council: Council) -> bool:
    """Whether the user is the council's chair (or a portal administrator): who publishes the report, hands out
    staff roles and reads the whole log of who opened personal data."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return CouncilStaff.objects.filter(user_id=user.pk, council=council, role=StaffRole.CHAIR).exists()


def council_for_user(user: AbstractBaseUser | AnonymousUser, slug: str, *, write: bool = False) -> Council:
    """The council, or 404 for outsiders (they must not learn of private data) and 403 for read-only staff."""
    council = councils_for_user(user).filter(slug=slug).first()
    if council is None:
        raise Http404
    if write and not can_write(user, council):
        raise PermissionDenied
    return council


# ---- Related records: what a form may offer a user ------------------------------------------------------------
#
# The admin's (and any form's) choices of related records pass through here, so that a select or an id typed into a
# POST never reaches another council's records. Which council a record belongs to is read from its model's
# declaration (`council_lookup`); records that belong to no council are listed in SHARED_MODELS, and anything else
# is refused loudly, so that a new model cannot slip through unclassified.

# Records every council uses and none owns: offered to everyone (writing them is for portal administrators).
SHARED_MODELS = ["councils.StateBody", "contenttypes.ContentType"]


def register_shared_models(*labels: str) -> None:
    """An app above adds its public registers (a deputy, a maslikhat) from its AppConfig.ready(): the registry
    points the right way, and `councils` names no upper app's model."""
    SHARED_MODELS.extend(label for label in labels if label not in SHARED_MODELS)


def council_lookup(model: type[Model]) -> str | None:
    """The ORM path from a record of `model` to its council ("id" for a council itself), or None when the record
    belongs to no council: the model's own declaration (`ownership`, councils/ownership.py), which a test checks
    against its foreign keys."""
    return council_path(model)


def scope_to_councils(queryset: QuerySet[Any], councils: QuerySet[Council]) -> QuerySet[Any]:
    """The records of `queryset` that belong to `councils`: council-owned records of those councils, user accounts
    of those councils' staff, shared records as they are. Any other model raises: classify it here first."""
    model = queryset.model
    if model._meta.label in SHARED_MODELS:
        return queryset
    if model is get_user_model():
        staff = CouncilStaff.objects.filter(council__in=councils).values("user_id")
        return queryset.filter(pk__in=staff)
    lookup = council_lookup(model)
    if lookup is None:
        raise ImproperlyConfigured(
            f"{model._meta.label} belongs to no council and is not shared: add it to councils.access.SHARED_MODELS "
            "or give it a council before a form offers it."
        )
    return queryset.filter(**{f"{lookup}__in": councils})


def related_for_user(
    queryset: QuerySet[Any], user: AbstractBaseUser | AnonymousUser, *, write: bool = True
) -> QuerySet[Any]:
    """The related records a form may offer the user: those of the councils they may write (or read)."""
    if user.is_active and user.is_superuser:
        return queryset
    return scope_to_councils(queryset, councils_for_user(user, write=write))
