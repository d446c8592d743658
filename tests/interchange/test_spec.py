"""The record kinds of the council-activity file (interchange/spec.py) against the models, the JSON Schema and the
recommendation sources: a model, a column or a list that one of them has and the declarations do not say anything
about fails here, instead of silently missing from the files."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test.utils import isolate_apps

from core import record_spec
from core.record_spec import Day, ExportKeys, ImportRefs, RecordKind, TypedRef, Value, derived_field
from councils.models import Council
from councils.ownership import CouncilOwned, council_owned_models
from interchange.spec import uncovered_models
from interchange.validation import SCHEMA_PATH
from monitoring.models import RECOMMENDATION_SOURCES

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_of(kind: RecordKind) -> dict[str, Any]:
    """The schema of one record of the kind: its list's items, inside its parent's record when it nests."""
    if kind.parent:
        return schema_of(record_spec.kind(kind.parent))["properties"][kind.file_list]["items"]
    if kind.name == "council":
        return SCHEMA["properties"]["council"]
    return SCHEMA["properties"][kind.file_list]["items"]


def test_every_council_owned_model_is_in_the_file_or_left_out_with_a_reason():
    assert len(council_owned_models()) > 20  # the walk sees the project's models
    assert uncovered_models(council_owned_models()) == []
    assert all(reason.strip() for reason in record_spec.excluded().values())


@isolate_apps("councils")
def test_a_new_council_owned_model_the_file_says_nothing_about_is_caught():
    class Minutes(models.Model):  # noqa: DJ008 - a throwaway model
        ownership = CouncilOwned("council")
        council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "councils"

    assert uncovered_models([(Minutes, Minutes.ownership)]) == ["councils.Minutes"]


def test_leaving_a_model_out_needs_a_reason():
    with pytest.raises(ImproperlyConfigured):
        record_spec.exclude("councils.Minutes", "  ")


@pytest.mark.parametrize("kind", record_spec.kinds(), ids=lambda kind: kind.name)
def test_every_column_of_a_kind_is_in_the_file_or_left_out_with_a_reason(kind):
    model_attrs = {attr for f in kind.all_fields for attr in f.model_attrs()}
    columns = {column.attname for column in kind.model._meta.concrete_fields}

    assert kind.undeclared_columns() == [] or kind.derive
    assert set(kind.not_in_file) <= columns  # no reason given for a column the model does not have
    assert all(reason.strip() for reason in kind.not_in_file.values())
    assert model_attrs <= columns  # every declared attribute is a column of the model


@pytest.mark.parametrize("kind", record_spec.kinds(), ids=lambda kind: kind.name)
def test_the_schema_has_exactly_the_fields_and_lists_a_kind_reads_and_writes(kind):
    record = schema_of(kind)
    in_file = {name for f in kind.all_fields for name in f.file_names()}
    in_file |= {child.file_list for child in record_spec.children(kind.name)}

    assert set(record["properties"]) == in_file
    # A field the schema requires is one the import reads without a default, and the other way round.
    required = {f.name for f in kind.all_fields if isinstance(f, Value | Day) and f.required}
    assert required <= set(record.get("required", []))


def test_recommendation_source_kinds_are_listed_once():
    source = SCHEMA["properties"]["recommendations"]["items"]["properties"]["source"]
    (as_object,) = [branch for branch in source["oneOf"] if branch.get("type") == "object"]

    assert as_object["properties"]["type"]["enum"] == list(RECOMMENDATION_SOURCES)
    for name, source_kind in RECOMMENDATION_SOURCES.items():
        kind = record_spec.kind(name)
        assert kind.key is not None and kind.missing
        assert kind.model is source_kind.model


def test_a_column_added_to_a_derived_kind_is_read_and_written_under_its_own_name():
    budget = models.TextField(blank=True)
    budget.set_attributes_from_name("budget")
    visited_on = models.DateField(null=True, blank=True)
    visited_on.set_attributes_from_name("visited_on")
    refs = ImportRefs()

    text, day = derived_field(budget), derived_field(visited_on)

    assert text.read({}, refs, None) == {"budget": ""}  # a file written before the column
    assert text.read({"budget": "12 млн ₸"}, refs, None) == {"budget": "12 млн ₸"}
    assert day.read({"visited_on": "2019-05-14"}, refs, None) == {"visited_on": dt.date(2019, 5, 14)}

    class Row:
        budget = "12 млн ₸"
        visited_on = None

    assert text.write(Row(), ExportKeys()) == {"budget": "12 млн ₸"}  # type: ignore[arg-type]
    assert day.write(Row(), ExportKeys()) == {"visited_on": None}  # type: ignore[arg-type]


def test_a_reference_is_never_derived():
    council = models.ForeignKey(Council, on_delete=models.CASCADE)
    council.set_attributes_from_name("council")
    council.model = Council

    with pytest.raises(ImproperlyConfigured, match="Ref"):
        derived_field(council)


def test_registering_another_kind_under_a_taken_name_is_an_error():
    taken = record_spec.kind("monitoring")

    record_spec.register(taken)  # a second ready() registers the same declaration: nothing changes
    with pytest.raises(ImproperlyConfigured):
        record_spec.register(RecordKind("monitoring", "monitoring.MonitoringEvent", "events", fields=()))
    assert record_spec.kind("monitoring") is taken


def test_nothing_is_left_out_for_want_of_a_newer_format():
    """Format /3 carries what session 5's apps record: no reason says "not in the format yet" any more."""
    reasons = [*record_spec.excluded().values(), *(r for k in record_spec.kinds() for r in k.not_in_file.values())]

    assert [r for r in reasons if "format /2" in r or "format yet" in r or "newer than the format" in r] == []


def test_the_schema_and_the_documentation_are_made_from_the_declarations():
    """`manage.py council_activity_format --write` after changing a declaration (interchange/schema_build.py)."""
    from django.core.management import call_command

    call_command("council_activity_format")


def test_every_kind_a_reference_may_name_says_what_is_missing():
    """A reference that does not resolve is reported with the target's `missing` message ("no meeting with key
    ..."), so every kind a `Ref`, a list of keys or a `{type, key}` may name has one."""
    targets = {target for kind in record_spec.kinds() for _name, target in kind.references()}
    targets |= {
        t for kind in record_spec.kinds() for f in kind.all_fields if isinstance(f, TypedRef) for t in f.targets()
    }

    assert [name for name in sorted(targets) if not record_spec.kind(name).missing] == []


def test_the_schema_does_not_depend_on_the_database_it_is_generated_on(monkeypatch):
    # `manage.py council_activity_format` run on SQLite (as `make run` is) wrote 64-bit maxima where PostgreSQL
    # gives 2,147,483,647, so the check said "out of date" on one database and "current" on the other.
    from django.db import connection

    from interchange.schema_build import build_schema
    from news.models import NewsImage

    monkeypatch.setattr(connection.ops, "integer_field_range", lambda internal_type: (-1, 1))
    for field in NewsImage._meta.get_fields():
        getattr(field, "__dict__", {}).pop("validators", None)  # Django caches a field's validators
    try:
        images = build_schema()["properties"]["news"]["items"]["properties"]["images"]["items"]["properties"]
        assert images["width"]["maximum"] == 2147483647 and images["width"]["minimum"] == 0
    finally:
        for field in NewsImage._meta.get_fields():
            getattr(field, "__dict__", {}).pop("validators", None)
