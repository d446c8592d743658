"""Reads for the privacy notice and the register page, built from the register of processing
(core/personal_data.py) and the operator settings: nothing here lists a field by hand."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from core.personal_data import Category, RegisterEntry, register


def _retention_values() -> dict[str, object]:
    return {
        "appeal_retention_years": settings.OVERSIGHT["APPEAL_RETENTION_YEARS"],
        "consultation_retention_years": settings.OVERSIGHT["CONSULTATION_RETENTION_YEARS"],
        "stakeholder_contact_retention_years": settings.OVERSIGHT["STAKEHOLDER_CONTACT_RETENTION_YEARS"],
    }


def _text(value: object) -> str:
    # `%` with a mapping leaves a text without placeholders as it is.
    return str(value) % _retention_values() if value else ""


@dataclass(frozen=True)
class RegisterRow:
    label: str  # "appeals.Appeal.email": stable, for tests and exports
    record: str  # the model's verbose name
    field: str  # the field's verbose name
    category: str
    subject: str
    purpose: str
    basis: str
    retention: str
    recipients: str
    public: bool


def register_rows() -> list[RegisterRow]:
    """One row per declared personal field, in the register's order."""
    rows = []
    for entry in register():
        processing = entry.processing
        rows.append(
            RegisterRow(
                label=entry.label,
                record=str(entry.model._meta.verbose_name),
                field=str(entry.field.verbose_name),
                category=str(Category(entry.declaration.category).label),
                subject=str(entry.declaration.subject),
                purpose=str(entry.declaration.purpose),
                basis=_text(processing.basis) if processing else "",
                retention=_text(processing.retention) if processing else "",
                recipients=_text(processing.recipients) if processing else "",
                public=entry.declaration.public,
            )
        )
    return rows


@dataclass
class SubjectSummary:
    """What the portal holds about one kind of person, for the privacy notice."""

    subject: str
    categories: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)
    retention: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


def _add(values: list[str], value: str) -> None:
    if value and value not in values:
        values.append(value)


def notice_summary(entries: list[RegisterEntry] | None = None) -> list[SubjectSummary]:
    """The register grouped by whose data it is: categories, purposes, basis, retention and recipients."""
    summaries: dict[str, SubjectSummary] = {}
    for entry in register() if entries is None else entries:
        subject = str(entry.declaration.subject)
        summary = summaries.setdefault(subject, SubjectSummary(subject=subject))
        _add(summary.categories, str(Category(entry.declaration.category).label))
        _add(summary.purposes, str(entry.declaration.purpose))
        if entry.processing:
            _add(summary.bases, _text(entry.processing.basis))
            _add(summary.retention, _text(entry.processing.retention))
            _add(summary.recipients, _text(entry.processing.recipients))
    return list(summaries.values())


@dataclass(frozen=True)
class Operator:
    name: str
    address: str
    email: str
    data_location: str


def portal_operator() -> Operator:
    oversight = settings.OVERSIGHT
    return Operator(
        name=oversight["OPERATOR_NAME"],
        address=oversight["OPERATOR_ADDRESS"],
        email=oversight["OPERATOR_EMAIL"],
        data_location=oversight["DATA_LOCATION"],
    )


def request_form_url() -> str:
    """The form for access, correction and erasure requests, once it exists (`privacy:request`)."""
    try:
        return reverse("privacy:request")
    except NoReverseMatch:
        return ""
