"""Writes on the consultation log and on trainings. Keyword-only, typed, one transaction each; a rule is a
ValidationError keyed by the form field it concerns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from councils.member_services import unique_key
from councils.models import Council, Partner
from library.models import Document

from .models import (
    MAX_PARTICIPANTS,
    Audience,
    Consultation,
    ConsultationChannel,
    ConsultationKind,
    ConsultationOutcome,
    ConsultationTopic,
    Training,
    TrainingKind,
)


def _choice(name: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ValidationError({name: _("Choose one of the options.")})


# ---- consultations -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationData:
    date: dt.date
    kind: str
    channel: str
    topic: str
    outcome: str
    referred_to: str = ""
    client_name: str = ""
    client_contact: str = ""
    notes: str = ""


def _apply_consultation(consultation: Consultation, data: ConsultationData, *, today: dt.date | None) -> None:
    _choice("kind", data.kind, ConsultationKind.values)
    _choice("channel", data.channel, ConsultationChannel.values)
    _choice("topic", data.topic, ConsultationTopic.values)
    _choice("outcome", data.outcome, ConsultationOutcome.values)
    if today is not None and data.date > today:
        raise ValidationError({"date": _("A consultation is recorded once it was given: the date cannot be ahead.")})
    if data.outcome == ConsultationOutcome.REFERRED and not data.referred_to.strip():
        raise ValidationError({"referred_to": _("Say where the person was referred.")})
    consultation.date = data.date
    consultation.kind = data.kind
    consultation.channel = data.channel
    consultation.topic = data.topic
    consultation.outcome = data.outcome
    consultation.referred_to = data.referred_to.strip()
    if consultation.anonymised_at is None:
        consultation.client_name = data.client_name.strip()
        consultation.client_contact = data.client_contact.strip()
        consultation.notes = data.notes.strip()


@transaction.atomic
def consultation_create(*, council: Council, data: ConsultationData, today: dt.date | None = None) -> Consultation:
    consultation = Consultation(council=council)
    _apply_consultation(consultation, data, today=today)
    consultation.save()
    return consultation


@transaction.atomic
def consultation_update(
    *, consultation: Consultation, data: ConsultationData, today: dt.date | None = None
) -> Consultation:
    """An anonymised consultation keeps its cleared personal fields cleared, whatever the form sent."""
    _apply_consultation(consultation, data, today=today)
    consultation.save()
    return consultation


# ---- trainings ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingData:
    kind: str
    title: str
    date: dt.date
    audience: str
    participants: int = 0
    end_date: dt.date | None = None
    place: str = ""
    description: str = ""
    materials: Sequence[Document] = field(default_factory=tuple)
    partners: Sequence[Partner] = field(default_factory=tuple)


def _apply_training(training: Training, data: TrainingData) -> None:
    _choice("kind", data.kind, TrainingKind.values)
    _choice("audience", data.audience, Audience.values)
    if not data.title.strip():
        raise ValidationError({"title": _("Give the title.")})
    if data.end_date is not None and data.end_date < data.date:
        raise ValidationError({"end_date": _("It cannot end before it starts.")})
    if not 0 <= data.participants <= MAX_PARTICIPANTS:
        raise ValidationError({"participants": _("Give the number of participants.")})
    council_id = training.council_id
    if any(m.council_id != council_id for m in data.materials):
        raise ValidationError({"materials": _("This record belongs to another council.")})
    if any(p.council_id != council_id for p in data.partners):
        raise ValidationError({"partners": _("This record belongs to another council.")})
    training.kind = data.kind
    training.title = data.title.strip()
    training.date = data.date
    training.end_date = data.end_date
    training.audience = data.audience
    training.participants = data.participants
    training.place = data.place.strip()
    training.description = data.description.strip()


def _set_links(training: Training, data: TrainingData) -> None:
    training.materials.set(data.materials)
    training.partners.set(data.partners)


@transaction.atomic
def training_create(*, council: Council, data: TrainingData) -> Training:
    training = Training(council=council)
    _apply_training(training, data)
    training.key = unique_key(Training.objects.filter(council=council), f"tr-{data.date:%Y-%m-%d}")
    training.save()
    _set_links(training, data)
    return training


@transaction.atomic
def training_update(*, training: Training, data: TrainingData) -> Training:
    _apply_training(training, data)
    training.save()
    _set_links(training, data)
    return training
