"""New rows written as `Model.save` writes them, but as SQL a caller puts into one statement with others.

A statement of data-modifying CTEs (PostgreSQL) writes several rows in one round trip, and can give one row a
value that another part of the statement computes: an appeal's registration number from its counter's upsert
(appeals/services.py). `RowInsert(instance)` prepares an unsaved instance's INSERT the way `Model.save` does for
a new row: `pre_save` is sent, each field's `pre_save` (which fills `auto_now_add`) and `get_db_prep_save` give
its value, the auto-incremented key is left to the database unless the instance has one. Its `sql()` is the
INSERT … RETURNING that the caller names in its statement; `saved(values)` takes back what the database returned
(the key, the generated columns and those the caller's SQL gave), marks the instance saved and sends `post_save`,
as `save` would have.

What `save` does and this does not: no `save()` override is called (a model that has one is refused), and no
parent model's row is written (multi-table inheritance is refused too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save


class RowInsert:
    """The INSERT of one new row of `instance`, prepared; `given` names the fields the caller's SQL computes
    (their instance values are not sent) and `returned` those read back besides the key and the generated ones."""

    def __init__(self, instance: Model, *, given: Iterable[str] = (), returned: Iterable[str] = ()) -> None:
        model = type(instance)
        meta = model._meta
        if meta.parents or model.save is not Model.save:
            raise TypeError(f"{meta.label} needs Model.save: it has a parent model or its own save()")
        self.instance = instance
        self.given = tuple(given)
        key_set = instance.pk is not None
        pre_save.send(sender=model, instance=instance, raw=False, using=connection.alias, update_fields=None)
        self.fields: list[Field[Any, Any]] = [
            f
            for f in meta.local_concrete_fields
            if not f.generated and f.attname not in self.given and (key_set or f is not meta.auto_field)
        ]
        self.params = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in self.fields]
        back = {*self.given, *returned}
        self.returned: list[Field[Any, Any]] = [
            f
            for f in meta.concrete_fields
            if f.generated or f.attname in back or (not key_set and f is meta.auto_field)
        ]

    def sql(self, given: Mapping[str, str] | None = None, *, returning_all: bool = False) -> str:
        """INSERT … VALUES … RETURNING: `given` maps each of the `given` fields to its SQL (the caller's
        parameters in it come after this row's `params`); `returning_all` returns every column (`RETURNING *`),
        for a statement that copies the row."""
        given = dict(given or {})
        if set(given) != set(self.given):
            raise ValueError(f"the SQL of {sorted(self.given)} is needed, {sorted(given)} was given")
        quote = connection.ops.quote_name
        by_name = {f.attname: f for f in self.instance._meta.concrete_fields}
        columns = [quote(str(f.column)) for f in self.fields]
        columns += [quote(str(by_name[name].column)) for name in given]
        values = ["%s"] * len(self.fields) + list(given.values())
        returning = "*" if returning_all else ", ".join(self.returned_columns())
        table = quote(self.instance._meta.db_table)
        # Only quoted names and the caller's SQL are formatted in; the values are parameters.
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(values)}) RETURNING {returning}"  # noqa: S608

    def returned_columns(self) -> list[str]:
        quote = connection.ops.quote_name
        return [quote(str(f.column)) for f in self.returned]

    def saved(self, values: Sequence[Any]) -> None:
        """The row is written: `values` are its `returned_columns`, in order."""
        instance = self.instance
        for field, value in zip(self.returned, values, strict=True):
            setattr(instance, field.attname, value)
        instance._state.adding = False
        instance._state.db = connection.alias
        post_save.send(
            sender=type(instance),
            instance=instance,
            created=True,
            update_fields=None,
            raw=False,
            using=connection.alias,
        )
