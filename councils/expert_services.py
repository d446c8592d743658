"""Writes on the expert registry (councils.ExpertAppointment and its decisions, consent and engagements).

1. A candidate is recorded with areas of expertise, languages, region, an optional CV (checked by its content,
   `core.files.validate_attachment`, as appeal attachments are) and, if the expert gave it, consent to publication.
2. Each step (interviewed, approved, inactive, declined) is a decision with a date, words and an optional
   document (`ExpertDecision`), allowed only along `EXPERT_STEPS`; approval sets the appointment's start date and
   decision (what the composition, the report and the council-activity file read), inactive and declined its end.
3. Consent is recorded with its date and withdrawn with its date: a withdrawal hides the expert from every public
   page, list and file at once (the public selectors read `consent_withdrawn_on`).
4. An engagement links an expert to a monitoring event, a draft act review or a public hearing of the same council.

Every service is keyword-only, runs in one transaction and raises a ValidationError keyed by the form field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.files import validate_attachment
from core.retention import storage_delete_on_commit

from .models import (
    EXPERT_STEPS,
    Council,
    ExpertAppointment,
    ExpertDecision,
    ExpertEngagement,
    ExpertiseArea,
    ExpertStatus,
    Person,
)
from .plan import plan_record_kinds

# The kinds of record an expert may be attached to (registered by the apps above, councils/plan.py).
ENGAGEMENT_KINDS = ("monitoring_event", "draft_review", "hearing")


@dataclass(frozen=True)
class ExpertProfileData:
    areas: list[ExpertiseArea] = field(default_factory=list)
    field: str = ""
    speaks_ru: bool = False
    speaks_kk: bool = False
    speaks_en: bool = False
    other_languages: str = ""
    region: str = ""
    cv: UploadedFile[bytes] | None = None
    cv_public: bool = False


@dataclass(frozen=True)
class ExpertCandidateData:
    recorded_on: dt.date
    profile: ExpertProfileData
    person: Person | None = None
    full_name: str = ""
    consent_given_on: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class ExpertDecisionData:
    status: str
    date: dt.date
    text: str = ""
    document: UploadedFile[bytes] | None = None


def _check_cv(cv: UploadedFile[bytes] | None) -> None:
    if cv is not None:
        try:
            validate_attachment(cv)
        except ValidationError as exc:
            raise ValidationError({"cv": exc.messages}) from exc


def _apply_profile(appointment: ExpertAppointment, profile: ExpertProfileData) -> None:
    _check_cv(profile.cv)
    appointment.field = profile.field.strip()
    appointment.speaks_ru = profile.speaks_ru
    appointment.speaks_kk = profile.speaks_kk
    appointment.speaks_en = profile.speaks_en
    appointment.other_languages = profile.other_languages.strip()
    appointment.region = profile.region.strip()
    appointment.cv_public = profile.cv_public
    if profile.cv is not None:
        # A new CV replaces the old one, whose file goes once the change is committed (it is personal data).
        old_name = appointment.cv.name if appointment.cv else ""
        appointment.cv.save(profile.cv.name or "cv", profile.cv, save=False)
        if old_name and old_name != appointment.cv.name:
            storage_delete_on_commit(storage=appointment.cv.storage, names=[old_name])


@transaction.atomic
def expert_candidate_record(*, council: Council, data: ExpertCandidateData) -> ExpertAppointment:
    """Record a candidate expert: a person on file or a new one. One open record per person and council."""
    person = data.person
    if person is not None and person.council_id != council.pk:
        raise ValidationError({"person": _("Choose a person of this council.")})
    if person is None:
        name = data.full_name.strip()
        if not name:
            raise ValidationError({"full_name": _("Choose a person on file or enter the new expert's name.")})
        from .member_services import unique_key

        people = Person.objects.filter(council=council)
        person = Person.objects.create(
            council=council, key=unique_key(people, f"expert-{people.count() + 1}"), full_name=name
        )
    if ExpertAppointment.objects.filter(council=council, person=person, end_date__isnull=True).exists():
        raise ValidationError(
            {"person": _("%(name)s is already in the council's expert registry.") % {"name": person.full_name}}
        )
    appointment = ExpertAppointment(
        council=council,
        person=person,
        status=ExpertStatus.CANDIDATE,
        start_date=data.recorded_on,
        consent_given_on=data.consent_given_on,
    )
    _apply_profile(appointment, data.profile)
    appointment.save()
    appointment.areas.set(data.profile.areas)
    ExpertDecision.objects.create(
        appointment=appointment, status=ExpertStatus.CANDIDATE, date=data.recorded_on, text=data.note.strip()
    )
    return appointment


@transaction.atomic
def expert_profile_update(*, appointment: ExpertAppointment, data: ExpertProfileData) -> ExpertAppointment:
    """Change what the registry says about the expert (a new CV replaces the old one; none keeps it)."""
    appointment = ExpertAppointment.objects.select_for_update().get(pk=appointment.pk)
    _apply_profile(appointment, data)
    appointment.save()
    appointment.areas.set(data.areas)
    return appointment


@transaction.atomic
def expert_decide(*, appointment: ExpertAppointment, data: ExpertDecisionData) -> ExpertDecision:
    """Take the expert one step further (`EXPERT_STEPS`), with the decision that did it.

    1. The step must be allowed from the current status and not dated before the previous decision.
    2. Approval makes the decision's day the start of the appointment and its words the appointment's decision;
       inactive and declined end the appointment on the decision's day."""
    appointment = ExpertAppointment.objects.select_for_update().get(pk=appointment.pk)
    if data.status not in EXPERT_STEPS[appointment.status]:
        raise ValidationError(
            {
                "status": _("From «%(current)s» the expert cannot become «%(next)s».")
                % {
                    "current": ExpertStatus(appointment.status).label,
                    "next": ExpertStatus(data.status).label if data.status in ExpertStatus.values else data.status,
                }
            }
        )
    last = appointment.decisions.order_by("-date", "-id").first()
    if last is not None and data.date < last.date:
        raise ValidationError(
            {
                "date": _("The decision cannot be dated before the previous one (%(day)s).")
                % {"day": f"{last.date:%d.%m.%Y}"}
            }
        )
    if data.document is not None:
        try:
            validate_attachment(data.document)
        except ValidationError as exc:
            raise ValidationError({"document": exc.messages}) from exc
    decision = ExpertDecision(appointment=appointment, status=data.status, date=data.date, text=data.text.strip())
    if data.document is not None:
        decision.document.save(data.document.name or "decision", data.document, save=False)
    decision.save()
    appointment.status = data.status
    if data.status == ExpertStatus.APPROVED:
        appointment.start_date = data.date
        appointment.decision = decision.text
        if decision.document:
            appointment.decision_file = decision.document
    elif data.status in (ExpertStatus.INACTIVE, ExpertStatus.DECLINED):
        appointment.end_date = max(data.date, appointment.start_date)
    appointment.save()
    return decision


@transaction.atomic
def expert_consent_record(*, appointment: ExpertAppointment, given_on: dt.date) -> ExpertAppointment:
    """The expert agrees to be published (again, after a withdrawal: the new date replaces the old)."""
    appointment = ExpertAppointment.objects.select_for_update().get(pk=appointment.pk)
    appointment.consent_given_on = given_on
    appointment.consent_withdrawn_on = None
    appointment.save(update_fields=["consent_given_on", "consent_withdrawn_on"])
    return appointment


@transaction.atomic
def expert_consent_withdraw(*, appointment: ExpertAppointment, withdrawn_on: dt.date) -> ExpertAppointment:
    """The expert withdraws consent: from now on no public page, list, file or API names them. The CV is no longer
    published either (the expert may agree again, and tick it again)."""
    appointment = ExpertAppointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.consent_given_on is None:
        raise ValidationError({"withdrawn_on": _("No consent is on record to withdraw.")})
    if appointment.consent_withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("The consent was already withdrawn.")})
    if withdrawn_on < appointment.consent_given_on:
        raise ValidationError({"withdrawn_on": _("Consent cannot be withdrawn before it was given.")})
    appointment.consent_withdrawn_on = withdrawn_on
    appointment.cv_public = False
    appointment.save(update_fields=["consent_withdrawn_on", "cv_public"])
    return appointment


@transaction.atomic
def expert_engagement_add(
    *, appointment: ExpertAppointment, kind: str, object_id: int, role: str = ""
) -> ExpertEngagement:
    """Attach the expert to a record of the same council (a monitoring event, a draft review, a hearing)."""
    kinds = plan_record_kinds()
    if kind not in ENGAGEMENT_KINDS or kind not in kinds:
        raise ValidationError({"record": _("Experts take part in monitoring, draft reviews and hearings only.")})
    if not kinds[kind].council_records(appointment.council).filter(pk=object_id).exists():
        raise ValidationError({"record": _("Choose a record of this council.")})
    if appointment.status not in (ExpertStatus.APPROVED, ExpertStatus.INACTIVE):
        raise ValidationError({"record": _("Only an approved expert takes part in the council's work.")})
    engagement, _created = ExpertEngagement.objects.get_or_create(
        appointment=appointment, kind=kind, object_id=object_id, defaults={"role": role.strip()}
    )
    return engagement


@transaction.atomic
def expert_engagement_remove(*, engagement: ExpertEngagement) -> None:
    engagement.delete()
