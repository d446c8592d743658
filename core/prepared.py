"""A query the ORM writes once per process, run again with new values: for the few selectors where writing the
SQL costs ten times running it.

At national scale a council's year of figures is some thirty queries, and on a slow machine the ORM spends 70–80
ms writing them against 13–16 ms that PostgreSQL spends running them (benchmarks/scale.py; `stakeholder_counts`
alone: 22 ms through the ORM, 2.5 ms for its one statement). The statements differ from one call to the next only
in their values (the council, the days of the span), so `prepared_values(name, build, **inputs)` writes the SQL
of `build(**inputs)` once and afterwards only runs it with the new values, turning the rows into dicts exactly as
`.values()` does (the database's and the fields' converters applied).

What makes this safe (each check falls back to the ORM for good for that name, logged once):

1. `build` receives stand-ins, not the caller's values, when the SQL is written: integers and dates that refuse
   any comparison or arithmetic, so a `build` that decides anything from its inputs in Python (a branch, a
   `min`, a year's last day) is found at once, instead of leaving SQL written for other values behind.
2. The SQL is written twice, with two sets of stand-ins: the text must be the same, and every value of the
   statement must be either one of the stand-ins (then the caller's value takes its place) or the same in both
   (a constant of the code). A value the ORM derives from an input (a `__year` lookup's bounds) shows up as a
   constant that differs, and the name falls back.
3. `build` may not read the database (it runs with queries refused): its SQL must depend on the code and the
   inputs only, never on data that could change after it was written.
4. A statement is kept per database, language and time zone (the ORM writes translated columns and local dates
   from them).

Only Django's own `.values()` querysets are handled (a model django-modeltranslation registers has its own values:
start from `QuerySet(model=…)` for those), and inputs that are integers or dates.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesIterable
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


class _InputUsedInPython(Exception):  # noqa: N818 - a signal between this module's functions, never raised out
    """`build` compared or computed with an input: its SQL may depend on the value."""


def _refuse(*_args: object) -> Any:
    raise _InputUsedInPython


_GUARDED = (
    *("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"),
    *("__add__", "__radd__", "__sub__", "__rsub__", "__bool__"),
)


class _StandInInt(int):
    __hash__ = int.__hash__  # kept (sets of values), though equality is refused


class _StandInDate(dt.date):
    __hash__ = dt.date.__hash__


for _name in _GUARDED:
    setattr(_StandInInt, _name, _refuse)
    setattr(_StandInDate, _name, _refuse)
for _name in ("__mul__", "__rmul__", "__floordiv__", "__mod__", "__neg__"):
    setattr(_StandInInt, _name, _refuse)


def _stand_ins(inputs: dict[str, Any], round_: int) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for i, (name, value) in enumerate(sorted(inputs.items())):
        if isinstance(value, bool | dt.datetime):
            raise _InputUsedInPython  # not handled: booleans and times
        if isinstance(value, int):
            values[name] = _StandInInt(-(900_000_001 + 1_000 * round_ + i))
        elif isinstance(value, dt.date):
            values[name] = _StandInDate(1001 + 100 * round_ + i, 3 + round_, 7 + round_)
        else:
            raise _InputUsedInPython  # not handled: other kinds of value
    return values


@dataclass(frozen=True)
class _Slot:
    name: str | None  # the input whose value goes here; None: a constant
    constant: Any = None
    as_text: bool = False  # the backend takes the date as text (SQLite)


@dataclass(frozen=True)
class _Prepared:
    sql: str
    slots: tuple[_Slot, ...]
    names: tuple[str, ...]
    # (column, (converters, expression)): what turns a raw value into the ORM's (the database's and the field's)
    converters: tuple[tuple[int, tuple[list[Any], Any]], ...]


_FALLBACK = object()
_prepared: dict[tuple[Any, ...], _Prepared | object] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class _Written:
    stand_ins: dict[str, Any]
    sql: str
    params: tuple[Any, ...]
    compiler: Any
    names: tuple[str, ...]


def _write(
    build: Callable[..., QuerySet[Any, dict[str, Any]]], inputs: dict[str, Any], using: str, round_: int
) -> _Written:
    stand_ins = _stand_ins(inputs, round_)
    with connections[using].execute_wrapper(_refuse):  # a query while writing: refused like a use in Python
        queryset = build(**stand_ins)
    if queryset._iterable_class is not ValuesIterable:
        # only Django's own .values(): django-modeltranslation's renames and falls back between languages
        raise _InputUsedInPython
    query = queryset.query
    compiler = query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    names = tuple(
        query.selected if query.selected else (*query.extra_select, *query.values_select, *query.annotation_select)
    )
    return _Written(stand_ins=stand_ins, sql=sql, params=tuple(params), compiler=compiler, names=names)


def _slots(stand_ins: dict[str, Any], params: tuple[Any, ...]) -> list[_Slot]:
    """Each value of the statement: the input whose stand-in it is (as written, or as text), else a constant."""
    slots = []
    for param in params:
        slot = _Slot(name=None, constant=param)
        for name, stand_in in stand_ins.items():
            # compared as plain values: the stand-ins refuse it
            if isinstance(stand_in, dt.date):
                day = (stand_in.year, stand_in.month, stand_in.day)
                if isinstance(param, str) and param == stand_in.isoformat():
                    slot = _Slot(name=name, as_text=True)
                elif isinstance(param, dt.date) and not isinstance(param, dt.datetime):
                    if (param.year, param.month, param.day) == day:
                        slot = _Slot(name=name)
            elif isinstance(param, int) and not isinstance(param, bool) and int(param) == int(stand_in):
                slot = _Slot(name=name)
        slots.append(slot)
    return slots


def _same_constant(first: Any, second: Any) -> bool:
    if isinstance(first, _StandInInt | _StandInDate) or isinstance(second, _StandInInt | _StandInDate):
        return False  # a stand-in the ORM passed on in a form not recognised as its own
    return bool(first == second)


def _prepare(build: Callable[..., QuerySet[Any, dict[str, Any]]], inputs: dict[str, Any], using: str) -> _Prepared:
    first, second = _write(build, inputs, using, 0), _write(build, inputs, using, 1)
    slots, slots_again = _slots(first.stand_ins, first.params), _slots(second.stand_ins, second.params)
    same = first.sql == second.sql and len(slots) == len(slots_again)
    same = same and all(
        (a.name, a.as_text) == (b.name, b.as_text) and (a.name is not None or _same_constant(a.constant, b.constant))
        for a, b in zip(slots, slots_again, strict=False)
    )
    if not same:
        raise _InputUsedInPython
    compiler = first.compiler
    fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
    return _Prepared(
        sql=first.sql,
        slots=tuple(slots),
        names=first.names,
        converters=tuple(compiler.get_converters(fields).items()),
    )


def _params(prepared: _Prepared, inputs: dict[str, Any]) -> list[Any]:
    values: list[Any] = []
    for slot in prepared.slots:
        if slot.name is None:
            values.append(slot.constant)
        else:
            value = inputs[slot.name]
            values.append(value.isoformat() if slot.as_text else value)
    return values


def prepared_values(
    name: str, build: Callable[..., QuerySet[Any, dict[str, Any]]], *, using: str = "default", **inputs: Any
) -> list[dict[str, Any]]:
    """The rows of `build(**inputs)` (a `.values()` queryset), as dicts: its SQL written once per process,
    database, language and time zone under `name` (see the module for what `build` may do)."""
    connection = connections[using]
    kinds = tuple(sorted((input_name, type(value).__name__) for input_name, value in inputs.items()))
    key = (name, using, connection.vendor, translation.get_language(), timezone.get_current_timezone_name(), kinds)
    prepared = _prepared.get(key)
    if prepared is None:
        try:
            prepared = _prepare(build, inputs, using)
        except Exception as exc:  # noqa: BLE001 - whatever fails with the stand-ins, the ORM answers as ever
            # _InputUsedInPython; EmptyResultSet (no row can match); a stand-in a lookup cannot take (a year)
            logger.info("prepared query %s: written by the ORM on each call (%s)", name, type(exc).__name__)
            prepared = _FALLBACK
        with _lock:
            _prepared[key] = prepared
    if not isinstance(prepared, _Prepared):
        return list(build(**inputs))
    with connection.cursor() as cursor:
        cursor.execute(prepared.sql, _params(prepared, inputs))
        rows = [list(row) for row in cursor.fetchall()]
    for row in rows:
        for position, (converters, expression) in prepared.converters:
            value = row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            row[position] = value
    names = prepared.names
    return [dict(zip(names, row, strict=True)) for row in rows]


def clear() -> None:
    with _lock:
        _prepared.clear()
