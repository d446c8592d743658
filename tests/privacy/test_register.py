"""The register of processing (core/personal_data.py): every personal field is declared once, beside the field."""

from __future__ import annotations

import pytest
from django.apps import apps

from alerts.models import Subscription
from appeals.models import Appeal, AppealAttachment, AppealFeedback, AppealMessage, AppealStatusChange
from core.personal_data import (
    Category,
    PersonalData,
    historical_models,
    personal,
    records_of,
    register,
    registered_models,
    subject_models,
    undeclared_fields,
)
from councils.models import Person
from deputies.models import Question
from participation.models import HearingRegistration, PublicComment
from receptions.models import Booking
from stakeholders.models import Contact
from tests import factories as f

PROJECT_APPS = {"core", "councils", "hearings", "monitoring", "appeals", "reports", "interchange", "accounts", "alerts"}
# Field names that, in this project, only ever hold a person's data. A field so named must be declared personal or
# named in its model's `not_personal_data` with a reason.
SUSPICIOUS = ("email", "phone", "iin", "full_name", "applicant_name", "address", "passport", "birth")


def test_every_field_of_a_model_holding_personal_data_is_decided():
    """A field added to a model whose rows are about one person is declared personal or explicitly not: no silent
    third way. (The council's public records, where a name is one field among the minutes, are exempt.)"""
    about_a_person = [m for m in registered_models() + subject_models() if hasattr(m, "not_personal_data")]
    assert set(subject_models()) | {Person} <= set(about_a_person)
    undecided = {model._meta.label: undeclared_fields(model) for model in about_a_person}

    assert {label: names for label, names in undecided.items() if names} == {}


def test_suspiciously_named_fields_are_in_the_register():
    declared = {entry.label for entry in register()}
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or hasattr(model, "history_id"):
            continue
        exempt = set(getattr(model, "not_personal_data", ()))
        for field in model._meta.concrete_fields:
            label = f"{model._meta.label}.{field.name}"
            if any(word in field.name for word in SUSPICIOUS) and label not in declared and field.name not in exempt:
                missing.append(label)

    assert missing == []


def test_the_register_names_the_fields_the_issue_lists():
    labels = {entry.label for entry in register()}

    assert {
        "appeals.Appeal.applicant_name",
        "appeals.Appeal.bin_iin",
        "appeals.Appeal.email",
        "appeals.Appeal.latitude",
        "appeals.Appeal.answer_text",
        "appeals.AppealMessage.text",
        "appeals.AppealAttachment.file",
        "appeals.AppealAttachment.original_name",
        "alerts.Subscription.email",
        "councils.Person.email",
        "councils.Person.phone",
    } <= labels


def test_only_names_published_by_design_are_public():
    public = {entry.label for entry in register() if entry.declaration.public}

    assert "councils.Person.full_name" in public
    assert not any(label.startswith(("appeals.", "alerts.")) for label in public)
    assert "councils.Person.email" not in public


def test_every_registered_model_says_how_and_why_it_processes():
    for model in registered_models():
        processing = model.personal_data_processing
        assert processing.basis and processing.retention, model._meta.label


def test_historical_copies_are_not_registered_twice():
    labels = [entry.label for entry in register()]

    assert len(labels) == len(set(labels))
    assert not any("Historical" in label for label in labels)
    assert {m._meta.label for m in historical_models()} >= {"appeals.HistoricalAppeal", "councils.HistoricalPerson"}


def test_a_declaration_rejects_an_unknown_category_or_erase_mode():
    from django.db import models

    with pytest.raises(ValueError):
        personal(models.CharField(max_length=3), category="shoe size", subject="x", purpose="y")
    with pytest.raises(ValueError):
        PersonalData(category=Category.CONTACT, subject="x", purpose="y", erase="burn")


@pytest.mark.django_db
def test_records_of_finds_a_persons_rows_whatever_the_case_of_the_address():
    appeal = f.AppealFactory(email="Aigerim@Example.kz")
    other = f.AppealFactory(email="someone@example.kz")
    AppealMessage.objects.create(appeal=appeal, author=AppealMessage.Author.CITIZEN, text="дополнение")
    AppealMessage.objects.create(appeal=other, author=AppealMessage.Author.CITIZEN, text="чужое")
    Subscription.objects.create(email="aigerim@example.kz", council=appeal.council, token="x" * 43)

    found = records_of("AIGERIM@example.KZ")

    assert list(found[Appeal]) == [appeal]
    assert [m.text for m in found[AppealMessage]] == ["дополнение"]
    assert found[Subscription].count() == 1
    assert found[AppealAttachment].count() == 0
    assert set(found) == {
        Appeal,
        AppealMessage,
        AppealAttachment,
        AppealStatusChange,
        AppealFeedback,
        Subscription,
        PublicComment,
        HearingRegistration,
        Question,
        Booking,
        # A stakeholder's contact person (stakeholders/): mailed by the portal, so found by the address mailed.
        Contact,
    }
    assert found[PublicComment].count() == found[HearingRegistration].count() == 0
    assert all(qs.count() == 0 for qs in records_of("").values())
    assert Person not in found  # staff-entered contacts: not found by a citizen's address
