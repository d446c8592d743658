"""Writes of the stakeholder registry. Keyword-only, typed, one transaction each; a rule is a ValidationError keyed
by the form field it concerns. The import (`imports.py`) and the mail-out handler (`notifications.py`) call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.outbox import outbox_enqueue
from councils.member_services import unique_key
from councils.models import Council, Memorandum, Partner, PartnerKind
from councils.plan import plan_record_kinds

from .models import (
    PARTNER_KIND,
    Contact,
    ContactKind,
    ContactLogEntry,
    DeliveryStatus,
    GroupKind,
    MailingGroup,
    MailOut,
    MailOutDelivery,
    OrganisationCategory,
    PartnerProfile,
)
from .selectors import group_recipients

MAIL_HANDLER = "stakeholders.send_mail_out"


# ---- organisations ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationData:
    name_ru: str
    category: str
    name_kk: str = ""
    name_en: str = ""
    sector: str = ""
    region: str = ""
    website: str = ""
    description: str = ""
    shared: bool = False


def _names(data: OrganisationData) -> dict[str, str | None]:
    """The three columns of the official name; an empty translation is NULL, so pages fall back to Russian."""
    if not data.name_ru.strip():
        raise ValidationError({"name_ru": _("Enter the name in Russian.")})
    return {
        "name_ru": data.name_ru.strip()[:500],
        "name_kk": data.name_kk.strip()[:500] or None,
        "name_en": data.name_en.strip()[:500] or None,
    }


def _apply_profile(partner: Partner, data: OrganisationData) -> PartnerProfile:
    if data.category not in OrganisationCategory.values:
        raise ValidationError({"category": _("Choose one of the options.")})
    profile = PartnerProfile.objects.filter(partner=partner).first() or PartnerProfile(partner=partner)
    profile.category = data.category
    profile.sector = data.sector.strip()[:200]
    profile.region = data.region.strip()[:100]
    profile.description = data.description.strip()
    profile.shared = data.shared
    profile.save()
    return profile


@transaction.atomic
def organisation_create(*, council: Council, data: OrganisationData) -> Partner:
    """A new organisation: the council's partner (usable in memoranda and trainings at once) and its profile."""
    names = _names(data)
    if Partner.objects.filter(council=council, name_ru__iexact=names["name_ru"]).exists():
        raise ValidationError({"name_ru": _("The council already has an organisation of this name.")})
    base = slugify(data.name_en or "", allow_unicode=False) or f"org-{timezone.localdate():%Y%m%d}"
    partner = Partner(
        council=council,
        key=unique_key(Partner.objects.filter(council=council), base[:50]),
        kind=PARTNER_KIND.get(OrganisationCategory(data.category), PartnerKind.OTHER)
        if data.category in OrganisationCategory.values
        else PartnerKind.OTHER,
        website=data.website.strip(),
        **names,
    )
    partner.save()
    _apply_profile(partner, data)
    return partner


@transaction.atomic
def organisation_update(*, partner: Partner, data: OrganisationData) -> Partner:
    names = _names(data)
    clash = Partner.objects.filter(council_id=partner.council_id, name_ru__iexact=names["name_ru"]).exclude(
        pk=partner.pk
    )
    if clash.exists():
        raise ValidationError({"name_ru": _("The council already has an organisation of this name.")})
    profile = _apply_profile(partner, data)
    for name, value in names.items():
        setattr(partner, name, value)
    partner.website = data.website.strip()
    partner.kind = PARTNER_KIND.get(OrganisationCategory(profile.category), PartnerKind.OTHER)
    partner.save()
    return partner


# ---- contact people -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactData:
    full_name: str
    position: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""
    is_active: bool = True


def _apply_contact(contact: Contact, data: ContactData, *, today: dt.date) -> None:
    if not data.full_name.strip():
        raise ValidationError({"full_name": _("Give the person's name.")})
    if contact.anonymised_at is not None:
        raise ValidationError(_("This person's data were cleared by the retention rule: add them again if needed."))
    contact.full_name = data.full_name.strip()[:200]
    contact.position = data.position.strip()[:300]
    contact.email = data.email.strip().lower()
    contact.phone = data.phone.strip()[:32]
    contact.notes = data.notes.strip()
    contact.is_active = data.is_active
    contact.last_dealt_on = today


@transaction.atomic
def contact_create(*, partner: Partner, data: ContactData, today: dt.date | None = None) -> Contact:
    contact = Contact(partner=partner)
    _apply_contact(contact, data, today=today or timezone.localdate())
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, data: ContactData, today: dt.date | None = None) -> Contact:
    _apply_contact(contact, data, today=today or timezone.localdate())
    contact.save()
    return contact


@transaction.atomic
def contact_unsubscribe(*, token: str) -> Contact | None:
    """The one-click link of a mail-out: the person gets no later mail-out. None for an unknown token; a second
    click changes nothing."""
    if not token or len(token) > 64:
        return None
    contact = Contact.objects.select_for_update().select_related("partner__council").filter(unsubscribe_token=token)
    found = contact.first()
    if found is None:
        return None
    if found.unsubscribed_at is None:
        found.unsubscribed_at = timezone.now()
        found.save(update_fields=["unsubscribed_at"])
    return found


# ---- the contact log ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntryData:
    kind: str
    date: dt.date
    contact: Contact | None = None
    summary: str = ""
    memorandum: Memorandum | None = None
    record_kind: str = ""
    record_id: int | None = None


@transaction.atomic
def log_entry_create(
    *, partner: Partner, data: LogEntryData, by: User | AnonymousUser | None, today: dt.date | None = None
) -> ContactLogEntry:
    """Record a meeting, a letter, a call, an invitation or a signature, linked to the record it was about."""
    today = today or timezone.localdate()
    if data.kind not in ContactKind.values:
        raise ValidationError({"kind": _("Choose one of the options.")})
    if data.date > today:
        raise ValidationError({"date": _("The log records what happened: the date cannot be ahead.")})
    if data.contact is not None and data.contact.partner_id != partner.pk:
        raise ValidationError({"contact": _("This person works at another organisation.")})
    if data.memorandum is not None and data.memorandum.council_id != partner.council_id:
        raise ValidationError({"memorandum": _("This record belongs to another council.")})
    record_kind, record_id = data.record_kind.strip(), data.record_id
    if bool(record_kind) != (record_id is not None):
        raise ValidationError({"record_id": _("Choose the kind of record and give its number.")})
    if record_kind:
        kind = plan_record_kinds().get(record_kind)
        council = Council.objects.get(pk=partner.council_id)
        if kind is None or not kind.council_records(council).filter(pk=record_id).exists():
            raise ValidationError({"record_id": _("The council has no such record.")})
    entry = ContactLogEntry.objects.create(
        partner=partner,
        contact=data.contact,
        kind=data.kind,
        date=data.date,
        by=by if isinstance(by, User) else None,
        summary=data.summary.strip()[:500],
        memorandum=data.memorandum,
        record_kind=record_kind,
        record_id=record_id,
    )
    if data.contact is not None and data.contact.anonymised_at is None:
        Contact.objects.filter(pk=data.contact.pk, last_dealt_on__lt=data.date).update(last_dealt_on=data.date)
    return entry


# ---- groups and mail-outs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupData:
    name: str
    kind: str = GroupKind.CUSTOM
    contacts: Sequence[Contact] = field(default_factory=tuple)


def _apply_group(group: MailingGroup, data: GroupData) -> None:
    if not data.name.strip():
        raise ValidationError({"name": _("Give the group a name.")})
    if data.kind not in GroupKind.values:
        raise ValidationError({"kind": _("Choose one of the options.")})
    others = MailingGroup.objects.filter(council_id=group.council_id, kind=GroupKind.MEDIA).exclude(pk=group.pk)
    if data.kind == GroupKind.MEDIA and others.exists():
        raise ValidationError({"kind": _("The council has its media group already.")})
    if any(contact.partner.council_id != group.council_id for contact in data.contacts):
        raise ValidationError({"contacts": _("This record belongs to another council.")})
    group.name = data.name.strip()[:300]
    group.kind = data.kind


@transaction.atomic
def group_create(*, council: Council, data: GroupData) -> MailingGroup:
    group = MailingGroup(council=council)
    _apply_group(group, data)
    group.key = unique_key(MailingGroup.objects.filter(council=council), slugify(data.name) or "group")
    group.save()
    group.contacts.set(data.contacts)
    return group


@transaction.atomic
def group_update(*, group: MailingGroup, data: GroupData) -> MailingGroup:
    _apply_group(group, data)
    group.save()
    group.contacts.set(data.contacts)
    return group


@transaction.atomic
def group_delete(*, group: MailingGroup) -> None:
    """Delete a group made by mistake or no longer used; one with mail-outs on record stays (they name it)."""
    if MailOut.objects.filter(group=group).exists():
        raise ValidationError(_("The group has mail-outs on record: it stays, so that they keep their group."))
    group.delete()


@transaction.atomic
def media_group_get_or_create(*, council: Council) -> MailingGroup:
    """The council's well-known media group (the news and statements are sent to it)."""
    group = MailingGroup.objects.filter(council=council, kind=GroupKind.MEDIA).first()
    if group is None:
        group = MailingGroup.objects.create(
            council=council,
            kind=GroupKind.MEDIA,
            name=str(GroupKind.MEDIA.label),
            key=unique_key(MailingGroup.objects.filter(council=council), "media"),
        )
    return group


@dataclass(frozen=True)
class MailOutData:
    group: MailingGroup
    subject: str
    body: str
    language: str = "ru"
    source: str = ""


@transaction.atomic
def mail_out_send(*, council: Council, data: MailOutData, by: User | AnonymousUser | None) -> MailOut:
    """Queue one message per contact of the group who may be mailed (an address, still there, not unsubscribed),
    each through the outbox after commit; the handler checks again when it sends."""
    if data.group.council_id != council.pk:
        raise ValidationError({"group": _("This record belongs to another council.")})
    if not data.subject.strip() or "\n" in data.subject or "\r" in data.subject:
        raise ValidationError({"subject": _("Give a subject of one line.")})
    if not data.body.strip():
        raise ValidationError({"body": _("Write the text of the mail-out.")})
    recipients = list(group_recipients(group=data.group).values_list("pk", flat=True))
    if not recipients:
        raise ValidationError({"group": _("Nobody in this group can be mailed.")})
    mail_out = MailOut.objects.create(
        council=council,
        group=data.group,
        subject=data.subject.strip()[:200],
        body=data.body.strip(),
        language=data.language,
        source=data.source,
        sent_by=by if isinstance(by, User) else None,
    )
    deliveries = MailOutDelivery.objects.bulk_create(
        MailOutDelivery(mail_out=mail_out, contact_id=pk, status=DeliveryStatus.QUEUED) for pk in recipients
    )
    for delivery in deliveries:
        outbox_enqueue(handler=MAIL_HANDLER, kwargs={"delivery_id": delivery.pk})
    return mail_out
