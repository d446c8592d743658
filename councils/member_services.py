"""Writes on a council's people and structure: members, commission seats, the work plan, memoranda and the
members' seats in consultative bodies.

Every service is keyword-only, runs in one transaction and raises a ValidationError (keyed by the form field it
concerns, where there is one) instead of writing something the council's rules forbid. History is kept: ending a
membership sets its end date, the row stays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Model, Q, QuerySet
from django.utils.translation import gettext as _

from core.files import validate_attachment

from .models import (
    EXPERT_SERVED,
    WORK_PLAN_DECIDED,
    Affiliation,
    Body,
    BodyKind,
    BodyMembership,
    BodyRole,
    ConsultativeLevel,
    ConsultativeSeat,
    Convocation,
    Council,
    EndReason,
    ExpertAppointment,
    MemberRole,
    Membership,
    Memorandum,
    MemorandumCommitment,
    Partner,
    PartnerKind,
    Person,
    StateBody,
    WorkPlanItem,
    WorkPlanLink,
    WorkPlanStatus,
)
from .plan import plan_record_kinds

KEY_MAX_LENGTH = 64


def unique_key(queryset: QuerySet[Any], base: str) -> str:
    """A key not yet used in `queryset` (a council's records of one kind): `base`, else `base-2`, `base-3`...

    Keys follow the council-activity format (lower-case Latin letters, digits, "-" and "_"), so the
    record can be exported and imported again. One query.
    """
    base = base[: KEY_MAX_LENGTH - 6].strip("-") or "item"
    taken = set(queryset.filter(key__startswith=base).values_list("key", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _check_same_council(council: Council, obj: Model | None, field: str) -> None:
    """Defence in depth: the forms already offer only the council's own records."""
    if obj is not None and getattr(obj, "council_id", council.id) != council.id:
        raise ValidationError({field: _("This record belongs to another council.")})


# ---- members ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonData:
    full_name: str
    organisation: str = ""
    position: str = ""
    email: str = ""
    phone: str = ""


class MemberAddInput(TypedDict):
    """`member_add`'s keyword arguments after the council: what the workspace form fills (`to_data()`)."""

    convocation: Convocation
    affiliation: str
    role: str
    start_date: dt.date
    person: Person | None
    person_data: PersonData | None


class MembershipEndInput(TypedDict):
    end_date: dt.date
    reason: str
    decision: str
    decision_file: UploadedFile | None


class MembershipRoleInput(TypedDict):
    role: str
    affiliation: str | None


def _check_within_convocation(convocation: Convocation, day: dt.date, field: str) -> None:
    if day < convocation.start_date or (convocation.end_date is not None and day > convocation.end_date):
        raise ValidationError(
            {
                field: _("The date must fall within the convocation (%(start)s – %(end)s).")
                % {
                    "start": convocation.start_date.strftime("%d.%m.%Y"),
                    "end": convocation.end_date.strftime("%d.%m.%Y") if convocation.end_date else "…",
                }
            }
        )


def _single_chair_check(membership: Membership, role: str) -> None:
    if role != MemberRole.CHAIR:
        return
    other_chair = (
        Membership.objects.filter(convocation=membership.convocation, role=MemberRole.CHAIR, end_date__isnull=True)
        .exclude(pk=membership.pk)
        .select_related("person")
        .first()
    )
    if other_chair is not None:
        raise ValidationError(
            {
                "role": _("%(name)s is the chair: end that membership or change its role first.")
                % {"name": other_chair.person.full_name}
            }
        )


@transaction.atomic
def member_add(
    *,
    council: Council,
    convocation: Convocation,
    affiliation: str,
    role: str,
    start_date: dt.date,
    person: Person | None = None,
    person_data: PersonData | None = None,
) -> Membership:
    """Seat a person in a convocation: an existing person of the council, or a new one from `person_data`.

    1. The convocation and the person must be the council's; the start date within the convocation.
    2. A person has one membership per convocation (a former member is a row with an end date).
    3. A new person gets a key like `person-17`, the next free one.
    """
    if convocation.council_id != council.id:
        raise ValidationError({"convocation": _("This record belongs to another council.")})
    _check_same_council(council, person, "person")
    if affiliation not in Affiliation.values:
        raise ValidationError({"affiliation": _("Choose an affiliation.")})
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    _check_within_convocation(convocation, start_date, "start_date")
    if person is None:
        if person_data is None or not person_data.full_name.strip():
            raise ValidationError({"full_name": _("Choose a person on file or enter the new member's name.")})
        people = Person.objects.filter(council=council)
        person = Person.objects.create(
            council=council,
            key=unique_key(people, f"person-{people.count() + 1}"),
            full_name=person_data.full_name.strip(),
            organisation=person_data.organisation.strip(),
            position=person_data.position.strip(),
            email=person_data.email.strip(),
            phone=person_data.phone.strip(),
        )
    elif Membership.objects.filter(convocation=convocation, person=person).exists():
        raise ValidationError(
            {"person": _("%(name)s already has a membership in this convocation.") % {"name": person.full_name}}
        )
    membership = Membership(
        convocation=convocation, person=person, affiliation=affiliation, role=role, start_date=start_date
    )
    _single_chair_check(membership, role)
    membership.save()
    return membership


@transaction.atomic
def membership_end(
    *,
    membership: Membership,
    end_date: dt.date,
    reason: str,
    decision: str = "",
    decision_file: UploadedFile | None = None,
) -> Membership:
    """End a membership: the row stays with its end date, so the composition on earlier dates is unchanged.
    A member leaves for a reason, by a decision (a document): the report's composition part says who left and why.
    The person's open seats in the convocation's bodies end on the same day."""
    if reason not in EndReason.values:
        raise ValidationError({"end_reason": _("Choose why the member left.")})
    membership = Membership.objects.select_for_update().select_related("convocation").get(pk=membership.pk)
    if membership.end_date is not None:
        raise ValidationError(
            {"end_date": _("This membership already ended on %(date)s.") % {"date": f"{membership.end_date:%d.%m.%Y}"}}
        )
    if end_date < membership.start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    _check_within_convocation(membership.convocation, end_date, "end_date")
    membership.end_date = end_date
    membership.end_reason = reason
    membership.end_decision = decision.strip()
    fields = ["end_date", "end_reason", "end_decision"]
    if decision_file is not None:
        try:
            validate_attachment(decision_file)
        except ValidationError as exc:
            raise ValidationError({"end_decision_file": exc.messages}) from exc
        membership.end_decision_file = decision_file
        fields.append("end_decision_file")
    membership.save(update_fields=fields)
    seats = BodyMembership.objects.filter(
        person=membership.person_id, body__convocation=membership.convocation_id, end_date__isnull=True
    ).filter(Q(start_date__isnull=True) | Q(start_date__lte=end_date))
    seats.update(end_date=end_date)
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, affiliation: str | None = None) -> Membership:
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    if membership.end_date is not None:
        raise ValidationError({"role": _("This membership has ended; its role is history and stays as it was.")})
    _single_chair_check(membership, role)
    membership.role = role
    fields = ["role"]
    if affiliation:
        if affiliation not in Affiliation.values:
            raise ValidationError({"affiliation": _("Choose an affiliation.")})
        membership.affiliation = affiliation
        fields.append("affiliation")
    membership.save(update_fields=fields)
    return membership


# ---- bodies and their seats --------------------------------------------------------------------------------


@transaction.atomic
def body_create(
    *,
    council: Council,
    convocation: Convocation,
    kind: str,
    name_ru: str,
    name_kk: str = "",
    name_en: str = "",
    number: int | None = None,
    description: str = "",
) -> Body:
    """A presidium, commission or working group. The official name goes to its three columns by name: `name=`
    would write only the active language's column (django-modeltranslation), so a body added from /kk/ would
    have no Russian name, the one every other language falls back to."""
    if convocation.council_id != council.id:
        raise ValidationError({"convocation": _("This record belongs to another council.")})
    if kind not in BodyKind.values:
        raise ValidationError({"kind": _("Choose a kind.")})
    if kind == BodyKind.PRESIDIUM and Body.objects.filter(convocation=convocation, kind=kind).exists():
        raise ValidationError({"kind": _("This convocation already has a presidium.")})
    base = f"{kind.replace('_', '-')}-{convocation.number}-{number}" if number else f"{kind.replace('_', '-')}"
    return Body.objects.create(
        council=council,
        convocation=convocation,
        key=unique_key(Body.objects.filter(council=council), base),
        kind=kind,
        number=number,
        **_official_names(name_ru, name_kk, name_en),
        description_ru=description,
    )


class BodyNamesInput(TypedDict):
    """`body_update`'s keyword arguments after the body; `body_create` takes them too (BodyCreateInput)."""

    name_ru: str
    name_kk: str
    name_en: str
    description: str


class BodyCreateInput(BodyNamesInput):
    convocation: Convocation
    kind: str
    number: int | None


class BodySeatAddInput(TypedDict):
    person: Person
    role: str
    start_date: dt.date | None


class BodySeatEndInput(TypedDict):
    end_date: dt.date


def _official_names(name_ru: str, name_kk: str, name_en: str, *, field: str = "name") -> dict[str, str | None]:
    """The three columns of an official name; an empty translation is stored as NULL so that reading falls
    back to Russian (modeltranslation's fallback skips only NULL and "")."""
    if not name_ru.strip():
        raise ValidationError({f"{field}_ru": _("Enter the name in Russian.")})
    return {
        f"{field}_ru": name_ru.strip(),
        f"{field}_kk": name_kk.strip() or None,
        f"{field}_en": name_en.strip() or None,
    }


@transaction.atomic
def body_update(*, body: Body, name_ru: str, name_kk: str = "", name_en: str = "", description: str = "") -> Body:
    """Change a body's official names and its description; each column is written by name, whatever the
    language of the page the secretary works in."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    for column, value in _official_names(name_ru, name_kk, name_en).items():
        setattr(body, column, value)
    body.description_ru = description
    body.save(update_fields=["name_ru", "name_kk", "name_en", "description_ru"])
    return body


@transaction.atomic
def body_seat_add(
    *, body: Body, person: Person, role: str = BodyRole.MEMBER, start_date: dt.date | None = None
) -> BodyMembership:
    """Give a person a seat in a body (a commission, the presidium, a working group).

    A working group may include outsiders; the presidium and commissions take members of the convocation. A
    person has one open seat per body at a time; someone who left may rejoin with a new seat, starting after
    the earlier one ended, and both seats stay in the history.
    """
    if person.council_id != body.council_id:
        raise ValidationError({"person": _("This record belongs to another council.")})
    if role not in BodyRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    previous = (
        BodyMembership.objects.filter(body=body, person=person).order_by(F("end_date").desc(nulls_first=True)).first()
    )
    if previous is not None and previous.end_date is None:
        raise ValidationError({"person": _("%(name)s already sits in this body.") % {"name": person.full_name}})
    if previous is not None and (start_date is None or start_date <= previous.end_date):
        # Seats of one person in one body must not overlap: the composition on any date would count them twice.
        raise ValidationError(
            {
                "start_date": _(
                    "%(name)s left this body on %(date)s: to record their return, give a start date after that day."
                )
                % {"name": person.full_name, "date": f"{previous.end_date:%d.%m.%Y}"}
            }
        )
    if body.kind != BodyKind.WORKING_GROUP:
        day = start_date or body.convocation.start_date
        members = Membership.objects.filter(convocation=body.convocation_id, person=person).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )
        if not members.exists():
            raise ValidationError(
                {"person": _("Only members of the convocation sit in the presidium and the commissions.")}
            )
    if (
        role == BodyRole.CHAIR
        and BodyMembership.objects.filter(body=body, role=BodyRole.CHAIR, end_date__isnull=True).exists()
    ):
        raise ValidationError({"role": _("This body already has a chair: end that seat first.")})
    return BodyMembership.objects.create(body=body, person=person, role=role, start_date=start_date)


@transaction.atomic
def body_seat_end(*, seat: BodyMembership, end_date: dt.date) -> BodyMembership:
    seat = BodyMembership.objects.select_for_update().get(pk=seat.pk)
    if seat.end_date is not None:
        raise ValidationError(
            {"end_date": _("This seat already ended on %(date)s.") % {"date": f"{seat.end_date:%d.%m.%Y}"}}
        )
    if seat.start_date is not None and end_date < seat.start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    seat.end_date = end_date
    seat.save(update_fields=["end_date"])
    return seat


# ---- work plan ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkPlanItemData:
    year: int
    number: int
    activity: str
    period: str = ""
    expected_result: str = ""
    responsible: str = ""
    status: str = WorkPlanStatus.PLANNED
    due_date: dt.date | None = None
    status_reason: str = ""


def _check_work_plan_number(council: Council, data: WorkPlanItemData, exclude_pk: int | None) -> None:
    taken = WorkPlanItem.objects.filter(council=council, year=data.year, number=data.number).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"number": _("The %(year)s plan already has an item number %(number)s.") % vars(data)})
    if data.status not in WorkPlanStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if data.status in WORK_PLAN_DECIDED and not data.status_reason.strip():
        raise ValidationError({"status_reason": _("Say why the item was postponed or cancelled.")})


@transaction.atomic
def work_plan_item_create(*, council: Council, data: WorkPlanItemData) -> WorkPlanItem:
    _check_work_plan_number(council, data, None)
    return WorkPlanItem.objects.create(council=council, **vars(data))


@transaction.atomic
def work_plan_item_update(*, item: WorkPlanItem, data: WorkPlanItemData) -> WorkPlanItem:
    _check_work_plan_number(item.council, data, item.pk)
    for name, value in vars(data).items():
        setattr(item, name, value)
    item.save()
    return item


def work_plan_link_add(*, item: WorkPlanItem, kind: str, object_id: int) -> WorkPlanLink:
    """Links a record of the council that fulfils the item; a record of another council, or a kind no app
    registered, is refused. Linking the same record twice changes nothing."""
    record_kind = plan_record_kinds().get(kind)
    if record_kind is None or not record_kind.council_records(item.council).filter(pk=object_id).exists():
        raise ValidationError({"record": _("Choose one of the council's records.")})
    link, _created = WorkPlanLink.objects.get_or_create(item=item, kind=kind, object_id=object_id)
    return link


def work_plan_link_remove(*, link: WorkPlanLink) -> None:
    link.delete()


# ---- memoranda ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemorandumData:
    title: str
    signed_on: dt.date
    description: str = ""
    partner: Partner | None = None
    # A partner not on file yet: created with the memorandum.
    new_partner_name: str = ""  # its official name in Russian
    new_partner_name_kk: str = ""
    new_partner_name_en: str = ""
    new_partner_kind: str = PartnerKind.OTHER
    other_parties: tuple[Partner, ...] = ()
    valid_until: dt.date | None = None
    terminated_on: dt.date | None = None
    termination_reason: str = ""
    document: UploadedFile[bytes] | None = None


def _check_memorandum(council: Council, data: MemorandumData) -> None:
    for party in data.other_parties:
        _check_same_council(council, party, "other_parties")
    errors: dict[str, str] = {}
    if data.valid_until is not None and data.valid_until < data.signed_on:
        errors["valid_until"] = _("A memorandum cannot end before it was signed.")
    if data.terminated_on is not None and data.terminated_on < data.signed_on:
        errors["terminated_on"] = _("A memorandum cannot end before it was signed.")
    if data.terminated_on is not None and not data.termination_reason.strip():
        errors["termination_reason"] = _("Say why the memorandum was terminated.")
    if errors:
        raise ValidationError(errors)
    if data.document is not None:
        try:
            validate_attachment(data.document)
        except ValidationError as exc:
            raise ValidationError({"document": exc.messages}) from exc


def _memorandum_rest(memorandum: Memorandum, data: MemorandumData) -> Memorandum:
    """The term, termination, signed file and other parties, after the memorandum row exists."""
    memorandum.valid_until = data.valid_until
    memorandum.terminated_on = data.terminated_on
    memorandum.termination_reason = data.termination_reason.strip() if data.terminated_on else ""
    if data.document is not None:
        memorandum.document = data.document
    memorandum.save()
    parties = [p for p in data.other_parties if p.pk != memorandum.partner_id]
    memorandum.other_parties.set(parties)
    return memorandum


def _memorandum_partner(council: Council, data: MemorandumData) -> Partner | None:
    _check_same_council(council, data.partner, "partner")
    if data.partner is not None or not data.new_partner_name.strip():
        return data.partner
    # The Russian column by name: `name__iexact` would look in the active language's column, so from /kk/ a
    # partner already on file would not be found and would be added a second time.
    existing = Partner.objects.filter(council=council, name_ru__iexact=data.new_partner_name.strip()).first()
    if existing is not None:
        return existing
    partners = Partner.objects.filter(council=council)
    return Partner.objects.create(
        council=council,
        key=unique_key(partners, f"partner-{partners.count() + 1}"),
        **_official_names(data.new_partner_name, data.new_partner_name_kk, data.new_partner_name_en),
        kind=data.new_partner_kind if data.new_partner_kind in PartnerKind.values else PartnerKind.OTHER,
    )


@transaction.atomic
def memorandum_create(*, council: Council, data: MemorandumData) -> Memorandum:
    _check_memorandum(council, data)
    partner = _memorandum_partner(council, data)
    memorandum = Memorandum.objects.create(
        council=council,
        key=unique_key(Memorandum.objects.filter(council=council), f"memo-{data.signed_on:%Y-%m-%d}"),
        title=data.title.strip(),
        partner=partner,
        signed_on=data.signed_on,
        description=data.description,
    )
    return _memorandum_rest(memorandum, data)


@transaction.atomic
def memorandum_update(*, memorandum: Memorandum, data: MemorandumData) -> Memorandum:
    _check_memorandum(memorandum.council, data)
    memorandum.partner = _memorandum_partner(memorandum.council, data)
    memorandum.title = data.title.strip()
    memorandum.signed_on = data.signed_on
    memorandum.description = data.description
    return _memorandum_rest(memorandum, data)


@dataclass(frozen=True)
class CommitmentData:
    text: str
    owner: str
    due_date: dt.date | None = None
    done_on: dt.date | None = None
    result: str = ""


def _check_commitment(memorandum: Memorandum, data: CommitmentData) -> None:
    if data.done_on is not None and data.done_on < memorandum.signed_on:
        raise ValidationError({"done_on": _("A commitment cannot be done before the memorandum was signed.")})


@transaction.atomic
def memorandum_commitment_add(*, memorandum: Memorandum, data: CommitmentData) -> MemorandumCommitment:
    _check_commitment(memorandum, data)
    return MemorandumCommitment.objects.create(
        memorandum=memorandum,
        text=data.text.strip(),
        owner=data.owner.strip(),
        due_date=data.due_date,
        done_on=data.done_on,
        result=data.result,
    )


@transaction.atomic
def memorandum_commitment_update(*, commitment: MemorandumCommitment, data: CommitmentData) -> MemorandumCommitment:
    _check_commitment(commitment.memorandum, data)
    commitment.text = data.text.strip()
    commitment.owner = data.owner.strip()
    commitment.due_date = data.due_date
    commitment.done_on = data.done_on
    commitment.result = data.result
    commitment.save()
    return commitment


# ---- seats in consultative and advisory bodies -----------------------------------------------------------


@dataclass(frozen=True)
class ConsultativeSeatData:
    person: Person
    body_name: str
    level: str
    start_date: dt.date
    end_date: dt.date | None = None
    state_body: StateBody | None = None
    note: str = ""
    link: str = ""


def _check_consultative_seat(council: Council, data: ConsultativeSeatData, exclude_pk: int | None) -> None:
    """1. The person is the council's, a member or an expert of one of its convocations.
    2. A known level, a body name, the end not before the start.
    3. The person's seats in one body do not overlap (the report would count one seat twice)."""
    _check_same_council(council, data.person, "person")
    if not (
        Membership.objects.filter(person=data.person, convocation__council=council).exists()
        or ExpertAppointment.objects.filter(person=data.person, council=council, status__in=EXPERT_SERVED).exists()
    ):
        raise ValidationError({"person": _("Only members and experts of the council are recorded here.")})
    if data.level not in ConsultativeLevel.values:
        raise ValidationError({"level": _("Choose a level.")})
    if not data.body_name.strip():
        raise ValidationError({"body_name": _("Name the consultative body.")})
    if data.end_date is not None and data.end_date < data.start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    overlapping = (
        ConsultativeSeat.objects.filter(person=data.person, body_name=data.body_name.strip())
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=data.start_date))
        .exclude(pk=exclude_pk)
    )
    if data.end_date is not None:
        overlapping = overlapping.filter(start_date__lte=data.end_date)
    if overlapping.exists():
        raise ValidationError(
            {
                "start_date": _("%(name)s already has a seat in this body for these dates.")
                % {"name": data.person.full_name}
            }
        )


def _consultative_seat_values(data: ConsultativeSeatData) -> dict[str, Any]:
    return {
        "person": data.person,
        "body_name": data.body_name.strip(),
        "level": data.level,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "state_body": data.state_body,
        "note": data.note.strip(),
        "link": data.link.strip(),
    }


@transaction.atomic
def consultative_seat_create(*, council: Council, data: ConsultativeSeatData) -> ConsultativeSeat:
    """Record a member's seat in a consultative body; it gets a key like `cs-2019-05-16` for the council-activity
    file."""
    _check_consultative_seat(council, data, None)
    return ConsultativeSeat.objects.create(
        council=council,
        key=unique_key(ConsultativeSeat.objects.filter(council=council), f"cs-{data.start_date:%Y-%m-%d}"),
        **_consultative_seat_values(data),
    )


@transaction.atomic
def consultative_seat_update(*, seat: ConsultativeSeat, data: ConsultativeSeatData) -> ConsultativeSeat:
    seat = ConsultativeSeat.objects.select_for_update().select_related("council").get(pk=seat.pk)
    _check_consultative_seat(seat.council, data, seat.pk)
    for name, value in _consultative_seat_values(data).items():
        setattr(seat, name, value)
    seat.save()
    return seat


@transaction.atomic
def consultative_seat_delete(*, seat: ConsultativeSeat) -> None:
    """Remove a seat recorded by mistake (a seat that ended is given an end date instead: it stays in the
    history). Through the ORM, so that the audit trail and the public pages' cache follow."""
    seat.delete()


# ---- experts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpertData:
    start_date: dt.date
    person: Person | None = None
    full_name: str = ""
    field: str = ""
    decision: str = ""


@transaction.atomic
def expert_appoint(*, council: Council, data: ExpertData) -> ExpertAppointment:
    """Approve an expert of the council: a person on file or a new one. No affiliation, no membership: experts are
    listed apart and never counted among the members. One open appointment per person."""
    _check_same_council(council, data.person, "person")
    person = data.person
    if person is None:
        people = Person.objects.filter(council=council)
        if not data.full_name.strip():
            raise ValidationError({"full_name": _("Choose a person on file or enter the new expert's name.")})
        person = Person.objects.create(
            council=council,
            key=unique_key(people, f"person-{people.count() + 1}"),
            full_name=data.full_name.strip(),
        )
    if ExpertAppointment.objects.filter(council=council, person=person, end_date__isnull=True).exists():
        raise ValidationError(
            {"person": _("%(name)s is already an expert of the council.") % {"name": person.full_name}}
        )
    return ExpertAppointment.objects.create(
        council=council,
        person=person,
        start_date=data.start_date,
        field=data.field.strip(),
        decision=data.decision.strip(),
    )


@transaction.atomic
def expert_appointment_end(*, appointment: ExpertAppointment, end_date: dt.date) -> ExpertAppointment:
    appointment = ExpertAppointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.end_date is not None:
        raise ValidationError({"end_date": _("This appointment already ended.")})
    if end_date < appointment.start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    appointment.end_date = end_date
    appointment.save(update_fields=["end_date"])
    return appointment
