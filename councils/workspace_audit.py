"""The audit page of a council: who changed which of its records, when, and which fields (old → new).

Read from the historical tables of django-simple-history (`councils.audit`). Only the council's chair and
secretary see it: members get 403, outsiders 404 (the tenant gate, as everywhere). The page costs one query for the
newest rows across every audited model, then at most two per model among them, whatever the amount of history:
those rows with the id of each one's previous version, then those previous versions in one query. (It asked each
of some sixty models in turn: 65 queries, 200 ms at national scale, benchmarks/scale.py.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Model, OuterRef, Q, Subquery
from django.utils.functional import Promise
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


def _field_name(model_field: Any) -> str:
    """The field's name in the page's language: its own verbose name, or, for a relation that has none (Django's
    default, the attribute's name in English: "assignee", "forwarded to"), the name of the kind it points to."""
    name = model_field.verbose_name
    if not isinstance(name, Promise) and model_field.is_relation and model_field.related_model is not None:
        name = model_field.related_model._meta.verbose_name
    return str(name)


def _changed_fields(row: Model, previous: Model) -> list[tuple[Any, Any, Any]]:
    """(field, old value, new value) of each tracked field that differs; a relation's values are the ids."""
    changed = []
    for model_field in row.tracked_fields:  # type: ignore[attr-defined]
        old, new = getattr(previous, model_field.attname), getattr(row, model_field.attname)
        if old != new:
            changed.append((model_field, old, new))
    return changed


def _related_names(changed: list[list[tuple[Any, Any, Any]]]) -> dict[tuple[Any, Any], str]:
    """{(model, id): the record's name} of every record a changed relation pointed to, before or after: one query
    per kind of record among them, so that the page says "Aliya Nurlanova → Aidos Bekov", not "5 → 7". A record
    deleted since keeps its number ("#7")."""
    wanted: dict[Any, set[Any]] = {}
    for fields in changed:
        for model_field, old, new in fields:
            if model_field.is_relation and model_field.related_model is not None:
                wanted.setdefault(model_field.related_model, set()).update(v for v in (old, new) if v is not None)
    return {
        (model, pk): str(record)
        for model, ids in wanted.items()
        for pk, record in model._base_manager.in_bulk(list(ids)).items()
    }


def _changes(changed: list[tuple[Any, Any, Any]], names: dict[tuple[Any, Any], str]) -> list[Change]:
    def shown(model_field: Any, value: Any) -> str:
        if value is not None and model_field.is_relation and model_field.related_model is not None:
            return names.get((model_field.related_model, value), f"#{value}")
        return _shown(model_field, value)

    return [Change(_field_name(f), shown(f, old), shown(f, new)) for f, old, new in changed]


def audit_kinds() -> list[tuple[str, str]]:
    """The council's audited kinds of record, for the page's filter."""
    return [(a.label, str(a.model._meta.verbose_name_plural).capitalize()) for a in audited_models() if a.council_path]


def council_audit_entries(*, council: Council, limit: int = 100, kind: str = "") -> list[AuditEntry]:
    """The latest `limit` changes to the council's records (of one kind, if given), newest first.

    1. The newest `limit` history rows of the council's records across every audited model, in one query: each
       model's latest `limit` (its own index on the history's date), put together and cut again.
    2. Per model among them: those rows, each with the id of the same record's previous version.
    3. Per model among them: the previous versions in one query, to compare field by field.
    4. Per kind of record a changed relation points to: those records' names, in one query.
    """
    audits = [a for a in audited_models() if a.council_path is not None and (not kind or a.label == kind)]
    newest = _newest_history(council=council, audits=audits, limit=limit)
    found: list[tuple[Audited, Any]] = []
    for index in sorted({index for index, _history_id in newest}):
        audited = audits[index]
        history = history_model(audited)
        earlier = (
            history.objects.filter(id=OuterRef("id"))
            .filter(
                Q(history_date__lt=OuterRef("history_date"))
                | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
            )
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        rows = (
            history.objects.filter(history_id__in=[h for i, h in newest if i == index])
            .select_related("history_user")
            .annotate(previous_history_id=Subquery(earlier))
        )
        found.extend((audited, row) for row in rows)
    found.sort(key=lambda pair: (pair[1].history_date, pair[1].history_id), reverse=True)

    wanted: dict[str, set[int]] = {}
    for audited, row in found:
        if row.history_type == "~" and row.previous_history_id:
            wanted.setdefault(audited.label, set()).add(row.previous_history_id)
    previous: dict[tuple[str, int], Any] = {}
    for audited in audits:
        if audited.label in wanted:
            for pk, row in history_model(audited).objects.in_bulk(list(wanted[audited.label])).items():
                previous[(audited.label, pk)] = row

    changed = []
    for audited, row in found:
        before = previous.get((audited.label, row.previous_history_id))
        changed.append(_changed_fields(row, before) if before is not None else [])
    names = _related_names(changed)
    return [
        AuditEntry(
            when=row.history_date,
            user=row.history_user,
            kind=str(audited.model._meta.verbose_name).capitalize(),
            label=_label(row),
            action=str(ACTIONS.get(row.history_type, row.history_type)),
            changes=_changes(fields, names),
        )
        for (audited, row), fields in zip(found, changed, strict=True)
    ]


def _newest_history(*, council: Council, audits: list[Audited], limit: int) -> list[tuple[int, int]]:
    """(index in `audits`, history id) of the newest `limit` history rows of the council's records, newest first:
    one query, a UNION ALL of each model's newest `limit` (a subquery in FROM may have its own ORDER BY and
    LIMIT in PostgreSQL and SQLite alike)."""
    parts: list[str] = []
    params: list[Any] = []
    for index, audited in enumerate(audits):
        rows = (
            history_model(audited)
            .objects.filter(**{audited.council_path or "": council.pk})
            .order_by("-history_date", "-history_id")
            .values_list("history_id", "history_date")[:limit]
        )
        sql, part_params = rows.query.sql_with_params()
        # The index is this code's own integer; the rest is the ORM's SQL with its parameters.
        parts.append(f"SELECT {int(index)} AS kind, part.history_id, part.history_date FROM ({sql}) AS part")  # noqa: S608
        params.extend(part_params)
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(parts) + " ORDER BY history_date DESC, history_id DESC LIMIT %s", [*params, limit]
        )
        return [(index, history_id) for index, history_id, _when in cursor.fetchall()]


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
