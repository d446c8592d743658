"""The workspace dashboard's panels, registered by the apps that own them.

Each app adds what it shows on a council's dashboard in its `AppConfig.ready()`, the way `admin.site.register`
works, so the page that puts the dashboard together (`reports/dashboard.py`) names no app and an app added on top
adds its own panel without touching the others. A panel is a function `(*, council, today) -> context`; the
dashboard merges the panels' context in the order of INSTALLED_APPS, and two panels giving the same name is a
configuration error rather than one silently hiding the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

# Called as panel(council=..., today=...). `...` because core may not name councils.Council (core imports no app),
# and a Callable typed with Model would reject the apps' functions, which (rightly) take a Council.
Panel = Callable[..., Mapping[str, object]]

_panels: dict[str, Panel] = {}


def register_panel(name: str, panel: Panel) -> None:
    """Add an app's panel; registering the same function again (a second `ready()`) changes nothing."""
    if _panels.get(name, panel) is not panel:
        raise ImproperlyConfigured(f"Two dashboard panels are named {name!r}.")
    _panels[name] = panel


def registered_panels() -> list[str]:
    return list(_panels)


def dashboard_context(*, council: Model, today: dt.date) -> dict[str, object]:
    """Every registered panel's context for one council, merged."""
    context: dict[str, object] = {"today": today}
    for name, panel in _panels.items():
        part = panel(council=council, today=today)
        if clash := context.keys() & part.keys():
            raise ImproperlyConfigured(f"The dashboard panel {name!r} repeats {sorted(clash)}.")
        context.update(part)
    return context
