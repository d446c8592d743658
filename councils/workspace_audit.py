"""The audit page of a council: who changed which of its records, when, and which fields (old → new).

Read from the historical tables of django-simple-history (`councils.audit`). Only the council's chair and
secretary see it: members get 403, outsiders 404 (the tenant gate, as everywhere). The page costs at most two
queries per audited model, whatever the amount of history: the latest rows of each model with the id of each
row's previous version (a window function), then those previous versions in one query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Model
from django.db.models.expressions import Window
from django.db.models.functions import Lag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from .audit import Audited, audited_models, history_model
from .models import Council
from .workspace import CouncilScopedMixin

LABEL_FIELDS = ("title", "topic", "subject", "name", "full_name", "number", "text", "key")
ACTIONS = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class AuditEntry:
    when: dt.datetime
    user: Any
    kind: str
    label: str
    action: str
    changes: list[Change] = field(default_factory=list)


def _shown(model_field: Any, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    return text if len(text) <= 300 else text[:299] + "…"


def _label(row: Model) -> str:
    for name in LABEL_FIELDS:
        value = getattr(row, name, None)
        if value:
            text = str(value)
            return text if len(text) <= 100 else text[:99] + "…"
    return f"#{row.id}"  # type: ignore[attr-defined]


def _changes(row: Model, previous: Model) -> list[Change]:
    changes = []
    for model_field in row.tracked_fields:  # type: ignore[attr-defined]
        old, new = getattr(previous, model_field.attname), getattr(row, model_field.attname)
        if old != new:
            changes.append(Change(str(model_field.verbose_name), _shown(model_field, old), _shown(model_field, new)))
    return changes


def audit_kinds() -> list[tuple[str, str]]:
    """The council's audited kinds of record, for the page's filter."""
    return [(a.label, str(a.model._meta.verbose_name_plural).capitalize()) for a in audited_models() if a.council_path]


def council_audit_entries(*, council: Council, limit: int = 100, kind: str = "") -> list[AuditEntry]:
    """The latest `limit` changes to the council's records (of one kind, if given), newest first.

    1. Per audited model: its latest `limit` history rows for the council, each with the id of the same
       record's previous version (LAG over the record's history).
    2. The newest `limit` of all of those.
    3. Per model among them: the previous versions in one query, to compare field by field.
    """
    found: list[tuple[Audited, Any]] = []
    for audited in audited_models():
        if audited.council_path is None or (kind and audited.label != kind):
            continue
        history = history_model(audited)
        previous_id = Window(
            Lag("history_id"), partition_by=[F("id")], order_by=[F("history_date").asc(), F("history_id").asc()]
        )
        rows = (
            history.objects.filter(**{audited.council_path: council.pk})
            .select_related("history_user")
            .annotate(previous_history_id=previous_id)
            .order_by("-history_date", "-history_id")[:limit]
        )
        found.extend((audited, row) for row in rows)
    found.sort(key=lambda pair: (pair[1].history_date, pair[1].history_id), reverse=True)
    found = found[:limit]

    wanted: dict[str, set[int]] = {}
    for audited, row in found:
        if row.history_type == "~" and row.previous_history_id:
            wanted.setdefault(audited.label, set()).add(row.previous_history_id)
    previous: dict[tuple[str, int], Any] = {}
    for audited in audited_models():
        if audited.label in wanted:
            for pk, row in history_model(audited).objects.in_bulk(list(wanted[audited.label])).items():
                previous[(audited.label, pk)] = row

    entries = []
    for audited, row in found:
        before = previous.get((audited.label, row.previous_history_id))
        entries.append(
            AuditEntry(
                when=row.history_date,
                user=row.history_user,
                kind=str(audited.model._meta.verbose_name).capitalize(),
                label=_label(row),
                action=str(ACTIONS.get(row.history_type, row.history_type)),
                changes=_changes(row, before) if before is not None else [],
            )
        )
    return entries


class AuditView(CouncilScopedMixin, generic.TemplateView):
    """Recent changes to the council's records. The chair and the secretary only: it shows every edit."""

    write_required = True
    template_name = "workspace/audit.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        kinds = audit_kinds()
        kind = self.request.GET.get("kind", "")
        if kind not in {label for label, _name in kinds}:
            kind = ""
        context.update(kinds=kinds, kind=kind, entries=council_audit_entries(council=self.council, kind=kind))
        return context
