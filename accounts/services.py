"""Writes of the accounts app: setting up, checking and removing a user's second factor.

A user's second factor is one TOTP device (an authenticator app) plus one static device holding single-use backup
codes. Both come from django-otp, whose throttling (exponential back-off after each wrong code, counted on the
device) limits guessing; django-axes limits password guessing before that.
"""

from __future__ import annotations

import logging
import math
import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .selectors import backup_device_for, is_portal_administrator, totp_device_for

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"
_APP_CODE = re.compile(r"\d{6}")


def normalise_code(raw: str) -> str:
    """What people type: spaces and hyphens between groups, any case."""
    return re.sub(r"[\s-]+", "", raw).lower()


# `info` is what django_otp's (untyped) verify_is_allowed() returns: {"reason", "locked_until", ...}, so Any.
def _throttled_error(info: dict[str, Any] | None) -> ValidationError:
    locked_until = (info or {}).get("locked_until")
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds())) if locked_until else 1
    return ValidationError(
        ngettext(
            "Too many wrong codes. Try again in %(seconds)d second.",
            "Too many wrong codes. Try again in %(seconds)d seconds.",
            seconds,
        )
        % {"seconds": seconds},
        code="throttled",
    )


def _wrong_code_error() -> ValidationError:
    return ValidationError(
        _("This code is not correct. Enter the current code from your authenticator app, or an unused backup code."),
        code="wrong_code",
    )


def _check(device: Device, token: str) -> tuple[bool, dict[str, Any] | None]:
    """Check the code under a row lock, so that parallel guesses queue up behind the throttle.

    Returns (accepted, why refused). The transaction commits either way: a wrong code must stay counted.
    """
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, info = locked.verify_is_allowed()
        if not allowed:
            return False, info
        if locked.verify_token(token):
            return True, None
        return False, None


def totp_device_start(*, user: User) -> TOTPDevice:
    """The authenticator app being set up: the same secret until it is confirmed (a reload must not change it)."""
    device = totp_device_for(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the app with its first code; returns the new backup codes (shown to the user once).

    1. The code is checked like any other (throttled); a wrong one raises ValidationError.
    2. The app becomes the user's only one: other apps (set up earlier, perhaps on a lost phone) are removed.
    3. A fresh set of backup codes replaces any older set.
    Not atomic as a whole: a wrong code must stay counted even though the call fails.
    """
    if device.confirmed:
        raise ValidationError(_("This authenticator app is already set up."), code="confirmed")
    accepted, info = _check(device, normalise_code(token))
    if not accepted:
        raise _throttled_error(info) if info else _wrong_code_error()
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        codes = _backup_codes_replace(device.user)
    logger.info("two-factor: user %s set up an authenticator app", device.user_id)
    return codes


def second_factor_verify(*, user: User, token: str) -> Device:
    """The device that accepts this code (six digits: the app; anything else: a backup code, used up).

    Raises ValidationError for a wrong code, or while the device is throttled after wrong ones.
    """
    token = normalise_code(token)
    device: Device | None = totp_device_for(user) if _APP_CODE.fullmatch(token) else backup_device_for(user)
    if device is None:
        raise _wrong_code_error()
    accepted, info = _check(device, token)
    if not accepted:
        logger.info("two-factor: wrong code for user %s", user.pk)
        raise _throttled_error(info) if info else _wrong_code_error()
    if isinstance(device, StaticDevice):
        logger.info("two-factor: user %s used a backup code", user.pk)
    return device


def _backup_codes_replace(user: User) -> list[str]:
    # The device stays (a session verified with a backup code stays verified); only its codes change.
    device = StaticDevice.objects.filter(user=user).order_by("id").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.token_set.all().delete()
    codes: list[str] = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        # All digits would read as an app code (second_factor_verify tells them apart by shape).
        if not code.isdigit() and code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def backup_codes_renew(*, user: User) -> list[str]:
    """A new set of backup codes for a user with an authenticator app; the old codes stop working."""
    if totp_device_for(user) is None:
        raise ValidationError(_("Set up an authenticator app first."), code="no_device")
    return _backup_codes_replace(user)


@transaction.atomic
def second_factor_remove(*, user: User) -> None:
    """Turn two-factor sign-in off for council staff; portal administrators cannot go without it."""
    if is_portal_administrator(user):
        raise ValidationError(_("Portal administrators must keep two-factor sign-in."), code="required")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    logger.info("two-factor: user %s turned two-factor sign-in off", user.pk)
