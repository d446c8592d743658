"""The two-factor pages: the code step after the password, setting up an authenticator app, backup codes; and
the rate-limited password reset."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice

from core.limits import refusal
from core.ratelimit import submission_rate_limited

from .forms import CodeForm
from .qr import qr_svg
from .selectors import (
    SecondFactorStep,
    backup_codes_left,
    is_portal_administrator,
    second_factor_step,
    totp_device_for,
)
from .services import (
    backup_codes_renew,
    second_factor_remove,
    second_factor_verify,
    totp_device_confirm,
    totp_device_start,
)

# New backup codes wait here between the POST that makes them and the one page that shows them.
SESSION_BACKUP_CODES = "accounts_backup_codes"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _signed_in_with(request: HttpRequest, device: Device) -> None:
    """The session is verified from now on; it gets a new key, as on any change of privilege."""
    django_otp.login(request, device)
    request.session.cycle_key()


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step after the password: a code from the app, or a backup code."""
    step = second_factor_step(request.user)
    next_url = _next_url(request)
    if step is None:
        return redirect(next_url)
    if step == SecondFactorStep.SETUP:
        return redirect(_with_next("accounts:setup", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor_verify(user=request.user, token=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            _signed_in_with(request, device)
            if isinstance(device, StaticDevice):
                left = backup_codes_left(request.user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a backup code; %(count)d code is left.",
                        "You signed in with a backup code; %(count)d codes are left.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
    return render(request, "accounts/verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Set up (or, once verified, replace) the authenticator app; confirmed by its first code."""
    next_url = _next_url(request)
    if second_factor_step(request.user) == SecondFactorStep.VERIFY:
        # Someone holding only the password must not replace the owner's app.
        return redirect(_with_next("accounts:verify", next_url))
    device = totp_device_start(user=request.user)
    form = CodeForm(request.POST or None, backup_allowed=False)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp_device_confirm(device=device, token=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            _signed_in_with(request, device)
            request.session[SESSION_BACKUP_CODES] = codes
            return redirect(_with_next("accounts:backup_codes", next_url))
    secret = b32encode(device.bin_key).decode()
    config_url = device.config_url
    context = {
        "form": form,
        "next": next_url,
        "required": is_portal_administrator(request.user),
        "replacing": totp_device_for(request.user) is not None,
        "config_url": config_url,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr": qr_svg(config_url, title=_("QR code for your authenticator app")),
    }
    return render(request, "accounts/setup.html", context)


@never_cache
@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes, shown once: a reload (or the back button) finds them gone."""
    codes = request.session.pop(SESSION_BACKUP_CODES, None)
    if not codes:
        return redirect("accounts:overview")
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _next_url(request)})


@never_cache
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "device": totp_device_for(user),
        "codes_left": backup_codes_left(user),
        "required": is_portal_administrator(user),
    }
    return render(request, "accounts/overview.html", context)


@require_POST
@login_required
def renew_backup_codes(request: HttpRequest) -> HttpResponse:
    try:
        codes = backup_codes_renew(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:overview")
    request.session[SESSION_BACKUP_CODES] = codes
    return redirect(_with_next("accounts:backup_codes", reverse("accounts:overview")))


@require_POST
@login_required
def remove(request: HttpRequest) -> HttpResponse:
    try:
        second_factor_remove(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Two-factor sign-in is off. You sign in with your password alone."))
    return redirect("accounts:overview")


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per client address and per address asked for (core/ratelimit.py).

    A client over its limit gets 429: it is flooding, whatever the address. An address asked for too often
    gets no more mail, but the same "check your mail" page as any other: the answer must not tell whether the
    address has an account, nor that it was asked for before.
    """

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        limits = settings.OVERSIGHT
        # First the client alone (no address: the helper then counts the client only).
        if submission_rate_limited(
            request,
            group="password-reset",
            email="",
            per_ip=limits["PASSWORD_RESET_RATE_PER_IP"],
            per_email=limits["PASSWORD_RESET_RATE_PER_EMAIL"],
        ):
            return refusal(
                request,
                status=429,
                title=_("Too many requests"),
                message=_("Too many password reset requests were sent from here. Please try again in an hour."),
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        limits = settings.OVERSIGHT
        # Now the address. Its group counts the client again, at the same rate: that count never exceeds the
        # one above, which refused first, so a True here is the address's limit.
        if submission_rate_limited(
            self.request,
            group="password-reset-address",
            email=form.cleaned_data["email"],
            per_ip=limits["PASSWORD_RESET_RATE_PER_IP"],
            per_email=limits["PASSWORD_RESET_RATE_PER_EMAIL"],
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
