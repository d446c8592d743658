"""Limits on public submissions (appeals, alert subscriptions): per client address and per e-mail address.

The e-mail is passed in rather than read from `request.POST`, which is empty for a JSON body: an API client
would otherwise escape the per-e-mail limit. Cache-backed through django-ratelimit (Redis in production).
"""

from __future__ import annotations

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited


def submission_rate_limited(request: HttpRequest, *, group: str, email: str, per_ip: str, per_email: str) -> bool:
    """Count this submission against both limits; True when either is exceeded."""
    by_ip = is_ratelimited(request, group=f"{group}-ip", key="ip", rate=per_ip, increment=True)
    address = (email or "").strip().lower()
    by_email = bool(address) and is_ratelimited(
        request, group=f"{group}-email", key=lambda _group, _request: address, rate=per_email, increment=True
    )
    return by_ip or by_email
