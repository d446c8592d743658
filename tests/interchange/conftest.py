"""Helpers for the council-activity tests: the hand-made sample, a scaled copy of it and a dump of every row."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.utils import translation

from core.record_spec import with_defaults, without_defaults

SAMPLE_PATH = Path(__file__).parent / "data" / "sample.json"
DOMAIN_APPS = ("councils", "hearings", "monitoring", "appeals")
# Vocabularies of the whole portal that a migration fills in, not a council's records: no file writes them.
PORTAL_VOCABULARIES = ("councils.ExpertiseArea",)


@pytest.fixture
def sample() -> dict[str, Any]:
    """The hand-made sample as the export writes it today (format /4: a field at its default left out, so a field
    added to a kind with a default changes nothing here). The file on disk is a version 2 file, and the commands
    that import it by path show that a /2 file still imports."""
    return as_v4(as_v3(json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))))


@pytest.fixture
def full_sample(sample: dict[str, Any]) -> dict[str, Any]:
    """The sample with every field written out (a /4 file may; the tests that change a field read it so)."""
    return with_defaults(sample)


def as_v4(data: dict[str, Any]) -> dict[str, Any]:
    """A version 3 document as the same year written in version 4: every field whose value is its default (as the
    record kinds declare it) left out."""
    return without_defaults(dict(copy.deepcopy(data), format="oversight.council-activity/4"))


def full_export(**kwargs: Any) -> dict[str, Any]:
    """The export with every field written out, for the tests that read a field of it."""
    from interchange.selectors import council_activity_export

    return with_defaults(council_activity_export(**kwargs))


# What format /3 added, as the export writes it for a record that has none of it.
V3_EMPTY: dict[str, dict[str, Any]] = {
    "memoranda": {
        "other_parties": [],
        "valid_until": None,
        "terminated_on": None,
        "termination_reason": "",
        "commitments": [],
    },
    "hearings": {
        "kind": "general",
        "project": "",
        "operator": "",
        "notice_date": None,
        "comments_open": None,
        "comments_close": None,
        "record_published_on": None,
        "documents": [],
    },
    "draft_reviews": {"draft_url": ""},
    "appeals": {"locality": None},
    "work_plan": {"due_date": None, "status_reason": "", "records": []},
}
V3_LISTS = (
    "appeal_categories",
    "localities",
    "information_request_batches",
    "information_requests",
    "library",
    "trainings",
    "receptions",
    "public_comments",
)


def as_v3(data: dict[str, Any]) -> dict[str, Any]:
    """A version 2 document as the same year written in version 3: what /3 added, empty."""
    out = copy.deepcopy(data)
    out["format"] = "oversight.council-activity/3"
    for name, empty in V3_EMPTY.items():
        for record in out.get(name, []):
            for field, value in empty.items():
                record.setdefault(field, copy.deepcopy(value))
    for name in V3_LISTS:
        out.setdefault(name, [])
    return out


def domain_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of every domain table, ids included: equal dumps mean nothing was written."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in PORTAL_VOCABULARIES
    }


def domain_row_counts() -> dict[str, int]:
    return {label: len(rows) for label, rows in domain_rows().items()}


def scaled(sample: dict[str, Any], factor: int) -> dict[str, Any]:
    """The sample with every record repeated `factor` times under new keys (copy 0 keeps the sample's keys),
    references and recommendation sources following their copy."""
    sample = with_defaults(sample)
    out = copy.deepcopy(sample)
    keyed = ["bodies", "people", "meetings", "hearings", "monitoring", "draft_reviews", "recommendations"]
    keyed += ["partners", "memoranda", "consultative_seats", "state_bodies"]
    for name in [*keyed, "appeals", "work_plan"]:
        out[name] = []
    for c in range(factor):
        part = copy.deepcopy(sample)

        def k(value: str | None, c: int = c) -> str | None:
            return value if value is None or c == 0 else f"{value}-c{c}"

        for name in keyed:
            for record in part[name]:
                record["key"] = k(record["key"])
        for person in part["people"]:
            for seat in person["bodies"]:
                seat["body"] = k(seat["body"])
        for meeting in part["meetings"]:
            meeting["body"] = k(meeting["body"])
            for attendee in meeting["attendees"]:
                attendee["person"] = k(attendee["person"])
            for item in meeting["agenda"]:
                item["key"] = k(item["key"])
                item["state_body"] = k(item["state_body"])
        for hearing in part["hearings"]:
            hearing["organiser"] = k(hearing["organiser"])
        for event in part["monitoring"]:
            event["commission"] = k(event["commission"])
            for participant in event["participants"]:
                participant["person"] = k(participant["person"])
        for review in part["draft_reviews"]:
            review["developer"] = k(review["developer"])
        offset = c * len(sample["appeals"])
        for appeal in part["appeals"]:
            code, year, sequence = appeal["number"].split("-")
            appeal["number"] = f"{code}-{year}-{int(sequence) + offset:06d}"
            appeal["forwarded_to"] = k(appeal["forwarded_to"])
            appeal["assigned_body"] = k(appeal["assigned_body"])
        for rec in part["recommendations"]:
            rec["state_body"] = k(rec["state_body"])
            source = rec["source"]
            if source["type"] == "appeal":
                code, year, sequence = source["key"].split("-")
                source["key"] = f"{code}-{year}-{int(sequence) + offset:06d}"
            else:
                source["key"] = k(source["key"])
        for memo in part["memoranda"]:
            memo["partner"] = k(memo["partner"])
        for seat in part["consultative_seats"]:
            seat["person"] = k(seat["person"])
            seat["state_body"] = k(seat["state_body"])
        for item in part["work_plan"]:
            item["number"] += c * len(sample["work_plan"])
        for name in [*keyed, "appeals", "work_plan"]:
            out[name] += part[name]
    return without_defaults(out)


@pytest.fixture(autouse=True)
def _english_messages():
    """The messages are translated; these tests read them in English (test_messages.py checks the others)."""
    with translation.override("en"):
        yield
