"""The register of processing (реестр обработки персональных данных): which fields hold personal data, declared once.

A model field that holds personal data says so beside its definition:

    email = personal(models.EmailField(_("e-mail"), blank=True), category=Category.CONTACT,
                     subject=_("applicant"), purpose=_("to answer the appeal"))

and everything that must know the personal fields is built from that declaration, never from a list of its own:
the retention task (`appeals/retention.py`), the privacy sweep over public addresses (`tests/test_privacy.py`), the
staff register page, the privacy notice and the access export. A test fails when a field of a model that holds a
person's data is neither declared personal nor named in the model's `not_personal_data`.

Law of the Republic of Kazakhstan «О персональных данных и их защите» No. 94-V of 21 May 2013: art. 1 defines
personal data; art. 7–8 consent and its withdrawal; art. 12 storage (databases in Kazakhstan); art. 24 the
operator's duties. The declaration is an attribute on the field object, so it changes no migration.

A model whose rows belong to one data subject identified by an e-mail address says so once, as a class attribute:
`personal_data_subject = "email"` (the address field itself) or a path through foreign keys
(`"appeal__email"`). `records_of(email)` finds that person's rows in every such model.

Core imports no app: the register is read from the app registry once every app is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.apps import apps
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

F = TypeVar("F", bound="models.Field[object, object]")

ERASE_MODES = ("blank", "null", "file")
# The attribute set on a declared field; the historical copies django-simple-history makes carry it too.
FIELD_ATTRIBUTE = "personal_data"


class Category(models.TextChoices):
    """What kind of personal data a field holds."""

    IDENTITY = "identity", _("name")
    CONTACT = "contact", _("contact details")
    ID_NUMBER = "id_number", _("identification number")
    LOCATION = "location", _("location")
    CONTENT = "content", _("text written by the person")
    DOCUMENT = "document", _("documents")


@dataclass(frozen=True)
class PersonalData:
    category: str
    subject: StrOrPromise  # whose data: _("applicant"), _("subscriber"), _("council member")
    purpose: StrOrPromise  # why it is processed
    erase: str = "blank"  # how anonymisation clears it: "blank" | "null" | "file" (delete the stored file)
    public: bool = False  # True only where publication is the purpose (a council member's name)

    def __post_init__(self) -> None:
        if self.category not in Category.values:
            raise ValueError(f"unknown personal data category {self.category!r}")
        if self.erase not in ERASE_MODES:
            raise ValueError(f"erase must be one of {ERASE_MODES}, not {self.erase!r}")


@dataclass(frozen=True)
class Processing:
    """How a model's personal data is processed, for the register and the privacy notice (one per model:
    `personal_data_processing = Processing(...)`). `retention` may name `%(appeal_retention_years)s`, filled in
    from the settings when it is shown."""

    basis: StrOrPromise  # the legal basis
    retention: StrOrPromise  # how long it is kept, in words
    recipients: StrOrPromise = ""  # who receives it besides the council's staff and the portal's administrators


# The council's public record of its work (meetings, hearings, monitoring): names are published by design.
PUBLIC_RECORD = Processing(
    basis=_(
        "the laws «On public councils» (No. 383-V) and «On public control» (No. 30-VIII): the council's work and the "
        "results of public control are public"
    ),
    retention=_("kept as the council's public record"),
    recipients=_("the public (the portal's pages, open data and annual reports)"),
)


def personal(
    field: F,
    *,
    category: str,
    subject: StrOrPromise,
    purpose: StrOrPromise,
    erase: str = "blank",
    public: bool = False,
) -> F:
    """Declare, beside the field, that it holds personal data. Returns the field unchanged but for the attribute."""
    declaration = PersonalData(category=category, subject=subject, purpose=purpose, erase=erase, public=public)
    setattr(field, FIELD_ATTRIBUTE, declaration)
    return field


@dataclass(frozen=True)
class RegisterEntry:
    model: type[models.Model]
    field: models.Field[object, object]
    declaration: PersonalData

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"

    @property
    def processing(self) -> Processing | None:
        return getattr(self.model, "personal_data_processing", None)


def is_historical(model: type[models.Model]) -> bool:
    """A django-simple-history copy of another model (it points back at it through `instance_type`)."""
    return isinstance(getattr(model, "instance_type", None), type) and hasattr(model, "history_id")


def _declared(model: type[models.Model]) -> list[RegisterEntry]:
    return [
        RegisterEntry(model=model, field=field, declaration=getattr(field, FIELD_ATTRIBUTE))
        for field in model._meta.get_fields()
        if isinstance(field, models.Field)
        and field.concrete
        and isinstance(getattr(field, FIELD_ATTRIBUTE, None), PersonalData)
    ]


def fields_of(model: type[models.Model]) -> list[RegisterEntry]:
    """The declared personal fields of one model, in the order of its fields."""
    return _declared(model)


def register() -> list[RegisterEntry]:
    """Every declared personal field of every installed model, ordered by app, model and field order.

    Historical copies are left out (`historical_models()` lists them): they hold the same fields as their model
    and are cleared with it (`core.retention.history_scrub`)."""
    entries: list[RegisterEntry] = []
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if not is_historical(model):
            entries.extend(_declared(model))
    return entries


def registered_models() -> list[type[models.Model]]:
    """The models with at least one declared personal field."""
    seen: dict[type[models.Model], None] = {}
    for entry in register():
        seen.setdefault(entry.model, None)
    return list(seen)


def historical_models() -> list[type[models.Model]]:
    """The audit-history copies of registered models: they hold the same personal fields."""
    return [model for model in apps.get_models() if is_historical(model) and _declared(model)]


def subject_models() -> list[type[models.Model]]:
    """The models whose rows belong to one person identified by an e-mail address (`personal_data_subject`)."""
    return [
        model
        for model in sorted(apps.get_models(), key=lambda m: m._meta.label)
        if not is_historical(model) and getattr(model, "personal_data_subject", None)
    ]


def records_of(email: str) -> dict[type[models.Model], QuerySet[models.Model]]:
    """For each subject model, the queryset of its rows that belong to this e-mail address (case-insensitive)."""
    email = (email or "").strip()
    result: dict[type[models.Model], QuerySet[models.Model]] = {}
    for model in subject_models():
        path = getattr(model, "personal_data_subject")  # noqa: B009 - a declaration only some models carry
        queryset = (
            model._default_manager.none() if not email else model._default_manager.filter(**{f"{path}__iexact": email})
        )
        result[model] = queryset
    return result


def undeclared_fields(model: type[models.Model]) -> list[str]:
    """Concrete fields of a model that holds personal data that are neither declared personal nor named in its
    `not_personal_data`: each one is a decision nobody took yet. The primary key is never personal."""
    declared = {entry.field.name for entry in _declared(model)}
    exempt = set(getattr(model, "not_personal_data", ()))
    return [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in declared and field.name not in exempt
    ]


def erased_values(entries: Iterable[RegisterEntry]) -> dict[str, object]:
    """What anonymisation writes into each blank/null field (file fields are deleted with their rows or files)."""
    values: dict[str, object] = {}
    for entry in entries:
        if entry.declaration.erase == "blank":
            values[entry.field.name] = ""
        elif entry.declaration.erase == "null":
            values[entry.field.name] = None
    return values
