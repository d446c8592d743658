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

# The demos: "aarhus" (`load_demo_aarhus`) and "almaty" (`load_demo`, the Almaty council's 2019 file, whose
# council-activity format does not carry the stakeholder registry or the experts' engagements).
AARHUS, ALMATY = "aarhus", "almaty"

_steps: dict[str, list[tuple[str, DemoStep]]] = {AARHUS: [], ALMATY: []}


def register_demo_step(name: str, step: DemoStep, *, demo: str = AARHUS) -> None:
    """Run `step` when the demo is loaded; a name is taken once per demo (registering it again is a no-op)."""
    steps = _steps[demo]
    if any(taken == name for taken, _step in steps):
        return
    steps.append((name, step))


def demo_steps(demo: str = AARHUS) -> list[tuple[str, DemoStep]]:
    return list(_steps[demo])


def run_demo_steps(*, council: Any, year: int, data: dict[str, Any], demo: str = AARHUS) -> list[str]:
    """Every registered step, in order; the names of those that ran. `data` is the demo file's content, so that a
    step may read a part of its own (e.g. `data.get("information_requests")`)."""
    ran = []
    for name, step in _steps[demo]:
        step(council=council, year=year, data=data)
        ran.append(name)
    return ran
