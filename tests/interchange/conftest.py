"""Helpers for the council-activity tests: the hand-made sample, a scaled copy of it and a dump of every row."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.utils import translation

SAMPLE_PATH = Path(__file__).parent / "data" / "sample.json"
DOMAIN_APPS = ("councils", "hearings", "monitoring", "appeals")
# Vocabularies of the whole portal that a migration fills in, not a council's records: no file writes them.
PORTAL_VOCABULARIES = ("councils.ExpertiseArea",)


@pytest.fixture
def sample() -> dict[str, Any]:
    return json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))


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
    return out


@pytest.fixture(autouse=True)
def _english_messages():
    """The messages are translated; these tests read them in English (test_messages.py checks the others)."""
    with translation.override("en"):
        yield
