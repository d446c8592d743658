"""Which council a record belongs to: declared once, on its model, and read by every registry.

A council-owned model says so in one line:

    class AgendaItem(models.Model):
        ownership = CouncilOwned("meeting__council")

The path is an ORM lookup from the record to its council ("id" for a council itself). Everything that needs to
know a record's council reads it from there (`council_path(model)`): the audit trail (`councils.audit`, which also
registers the django-simple-history twins), the invalidation of the public pages' cache (`core.page_cache`), the
recommendation sources (`monitoring.models.SourceKind`), the workspace views' object lookups
(`councils.workspace.CouncilObjectMixin`) and the admin's and forms' scoping (`councils.access.council_lookup`).

Every council-owned model is audited and bumps its council's page cache unless its declaration says why not
(`audit=False` or `page_cache=False`, with `why_not`). A model that has a required chain of foreign keys to a
council but belongs to none declares `NotCouncilOwned("reason")`; `tests/councils/test_ownership.py` walks every
model of the project and fails on one that says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import Model


@dataclass(frozen=True)
class CouncilOwned:
    path: str  # ORM lookup from the record to its council: "council", "meeting__council"; "id" for a council
    audit: bool = True  # keeps an audit trail (django-simple-history)
    audit_excluded_fields: tuple[str, ...] = ()  # never copied into the trail (credentials)
    page_cache: bool = True  # an edit leaves the council's cached public pages behind
    why_not: str = ""  # required when a registry is left out: why

    def __post_init__(self) -> None:
        if not (self.audit and self.page_cache) and not self.why_not:
            raise ValueError(f"CouncilOwned({self.path!r}) leaves a registry out: say why in `why_not`")

    @property
    def council_id_attribute(self) -> str:
        """The attribute path from an instance to its council's id, without a query where the row has it:
        "meeting__council" → "meeting.council_id"; "id" → "pk"."""
        if self.path == "id":
            return "pk"
        return self.path.replace("__", ".") + "_id"


@dataclass(frozen=True)
class NotCouncilOwned:
    """A model every council shares, or that belongs to none although it points at one. `audit` and `page_cache`
    say whether it keeps a trail and whether its edits leave every council's pages behind (state bodies do)."""

    reason: str
    audit: bool = False
    page_cache: bool = False


Ownership = CouncilOwned | NotCouncilOwned


def ownership_of(model: type[Model]) -> Ownership | None:
    """The model's declaration, or None when it makes none. A historical twin (django-simple-history) is not
    owned itself: it is the trail of its model."""
    declared = getattr(model, "ownership", None)
    return declared if isinstance(declared, CouncilOwned | NotCouncilOwned) else None


def council_path(model: type[Model]) -> str | None:
    """The ORM path from a record of `model` to its council, or None when it belongs to no council."""
    declared = ownership_of(model)
    return declared.path if isinstance(declared, CouncilOwned) else None


def project_models() -> list[type[Model]]:
    """The models of the project's own apps (those in its source tree), without django-simple-history's twins."""
    root = Path(settings.BASE_DIR).resolve()
    return [
        model
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == root
        for model in config.get_models()
        if not getattr(model, "instance_type", None)  # simple-history sets it on a historical twin
    ]


def council_owned_models() -> list[tuple[type[Model], CouncilOwned]]:
    owned = []
    for model in project_models():
        declared = ownership_of(model)
        if isinstance(declared, CouncilOwned):
            owned.append((model, declared))
    return owned


def shared_models() -> list[tuple[type[Model], NotCouncilOwned]]:
    shared = []
    for model in project_models():
        declared = ownership_of(model)
        if isinstance(declared, NotCouncilOwned):
            shared.append((model, declared))
    return shared


def connect_page_cache() -> None:
    """Called from `CouncilsConfig.ready`: every model whose declaration asks for it bumps its council's page
    cache version (core/page_cache.py), or, for a shared record, every council's."""
    from core.page_cache import watch_council_records, watch_shared_records

    from .models import Council

    for model, owned in council_owned_models():
        if owned.page_cache:
            watch_council_records(model, owned.council_id_attribute, council_row=model is Council)
    for model, shared in shared_models():
        if shared.page_cache:
            watch_shared_records(model)


def council_path_from_keys(model: type[Model]) -> str | None:
    """The path to a council that the model's foreign keys give (a `council` key, or the first required parent's
    path), for the test that checks every declaration against the schema; None when there is none."""
    from .models import Council

    if model is Council:
        return "id"
    fields = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    for field in fields:
        if field.name == "council" and field.related_model is Council:
            return "council"
    for field in fields:
        parent = field.related_model
        if field.null or parent is model or not isinstance(parent, type):
            continue
        lookup = council_path_from_keys(parent)
        if lookup is not None:
            return f"{field.name}__{lookup}"
    return None
