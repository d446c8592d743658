"""The translation catalogues are part of the deployment: without them the portal and the annual report would
silently fall back to the English source strings.

The messages are written in English (the source language); every other language of `LANGUAGES` needs its
compiled catalogue (`locale/<code>/LC_MESSAGES/django.mo`, made by `manage.py compilemessages`, which the set-up
script and the Docker image run). A missing or empty catalogue is:

1. a system check error (`manage.py check`, `runserver`, `migrate` stop with it: core.E001);
2. a `/healthz` failure (the "translations" check), so a load balancer never sends users to such a process;
3. a failed report build (`require_catalogue`), never a report in English under a Russian file name.
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

SOURCE_LANGUAGE = "en"
# A message of this project (not of Django, whose own catalogues are always installed): a catalogue that does not
# translate it is not this project's.
PROBE = "Public monitoring"


class CatalogueMissing(RuntimeError):
    """A language of the site has no usable compiled catalogue. The message names the language and the file,
    nothing secret: /healthz may show it."""


def _locale_dirs() -> list[Path]:
    return [Path(path) for path in settings.LOCALE_PATHS]


def catalogue_problem(language: str) -> str:
    """Why the language's catalogue is not usable, or "" when it is (the source language always is)."""
    if language == SOURCE_LANGUAGE:
        return ""
    found = False
    for directory in _locale_dirs():
        try:
            catalogue = gettext.translation("django", localedir=str(directory), languages=[language])
        except OSError:
            continue
        found = True
        if catalogue.gettext(PROBE) != PROBE:
            return ""
    where = ", ".join(str(d / language / "LC_MESSAGES" / "django.mo") for d in _locale_dirs()) or "LOCALE_PATHS"
    if not found:
        return f"no compiled catalogue for '{language}' ({where}): run manage.py compilemessages"
    return f"the catalogue for '{language}' ({where}) does not translate this project: run manage.py compilemessages"


def catalogue_problems() -> dict[str, str]:
    """{language: reason} for every language of the site whose catalogue is not usable."""
    problems = {}
    for code, _name in settings.LANGUAGES:
        reason = catalogue_problem(code)
        if reason:
            problems[code] = reason
    return problems


def require_catalogue(language: str) -> None:
    """Raise CatalogueMissing unless the language's catalogue is usable (before rendering in it)."""
    reason = catalogue_problem(language)
    if reason:
        raise CatalogueMissing(reason)


def _stale(language: str) -> list[Path]:
    """The .po files edited after their .mo was compiled."""
    stale = []
    for directory in _locale_dirs():
        po = directory / language / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        if po.exists() and mo.exists() and po.stat().st_mtime > mo.stat().st_mtime:
            stale.append(po)
    return stale


@register()
def check_catalogues(app_configs: Sequence[AppConfig] | None = None, **kwargs: object) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for reason in catalogue_problems().values():
        messages.append(
            Error(
                reason,
                hint="The pages and the annual report would come out in English. Run "
                "`python manage.py compilemessages --ignore=.venv` (scripts/setup.sh and the Docker image do).",
                id="core.E001",
            )
        )
    for code, _name in settings.LANGUAGES:
        for po in _stale(code):
            messages.append(
                Warning(
                    f"{po} is newer than its compiled catalogue",
                    hint="Run `python manage.py compilemessages --ignore=.venv`.",
                    id="core.W001",
                )
            )
    return messages
