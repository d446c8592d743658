"""Staff invitations: a council's chair (or a portal administrator) invites a secretary, chair or member by e-mail.

The invitee gets an account with an unusable password and a role in the council at once, and a one-time link to
set a password. The link is Django's password-reset token (uidb64 + token) with a salt and a lifetime of its own:

- it is signed over the password hash and the last sign-in, so it stops working once the password is set;
- it is signed over the account's council roles too, so revoking the invitation (or re-inviting) kills old links;
- it expires after INVITATION_MAX_AGE, whatever PASSWORD_RESET_TIMEOUT says.

Mail leaves through the outbox after the commit (core/outbox.py), like an appeal's receipt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.outbox import handler, outbox_enqueue

from .access import council_for_user, is_chair
from .models import Council, CouncilStaff
from .services import council_staff_grant

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

INVITATION_MAX_AGE = dt.timedelta(hours=72)
MAIL_TARGET = "councils.send_invitation"
# Per inviter (and, generously, per address of the inviter's client): a chair sends a handful a year.
INVITE_RATE_PER_INVITER = "20/h"
INVITE_RATE_PER_IP = "60/h"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "councils.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user: AbstractBaseUser, timestamp: int) -> str:
        roles = CouncilStaff.objects.filter(user_id=user.pk).order_by("id").values_list("id", "role")
        return super()._make_hash_value(user, timestamp) + "|" + ";".join(f"{i}:{r}" for i, r in roles)

    def check_token(self, user: AbstractBaseUser | None, token: str | None) -> bool:
        """Django's check, with the invitation's own lifetime instead of PASSWORD_RESET_TIMEOUT."""
        if not (user and token) or not isinstance(token, str):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - ts) <= INVITATION_MAX_AGE.total_seconds()


invitation_token_generator = InvitationTokenGenerator()


# ---- who may manage a council's staff ----------------------------------------------------------------------


def can_manage_staff(user: AbstractBaseUser | AnonymousUser, council: Council) -> bool:
    """The council's chair, or a portal administrator: a secretary runs the office but does not hand out roles."""
    return is_chair(user, council)


def council_for_staff_manager(user: AbstractBaseUser | AnonymousUser, slug: str) -> Council:
    """The tenant gate (404 for outsiders), then 403 for the council's staff who may not invite."""
    council = council_for_user(user, slug)
    if not can_manage_staff(user, council):
        raise PermissionDenied
    return council


# ---- reads -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    staff: CouncilStaff
    pending: bool  # invited, no password set yet


def staff_for_council(*, council: Council) -> list[StaffRow]:
    rows: QuerySet[CouncilStaff] = (
        CouncilStaff.objects.filter(council=council).select_related("user").order_by("user__email", "id")
    )
    return [StaffRow(staff=row, pending=not row.user.has_usable_password()) for row in rows]


def is_pending(user: AbstractBaseUser) -> bool:
    return user.is_active and not user.has_usable_password()


def invitation_path(user: AbstractBaseUser) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    return reverse("invitation_accept", kwargs={"uidb64": uidb64, "token": token})


# ---- writes ------------------------------------------------------------------------------------------------


def _find_user(email: str) -> User | None:
    users = list(
        get_user_model().objects.filter(email__iexact=email) | get_user_model().objects.filter(username__iexact=email)
    )
    if len({u.pk for u in users}) > 1:
        raise ValidationError(
            {"email": _("Several accounts use this address. Ask a portal administrator to sort them out first.")}
        )
    return users[0] if users else None


@transaction.atomic
def staff_invite(*, council: Council, email: str, role: str, invited_by: AbstractBaseUser) -> CouncilStaff:
    """Give the person at `email` a role in the council and mail them.

    1. An address with no account gets one, named by the address, with an unusable password.
    2. An existing account gets the role (replacing its role in this council, if any); a disabled one is refused.
    3. The mail carries a one-time link to set a password while the account has none; else it says to sign in.
    """
    email = email.strip().lower()
    user = _find_user(email)
    if user is None:
        user = get_user_model().objects.create_user(username=email[:150], email=email, password=None)
    elif not user.is_active:
        raise ValidationError({"email": _("This account is disabled. Ask a portal administrator.")})
    staff = council_staff_grant(user=user, council=council, role=role)
    _enqueue_mail(staff=staff, invited_by=invited_by)
    return staff


@transaction.atomic
def staff_invite_resend(*, staff: CouncilStaff, invited_by: AbstractBaseUser) -> None:
    """A new link for an invitation not yet taken up (the old links keep working until they expire)."""
    if not is_pending(staff.user):
        raise ValidationError(_("This person has already set a password."))
    _enqueue_mail(staff=staff, invited_by=invited_by)


def _enqueue_mail(*, staff: CouncilStaff, invited_by: AbstractBaseUser) -> None:
    outbox_enqueue(
        handler=MAIL_TARGET,
        kwargs={
            "staff_id": staff.pk,
            "invited_by": invited_by.get_full_name() or invited_by.get_username(),  # type: ignore[attr-defined]
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        },
    )


@handler(MAIL_TARGET)
def invitation_send_mail(*, staff_id: int, invited_by: str, language: str) -> None:
    """Run by the outbox after commit. The link is made now, so it is signed over the account as it is now; a role
    revoked in the meantime sends nothing."""
    staff = CouncilStaff.objects.select_related("user", "council").filter(pk=staff_id).first()
    if staff is None or not staff.user.is_active or not staff.user.email:
        return
    site = settings.SITE_URL.rstrip("/")
    with translation.override(language):
        context = {
            "council": staff.council,
            "role": staff.get_role_display(),
            "invited_by": invited_by,
            "pending": is_pending(staff.user),
            "link": site + invitation_path(staff.user) if is_pending(staff.user) else "",
            "login_url": site + reverse("login"),
            "username": staff.user.get_username(),
            "hours": int(INVITATION_MAX_AGE.total_seconds() // 3600),
        }
        subject = render_to_string("councils/email/invitation_subject.txt", context).strip()
        body = render_to_string("councils/email/invitation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [staff.user.email])
