"""What a record kind of the council-activity file is: its model, its natural key, its fields and references.

The vocabulary lives here, in `core`, so that any app can declare its kinds and register them from its own
`AppConfig.ready()` without importing `interchange` (which sits above the domain apps). `interchange/spec.py`
declares the kinds of the apps below it and explains, in its docstring, how a new app adds one; the import
(`interchange/services.py`), the export (`interchange/selectors.py`) and the checks (`interchange/validation.py`) read
the declarations through `kinds()` and `kind()`.

A field maps one name of the file to one or more model attributes in both directions:

- `read(record, refs, current)`: the model attribute values for a file record (`refs` resolves the keys the record
  names to rows imported earlier; `current` is the row on file, or None for a new one). A field the file leaves
  out may give nothing, which leaves the row's value as it is.
- `write(obj, keys)`: the file value(s) for a row (`keys` turns the ids the row holds into the keys the file uses).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Model, Q
from django.utils.functional import Promise

# One record of the file: JSON values of the shapes its schema describes (checked before an import reads them).
Record = dict[str, Any]

_REQUIRED: Any = object()


@dataclass
class ImportRefs:
    """What an import has written so far: rows by kind name and natural key, so references resolve to ids."""

    rows: dict[str, Mapping[Any, Model]] = field(default_factory=dict)
    # Record kind name -> content type id, for generic references (a recommendation's source).
    content_types: dict[str, int] = field(default_factory=dict)

    def pk(self, target: str, key: Any) -> int | None:
        if key is None or key == "":
            return None
        pk: int = self.rows[target][key].pk
        return pk


@dataclass
class ExportKeys:
    """What an export writes: the key the file gives each row, by kind name and id."""

    keys: dict[str, Mapping[int, Any]] = field(default_factory=dict)
    # Content type id -> record kind name, for generic references.
    content_types: dict[int, str] = field(default_factory=dict)

    def key(self, target: str, pk: int | None) -> Any:
        return self.keys[target][pk] if pk is not None else None


class FileField:
    """One name of the file. Subclasses say how its value maps to the model's."""

    name: str

    def read(self, record: Record, refs: ImportRefs, current: Model | None) -> Record:
        raise NotImplementedError

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        raise NotImplementedError

    def file_names(self) -> tuple[str, ...]:
        """The names this field takes in the file (a translated field has one per language)."""
        return (self.name,)

    def model_attrs(self) -> tuple[str, ...]:
        """The model attributes it reads and writes."""
        return ()

    def references(self) -> Iterator[tuple[str, str]]:
        """(file name, target kind) of each key this field names."""
        return iter(())

    def m2m_attrs(self) -> tuple[str, ...]:
        """The many-to-many relations it reads and writes (set after the row is written)."""
        return ()

    def defaults(self) -> Record:
        """The names a file from format /4 on may leave out, each with the value leaving it out means: the export
        writes none of them whose value is that one, and the import reads an absent one as it (`with_defaults`)."""
        return {}


@dataclass(frozen=True)
class Value(FileField):
    """A value stored as it is: text, a number, a flag, a choice. Without a default the file must give it."""

    name: str
    attr: str = ""
    default: Any = _REQUIRED
    # When the file leaves the field out, the row keeps what it has (a field added after files were written).
    keep_if_missing: bool = False

    @property
    def attname(self) -> str:
        return self.attr or self.name

    @property
    def required(self) -> bool:
        """The file must give it (the JSON Schema requires it)."""
        return self.default is _REQUIRED and not self.keep_if_missing

    def read(self, record: Record, refs: ImportRefs, current: Model | None) -> Record:
        if self.name in record:
            value = record[self.name]
        elif self.keep_if_missing:
            return {}
        elif self.default is _REQUIRED:
            raise KeyError(self.name)  # the schema lets no such file through
        else:
            value = self.default
        return {self.attname: list(value) if isinstance(value, list) else value}

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        value = getattr(obj, self.attname)
        return {self.name: list(value or []) if isinstance(self.default, list) else value}

    def model_attrs(self) -> tuple[str, ...]:
        return (self.attname,)

    def defaults(self) -> Record:
        return {} if self.default is _REQUIRED else {self.name: self.default}


def JsonList(name: str) -> Value:  # noqa: N802 - reads as a field type in the declarations
    """A JSON list (links, social networks): written as a list, `[]` when the row has none."""
    return Value(name, default=[])


@dataclass(frozen=True)
class Day(FileField):
    """A date, `YYYY-MM-DD` in the file; an optional one is null when the row has none."""

    name: str
    attr: str = ""
    required: bool = False
    # When the file leaves the field out, the row keeps what it has (a field added after files were written).
    keep_if_missing: bool = False

    @property
    def attname(self) -> str:
        return self.attr or self.name

    def read(self, record: Record, refs: ImportRefs, current: Model | None) -> Record:
        if self.keep_if_missing and self.name not in record:
            return {}
        value = record[self.name] if self.required else record.get(self.name)
        return {self.attname: dt.date.fromisoformat(value) if value else None}

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        value = getattr(obj, self.attname)
        return {self.name: value.isoformat() if value is not None else None}

    def model_attrs(self) -> tuple[str, ...]:
        return (self.attname,)

    def defaults(self) -> Record:
        return {} if self.required else {self.name: None}


@dataclass(frozen=True)
class Translated(FileField):
    """A field translated with django-modeltranslation: `name` is the Russian, `name_<language>` the others.

    Columns are named explicitly: modeltranslation writes `name=` to the active language's column, so an import run
    under Kazakh would otherwise put the Russian name in the Kazakh one; and `obj.name` reads the active language's.
    A language the file leaves out stays as it is on import (a file written before it says nothing about it); an
    empty one removes it. A record made in code under another language has no Russian `name`: the file's `name`
    is then the first language that has one (`fallback`).
    """

    name: str
    languages: tuple[str, ...]
    fallback: bool = False
    # An empty language is stored as None (modeltranslation's columns), or as "" where the columns are the model's
    # own and not null (a news item's `title_kk`).
    empty: str | None = None

    def read(self, record: Record, refs: ImportRefs, current: Model | None) -> Record:
        out: Record = {f"{self.name}_ru": record.get(self.name, "")}
        for language in self.languages:
            if f"{self.name}_{language}" in record:
                out[f"{self.name}_{language}"] = record[f"{self.name}_{language}"] or self.empty
        return out

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        out: Record = {self.name: getattr(obj, f"{self.name}_ru") or ""}
        if self.fallback and not out[self.name]:
            out[self.name] = next(
                (v for language in self.languages if (v := getattr(obj, f"{self.name}_{language}"))), ""
            )
        for language in self.languages:
            out[f"{self.name}_{language}"] = getattr(obj, f"{self.name}_{language}") or ""
        return out

    def file_names(self) -> tuple[str, ...]:
        return (self.name, *(f"{self.name}_{language}" for language in self.languages))

    def model_attrs(self) -> tuple[str, ...]:
        # The untranslated column modeltranslation keeps under the field's own name is never read (a model with its
        # languages as its own columns, `empty=""`, has none).
        own = (self.name,) if self.empty is None else ()
        return (f"{self.name}_ru", *(f"{self.name}_{language}" for language in self.languages), *own)

    def defaults(self) -> Record:
        # The other languages: an absent one is empty (the Russian is always written).
        return {f"{self.name}_{language}": "" for language in self.languages}


@dataclass(frozen=True)
class Ref(FileField):
    """A reference to another record of the file by its natural key; null (or absent) when there is none."""

    name: str
    target: str
    attr: str = ""
    # When the file leaves the field out, the row keeps what it has (a field added after files were written).
    keep_if_missing: bool = False

    @property
    def attname(self) -> str:
        return self.attr or f"{self.name}_id"

    def read(self, record: Record, refs: ImportRefs, current: Model | None) -> Record:
        if self.keep_if_missing and self.name not in record:
            return {}
        return {self.attname: refs.pk(self.target, record.get(self.name))}

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        return {self.name: keys.key(self.target, getattr(obj, self.attname))}

    def model_attrs(self) -> tuple[str, ...]:
        return (self.attname,)

    def references(self) -> Iterator[tuple[str, str]]:
        yield self.name, self.target

    def defaults(self) -> Record:
        return {self.name: None}


@dataclass(frozen=True)
class RefList(FileField):
    """References to several records of another kind (a many-to-many relation): a list of keys, sorted, `[]` when
    there are none. The import sets the relation after the row is written; a file that leaves the field out
    leaves the relation as it is."""

    name: str
    target: str
    attr: str = ""

    @property
    def attname(self) -> str:
        return self.attr or self.name

    def read(self, record: Record, refs: ImportRefs, current: Model | None) -> Record:
        if self.name not in record:
            return {}
        return {self.attname: sorted(refs.pk(self.target, key) for key in record[self.name])}

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        related = getattr(obj, self.attname).all()  # prefetched by the export
        # A related record the file does not carry (a library document that is only an uploaded file) is left out.
        in_file = keys.keys.get(self.target, {})
        return {self.name: sorted(in_file[row.pk] for row in related if row.pk in in_file)}

    def m2m_attrs(self) -> tuple[str, ...]:
        return (self.attname,)

    def references(self) -> Iterator[tuple[str, str]]:
        yield self.name, self.target

    def defaults(self) -> Record:
        return {self.name: []}


@dataclass(frozen=True)
class TypedRef(FileField):
    """A reference to a record of one of several kinds, `{type, key}`, stored as a kind column and an id (a work
    plan item's records). `types` maps the file's `type` (a record kind's name) to the value the kind column
    stores."""

    name: str
    types: tuple[tuple[str, str], ...]
    kind_attr: str = "kind"
    id_attr: str = "object_id"

    def read(self, record: Record, refs: ImportRefs, current: Model | None) -> Record:
        ref = record[self.name]
        stored = dict(self.types)[ref["type"]]
        return {self.kind_attr: stored, self.id_attr: refs.pk(ref["type"], ref["key"])}

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        name = {stored: name for name, stored in self.types}[getattr(obj, self.kind_attr)]
        return {self.name: {"type": name, "key": keys.key(name, getattr(obj, self.id_attr))}}

    def model_attrs(self) -> tuple[str, ...]:
        return (self.kind_attr, self.id_attr)

    def targets(self) -> tuple[str, ...]:
        return tuple(name for name, _stored in self.types)


@dataclass(frozen=True)
class Moment(FileField):
    """A moment in local time, `YYYY-MM-DDTHH:MM` in the file (a reception's start), stored aware; an optional one
    is null when the row has none (a draft's moment of publication)."""

    name: str
    zone: str = "Asia/Almaty"
    attr: str = ""
    required: bool = True

    @property
    def attname(self) -> str:
        return self.attr or self.name

    def read(self, record: Record, refs: ImportRefs, current: Model | None) -> Record:
        value = record[self.name] if self.required else record.get(self.name)
        local = dt.datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(self.zone)) if value else None
        return {self.attname: local}

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        value: dt.datetime | None = getattr(obj, self.attname)
        if value is None:
            return {self.name: None}
        return {self.name: value.astimezone(ZoneInfo(self.zone)).strftime("%Y-%m-%dT%H:%M")}

    def model_attrs(self) -> tuple[str, ...]:
        return (self.attname,)

    def defaults(self) -> Record:
        return {} if self.required else {self.name: None}


@dataclass(frozen=True)
class RecordKind:
    """One kind of record of the file.

    `name` is how references and messages name it (a recommendation's `source.type` too); `file_list` the list
    that holds its records (top-level, or inside its parent's record when `parent` is set); `key` the file field
    that names a record and `key_attr` the model attribute it is stored in (None: a list without keys, replaced
    as a whole, in file order kept in `position` when the model has one). `owner` is the model attribute that ties a
    top-level record to the file's council ("" for records every council shares); `parent_attr` ties a nested one
    to its parent row. `order` is the export's order of the records, by file fields. `missing` is the message for a
    reference to a key no record has; `summary` the kind's name in the import's summary.

    Every column of the model is in the file or in `not_in_file` with the reason why not (tests/interchange/
    test_spec.py). With `derive`, a column that is neither is in the file under its own name (`derived_field`):
    adding a text, number, flag, choice or date to such a model puts it in the import and the export with no line
    here. A reference or a column of another type must be declared.
    """

    name: str
    model_label: str
    file_list: str
    fields: tuple[FileField, ...]
    key: str | None = "key"
    key_attr: str = "key"
    owner: str = "council_id"
    parent: str = ""
    parent_attr: str = ""
    related_name: str = ""  # the parent's accessor for these rows (the export reads them prefetched)
    position: str = ""
    order: tuple[str, ...] = ()
    missing: Promise | str = ""
    summary: str = ""
    # The key is unique across the whole file, not only within its parent (agenda items: a recommendation names
    # one by its key alone).
    key_unique_in_file: bool = False
    derive: bool = False
    not_in_file: Mapping[str, str] = field(default_factory=dict)
    # A top-level kind without a key is known by these model attributes (a reception: its host and start).
    natural_key: tuple[str, ...] = ()
    # Which rows the file carries (published comments, documents with an address); the import's lists of a
    # nested kind replace only those.
    where: Q | None = None
    # What a row the file creates gets for the columns the file does not carry (a comment is published).
    create_with: Mapping[str, Any] = field(default_factory=dict)
    # Which rows of a year are in the file: "" for those whose first `Day` falls in it (`year_attr`, a model
    # attribute, says another), every row of the council when the kind has no date; `follows` (names of `Ref`
    # fields) puts a row in the file with a record it refers to instead (a comment with its hearing).
    year_attr: str = ""
    # A row whose `year_attr` is empty is in the year of this attribute instead (a news draft without a moment of
    # publication: the year it was written), so that no row of the kind is in no year's file.
    undated_year_attr: str = ""
    follows: tuple[str, ...] = ()
    # The format version that added the kind (the documentation's tables are generated from the kinds of /3).
    since: int = 1

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    def undeclared_columns(self) -> list[models.Field[Any, Any]]:
        """The model's columns that no declared field maps and `not_in_file` does not leave out."""
        declared = {attr for f in self.fields for attr in f.model_attrs()}
        declared |= {"id", self.owner, self.parent_attr, self.position, *self.not_in_file, *self.create_with}
        return [column for column in self.model._meta.concrete_fields if column.attname not in declared]

    @functools.cached_property
    def all_fields(self) -> tuple[FileField, ...]:
        """The declared fields, and with `derive` one for each other column of the model."""
        if not self.derive:
            return self.fields
        return (*self.fields, *(derived_field(column) for column in self.undeclared_columns()))

    @property
    def key_pattern(self) -> tuple[str | int, ...]:
        """Where the keys of this kind stand in the file, "*" for any index: what a reference to it may name."""
        if self.parent:
            return (*kind(self.parent).key_pattern[:-1], self.file_list, "*", self.key or "")
        return (self.file_list, "*", self.key or "")

    def read(self, record: Record, refs: ImportRefs, current: Model | None = None) -> Record:
        """The model attribute values of a file record."""
        values: Record = {}
        for f in self.all_fields:
            values.update(f.read(record, refs, current))
        return values

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        """The file record of a row, its nested lists included (read through `related_name`, prefetched)."""
        out: Record = {}
        for f in self.all_fields:
            out.update(f.write(obj, keys))
        for child in children(self.name):
            rows = [child.write(row, keys) for row in getattr(obj, child.related_name).all()]
            out[child.file_list] = sort_records(rows, child.order) if child.order else rows
        return out

    def references(self) -> Iterator[tuple[str, str]]:
        for f in self.all_fields:
            yield from f.references()

    @functools.cached_property
    def defaults(self) -> Record:
        """The file names a record of format /4 may leave out, with the value an absent one means."""
        out: Record = {}
        for f in self.all_fields:
            if isinstance(f, Ref) and not self.model._meta.get_field(f.attname.removesuffix("_id")).null:
                continue  # a reference the row must have: never absent
            out.update(f.defaults())
        out.pop(self.key or "", None)
        return out

    def m2m_attrs(self) -> tuple[str, ...]:
        return tuple(attr for f in self.all_fields for attr in f.m2m_attrs())

    def in_year(self, year: int) -> Q:
        """The rows of the year's file (`year_lookup` must be set)."""
        q = Q(**{f"{self.year_lookup}__year": year})
        if self.undated_year_attr:
            q |= Q(**{f"{self.year_lookup}__isnull": True, f"{self.undated_year_attr}__year": year})
        return q

    @property
    def year_lookup(self) -> str:
        """The model attribute whose year puts a row in a year's file; "" when every row of the council is."""
        if self.year_attr:
            return self.year_attr
        day = next((f for f in self.all_fields if isinstance(f, Day)), None)
        return day.attname if day is not None else ""


def derived_field(column: models.Field[Any, Any]) -> FileField:
    """The file field of a column under its own name: a date as `YYYY-MM-DD`, a JSON list as a list, anything else
    as it is; optional (with the column's default) when the column has a default or may be blank."""
    if column.is_relation:
        raise ImproperlyConfigured(f"{column.model._meta.label}.{column.name}: declare a reference as a Ref")
    if isinstance(column, models.DateField) and not isinstance(column, models.DateTimeField):
        return Day(column.name, required=not column.null)
    if isinstance(column, models.JSONField):
        return JsonList(column.name)
    if not isinstance(column, models.CharField | models.TextField | models.BooleanField | models.IntegerField):
        raise ImproperlyConfigured(f"{column.model._meta.label}.{column.name}: declare how the file writes it")
    if column.has_default() or column.blank or column.null:
        return Value(column.name, default=column.get_default())
    return Value(column.name)


def _is_default(value: Any, default: Any) -> bool:
    """Whether a written value is the default exactly (`False` is not `0`, `0` is not `0.0`)."""
    if default is None:
        return value is None
    return type(value) is type(default) and value == default


def _walk(document: Record, visit: Callable[[RecordKind, Record], None]) -> None:
    """Call `visit` on every record of the document, nested ones included, with its kind."""

    def records(kind: RecordKind, holder: Record) -> list[Record]:
        found = holder.get(kind.file_list)
        if isinstance(found, dict):
            return [found]
        return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []

    def walk(kind: RecordKind, rows: list[Record]) -> None:
        nested = children(kind.name)
        for record in rows:
            visit(kind, record)
            for child in nested:
                walk(child, records(child, record))

    for top in _kinds.values():
        if not top.parent:
            walk(top, records(top, document))


# A top-level list of a kind added in this version of the format or later is left out when empty: a kind a new app
# registers changes no file of a council that has none of its records.
LIST_OPTIONAL_SINCE = 4


def optional_lists() -> list[str]:
    """The top-level lists a file may leave out, meaning none."""
    return [k.file_list for k in _kinds.values() if not k.parent and k.since >= LIST_OPTIONAL_SINCE]


def optional_nested_lists(kind: RecordKind) -> list[str]:
    """The lists nested in a record of a kind older than /4 that /4 or later added (an expert's engagements): left
    out when empty, like a field at its default, so a record that has none is written as before."""
    if kind.since >= LIST_OPTIONAL_SINCE:
        return []
    return [c.file_list for c in children(kind.name) if c.since >= LIST_OPTIONAL_SINCE]


def without_defaults(document: Record) -> Record:
    """The document (changed in place and returned) as format /4 writes it: a field whose value is its default
    (`FileField.defaults`) is left out, so adding an optional field to a kind changes no file that does not use it;
    so is an empty list of a kind added since /4 (`optional_lists`)."""

    def visit(kind: RecordKind, record: Record) -> None:
        for name, default in kind.defaults.items():
            if name in record and _is_default(record[name], default):
                del record[name]
        for name in optional_nested_lists(kind):
            if record.get(name) == []:
                del record[name]

    _walk(document, visit)
    for name in optional_lists():
        if document.get(name) == []:
            del document[name]
    return document


def with_defaults(document: Record) -> Record:
    """A format /4 document (a deep copy) with every field it leaves out written with its default: what the import
    and the checks read, so that an absent field means its default exactly (not "leave it as it is", which is
    what a field a /2 or /3 file does not know means)."""
    out = copy.deepcopy(document)

    def visit(kind: RecordKind, record: Record) -> None:
        for name, default in kind.defaults.items():
            if name not in record:
                record[name] = copy.deepcopy(default)
        for name in optional_nested_lists(kind):
            record.setdefault(name, [])

    _walk(out, visit)
    for name in optional_lists():
        out.setdefault(name, [])
    return out


def sort_records(records: Iterable[Record], order: tuple[str, ...]) -> list[Record]:
    """Records in the order of the named file fields, a null sorting first (a `{type, key}` reference by its
    type, then its key)."""
    return sorted(records, key=lambda r: tuple(_sortable(r[name]) for name in order))


def _sortable(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict):
        return tuple(str(value[name]) for name in sorted(value))
    return value


_kinds: dict[str, RecordKind] = {}
_excluded: dict[str, str] = {}


def register(*new: RecordKind) -> None:
    """Add record kinds, in the order an import writes them (a kind after the kinds it refers to). Registering the
    same declaration again (a second `ready()`) changes nothing; another one under a taken name is an error."""
    for record_kind in new:
        if _kinds.get(record_kind.name, record_kind) != record_kind:
            raise ImproperlyConfigured(f"Two record kinds are named {record_kind.name!r}.")
        _kinds[record_kind.name] = record_kind


def exclude(model_label: str, reason: str) -> None:
    """Say that a council-owned model is not in the file, and why (checked by tests/interchange/test_spec.py)."""
    if not reason.strip():
        raise ImproperlyConfigured(f"{model_label} is left out of the council-activity file: say why")
    _excluded[model_label] = reason


def kinds() -> list[RecordKind]:
    return list(_kinds.values())


def kind(name: str) -> RecordKind:
    return _kinds[name]


def children(parent: str) -> list[RecordKind]:
    return [k for k in _kinds.values() if k.parent == parent and k.related_name]


def excluded() -> dict[str, str]:
    return dict(_excluded)


def covered_models() -> set[str]:
    """The labels of the models that are in the file, as a record kind or left out with a reason."""
    return {k.model_label for k in _kinds.values()} | set(_excluded)
