"""Steps that add records to the demo Aarhus centre (`manage.py load_demo_aarhus`), registered by the apps that
own those records, as admin.py modules register with the admin site.

The centre's library, consultations and trainings are loaded by the command itself (outreach/); the parts other
apps own register a step in their AppConfig.ready():

    from core.demo import register_demo_step
    register_demo_step("information_requests", load_demo_requests)   # monitoring/
    register_demo_step("eia_hearing", load_demo_eia_hearing)         # hearings/

A step is called with the centre (a councils.Council) and the demo year, after the command's own records, in the
order of registration; it must be idempotent (running the loader again changes nothing) and mark its records
demo. Core imports no app: the council is passed as a model instance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DemoStep = Callable[..., None]  # step(*, council: Council, year: int, data: dict[str, Any]) -> None

_steps: list[tuple[str, DemoStep]] = []


def register_demo_step(name: str, step: DemoStep) -> None:
    """Run `step` when the demo Aarhus centre is loaded; a name is taken once (registering it again is a no-op)."""
    if any(taken == name for taken, _step in _steps):
        return
    _steps.append((name, step))


def demo_steps() -> list[tuple[str, DemoStep]]:
    return list(_steps)


def run_demo_steps(*, council: Any, year: int, data: dict[str, Any]) -> list[str]:
    """Every registered step, in order; the names of those that ran. `data` is the demo file's content, so that a
    step may read a part of its own (e.g. `data.get("information_requests")`)."""
    ran = []
    for name, step in _steps:
        step(council=council, year=year, data=data)
        ran.append(name)
    return ran
