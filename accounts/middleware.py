"""The second sign-in step, enforced for the whole site.

A session that signed in with its password but still owes a code (or, for an administrator, an authenticator app)
reaches nothing but the two-factor pages, the sign-in and sign-out pages and the language switch: not the
workspace, not the admin, not the session-authenticated API. It sits after django_otp's OTPMiddleware, which
tells whether the session is verified.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import second_factor_step

# The views such a session may still open (by view name, so that every language prefix is covered).
OPEN_VIEWS = frozenset(
    {"accounts:verify", "accounts:setup", "login", "logout", "admin:logout", "set_language", "healthz"}
)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        step = second_factor_step(request.user)
        if step is None:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": _("Finish signing in with your second factor first.")}, status=403)
        url = reverse(f"accounts:{step}")
        if request.method in ("GET", "HEAD"):
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return HttpResponseRedirect(url)
