"""SQLite as the local demo runs it (`make run`): case-insensitive matching for every alphabet.

Django's `iexact`, `icontains`, `istartswith` (and on SQLite `contains` too) become SQL `LIKE`, and SQLite's own
LIKE folds the case of ASCII letters only: «ТОО «Казцинк»» and «тоо «казцинк»» differ for it, so the local demo
took a council's second organisation of the same name, and a staff search for «алматы» missed «Алматы», where
PostgreSQL (production, `UPPER()` on both sides) finds them. Each new SQLite connection gets a `like()` function
in Python (SQLite lets a connection replace its LIKE) that matches as PostgreSQL's ILIKE does: `%` any run, `_`
any one character, the ESCAPE character (Django's is `\\`) before either to mean it, case folded for every
alphabet. PostgreSQL is left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.db.backends.signals import connection_created


@lru_cache(maxsize=512)
def _pattern(pattern: str, escape: str | None) -> re.Pattern[str]:
    parts: list[str] = []
    chars = iter(pattern)
    for char in chars:
        if escape and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def like(pattern: str | None, value: Any, escape: str | None = None) -> bool | None:
    """SQL `value LIKE pattern [ESCAPE escape]`, case-insensitive for every alphabet; NULL with a NULL side."""
    if pattern is None or value is None:
        return None
    return _pattern(pattern, escape).fullmatch(str(value)) is not None


def unicode_like(sender: object, connection: Any, **kwargs: object) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("like", 2, like, deterministic=True)
        connection.connection.create_function("like", 3, like, deterministic=True)


connection_created.connect(unicode_like, dispatch_uid="core.sqlite.unicode_like")
