"""The username django-axes records for a sign-in attempt.

Django's sign-in form does not enforce the username's length, and axes stores it in a 255-character column:
an over-long name would make the refused sign-in a 500. No real account name is longer than the User model's
150 characters, so recording a cut name loses nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest

MAX_LENGTH = get_user_model()._meta.get_field("username").max_length or 150


def axes_username(request: HttpRequest | None, credentials: dict[str, object] | None = None) -> str:
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("username", "")
    return str(value or "")[:MAX_LENGTH]
