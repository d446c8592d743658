"""Sending a council's news to its media contacts: the one place where the news app and the stakeholder registry
meet, without either importing the other (they stand side by side in the README's layers).

The registry registers its press office in its `AppConfig.ready()`, the way apps register dashboard panels
(`core/dashboard.py`); the news app asks `press_office()` for it. An office does two things for one council:

- `sent(council=…, source=…)`: the mail-out already made for a record (`source`, e.g. "news:12"), or None;
- `send(council=…, release=…, by=…)`: a mail-out to the council's media group through the outbox (each message
  with its one-click unsubscribe link), once per source; a refusal (sent already, nobody to mail) is a
  ValidationError.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class PressRelease:
    source: str  # the record sent, by kind and id ("news:12"): the office sends each one once
    subject: str
    body: str
    language: str


@dataclass(frozen=True)
class PressSent:
    at: dt.datetime
    language: str
    recipients: int


class PressOffice(Protocol):
    # `council` is a councils.Council and `by` a user: core names no app.
    def sent(self, *, council: Any, source: str) -> PressSent | None: ...

    def send(self, *, council: Any, release: PressRelease, by: Any) -> PressSent: ...


_office: list[PressOffice] = []


def register_press_office(office: PressOffice) -> None:
    """Register the office; registering the same one again (a second `ready()`) changes nothing."""
    if _office and _office[0] is not office:
        raise ImproperlyConfigured("Two press offices are registered.")
    _office[:] = [office]


def press_office() -> PressOffice | None:
    return _office[0] if _office else None
