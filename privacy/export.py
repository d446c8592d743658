"""The access file: everything the portal holds under one e-mail address, assembled from the REGISTER.

It is a ZIP with `data.json` and the stored files. `data.json` lists, for every subject model of the register
(`core.personal_data.subject_models()`), each row held under the address (`records_of(email)`), and in it every
declared personal field (`fields_of(model)`) with its label, category, purpose and value. A new personal field or
subject model declared with `personal(...)` appears here without a change to this module; a file field's content
goes into the archive under `files/`. One renderer shape (STYLE.md): `render(...) -> (filename, type, bytes)`.

Scope: a council's request exports the rows of that council (`council_path(model)`); the portal's request exports
the rows that belong to no council (a subscription to a state body's news).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone, translation

from core.personal_data import RegisterEntry, fields_of, records_of
from councils import ownership

SCHEMA = "oversight-personal-data/1"


def council_path(model: type[models.Model]) -> str | None:
    """The lookup from a subject model to its council: the model's own declaration (`ownership`,
    councils/ownership.py); None when the model belongs to no council."""
    return ownership.council_path(model)


def scoped(model: type[models.Model], queryset: QuerySet[Any], council_id: int | None) -> QuerySet[Any]:
    """The rows of `queryset` that a request to council `council_id` (None: the portal) covers."""
    path = council_path(model)
    if council_id is None:
        return queryset if path is None else queryset.filter(**{f"{path}__isnull": True})
    if path is None:
        return queryset.none()
    return queryset.filter(**{path: council_id})


def holdings(email: str) -> dict[type[models.Model], QuerySet[Any]]:
    """`records_of(email)` without the models that hold nothing: what the portal holds under the address."""
    return {model: qs for model, qs in records_of(email).items() if qs.exists()}


def councils_holding(email: str) -> tuple[set[int], bool]:
    """The ids of the councils that hold rows under `email`, and whether some rows belong to no council."""
    councils: set[int] = set()
    councilless = False
    for model, queryset in records_of(email).items():
        path = council_path(model)
        if path is None:
            councilless = councilless or queryset.exists()
            continue
        councils.update(i for i in queryset.values_list(path, flat=True).distinct() if i is not None)
        councilless = councilless or queryset.filter(**{f"{path}__isnull": True}).exists()
    return councils, councilless


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def _field_entry(entry: RegisterEntry, obj: models.Model, archive: zipfile.ZipFile) -> dict[str, Any]:
    field = entry.field
    value = getattr(obj, field.attname)
    out: dict[str, Any] = {
        "field": field.name,
        "label": str(field.verbose_name),
        "category": entry.declaration.category,
        "purpose": str(entry.declaration.purpose),
        "subject": str(entry.declaration.subject),
    }
    if isinstance(field, models.FileField):
        stored = getattr(obj, field.name)
        out["value"] = None
        if stored:
            name = f"files/{obj._meta.label_lower}/{obj.pk}/{stored.name.rsplit('/', 1)[-1]}"
            try:
                with stored.open("rb") as handle:
                    archive.writestr(name, handle.read())
                out["value"] = name
            except FileNotFoundError:
                out["value"] = None
                out["missing"] = True
        return out
    out["value"] = _plain(value)
    return out


def render_export(*, email: str, council_id: int | None, number: str, language: str) -> tuple[str, str, bytes]:
    """The access file of one request: (filename, content type, bytes)."""
    buffer = io.BytesIO()
    with translation.override(language), zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        records: list[dict[str, Any]] = []
        for model, queryset in records_of(email).items():
            entries = fields_of(model)
            for obj in scoped(model, queryset, council_id).order_by("pk"):
                records.append(
                    {
                        "model": model._meta.label_lower,
                        "kind": str(model._meta.verbose_name),
                        "record": str(obj),
                        "id": obj.pk,
                        "fields": [_field_entry(entry, obj, archive) for entry in entries],
                    }
                )
        document = {
            "schema": SCHEMA,
            "request": number,
            "email": email,
            "generated_at": timezone.localtime().isoformat(),
            "records": records,
        }
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2))
    return f"{number}.zip", "application/zip", buffer.getvalue()
