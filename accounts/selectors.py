"""Reads of the accounts app: who must give a second factor, and what they have set up."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from councils.models import CouncilStaff

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class SecondFactorStep(StrEnum):
    """What a signed-in but not yet verified session must do before it may go on."""

    VERIFY = "verify"  # enter a code from the authenticator app (or a backup code)
    SETUP = "setup"  # an administrator without an authenticator app: set one up first


def is_portal_administrator(user: User | AnonymousUser) -> bool:
    """The operator: a superuser, or staff that holds no role in any council (the admin is theirs alone)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.is_staff) and not CouncilStaff.objects.filter(user_id=user.pk).exists()


def totp_device_for(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).order_by("id").first()


def backup_device_for(user: User) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).order_by("id").first()


def backup_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())  # django_otp: untyped


def second_factor_step(user: User | AnonymousUser) -> SecondFactorStep | None:
    """None when the session may go anywhere its permissions allow; else the step it still owes.

    A second factor is asked of everyone who has set one up, and demanded of portal administrators. Council staff
    without an authenticator app sign in with their password alone (it is optional for them).
    """
    if not user.is_authenticated:
        return None
    # is_verified() is added to request.user by django_otp.middleware.OTPMiddleware, unknown to the User type.
    if user.is_verified():  # type: ignore[attr-defined]
        return None
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return SecondFactorStep.VERIFY
    if is_portal_administrator(user):
        return SecondFactorStep.SETUP
    return None
