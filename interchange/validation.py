"""Validation of council-activity files: the JSON Schema, then what a schema cannot express.

Everything here works on the parsed JSON alone (no database), so the web upload form can call
`validate_council_activity` as well as the management command. Every problem is reported, not just the
first, and each mistake once: the checks after the schema skip values of the wrong shape (the schema already
reported them), and references that fail because of one broken key are grouped under it.

What follows from the record kinds' declarations (interchange/spec.py) is read from them, not listed here: the keys
that must be unique, every reference and the kind it must resolve to (with its "no ... with key" message), and the
numbers and addresses a column would refuse (a small-integer or URL column of the model). What stays by hand are
the rules of the domain no declaration carries, each reported with its `$.path`: dates in order, seats and
appointments one after another, appeal numbers, a meeting's attendance, the warnings.

Version 1 files (one convocation) are checked against their own schema and then read as version 2 with
`upgrade_v1`; the messages keep the paths of the file the secretary wrote (`$.convocation`, not
`$.convocations[0]`).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError

from core import record_spec
from core.record_spec import RecordKind, TypedRef, Value, with_defaults
from councils.models import LEGACY_EXPERT_ROLE
from monitoring.models import RECOMMENDATION_SOURCES

from .spec import FILE_LANGUAGES as FILE_LANGUAGES  # the file's languages, read by open_data.py too

FORMAT_V1 = "oversight.council-activity/1"
FORMAT_V2 = "oversight.council-activity/2"
FORMAT_V3 = "oversight.council-activity/3"
FORMAT = "oversight.council-activity/4"
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMA_PATH = SCHEMA_DIR / "council-activity-4.schema.json"
SCHEMA_PATHS = {
    FORMAT_V1: SCHEMA_DIR / "council-activity-1.schema.json",
    FORMAT_V2: SCHEMA_DIR / "council-activity-2.schema.json",
    FORMAT_V3: SCHEMA_DIR / "council-activity-3.schema.json",
    FORMAT: SCHEMA_PATH,
}

# PositiveSmallIntegerField's ceiling: the schema has no maximum for these, PostgreSQL would refuse the row.
SMALL_INT_MAX = 32767

KEY_PATTERN = "^[a-z0-9][a-z0-9_-]{0,63}$"
DATE_PATTERN = "^\\d{4}-\\d{2}-\\d{2}$"

_url_validator = URLValidator(schemes=["http", "https"])

Parts = tuple[str | int, ...]


@dataclass(frozen=True)
class ValidationIssue:
    """One mistake at one place of the file.

    `consequences` are the problems it causes elsewhere (references to a key that is broken here), listed under
    it with `note` as their heading rather than as mistakes of their own.
    """

    path: str
    message: str
    consequences: tuple[ValidationIssue, ...] = field(default=(), compare=False)
    note: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def lines(self, indent: str = "  ") -> list[str]:
        """The issue, then its consequences indented under their heading: what the command prints."""
        out = [f"{indent}{self}"]
        if self.consequences:
            out.append(f"{indent}  {self.note}")
            out += [f"{indent}    {c}" for c in self.consequences]
        return out


@dataclass(frozen=True)
class CheckResult:
    """Errors refuse the file; warnings are told and the file is imported."""

    errors: list[ValidationIssue]
    warnings: list[ValidationIssue]


def _is_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        _url_validator(value)
    except DjangoValidationError:
        return False
    return True


@functools.cache
def _schema_validator(version: str = FORMAT) -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATHS[version].read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    # jsonschema checks "uri" only when an optional RFC 3987 package is installed; Django's URL validator
    # is what the models' URLFields use, so the file is held to the same rule either way.
    checker = FormatChecker()
    checker.checks("uri", raises=())(_is_url)
    return Draft202012Validator(schema, format_checker=checker)


def json_path(parts: Iterable[str | int]) -> str:
    """`("meetings", 3, "agenda", 0, "state_body")` -> `$.meetings[3].agenda[0].state_body`."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _describe(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


# --- upgrading version 1 ------------------------------------------------------------------------------------


def upgrade_v1(data: dict[str, Any]) -> dict[str, Any]:
    """A version 1 document read as version 2, in memory: its one convocation becomes a list of one, each body
    belongs to it, and a person's `membership` becomes `memberships`, a list of none or one in it.

    Tolerates malformed input (the validator runs on the result): what cannot be upgraded is left for the
    version 1 schema to report.
    """
    out = copy.deepcopy(data)
    out["format"] = FORMAT_V2
    convocation = out.pop("convocation", None)
    number = convocation.get("number") if isinstance(convocation, dict) else None
    out["convocations"] = [convocation] if isinstance(convocation, dict) else []
    for body in out.get("bodies") if isinstance(out.get("bodies"), list) else []:
        if isinstance(body, dict) and number is not None:
            body["convocation"] = number
    experts = []
    for person in out.get("people") if isinstance(out.get("people"), list) else []:
        if isinstance(person, dict) and "membership" in person:
            membership = person.pop("membership")
            if _v1_expert(membership):
                # Version 1 recorded an expert as a membership with role "expert"; version 2 lists experts apart
                # (councils.ExpertAppointment): never a member, with no affiliation.
                experts.append(
                    {
                        "person": person.get("key"),
                        "start_date": membership.get("start_date"),
                        "end_date": membership.get("end_date"),
                    }
                )
                person["memberships"] = []
            elif isinstance(membership, dict) and number is not None:
                person["memberships"] = [{"convocation": number, **membership}]
            else:
                person["memberships"] = []
    if experts:
        out["experts"] = experts
    return out


def _v1_expert(membership: object) -> bool:
    return isinstance(membership, dict) and membership.get("role") == LEGACY_EXPERT_ROLE


def _v1_expert_people(data: dict[str, Any]) -> list[int]:
    """The index in `people` of each entry `upgrade_v1` put in `experts`, in order."""
    people = data.get("people") if isinstance(data.get("people"), list) else []
    return [i for i, p in enumerate(people) if isinstance(p, dict) and _v1_expert(p.get("membership"))]


def _v1_parts(parts: Parts, expert_people: Sequence[int] = ()) -> Parts:
    """A path of the upgraded document as a path of the version 1 file the secretary wrote."""
    if len(parts) >= 2 and parts[0] == "experts" and isinstance(parts[1], int) and parts[1] < len(expert_people):
        return ("people", expert_people[parts[1]], "membership", *parts[2:])
    if parts[:2] == ("convocations", 0):
        return ("convocation", *parts[2:])
    if len(parts) >= 4 and parts[0] == "people" and parts[2:4] == ("memberships", 0):
        return (*parts[:2], "membership", *parts[4:])
    if len(parts) >= 3 and parts[0] == "people" and parts[2] == "memberships":
        return (*parts[:2], "membership", *parts[3:])
    return parts


# --- schema errors ------------------------------------------------------------------------------------------


_JSON_TYPES = {
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    list: "array",
    dict: "object",
    type(None): "null",
}

# Forms a secretary writes dates in, tried in order to suggest the ISO spelling of the same day.
_DATE_FORMS = ("%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y.%m.%d", "%Y/%m/%d", "%Y-%m-%d", "%d.%m.%y")


def date_message(value: Any) -> str:
    """One message for a date that is not `YYYY-MM-DD`, with the fix."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return _("%(value)s is not a valid date: there is no such day in the calendar") % {"value": _describe(value)}
    if isinstance(value, str):
        for form in _DATE_FORMS:
            try:
                day = dt.datetime.strptime(value.strip(), form).date()
            except ValueError:
                continue
            return _("%(value)s is not a valid date: write the date as YYYY-MM-DD, here %(iso)s") % {
                "value": _describe(value),
                "iso": day.isoformat(),
            }
    return _("%(value)s is not a valid date: write the date as YYYY-MM-DD, e.g. 2021-04-29") % {
        "value": _describe(value)
    }


def _key_suggestion(value: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "-", value.strip().lower()).strip("-_")[:64] or "commission-1"


def _schema_issue(error: SchemaError) -> Iterator[tuple[Parts, str]]:
    """Readable (path, message) pairs for one jsonschema error."""
    parts = tuple(error.absolute_path)
    kind = error.validator
    if kind in ("oneOf", "anyOf") and error.context:
        # Nullable references are `oneOf: [key, null]`: when the value is not null the interesting failure is
        # the non-null branch's, not "is not valid under any of the given schemas".
        branches = [e for e in error.context if not (e.validator == "type" and e.validator_value == "null")]
        if branches:
            for sub in branches:
                yield from _schema_issue(sub)
            return
    if kind == "required":
        for name in error.validator_value:
            if name not in error.instance:
                yield (*parts, name), _("required field is missing")
        return
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        for name in sorted(set(error.instance) - allowed):
            yield (*parts, name), _("unknown field")
        return
    value = _describe(error.instance)
    if kind == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        got = _JSON_TYPES.get(type(error.instance), type(error.instance).__name__)
        message = _("expected %(expected)s, got %(got)s %(value)s") % {"expected": expected, "got": got, "value": value}
    elif kind == "enum":
        choices = ", ".join(_describe(v) for v in error.validator_value)
        message = _("%(value)s is not one of: %(choices)s") % {"value": value, "choices": choices}
    elif kind == "const":
        message = _("expected %(expected)s, got %(value)s") % {
            "expected": _describe(error.validator_value),
            "value": value,
        }
    elif (kind == "pattern" and error.validator_value == DATE_PATTERN) or (
        kind == "format" and error.validator_value == "date"
    ):
        message = date_message(error.instance)
    elif kind == "pattern" and error.validator_value == KEY_PATTERN and isinstance(error.instance, str):
        message = _(
            "%(value)s is not a valid key: use lower-case Latin letters, digits, '-' and '_', at most 64 "
            "characters, starting with a letter or digit, e.g. %(example)s"
        ) % {"value": value, "example": _describe(_key_suggestion(error.instance))}
    elif kind == "pattern":
        message = _("%(value)s does not match the pattern %(pattern)s") % {
            "value": value,
            "pattern": error.validator_value,
        }
    elif kind == "format" and error.validator_value == "uri":
        message = _("%(value)s is not a valid http(s) address") % {"value": value}
    elif kind == "format":
        message = _("%(value)s is not a valid %(format)s") % {"value": value, "format": error.validator_value}
    elif kind == "minLength":
        message = _("%(value)s: must be at least %(bound)s characters") % {
            "value": value,
            "bound": error.validator_value,
        }
    elif kind == "maxLength":
        message = _("%(value)s: must be at most %(bound)s characters") % {
            "value": value,
            "bound": error.validator_value,
        }
    elif kind == "minimum":
        message = _("%(value)s: must be at least %(bound)s") % {"value": value, "bound": error.validator_value}
    elif kind == "maximum":
        message = _("%(value)s: must be at most %(bound)s") % {"value": value, "bound": error.validator_value}
    else:
        message = error.message
    yield parts, message


# --- rules the schema cannot express ------------------------------------------------------------------------


def _items(data: dict, name: str) -> list[tuple[int, dict]]:
    """The well-formed records of a top-level list, with their index; anything else was reported already."""
    value = data.get(name)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _sub_items(record: dict, name: str) -> list[tuple[int, dict]]:
    value = record.get(name)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# A news image as the portal stores it (news.models.image_upload_to): a file carries no path of its own.
NEWS_IMAGE_NAME = re.compile(r"news/[0-9a-f]{32}\.(?:jpg|png)")


def _strings(data: Any) -> Iterator[tuple[list[str | int], str]]:
    """Every string value of the document with its location; a loop, not recursion: a file may nest deeply."""
    stack: list[tuple[list[str | int], Any]] = [([], data)]
    while stack:
        parts, value = stack.pop()
        if isinstance(value, str):
            yield parts, value
        elif isinstance(value, dict):
            stack.extend(([*parts, key], item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(([*parts, i], item) for i, item in enumerate(value))


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _covers(start: object, end: object, day: dt.date) -> bool:
    start_date, end_date = _date(start), _date(end)
    return (start_date is None or start_date <= day) and (end_date is None or day <= end_date)


def _target_pattern(target: str) -> Parts:
    """The path of the key fields a reference to `target` may name ("*" is any index)."""
    return record_spec.kind(target).key_pattern


def _missing_message(target: str, value: object) -> str:
    return str(record_spec.kind(target).missing) % {"value": _describe(value)}


def _consequence_note(target: str, count: int) -> str:
    notes = {
        "convocation": ngettext(
            "%(count)d record refers to this convocation and is not resolved:",
            "%(count)d records refer to this convocation and are not resolved:",
            count,
        ),
        "body": ngettext(
            "%(count)d record refers to this body and is not resolved:",
            "%(count)d records refer to this body and are not resolved:",
            count,
        ),
        "person": ngettext(
            "%(count)d record refers to this person and is not resolved:",
            "%(count)d records refer to this person and are not resolved:",
            count,
        ),
        "state_body": ngettext(
            "%(count)d record refers to this state body and is not resolved:",
            "%(count)d records refer to this state body and are not resolved:",
            count,
        ),
        "partner": ngettext(
            "%(count)d record refers to this partner and is not resolved:",
            "%(count)d records refer to this partner and are not resolved:",
            count,
        ),
    }
    default = ngettext(
        "%(count)d record refers to this record and is not resolved:",
        "%(count)d records refer to this record and are not resolved:",
        count,
    )
    return notes.get(target, default) % {"count": count}


def _same_key_note(count: int) -> str:
    return ngettext(
        "%(count)d more record refers to the same key:", "%(count)d more records refer to the same key:", count
    ) % {"count": count}


def _matches(parts: Parts, pattern: Parts) -> bool:
    return len(parts) == len(pattern) and all(
        isinstance(p, int) if q == "*" else p == q for p, q in zip(parts, pattern, strict=True)
    )


def _normal(value: object) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")


def _records_of(data: dict, kind: RecordKind) -> list[tuple[Parts, dict]]:
    """The well-formed records of a kind with their place in the file: a top-level list's, or those nested in
    each record of its parent kind."""
    if kind.parent:
        return [
            ((*parts, kind.file_list, j), item)
            for parts, parent in _records_of(data, record_spec.kind(kind.parent))
            for j, item in _sub_items(parent, kind.file_list)
        ]
    if kind.name == "council":
        return [((kind.file_list,), data["council"])] if isinstance(data.get("council"), dict) else []
    return [((kind.file_list, i), item) for i, item in _items(data, kind.file_list)]


def _checked_columns(kind: RecordKind) -> list[tuple[str, models.Field]]:
    """The file fields of a kind stored in a column that refuses what the schema allows: a small integer (above
    its ceiling) or a URL (an address Django's validator refuses)."""
    out = []
    for f in kind.all_fields:
        if isinstance(f, Value):
            column = kind.model._meta.get_field(f.attname)
            if isinstance(column, models.URLField | models.PositiveSmallIntegerField):
                out.append((f.name, column))
    return out


@dataclass
class _Reference:
    parts: Parts
    target: str
    value: object


class _Checker:
    def __init__(self, data: dict) -> None:
        self.data = data
        self.issues: list[tuple[Parts, str]] = []
        self.warnings: list[tuple[Parts, str]] = []
        self.references: list[_Reference] = []

    def add(self, parts: Iterable[str | int], message: str) -> None:
        self.issues.append((tuple(parts), message))

    def warn(self, parts: Iterable[str | int], message: str) -> None:
        self.warnings.append((tuple(parts), message))

    def unique(self, entries: Iterable[tuple[list[str | int], object]], kind: str) -> set:
        """Report repeated values; return the set of values seen (the keys other records may refer to)."""
        first: dict[object, list[str | int]] = {}
        for parts, value in entries:
            if not isinstance(value, str | int) or isinstance(value, bool):
                continue
            if value in first:
                self.add(parts, self.duplicate_message(kind, value, first[value]))
            else:
                first[value] = parts
        return set(first)

    @staticmethod
    def duplicate_message(kind: str, value: object, first: list[str | int]) -> str:
        messages = {
            "key": _("duplicate key %(value)s (first used at %(first)s)"),
            "number": _("duplicate number %(value)s (first used at %(first)s)"),
            "agenda key": _("duplicate agenda key %(value)s (first used at %(first)s)"),
            "agenda number": _("duplicate agenda number %(value)s (first used at %(first)s)"),
            "attendee": _("duplicate attendee %(value)s (first used at %(first)s)"),
            "membership": _("a second membership in convocation %(value)s (first at %(first)s)"),
        }
        return messages[kind] % {"value": _describe(value), "first": json_path(first)}

    def ref(self, parts: list[str | int], value: object, known: set, target: str) -> None:
        if target == "convocation":
            if isinstance(value, int) and not isinstance(value, bool) and value not in known:
                self.references.append(_Reference(tuple(parts), target, value))
        elif isinstance(value, str) and value not in known:
            self.references.append(_Reference(tuple(parts), target, value))

    def seats_apart(self, i: int, seats: list[tuple[int, dict]]) -> None:
        """A person may hold several seats in one body (they left and rejoined), one after another: each seat but
        the last must end before the next starts (a seat without a start date follows the body from its
        beginning)."""
        by_body: dict[str, list[tuple[int, dict]]] = {}
        for j, seat in seats:
            if isinstance(seat.get("body"), str):
                by_body.setdefault(seat["body"], []).append((j, seat))
        for body, entries in by_body.items():
            entries.sort(key=lambda entry: (_date(entry[1].get("start_date")) or dt.date.min, entry[0]))
            for (j0, earlier), (j1, later) in zip(entries, entries[1:], strict=False):
                end, start = _date(earlier.get("end_date")), _date(later.get("start_date"))
                if end is None or start is None or start <= end:
                    self.add(
                        ["people", i, "bodies", j1, "body"],
                        _(
                            "seat in body %(body)s overlaps the seat at %(other)s: a later seat in the same body "
                            "must start after the earlier one ends"
                        )
                        % {"body": _describe(body), "other": json_path(["people", i, "bodies", j0])},
                    )

    def consultative_seats_apart(self) -> None:
        """One person's seats in one consultative body come one after another (the database keeps one open
        seat per person and body, and the report would count overlapping seats twice)."""
        by_body: dict[tuple[str, str], list[tuple[int, dict]]] = {}
        for i, seat in _items(self.data, "consultative_seats"):
            if isinstance(seat.get("person"), str) and isinstance(seat.get("body_name"), str):
                by_body.setdefault((seat["person"], seat["body_name"].strip()), []).append((i, seat))
        for entries in by_body.values():
            entries.sort(key=lambda entry: (_date(entry[1].get("start_date")) or dt.date.min, entry[0]))
            for (i0, earlier), (i1, later) in zip(entries, entries[1:], strict=False):
                end, start = _date(earlier.get("end_date")), _date(later.get("start_date"))
                if end is None or start is None or start <= end:
                    self.add(
                        ["consultative_seats", i1, "start_date"],
                        _(
                            "overlaps the seat of the same person in the same body at %(other)s: a later seat must "
                            "start after the earlier one ends"
                        )
                        % {"other": json_path(["consultative_seats", i0])},
                    )

    def experts_apart(self) -> None:
        """One person's appointments as an expert come one after another (the database keeps one open
        appointment per council and person)."""
        by_person: dict[str, list[tuple[int, dict]]] = {}
        for i, expert in _items(self.data, "experts"):
            if isinstance(expert.get("person"), str):
                by_person.setdefault(expert["person"], []).append((i, expert))
        for entries in by_person.values():
            entries.sort(key=lambda entry: (_date(entry[1].get("start_date")) or dt.date.min, entry[0]))
            for (i0, earlier), (i1, later) in zip(entries, entries[1:], strict=False):
                end, start = _date(earlier.get("end_date")), _date(later.get("start_date"))
                if end is None or start is None or start <= end:
                    self.add(
                        ["experts", i1, "start_date"],
                        _(
                            "overlaps the appointment of the same expert at %(other)s: a later appointment must "
                            "start after the earlier one ends"
                        )
                        % {"other": json_path(["experts", i0])},
                    )

    def attendance_counted(self, i: int, meeting: dict) -> None:
        """With names recorded, a meeting's `attendance` is their number (the workspace sets it so): the reports
        count the number, the minutes the names, and the two must tell the same story."""
        attendees, count = meeting.get("attendees"), meeting.get("attendance")
        if not isinstance(attendees, list) or not attendees:
            return  # no names: the count stands alone
        if isinstance(count, bool) or not (count is None or isinstance(count, int)):
            return  # the schema reported it
        if count != len(attendees):
            self.add(
                ["meetings", i, "attendance"],
                _("%(count)s: must be %(number)s, the number of people in attendees")
                % {"count": _describe(count), "number": len(attendees)},
            )

    def ordered(self, start_parts: list, start: object, end_parts: list, end: object, rule: str) -> None:
        start_date, end_date = _date(start), _date(end)
        if start_date and end_date and end_date < start_date:
            self.add(
                end_parts,
                _("%(end)s is before %(start)s (%(where)s): %(rule)s")
                % {"end": end, "start": start, "where": json_path(start_parts), "rule": rule},
            )

    def small_int(self, parts: list[str | int], value: object) -> None:
        if isinstance(value, int) and not isinstance(value, bool) and value > SMALL_INT_MAX:
            self.add(parts, _("%(value)s: must be at most %(bound)s") % {"value": value, "bound": SMALL_INT_MAX})

    def url(self, parts: list[str | int], value: object) -> None:
        if isinstance(value, str) and value and not _is_url(value):
            self.add(parts, _("%(value)s is not a valid http(s) address") % {"value": _describe(value)})

    def run(self) -> None:
        """One pass over the document, section by section (see `check_council_activity`)."""
        known = self.keys()
        self.resolve(known)
        self.lists()
        self.dates()
        self.sittings()
        self.appeal_numbers()
        self.storable()

    def keys(self) -> dict[str, set]:
        """1. Keys unique within their list (interchange/spec.py); agenda keys across the whole file, because a
        recommendation names an agenda item by its key alone. Returns the keys each kind has, by kind name."""
        known: dict[str, set] = {}
        for kind in record_spec.kinds():
            if kind.key is None or kind.name == "council" or (kind.parent and not kind.key_unique_in_file):
                continue
            message = "agenda key" if kind.parent else "key" if kind.key in ("key", "code") else "number"
            entries = ((list(parts) + [kind.key], item.get(kind.key)) for parts, item in _records_of(self.data, kind))
            known[kind.name] = self.unique(entries, message)
        return known

    def resolve(self, known: dict[str, set]) -> None:
        """2. Every reference resolves: each `Ref` of each kind, and a recommendation's `source`."""
        for kind in record_spec.kinds():
            for name, target in kind.references():
                for parts, item in _records_of(self.data, kind):
                    value = item.get(name)
                    if isinstance(value, list):  # a list of keys (RefList)
                        for j, each in enumerate(value):
                            self.ref([*parts, name, j], each, known[target], target)
                    else:
                        self.ref([*parts, name], value, known[target], target)
            for f in kind.all_fields:
                if not isinstance(f, TypedRef):
                    continue
                for parts, item in _records_of(self.data, kind):
                    ref = item.get(f.name)
                    if isinstance(ref, dict) and ref.get("type") in f.targets():
                        self.ref([*parts, f.name, "key"], ref.get("key"), known[ref["type"]], ref["type"])
        for i, rec in _items(self.data, "recommendations"):
            source = rec.get("source")
            # `type` may be any JSON value here (the schema reported it): only text can name a kind of source.
            if isinstance(source, dict) and isinstance(source.get("type"), str) and source["type"] in known:
                kind = source["type"]
                if kind in RECOMMENDATION_SOURCES:
                    self.ref(["recommendations", i, "source", "key"], source.get("key"), known[kind], kind)

    def lists(self) -> None:
        """What the tables allow one of, or require, within a record's lists."""
        for i, meeting in _items(self.data, "meetings"):
            agenda = _sub_items(meeting, "agenda")
            self.unique(((["meetings", i, "agenda", j, "number"], a.get("number")) for j, a in agenda), "agenda number")
            attendees = _sub_items(meeting, "attendees")
            # The table holds one row per meeting and person.
            self.unique(
                ((["meetings", i, "attendees", j, "person"], a.get("person")) for j, a in attendees), "attendee"
            )
            self.attendance_counted(i, meeting)
        for i, person in _items(self.data, "people"):
            memberships = _sub_items(person, "memberships")
            self.unique(
                ((["people", i, "memberships", j, "convocation"], m.get("convocation")) for j, m in memberships),
                "membership",
            )
            self.seats_apart(i, _sub_items(person, "bodies"))
        for i, event in _items(self.data, "monitoring"):
            for j, participant in _sub_items(event, "participants"):
                # The table has a check constraint: someone on file, or at least a name.
                name = participant.get("name")
                if participant.get("person") is None and not (isinstance(name, str) and name.strip()):
                    self.add(["monitoring", i, "participants", j], _("a participant needs a person key or a name"))
        self.consultative_seats_apart()
        self.experts_apart()
        for i, expert in _items(self.data, "experts"):
            self.records_once(["experts", i], expert, "engagements")
        self.format_3_lists()
        # Format /4: an organisation has one profile.
        profiles = _items(self.data, "partner_profiles")
        self.unique(((["partner_profiles", i, "partner"], p.get("partner")) for i, p in profiles), "key")
        self.news_lists()

    def news_lists(self) -> None:
        """What the news tables require (news/models.py): a moment for what is or was public, a withdrawal's moment
        and reason, a record named once per item, and an image by a name the portal made (never a path)."""
        for i, item in _items(self.data, "news"):
            status = item.get("status", "published")
            if status != "draft" and not item.get("publish_at"):
                self.add(["news", i, "publish_at"], _("a published or withdrawn news item needs its moment"))
            if status == "withdrawn" and not (
                item.get("withdrawn_at") and str(item.get("withdrawal_reason") or "").strip()
            ):
                self.add(["news", i, "withdrawal_reason"], _("a withdrawn news item needs its moment and reason"))
            self.records_once(["news", i], item)
            for j, image in _sub_items(item, "images"):
                if isinstance(image.get("file"), str) and not NEWS_IMAGE_NAME.fullmatch(image["file"]):
                    self.add(["news", i, "images", j, "file"], _("not a news image's stored name"))

    def records_once(self, parts: list[Any], item: dict[str, Any], links: str = "records") -> None:
        """A work plan item, a news item or an expert names a record once."""
        seen: dict[tuple[Any, ...], int] = {}
        for j, link in _sub_items(item, links):
            record = link.get("record")
            if not isinstance(record, dict):
                continue
            named = (record.get("type"), record.get("key"))
            if not all(isinstance(v, str) for v in named):
                continue  # the schema reported it
            if named in seen:
                self.add(
                    [*parts, links, j, "record"],
                    _("the same record is listed twice (first at %(first)s)")
                    % {"first": json_path([*parts, links, seen[named]])},
                )
            else:
                seen[named] = j

    def format_3_lists(self) -> None:
        """What the tables of format /3's records allow one of, or require (their constraints, said with a path)."""
        for i, item in _items(self.data, "work_plan"):
            if item.get("status") == "postponed" and not str(item.get("status_reason") or "").strip():
                self.add(["work_plan", i, "status_reason"], _("a postponed plan item needs the reason"))
            self.records_once(["work_plan", i], item)
        for i, request in _items(self.data, "information_requests"):
            if (request.get("state_body") is None) == (not str(request.get("organisation") or "").strip()):
                self.add(
                    ["information_requests", i],
                    _("a request goes to a state body or to an organisation named in organisation: exactly one"),
                )
            if request.get("extended_until") is not None:
                due, extended = _date(request.get("response_due")), _date(request.get("extended_until"))
                if due is None or (extended is not None and extended <= due):
                    self.add(
                        ["information_requests", i, "extended_until"],
                        _("an extension needs the response_due it extends, and ends after it"),
                    )
                if not str(request.get("extension_reason") or "").strip():
                    self.add(["information_requests", i, "extension_reason"], _("an extension needs its reason"))
            for j, answer in _sub_items(request, "responses"):
                if (answer.get("kind") == "refused") != bool(answer.get("refusal_ground")):
                    self.add(
                        ["information_requests", i, "responses", j, "refusal_ground"],
                        _("a refusal names its ground, and only a refusal does"),
                    )
        for i, comment in _items(self.data, "public_comments"):
            if (comment.get("hearing") is None) == (comment.get("draft") is None):
                self.add(["public_comments", i], _("a comment is on one hearing or one draft review: name exactly one"))
            if comment.get("outcome") == "rejected" and not str(comment.get("answer") or "").strip():
                self.add(["public_comments", i, "answer"], _("a comment not taken into account needs the reason"))
        moments: dict[tuple[Any, ...], int] = {}
        for i, reception in _items(self.data, "receptions"):
            named = (reception.get("host"), reception.get("starts_at"))
            if not all(isinstance(v, str) for v in named):
                continue  # the schema reported it
            try:
                dt.datetime.fromisoformat(reception["starts_at"])
            except ValueError:
                self.add(["receptions", i, "starts_at"], date_message(reception["starts_at"][:10]))
                continue
            if named in moments:
                self.add(
                    ["receptions", i, "starts_at"],
                    _("the same member already receives at this time (first at %(first)s)")
                    % {"first": json_path(["receptions", moments[named]])},
                )
            else:
                moments[named] = i

    def dates(self) -> None:
        """3. Dates in order, and dates that contradict another field."""
        data = self.data
        for i, convocation in _items(data, "convocations"):
            self.ordered(
                ["convocations", i, "start_date"],
                convocation.get("start_date"),
                ["convocations", i, "end_date"],
                convocation.get("end_date"),
                _("a convocation cannot end before it starts"),
            )
        for i, person in _items(data, "people"):
            for j, membership in _sub_items(person, "memberships"):
                self.ordered(
                    ["people", i, "memberships", j, "start_date"],
                    membership.get("start_date"),
                    ["people", i, "memberships", j, "end_date"],
                    membership.get("end_date"),
                    _("a membership cannot end before it starts"),
                )
                # The table has a check constraint: a reason for leaving belongs to a membership that ended.
                if membership.get("end_reason") and membership.get("end_date") is None:
                    self.add(
                        ["people", i, "memberships", j, "end_reason"],
                        _("a reason for leaving needs the day the member left: give end_date or remove end_reason"),
                    )
            for j, seat in _sub_items(person, "bodies"):
                self.ordered(
                    ["people", i, "bodies", j, "start_date"],
                    seat.get("start_date"),
                    ["people", i, "bodies", j, "end_date"],
                    seat.get("end_date"),
                    _("a seat cannot end before it starts"),
                )
        for i, expert in _items(data, "experts"):
            self.ordered(
                ["experts", i, "start_date"],
                expert.get("start_date"),
                ["experts", i, "end_date"],
                expert.get("end_date"),
                _("an expert's appointment cannot end before it starts"),
            )
        for i, review in _items(data, "draft_reviews"):
            self.ordered(
                ["draft_reviews", i, "discussion_start"],
                review.get("discussion_start"),
                ["draft_reviews", i, "discussion_end"],
                review.get("discussion_end"),
                _("the discussion cannot end before it starts"),
            )
        for i, memo in _items(data, "memoranda"):
            for end in ("valid_until", "terminated_on"):
                self.ordered(
                    ["memoranda", i, "signed_on"],
                    memo.get("signed_on"),
                    ["memoranda", i, end],
                    memo.get(end),
                    _("a memorandum's term and termination come after its signing"),
                )
        for i, hearing in _items(data, "hearings"):
            self.ordered(
                ["hearings", i, "comments_open"],
                hearing.get("comments_open"),
                ["hearings", i, "comments_close"],
                hearing.get("comments_close"),
                _("the comment window cannot close before it opens"),
            )
        for i, training in _items(data, "trainings"):
            self.ordered(
                ["trainings", i, "date"],
                training.get("date"),
                ["trainings", i, "end_date"],
                training.get("end_date"),
                _("a training cannot end before it starts"),
            )
        for i, seat in _items(data, "consultative_seats"):
            self.ordered(
                ["consultative_seats", i, "start_date"],
                seat.get("start_date"),
                ["consultative_seats", i, "end_date"],
                seat.get("end_date"),
                _("a seat cannot end before it starts"),
            )
        for i, rec in _items(data, "recommendations"):
            self.ordered(
                ["recommendations", i, "issued_on"],
                rec.get("issued_on"),
                ["recommendations", i, "sent_on"],
                rec.get("sent_on"),
                _("a recommendation cannot be sent before it is issued"),
            )
            for j, response in _sub_items(rec, "responses"):
                self.ordered(
                    ["recommendations", i, "issued_on"],
                    rec.get("issued_on"),
                    ["recommendations", i, "responses", j, "received_on"],
                    response.get("received_on"),
                    _("a response cannot be received before the recommendation is issued"),
                )
        for i, event in _items(data, "monitoring"):
            day = _date(event.get("date"))
            if event.get("date_precision") == "month" and day is not None and day.day != 1:
                self.add(
                    ["monitoring", i, "date"],
                    _("%(value)s: with date_precision 'month' the date is the first of its month: write %(first)s")
                    % {"value": _describe(event["date"]), "first": day.replace(day=1).isoformat()},
                )

    def sittings(self) -> None:
        """4. Meetings belong to the convocation sitting on their date; those present were members that day.
        Both are warnings: the minutes are the record, and a past date may be right while the roll is not."""
        data = self.data
        convocations = _items(data, "convocations")
        memberships_of = {
            person.get("key"): _sub_items(person, "memberships")
            for _i, person in _items(data, "people")
            if isinstance(person.get("key"), str)
        }
        for i, meeting in _items(data, "meetings"):
            day = _date(meeting.get("date"))
            if day is None:
                continue
            if not any(_covers(c.get("start_date"), c.get("end_date"), day) for _j, c in convocations):
                self.warn(
                    ["meetings", i, "date"],
                    _("no convocation of the file sat on %(date)s: the meeting is imported, but belongs to none")
                    % {"date": day.isoformat()},
                )
            for j, attendee in _sub_items(meeting, "attendees"):
                key = attendee.get("person")
                if not isinstance(key, str) or key not in memberships_of:
                    continue  # not a person of the file: reported above
                if not any(_covers(m.get("start_date"), m.get("end_date"), day) for _k, m in memberships_of[key]):
                    self.warn(
                        ["meetings", i, "attendees", j, "person"],
                        _(
                            "%(person)s was not a member of the council on %(date)s (no membership of theirs "
                            "covers that day): kept as present; check the date or the membership"
                        )
                        % {"person": _describe(key), "date": day.isoformat()},
                    )

    def appeal_numbers(self) -> None:
        """5. Appeal numbers are `<council code>-<year>-<sequence>` and belong to the file's year."""
        year = self.data.get("year")
        council = self.data.get("council") if isinstance(self.data.get("council"), dict) else {}
        code = council.get("code")
        for i, appeal in _items(self.data, "appeals"):
            number = appeal.get("number")
            match = re.fullmatch(r"([A-Z]{2,8})-(\d{4})-(\d{6})", number) if isinstance(number, str) else None
            if not match:
                continue  # the schema's pattern reported it
            if isinstance(code, str) and match[1] != code:
                self.add(
                    ["appeals", i, "number"],
                    _("%(number)s does not start with the council code %(code)s")
                    % {"number": _describe(number), "code": _describe(code)},
                )
            if isinstance(year, int) and int(match[2]) != year:
                self.add(
                    ["appeals", i, "number"],
                    _("%(number)s does not carry the file's year %(year)s")
                    % {"number": _describe(number), "year": year},
                )
            if int(match[3]) == 0:
                self.add(
                    ["appeals", i, "number"],
                    _("%(number)s: the sequence starts at 000001") % {"number": _describe(number)},
                )

    def storable(self) -> None:
        """6. Values the database would refuse although the schema lets them through: numbers above a small
        integer column's ceiling, addresses a URL column's validator refuses (read from the declared kinds'
        model fields); 7. text no database column can hold."""
        for kind in record_spec.kinds():
            for name, column in _checked_columns(kind):
                for parts, item in _records_of(self.data, kind):
                    if isinstance(column, models.URLField):
                        self.url([*parts, name], item.get(name))
                    else:
                        self.small_int([*parts, name], item.get(name))

        # 7. Text no database column can hold: a NUL character, or a lone UTF-16 surrogate (JSON can write
        #    "\ud800", UTF-8 cannot encode it). Left alone, either fails the import midway with a database error.
        for parts, text in _strings(self.data):
            if "\x00" in text:
                self.add(parts, _("contains a NUL character, which no text field can store"))
            elif LONE_SURROGATE.search(text):
                self.add(parts, _("contains a lone surrogate (\\ud800-\\udfff), which is not valid Unicode text"))


# --- document order and grouping ----------------------------------------------------------------------------


def _document_position(data: Any, parts: Parts) -> tuple:
    """Where a path is in the file as written: object fields in the file's own order (a parsed dict keeps it),
    list items by index. A field that is missing sorts at the start of its record, where the reader looks."""
    node, out = data, []
    for part in parts:
        if isinstance(node, dict) and isinstance(part, str):
            if part not in node:
                out.append((-1, part))
                break
            out.append((list(node).index(part), ""))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append((part, ""))
            node = node[part]
        else:
            out.append((-1, str(part)))
            break
    return tuple(out)


def _group(
    data: Any, issues: list[tuple[Parts, str]], references: list[_Reference]
) -> list[tuple[Parts, str, list[tuple[Parts, str]], str]]:
    """Put references that do not resolve under the mistake that broke them: the record of their target list
    whose key is wrong (malformed, missing or a duplicate). References to one missing key with no such record
    are one mistake, reported at the first of them."""
    issue_paths = {parts for parts, _message in issues}
    by_value: dict[tuple[str, object], list[_Reference]] = {}
    for ref in references:
        by_value.setdefault((ref.target, ref.value), []).append(ref)
    consequences: dict[Parts, list[_Reference]] = {}
    standalone: list[list[_Reference]] = []
    for (target, value), refs in by_value.items():
        broken = [parts for parts in issue_paths if _matches(parts, _target_pattern(target))]
        alike = [parts for parts in broken if _normal(_value_at(data, parts)) == _normal(value)]
        cause = alike[0] if len(alike) == 1 else broken[0] if len(broken) == 1 else None
        if cause is None:
            standalone.append(refs)
        else:
            consequences.setdefault(cause, []).extend(refs)
    out = []
    for parts, message in issues:
        refs = consequences.pop(parts, [])
        refs.sort(key=lambda r: _document_position(data, r.parts))
        target = refs[0].target if refs else ""
        out.append(
            (
                parts,
                message,
                [(r.parts, _missing_message(r.target, r.value)) for r in refs],
                _consequence_note(target, len(refs)) if refs else "",
            )
        )
    for refs in standalone:
        refs.sort(key=lambda r: _document_position(data, r.parts))
        first, rest = refs[0], refs[1:]
        out.append(
            (
                first.parts,
                _missing_message(first.target, first.value),
                [(r.parts, _missing_message(r.target, r.value)) for r in rest],
                _same_key_note(len(rest)) if rest else "",
            )
        )
    return out


def _value_at(data: Any, parts: Parts) -> Any:
    for part in parts:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def check_council_activity(data: Any) -> CheckResult:
    """Every problem in a parsed council-activity file (version 1 or 2), and the warnings.

    1. The JSON Schema of the file's version (Draft 2020-12, with format checks for dates and addresses); one
       message per place.
    2. A version 1 file is read as version 2 (`upgrade_v1`); the rules below run on that.
    3. Keys unique within their list (agenda keys across the whole file), agenda numbers unique per meeting,
       one membership per convocation and person.
    4. Every cross reference resolves, including a recommendation's `source` and a body's or a membership's
       convocation; a meeting names each attendee once, and its `attendance` is their number.
    5. Date order: convocation, membership, seat (in a body and in a consultative body), discussion period,
       issued/sent, issued/response received; a month-precision monitoring date is the first of its month.
    6. Appeal numbers carry the council's code and the file's year.
    7. Numbers, addresses and text the database would refuse (a NUL character, a lone surrogate).
    8. Warnings: a meeting on a day no convocation of the file sat; an attendee who was not a member that day.

    Errors come in the order of the file, references that a broken key leaves dangling grouped under it.
    """
    if not isinstance(data, dict):
        got = _JSON_TYPES.get(type(data), "value")
        return CheckResult([ValidationIssue("$", _("expected an object, got %(got)s") % {"got": got})], [])
    version = data.get("format") if data.get("format") in (FORMAT_V1, FORMAT_V2, FORMAT_V3) else FORMAT
    schema_issues: dict[Parts, str] = {}
    for error in _schema_validator(version).iter_errors(data):
        for parts, message in _schema_issue(error):
            schema_issues.setdefault(parts, message)  # one message per place: the first is the cause
    # A /4 file leaves out what is its default: the rules below read it written out.
    checked = upgrade_v1(data) if version == FORMAT_V1 else with_defaults(data) if version == FORMAT else data
    checker = _Checker(checked)
    checker.run()
    if version == FORMAT_V1:
        expert_people = _v1_expert_people(data)

        def remap(parts: Parts) -> Parts:
            return _v1_parts(parts, expert_people)
    else:

        def remap(parts: Parts) -> Parts:
            return parts

    raw = list(schema_issues.items())
    for parts, message in dict.fromkeys((remap(parts), message) for parts, message in checker.issues):
        if parts not in schema_issues:  # the schema's message is the cause; what follows from it is noise
            raw.append((parts, message))
    references = [
        _Reference(remap(r.parts), r.target, r.value)
        for r in checker.references
        if remap(r.parts) not in schema_issues  # a malformed key is its own mistake, said once
    ]
    if version == FORMAT_V1:
        # The upgrade adds the convocation references itself: a v1 file cannot get them wrong.
        references = [r for r in references if r.target != "convocation"]
    grouped = _group(data, raw, references)
    grouped.sort(key=lambda entry: _document_position(data, entry[0]))
    errors = [
        ValidationIssue(
            json_path(parts),
            message,
            tuple(ValidationIssue(json_path(p), m) for p, m in consequences),
            note,
        )
        for parts, message, consequences, note in grouped
    ]
    warnings = [(remap(parts), message) for parts, message in checker.warnings if remap(parts) not in schema_issues]
    warnings.sort(key=lambda entry: _document_position(data, entry[0]))
    return CheckResult(errors, [ValidationIssue(json_path(parts), message) for parts, message in warnings])


def validate_council_activity(data: Any) -> list[ValidationIssue]:
    """The errors of a parsed council-activity file, in document order; an empty list means it imports
    (warnings, which do not stop an import, are in `check_council_activity`)."""
    return check_council_activity(data).errors
