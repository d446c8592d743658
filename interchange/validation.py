"""Validation of `oversight.council-activity/1` files: the JSON Schema, then what a schema cannot express.

Everything here works on the parsed JSON alone (no database), so the web upload form can call
`validate_council_activity` as well as the management command. Every problem is reported, not just the
first: the checks after the schema skip values of the wrong shape (the schema already reported them)
instead of stopping.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError

FORMAT = "oversight.council-activity/1"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "council-activity-1.schema.json"

# Recommendation source types in the file, and the lists their keys live in.
SOURCE_TYPES = ("monitoring", "hearing", "agenda_item", "draft_review", "appeal")

# PositiveSmallIntegerField's ceiling: the schema has no maximum for these, PostgreSQL would refuse the row.
SMALL_INT_MAX = 32767

_url_validator = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class ValidationIssue:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _is_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        _url_validator(value)
    except DjangoValidationError:
        return False
    return True


@functools.cache
def _schema_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
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


def _path_sort_key(path: str) -> tuple:
    # Document order within a list: `[10]` after `[9]`, not after `[1]`.
    return tuple(
        (0, int(token[1:-1]), "") if token.startswith("[") else (1, 0, token)
        for token in re.findall(r"\[\d+\]|[^.\[\]$]+", path)
    )


# --- schema errors ------------------------------------------------------------------------------------------


def _describe(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


_JSON_TYPES = {
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    list: "array",
    dict: "object",
    type(None): "null",
}


def _schema_issues(error: SchemaError) -> Iterator[ValidationIssue]:
    """One or more readable issues for one jsonschema error."""
    parts = list(error.absolute_path)
    path = json_path(parts)
    kind = error.validator
    if kind in ("oneOf", "anyOf") and error.context:
        # Nullable references are `oneOf: [key, null]`: when the value is not null the interesting failure is
        # the non-null branch's, not "is not valid under any of the given schemas".
        branches = [e for e in error.context if not (e.validator == "type" and e.validator_value == "null")]
        if branches:
            for sub in branches:
                yield from _schema_issues(sub)
            return
    if kind == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        for name in missing:
            yield ValidationIssue(json_path([*parts, name]), "required field is missing")
        return
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        for name in sorted(set(error.instance) - allowed):
            yield ValidationIssue(json_path([*parts, name]), "unknown field")
        return
    if kind == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        got = _JSON_TYPES.get(type(error.instance), type(error.instance).__name__)
        message = f"expected {expected}, got {got} {_describe(error.instance)}"
    elif kind == "enum":
        choices = ", ".join(_describe(v) for v in error.validator_value)
        message = f"{_describe(error.instance)} is not one of: {choices}"
    elif kind == "const":
        message = f"expected {_describe(error.validator_value)}, got {_describe(error.instance)}"
    elif kind == "pattern":
        message = f"{_describe(error.instance)} does not match the pattern {error.validator_value}"
    elif kind == "format":
        message = f"{_describe(error.instance)} is not a valid {error.validator_value}"
    elif kind in ("minLength", "maxLength", "minimum", "maximum"):
        bound = {"minLength": "at least {} characters", "maxLength": "at most {} characters"}.get(
            kind, "at least {}" if kind == "minimum" else "at most {}"
        )
        message = f"{_describe(error.instance)}: must be " + bound.format(error.validator_value)
    else:
        message = error.message
    yield ValidationIssue(path, message)


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


class _Checker:
    def __init__(self, data: dict) -> None:
        self.data = data
        self.issues: list[ValidationIssue] = []

    def add(self, parts: list[str | int], message: str) -> None:
        self.issues.append(ValidationIssue(json_path(parts), message))

    def unique(self, entries: Iterable[tuple[list[str | int], object]], what: str) -> set:
        """Report repeated values; return the set of values seen (the keys other records may refer to)."""
        first: dict[object, list[str | int]] = {}
        for parts, value in entries:
            if not isinstance(value, str | int) or isinstance(value, bool):
                continue
            if value in first:
                self.add(parts, f"duplicate {what} {_describe(value)} (first used at {json_path(first[value])})")
            else:
                first[value] = parts
        return set(first)

    def ref(self, parts: list[str | int], value: object, known: set, what: str, key_name: str = "key") -> None:
        if isinstance(value, str) and value not in known:
            self.add(parts, f"no {what} with {key_name} {_describe(value)}")

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
                        f"seat in body {_describe(body)} overlaps the seat at "
                        f"{json_path(['people', i, 'bodies', j0])}: a later seat in the same body must start after "
                        "the earlier one ends",
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
                        f"overlaps the seat of the same person in the same body at "
                        f"{json_path(['consultative_seats', i0])}: a later seat must start after the earlier one ends",
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
                f"{_describe(count)}: must be {len(attendees)}, the number of people in attendees",
            )

    def ordered(self, start_parts: list, start: object, end_parts: list, end: object, rule: str) -> None:
        start_date, end_date = _date(start), _date(end)
        if start_date and end_date and end_date < start_date:
            self.add(end_parts, f"{end} is before {start} ({json_path(start_parts)}): {rule}")

    def small_int(self, parts: list[str | int], value: object) -> None:
        if isinstance(value, int) and not isinstance(value, bool) and value > SMALL_INT_MAX:
            self.add(parts, f"{value}: must be at most {SMALL_INT_MAX}")

    def url(self, parts: list[str | int], value: object) -> None:
        if isinstance(value, str) and value and not _is_url(value):
            self.add(parts, f"{_describe(value)} is not a valid http(s) address")

    def run(self) -> list[ValidationIssue]:
        data = self.data
        year = data.get("year")
        council = data.get("council") if isinstance(data.get("council"), dict) else {}
        convocation = data.get("convocation") if isinstance(data.get("convocation"), dict) else {}

        # 1. Keys: unique within their list; agenda keys across the whole file, because a recommendation
        #    names an agenda item by its key alone.
        def keys(name: str, field: str = "key") -> set:
            return self.unique((([name, i, field], item.get(field)) for i, item in _items(data, name)), field)

        bodies = keys("bodies")
        people = keys("people")
        state_bodies = keys("state_bodies")
        meetings = _items(data, "meetings")
        keys("meetings")
        agenda_items = self.unique(
            (
                (["meetings", i, "agenda", j, "key"], item.get("key"))
                for i, meeting in meetings
                for j, item in _sub_items(meeting, "agenda")
            ),
            "agenda key",
        )
        for i, meeting in meetings:
            self.unique(
                (
                    (["meetings", i, "agenda", j, "number"], item.get("number"))
                    for j, item in _sub_items(meeting, "agenda")
                ),
                "agenda number",
            )
        sources = {
            "monitoring": ("monitoring event", "key", keys("monitoring")),
            "hearing": ("hearing", "key", keys("hearings")),
            "agenda_item": ("agenda item", "key", agenda_items),
            "draft_review": ("draft review", "key", keys("draft_reviews")),
            "appeal": ("appeal", "number", keys("appeals", "number")),
        }
        keys("recommendations")
        partners = keys("partners")
        keys("memoranda")
        keys("consultative_seats")
        keys("work_plan", "number")

        # 2. References.
        for i, person in _items(data, "people"):
            seats = _sub_items(person, "bodies")
            self.seats_apart(i, seats)
            for j, seat in seats:
                self.ref(["people", i, "bodies", j, "body"], seat.get("body"), bodies, "body")
        for i, meeting in meetings:
            self.ref(["meetings", i, "body"], meeting.get("body"), bodies, "body")
            attendees = _sub_items(meeting, "attendees")
            # The table holds one row per meeting and person.
            self.unique(
                ((["meetings", i, "attendees", j, "person"], a.get("person")) for j, a in attendees), "attendee"
            )
            for j, attendee in attendees:
                self.ref(["meetings", i, "attendees", j, "person"], attendee.get("person"), people, "person")
            self.attendance_counted(i, meeting)
            for j, item in _sub_items(meeting, "agenda"):
                self.ref(
                    ["meetings", i, "agenda", j, "state_body"],
                    item.get("state_body"),
                    state_bodies,
                    "state body",
                )
        for i, hearing in _items(data, "hearings"):
            self.ref(["hearings", i, "organiser"], hearing.get("organiser"), bodies, "body")
        for i, event in _items(data, "monitoring"):
            self.ref(["monitoring", i, "commission"], event.get("commission"), bodies, "body")
            for j, participant in _sub_items(event, "participants"):
                parts: list[str | int] = ["monitoring", i, "participants", j]
                self.ref([*parts, "person"], participant.get("person"), people, "person")
                # The table has a check constraint: someone on file, or at least a name.
                name = participant.get("name")
                if participant.get("person") is None and not (isinstance(name, str) and name.strip()):
                    self.add(parts, "a participant needs a person key or a name")
        for i, review in _items(data, "draft_reviews"):
            self.ref(["draft_reviews", i, "developer"], review.get("developer"), state_bodies, "state body")
        for i, rec in _items(data, "recommendations"):
            self.ref(["recommendations", i, "state_body"], rec.get("state_body"), state_bodies, "state body")
            source = rec.get("source")
            # `type` may be any JSON value here (the schema reported it): only text can name a kind of source.
            if isinstance(source, dict) and isinstance(source.get("type"), str) and source["type"] in sources:
                what, key_name, known = sources[source["type"]]
                self.ref(["recommendations", i, "source", "key"], source.get("key"), known, what, key_name)
        for i, appeal in _items(data, "appeals"):
            self.ref(["appeals", i, "forwarded_to"], appeal.get("forwarded_to"), state_bodies, "state body")
            self.ref(["appeals", i, "assigned_body"], appeal.get("assigned_body"), bodies, "body")
        for i, memo in _items(data, "memoranda"):
            self.ref(["memoranda", i, "partner"], memo.get("partner"), partners, "partner")
        for i, seat in _items(data, "consultative_seats"):
            self.ref(["consultative_seats", i, "person"], seat.get("person"), people, "person")
            self.ref(["consultative_seats", i, "state_body"], seat.get("state_body"), state_bodies, "state body")
        self.consultative_seats_apart()

        # 3. Dates in order.
        self.ordered(
            ["convocation", "start_date"],
            convocation.get("start_date"),
            ["convocation", "end_date"],
            convocation.get("end_date"),
            "a convocation cannot end before it starts",
        )
        for i, person in _items(data, "people"):
            membership = person.get("membership")
            if isinstance(membership, dict):
                self.ordered(
                    ["people", i, "membership", "start_date"],
                    membership.get("start_date"),
                    ["people", i, "membership", "end_date"],
                    membership.get("end_date"),
                    "a membership cannot end before it starts",
                )
            for j, seat in _sub_items(person, "bodies"):
                self.ordered(
                    ["people", i, "bodies", j, "start_date"],
                    seat.get("start_date"),
                    ["people", i, "bodies", j, "end_date"],
                    seat.get("end_date"),
                    "a seat cannot end before it starts",
                )
        for i, review in _items(data, "draft_reviews"):
            self.ordered(
                ["draft_reviews", i, "discussion_start"],
                review.get("discussion_start"),
                ["draft_reviews", i, "discussion_end"],
                review.get("discussion_end"),
                "the discussion cannot end before it starts",
            )
        for i, seat in _items(data, "consultative_seats"):
            self.ordered(
                ["consultative_seats", i, "start_date"],
                seat.get("start_date"),
                ["consultative_seats", i, "end_date"],
                seat.get("end_date"),
                "a seat cannot end before it starts",
            )
        for i, rec in _items(data, "recommendations"):
            self.ordered(
                ["recommendations", i, "issued_on"],
                rec.get("issued_on"),
                ["recommendations", i, "sent_on"],
                rec.get("sent_on"),
                "a recommendation cannot be sent before it is issued",
            )

        # 4. Appeal numbers are `<council code>-<year>-<sequence>` and belong to the file's year.
        code = council.get("code")
        for i, appeal in _items(data, "appeals"):
            number = appeal.get("number")
            match = re.fullmatch(r"([A-Z]{2,8})-(\d{4})-(\d{6})", number) if isinstance(number, str) else None
            if not match:
                continue  # the schema's pattern reported it
            if isinstance(code, str) and match[1] != code:
                self.add(["appeals", i, "number"], f"{number!r} does not start with the council code {code!r}")
            if isinstance(year, int) and int(match[2]) != year:
                self.add(["appeals", i, "number"], f"{number!r} does not carry the file's year {year}")
            if int(match[3]) == 0:
                self.add(["appeals", i, "number"], f"{number!r}: the sequence starts at 000001")

        # 5. Values the database would refuse although the schema lets them through.
        for i, body in _items(data, "bodies"):
            self.small_int(["bodies", i, "number"], body.get("number"))
        for i, meeting in meetings:
            self.small_int(["meetings", i, "attendance"], meeting.get("attendance"))
            for j, item in _sub_items(meeting, "agenda"):
                self.small_int(["meetings", i, "agenda", j, "number"], item.get("number"))
        for i, hearing in _items(data, "hearings"):
            self.small_int(["hearings", i, "number"], hearing.get("number"))
        for i, item in _items(data, "work_plan"):
            self.small_int(["work_plan", i, "number"], item.get("number"))
        self.url(["council", "website"], council.get("website"))
        for name in ("state_bodies", "partners"):
            for i, record in _items(data, name):
                self.url([name, i, "website"], record.get("website"))
        for i, seat in _items(data, "consultative_seats"):
            self.url(["consultative_seats", i, "link"], seat.get("link"))

        # 6. Text no database column can hold: a NUL character, or a lone UTF-16 surrogate (JSON can write
        #    "\ud800", UTF-8 cannot encode it). Left alone, either fails the import midway with a database error.
        for parts, text in _strings(data):
            if "\x00" in text:
                self.add(parts, "contains a NUL character, which no text field can store")
            elif LONE_SURROGATE.search(text):
                self.add(parts, "contains a lone surrogate (\\ud800-\\udfff), which is not valid Unicode text")
        return self.issues


def validate_council_activity(data: Any) -> list[ValidationIssue]:
    """Every problem in a parsed council-activity file, in document order; an empty list means it imports.

    1. The JSON Schema (Draft 2020-12, with format checks for dates and addresses).
    2. Keys unique within their list (agenda keys across the whole file), agenda numbers unique per meeting.
    3. Every cross reference resolves, including a recommendation's `source`; a meeting names each attendee
       once, and its `attendance` is their number.
    4. Date order: convocation, membership, seat (in a body and in a consultative body), discussion period,
       issued/sent; a person's seats in one consultative body do not overlap.
    5. Appeal numbers carry the council's code and the file's year.
    6. Numbers, addresses and text the database would refuse (a NUL character, a lone surrogate).
    """
    if not isinstance(data, dict):
        return [ValidationIssue("$", f"expected an object, got {_JSON_TYPES.get(type(data), 'value')}")]
    issues = [issue for error in _schema_validator().iter_errors(data) for issue in _schema_issues(error)]
    issues += _Checker(data).run()
    unique = list(dict.fromkeys(issues))
    return sorted(unique, key=lambda issue: _path_sort_key(issue.path))
