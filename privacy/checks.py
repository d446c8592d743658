"""Deployment checks: the privacy notice must name the portal's operator and where the data is stored."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

REQUIRED = {
    "OPERATOR_NAME": "OVERSIGHT_OPERATOR_NAME",
    "OPERATOR_ADDRESS": "OVERSIGHT_OPERATOR_ADDRESS",
    "OPERATOR_EMAIL": "OVERSIGHT_OPERATOR_EMAIL",
    "DATA_LOCATION": "OVERSIGHT_DATA_LOCATION",
}


@register(Tags.security, deploy=True)
def operator_settings(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """`manage.py check --deploy` warns while the privacy notice would say "not set"."""
    return [
        Warning(
            f"{variable} is not set: the privacy notice cannot name the portal's operator or where data is stored.",
            hint="Set it in the environment (README, Configuration).",
            id="privacy.W001",
        )
        for key, variable in REQUIRED.items()
        if not settings.OVERSIGHT.get(key)
    ]
