"""Which records keep an audit trail, and how each one finds its council.

django-simple-history (settings: why) writes a snapshot row with the user and the time for every save and delete
through the ORM. The models are registered here, once, from `CouncilsConfig.ready`, from each model's own
declaration (`ownership = CouncilOwned(...)`, councils/ownership.py): the councils app names no other app's
model. Each historical model lives in its own app (its migrations are there) and is reached as
`Model.audit_history` (not the library's default `history`: recommendations already use that name for their
status history).

Status-change rows (`*StatusChange`) are not registered: they are an append-only history themselves (their
declarations say so, `audit=False`).
Bulk writes (`bulk_create`, `QuerySet.update`, the council-activity importer) leave no trail, by the library's
design: the importer's runs are recorded by the file it imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model

from .ownership import council_owned_models, shared_models

HISTORY_MANAGER = "audit_history"


@dataclass(frozen=True)
class Audited:
    label: str  # "app_label.ModelName"
    council_path: str | None  # lookup from the record to its council; None: shared by all councils
    excluded_fields: tuple[str, ...] = ()

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)


def audited_models() -> tuple[Audited, ...]:
    """Every model whose declaration (`councils.ownership`) asks for a trail: the council-owned ones unless they
    say why not, and the shared records that ask for one (state bodies)."""
    audited = [
        Audited(model._meta.label, owned.path, owned.audit_excluded_fields)
        for model, owned in council_owned_models()
        if owned.audit
    ]
    audited += [Audited(model._meta.label, None) for model, shared in shared_models() if shared.audit]
    return tuple(audited)


def register_history() -> None:
    """Give every audited model its historical twin (idempotent: a second call does nothing)."""
    import simple_history

    for audited in audited_models():
        model = audited.model
        if hasattr(model, HISTORY_MANAGER):
            continue
        simple_history.register(
            model, manager_name=HISTORY_MANAGER, excluded_fields=list(audited.excluded_fields) or None
        )


def history_model(audited: Audited) -> type[Model]:
    return getattr(audited.model, HISTORY_MANAGER).model
