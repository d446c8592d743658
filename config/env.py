"""Small typed readers for settings from the environment; they fail loudly on bad values."""

from __future__ import annotations

import os
from typing import overload
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    """A string; `NAME_FILE` (a path) wins over `NAME`, so secrets can come from files."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        with open(path, encoding="utf-8") as fh:
            return fh.read().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = env(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def envlist(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def required(name: str) -> str:
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_DEBUG is off")
    return value


def tiles_origin(name: str, url: str) -> str:
    """The origin a map tile address template loads from, for the CSP's img-src: "https://tile.example.org" for
    "https://tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org" for "https://{s}.tile.example.org/…".
    The template must be an http(s) address with {z}, {x} and {y}."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc or not all(k in url for k in ("{z}", "{x}", "{y}")):
        raise ImproperlyConfigured(
            f"{name} must be an http(s) address with {{z}}, {{x}} and {{y}} "
            f"(https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png), not {url!r}"
        )
    host = parts.netloc.replace("{s}", "*")
    if "{" in host or "}" in host:
        raise ImproperlyConfigured(f"{name}: only {{s}} may stand in the host name, not in {parts.netloc!r}")
    return f"{parts.scheme}://{host}"
