"""Properties of the council-activity importer against hostile or damaged files.

1. The validator never raises, whatever JSON it is given: it answers with issues, each with a `$`-path.
2. Any mutation of the valid sample (a required key dropped, a value of the wrong type, a reference to a key that
   is not in the file, an enum value replaced by garbage) is refused with an issue at the mutated location, and
   the import of a refused file writes nothing.
3. The sample with any Unicode text in its text fields (Cyrillic, Kazakh letters, emoji, control characters) is
   either refused at that field or survives import, export and re-import unchanged.

The mutation sites and the text fields are read from the JSON Schema walked alongside the sample, so a field
added to the format is mutated without this file changing.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.record_spec import with_defaults
from councils.models import Council
from interchange.selectors import council_activity_export
from interchange.services import CouncilActivityInvalid, council_activity_import
from interchange.validation import SCHEMA_PATH, json_path, validate_council_activity
from tests.interchange.conftest import SAMPLE_PATH, as_v3, as_v4, domain_rows

pytestmark = pytest.mark.heavy

SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
# The sample as the export writes it (format /4) with every field it leaves out at its default written out, so that
# every field is a mutation site: the round trips compare an export, read the same way, with it.
SAMPLE: dict[str, Any] = with_defaults(as_v4(as_v3(json.loads(SAMPLE_PATH.read_text(encoding="utf-8")))))
Parts = tuple[str | int, ...]

# No example database (nothing is written to .hypothesis/); deadlines off, the database makes timings uneven.
quick = settings(database=None, deadline=None, max_examples=150)
with_db = settings(
    database=None, deadline=None, max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# ---- the schema walked alongside the sample ----------------------------------------------------------------


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return SCHEMA["$defs"][ref.rsplit("/", 1)[1]] if ref else schema


def _branches(schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema)
    return [_resolve(b) for b in schema["oneOf"]] if "oneOf" in schema else [schema]


def _object_schema(schema: dict[str, Any]) -> dict[str, Any] | None:
    return next((b for b in _branches(schema) if b.get("type") == "object"), None)


def _json_types(schema: dict[str, Any]) -> set[str]:
    """The JSON types a value may have under the schema."""
    types: set[str] = set()
    for branch in _branches(schema):
        if "const" in branch or "enum" in branch:
            values = [branch["const"]] if "const" in branch else branch["enum"]
            types |= {_json_type(v) for v in values}
        kind = branch.get("type")
        types |= {kind} if isinstance(kind, str) else set(kind or ())
    return types | ({"number"} if "integer" in types else set())


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {str: "string", float: "number", list: "array", dict: "object", type(None): "null"}[type(value)]


def _is_reference(name: str, schema: dict[str, Any], parent: Parts) -> bool:
    """A field that names another record: the key pattern anywhere but a record's own `key`, and a
    recommendation's `source.key`."""
    refers = any(b.get("$ref") for b in ([schema] + schema.get("oneOf", [])))
    return (refers and name != "key") or (name == "key" and parent[-1:] == ("source",))


def _enum_values(schema: dict[str, Any]) -> list[Any]:
    return [v for b in _branches(schema) for v in b.get("enum", [])]


def _walk(value: Any, schema: dict[str, Any], parts: Parts) -> Iterator[tuple[str, Parts, dict[str, Any]]]:
    """(mutation kind, location, the location's schema) for every place of the document a mutation can hit."""
    obj = _object_schema(schema)
    if isinstance(value, dict) and obj is not None:
        for name, sub in obj.get("properties", {}).items():
            if name not in value:
                continue
            here = (*parts, name)
            if name in obj.get("required", []):
                yield "drop", here, sub
            yield "type", here, sub
            if _enum_values(sub):
                yield "enum", here, sub
            if _is_reference(name, sub, parts):
                yield "reference", here, sub
            yield from _walk(value[name], sub, here)
    elif isinstance(value, list):
        items = next((b["items"] for b in _branches(schema) if "items" in b), None)
        if items is not None:
            for i, item in enumerate(value):
                yield from _walk(item, items, (*parts, i))


SITES = list(_walk(SAMPLE, SCHEMA, ()))
MISSING_KEY = "zz-not-in-the-file"
# One value of every JSON type: a "type" mutation takes one the schema does not allow.
WRONG_TYPED = [12345, "x", [], {"x": 1}, True, None, 1.5]


def _get(doc: Any, parts: Parts) -> Any:
    for part in parts:
        doc = doc[part]
    return doc


def _exists(doc: Any, parts: Parts) -> bool:
    for part in parts:
        if isinstance(part, int) and isinstance(doc, list) and part < len(doc):
            doc = doc[part]
        elif isinstance(part, str) and isinstance(doc, dict) and part in doc:
            doc = doc[part]
        else:
            return False
    return True


def mutate(doc: dict[str, Any], kind: str, parts: Parts, schema: dict[str, Any], pick: int = 0) -> None:
    parent, name = _get(doc, parts[:-1]), parts[-1]
    if kind == "drop":
        del parent[name]
    elif kind == "type":
        allowed = _json_types(schema)
        candidates = [v for v in WRONG_TYPED if _json_type(v) not in allowed]
        parent[name] = copy.deepcopy(candidates[pick % len(candidates)])
    elif kind == "enum":
        parent[name] = "garbage-value"
    elif kind == "reference":
        parent[name] = MISSING_KEY


def names(issue_path: str, mutated: str) -> bool:
    """The issue is at the mutated location or inside it."""
    return issue_path == mutated or issue_path.startswith((mutated + ".", mutated + "["))


def related(issue_path: str, mutated: str) -> bool:
    """…or, when several mutations meet, at a location around it (a parent that lost its type hides its
    children's problems)."""
    return names(issue_path, mutated) or names(mutated, issue_path)


def places(issues: list) -> list[str]:
    """Where the issues point: each mistake and the consequences listed under it (two references to the same
    missing key are one mistake, told at the first, with the second under it)."""
    return [path for issue in issues for path in (issue.path, *(c.path for c in issue.consequences))]


def test_the_walk_finds_every_kind_of_mutation():
    kinds = {kind for kind, _parts, _schema in SITES}
    assert kinds == {"drop", "type", "enum", "reference"}
    references = {json_path(p) for kind, p, _s in SITES if kind == "reference"}
    assert "$.meetings[1].agenda[1].state_body" in references
    assert "$.recommendations[0].source.key" in references
    assert "$.people[0].bodies[0].body" in references
    assert "$.meetings[2].attendees[0].person" in references


def _one_per_field(sites: list[tuple[str, Parts, dict[str, Any]]]) -> list[tuple[str, Parts, dict[str, Any]]]:
    """The first site of each kind for each field of the format (`meetings[*].kind` once, not per meeting)."""
    seen: dict[tuple[str, str], tuple[str, Parts, dict[str, Any]]] = {}
    for kind, parts, schema in sites:
        seen.setdefault((kind, json_path(p if isinstance(p, str) else "*" for p in parts)), (kind, parts, schema))
    return list(seen.values())


def test_every_single_mutation_of_the_sample_is_refused_at_its_location():
    """Every field of the format, each kind of mutation, one at a time (the hypothesis tests below combine
    them, on any record)."""
    for kind, parts, schema in _one_per_field(SITES):
        # A type mutation with a scalar, and with a list and an object (which cannot be dictionary keys).
        for pick in (0, WRONG_TYPED.index([]), WRONG_TYPED.index({"x": 1})) if kind == "type" else (0,):
            doc = copy.deepcopy(SAMPLE)
            mutate(doc, kind, parts, schema, pick)
            issues = validate_council_activity(doc)
            where = json_path(parts)
            assert any(names(i.path, where) for i in issues), f"{kind} at {where}: {[str(i) for i in issues]}"


# ---- 1. the validator never raises -------------------------------------------------------------------------

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=25,
)


def _record_like(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Objects with the schema's own field names and values of any type: they get past the first checks and
    reach the cross-reference, date and number checks."""
    obj = _object_schema(schema)
    if obj is None:
        return json_values
    fields = {name: st.one_of(json_values, st.just(MISSING_KEY)) for name in obj.get("properties", {})}
    return st.fixed_dictionaries({}, optional=fields)


def _document_like() -> st.SearchStrategy[dict[str, Any]]:
    top = {}
    for name, sub in SCHEMA["properties"].items():
        items = _resolve(sub).get("items")
        shaped = st.lists(_record_like(items), max_size=3) if items else _record_like(sub)
        # A field the export never writes (`publication`, only in a published file) has no sample value.
        as_sampled = [st.just(copy.deepcopy(SAMPLE[name]))] if name in SAMPLE else []
        top[name] = st.one_of(shaped, json_values, *as_sampled)
    return st.fixed_dictionaries({}, optional=top)


@st.composite
def sample_with_any_values(draw) -> dict[str, Any]:
    """The sample with a few of its values, at any depth, replaced by any JSON."""
    doc = copy.deepcopy(SAMPLE)
    for _kind, parts, _schema in draw(st.lists(st.sampled_from(SITES), min_size=1, max_size=4)):
        if _exists(doc, parts):
            _get(doc, parts[:-1])[parts[-1]] = draw(json_values)
    return doc


def _sample_with(parts: Parts, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(SAMPLE)
    _get(doc, parts[:-1])[parts[-1]] = value
    return doc


@quick
@given(data=st.one_of(json_values, _document_like(), sample_with_any_values()))
# Found by this test: a recommendation source whose `type` was a list or an object raised TypeError.
@example(data=_sample_with(("recommendations", 0, "source", "type"), []))
@example(data=_sample_with(("recommendations", 0, "source", "type"), {"x": 1}))
def test_the_validator_never_raises_and_every_issue_has_a_path(data):
    issues = validate_council_activity(data)

    assert isinstance(issues, list)
    for issue in issues:
        assert issue.path.startswith("$"), issue
        assert issue.message


# ---- 2. mutations are refused where they are, and refused files write nothing -------------------------------

mutations = st.lists(
    st.tuples(st.sampled_from(SITES), st.integers(min_value=0, max_value=len(WRONG_TYPED))),
    min_size=1,
    max_size=3,
    unique_by=lambda m: m[0][1],
)


def _apply(mutation_list: list) -> tuple[dict[str, Any], list[str]]:
    doc = copy.deepcopy(SAMPLE)
    applied = []
    for (kind, parts, schema), pick in mutation_list:
        if _exists(doc, parts):  # an earlier mutation may have dropped or retyped a parent
            mutate(doc, kind, parts, schema, pick)
            applied.append(json_path(parts))
    return doc, applied


@quick
@given(mutation_list=mutations)
def test_mutations_of_the_sample_are_refused_at_their_locations(mutation_list):
    doc, applied = _apply(mutation_list)

    issues = validate_council_activity(doc)

    assert issues
    for where in applied:
        assert any(related(path, where) for path in places(issues)), f"{where}: {[str(i) for i in issues]}"


@pytest.fixture
def imported(db) -> None:
    council_activity_import(data=copy.deepcopy(SAMPLE))


@with_db
@given(mutation_list=mutations)
def test_a_refused_import_writes_nothing(imported, mutation_list):
    doc, applied = _apply(mutation_list)
    before = domain_rows()

    with pytest.raises(CouncilActivityInvalid) as refused:
        council_activity_import(data=doc)

    assert domain_rows() == before
    assert any(related(path, applied[0]) for path in places(refused.value.issues))


# ---- 3. any Unicode text survives the round trip, or is refused where it is --------------------------------


def _text_sites() -> list[tuple[Parts, dict[str, Any]]]:
    """Plain text fields of the sample: strings without a pattern, a format or a list of values."""
    out = []
    for kind, parts, schema in SITES:
        # Keys and references are not text; a website or a link is held to the URL rules.
        if (
            kind != "type"
            or parts[-1] in ("key", "website", "link")
            or str(parts[-1]).endswith(("_url", "_link"))  # format /3's draft_url, online_link: web addresses
            or _is_reference(str(parts[-1]), schema, parts[:-1])
        ):
            continue
        branch = next((b for b in _branches(schema) if b.get("type") == "string"), None)
        if branch is None or {"pattern", "format", "enum", "const"} & set(branch):
            continue
        if isinstance(_get(SAMPLE, parts), str):
            out.append((parts, branch))
    return out


TEXT_SITES = _text_sites()
KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
letters = st.sampled_from(list("Общественный совет" + KAZAKH + "🌳👩🏽‍⚖️🇰🇿" + " \t\n\r\"'<>&\\"))


@st.composite
def texts_for(draw, branch: dict[str, Any], alphabet: st.SearchStrategy[str]) -> str:
    low = max(branch.get("minLength", 0), 0)
    high = branch.get("maxLength", 300)
    return draw(st.text(alphabet=alphabet, min_size=low, max_size=min(high, 80)))


@st.composite
def varied_samples(draw, alphabet: st.SearchStrategy[str]) -> tuple[dict[str, Any], list[str]]:
    doc = copy.deepcopy(SAMPLE)
    chosen = draw(st.lists(st.sampled_from(TEXT_SITES), min_size=1, max_size=6, unique_by=lambda s: s[0]))
    for parts, branch in chosen:
        owner = _get(doc, parts[:-1])
        text = texts_for(branch, alphabet)
        if parts[-1] == "name" and "participants" in parts and owner.get("person") is None:
            # The one text the format requires across fields: an outside participant is known by a name.
            text = text.filter(str.strip)
        owner[parts[-1]] = draw(text)
    return doc, [json_path(parts) for parts, _branch in chosen]


def export() -> dict[str, Any]:
    data = council_activity_export(council=Council.objects.get(slug=SAMPLE["council"]["slug"]), year=SAMPLE["year"])
    return with_defaults(data)


def _round_trip(doc: dict[str, Any]) -> None:
    council_activity_import(data=doc)
    first = export()
    assert first == doc  # every character came back
    summary = council_activity_import(data=first)
    assert not summary.changed  # the export re-imports as it is
    assert export() == first


@with_db
@given(varied=varied_samples(letters))
def test_cyrillic_kazakh_and_emoji_text_survives_the_round_trip(db, varied):
    doc, _where = varied
    assert validate_council_activity(doc) == []

    _round_trip(doc)


# Any code point a JSON string can carry: control characters, NUL, private use, and lone surrogates (which JSON
# writes as "\ud800" and UTF-8 cannot encode).
any_character = st.one_of(
    st.sampled_from(["\x00", "\ud800", "\udfff", "\u2028", "\ufeff"]), st.characters(exclude_categories=[])
)


@with_db
@given(varied=varied_samples(any_character))
# Found by this test: both passed the validator, then failed the import with a database error.
@example(varied=(_sample_with(("meetings", 0, "title"), "a\x00b"), ["$.meetings[0].title"]))
@example(varied=(_sample_with(("council", "description"), "a\ud800b"), ["$.council.description"]))
def test_any_text_is_refused_where_it_is_or_survives_the_round_trip(db, varied):
    doc, where = varied
    issues = validate_council_activity(doc)
    if issues:
        # At the field, or at its record (a participant with an empty name and no person).
        assert all(any(related(i.path, w) for w in where) for i in issues), [str(i) for i in issues]
        return

    _round_trip(doc)
