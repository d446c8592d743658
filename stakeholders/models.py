"""The stakeholder registry (issue 20, item 3): the organisations a council works with, the people it deals with
there, what passed between them, and mail-outs to groups of them.

- An organisation is a council's `councils.Partner` (the name, in three languages, and the coarse kind memoranda
  and trainings already use) with its registry profile here: the finer category (state body, quasi-state or
  extractive company, NGO, media, academia…), the sector, the region, and whether the council shares it with the
  councils of its networks. Creating an organisation in the registry creates the partner, so it can be a party to
  a memorandum at once; a partner made from a memorandum's page is in the registry already, without a profile.
- Contact people are personal data: staff-only, never on a public page, file or API answer (only counts are
  public); cleared `OVERSIGHT_STAKEHOLDER_CONTACT_RETENTION_YEARS` after the council last dealt with them
  (`retention.py`). A person who unsubscribed gets no later mail-out.
- A network is a group of councils (an Aarhus centres' network, the deputies' monitors network) kept by the
  portal's administrators. A council that allows it (`PartnerProfile.shared`) lets the staff of the councils of
  its networks read the organisation and its contact people; nobody else changes or mails them.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.personal_data import Category as PD
from core.personal_data import Processing, personal
from councils.models import Council, Memorandum, Partner, PartnerKind
from councils.ownership import CouncilOwned, NotCouncilOwned


class OrganisationCategory(models.TextChoices):
    STATE = "state", _("State body")
    QUASI_STATE = "quasi_state", _("Quasi-state company")
    EXTRACTIVE = "extractive", _("Extractive company")
    BUSINESS = "business", _("Other business")
    NGO = "ngo", _("Non-governmental organisation")
    MEDIA = "media", _("Media")
    ACADEMIA = "academia", _("Academia")
    INTERNATIONAL = "international", _("International organisation")
    OTHER = "other", _("Other")


# The partner's coarse kind (what memoranda and the council-activity file carry) for each category.
PARTNER_KIND = {
    OrganisationCategory.STATE: PartnerKind.STATE,
    OrganisationCategory.QUASI_STATE: PartnerKind.STATE,
    OrganisationCategory.EXTRACTIVE: PartnerKind.BUSINESS,
    OrganisationCategory.BUSINESS: PartnerKind.BUSINESS,
    OrganisationCategory.NGO: PartnerKind.NGO,
}
CATEGORY_OF_KIND = {
    PartnerKind.STATE: OrganisationCategory.STATE,
    PartnerKind.BUSINESS: OrganisationCategory.BUSINESS,
    PartnerKind.NGO: OrganisationCategory.NGO,
}


class Network(models.Model):
    """Councils that share their stakeholders when each owner allows it. Kept by the portal's administrators."""

    ownership = NotCouncilOwned("a network joins several councils and belongs to none of them", audit=True)

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    councils = models.ManyToManyField(Council, related_name="stakeholder_networks", verbose_name=_("councils"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("network of councils")
        verbose_name_plural = _("networks of councils")

    def __str__(self) -> str:
        return self.name


class PartnerProfile(models.Model):
    """The registry's facts about an organisation (a council's partner)."""

    ownership = CouncilOwned("partner__council")

    partner = models.OneToOneField(
        Partner, on_delete=models.CASCADE, related_name="stakeholder_profile", verbose_name=_("organisation")
    )
    category = models.CharField(
        _("category"), max_length=16, choices=OrganisationCategory.choices, default=OrganisationCategory.OTHER
    )
    sector = models.CharField(_("sector"), max_length=200, blank=True, help_text=_("E.g. mining, water, housing."))
    region = models.CharField(_("region"), max_length=100, blank=True)
    description = models.TextField(_("notes"), blank=True)
    shared = models.BooleanField(
        _("shared with the council's networks"),
        default=False,
        help_text=_("The staff of the councils of this council's networks may read it and its contact people."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation profile")
        verbose_name_plural = _("organisation profiles")
        indexes = [models.Index(fields=["category"], name="stakeholder_profile_category")]

    def __str__(self) -> str:
        return str(self.partner)


_CONTACT = _("contact person of an organisation")
_TO_WORK = _("to work with the organisation: meetings, letters, invitations and mail-outs of the council")


def _token() -> str:
    return secrets.token_urlsafe(24)


class Contact(models.Model):
    ownership = CouncilOwned("partner__council", audit_excluded_fields=("unsubscribe_token",))
    personal_data_subject = "email"
    personal_data_processing = Processing(
        basis=_(
            "the council's legitimate work with the organisation and the person's consent (Law «On personal data "
            "and their protection», No. 94-V, art. 7); the person may unsubscribe from mail-outs at any time"
        ),
        retention=_(
            "the name, position, e-mail, phone and notes are cleared %(stakeholder_contact_retention_years)s years "
            "after the council last dealt with the person"
        ),
        recipients=_("the staff of the councils of the council's networks, where the council shares the organisation"),
    )
    not_personal_data = (
        "partner",
        "is_active",
        "unsubscribed_at",
        "unsubscribe_token",
        "last_dealt_on",
        "anonymised_at",
        "created_at",
    )

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="stakeholder_contacts", verbose_name=_("organisation")
    )
    full_name = personal(
        models.CharField(_("name"), max_length=200), category=PD.IDENTITY, subject=_CONTACT, purpose=_TO_WORK
    )
    position = personal(
        models.CharField(_("position"), max_length=300, blank=True),
        category=PD.IDENTITY,
        subject=_CONTACT,
        purpose=_TO_WORK,
    )
    email = personal(
        models.EmailField(_("e-mail"), blank=True), category=PD.CONTACT, subject=_CONTACT, purpose=_TO_WORK
    )
    phone = personal(
        models.CharField(_("phone"), max_length=32, blank=True), category=PD.CONTACT, subject=_CONTACT, purpose=_TO_WORK
    )
    notes = personal(models.TextField(_("notes"), blank=True), category=PD.CONTENT, subject=_CONTACT, purpose=_TO_WORK)
    is_active = models.BooleanField(_("works there now"), default=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed from mail-outs"), null=True, blank=True, editable=False)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    # The day the council last dealt with the person (created, edited, a log entry): the retention clock.
    last_dealt_on = models.DateField(_("last dealt with"), default=timezone.localdate, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        indexes = [models.Index(fields=["last_dealt_on"], name="stakeholder_contact_dealt")]

    def __str__(self) -> str:
        return self.full_name or _("(cleared)")

    @property
    def can_be_mailed(self) -> bool:
        return bool(self.email) and self.is_active and self.unsubscribed_at is None and self.anonymised_at is None


class ContactKind(models.TextChoices):
    MET = "met", _("Met")
    WROTE = "wrote", _("Wrote")
    CALLED = "called", _("Called")
    INVITED = "invited", _("Invited")
    SIGNED = "signed", _("Signed")


class ContactLogEntry(models.Model):
    """What passed between the council and an organisation: dated, by whom, about which record."""

    ownership = CouncilOwned("partner__council")

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="stakeholder_log", verbose_name=_("organisation")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="log", verbose_name=_("contact person")
    )
    kind = models.CharField(_("what"), max_length=16, choices=ContactKind.choices)
    date = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    memorandum = models.ForeignKey(
        Memorandum, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("memorandum")
    )
    # Another record of the council (a meeting, a monitoring event, a hearing…), named by the kinds the work plan
    # knows (councils/plan.py) and its id, as the plan's links are.
    record_kind = models.CharField(_("kind of record"), max_length=32, blank=True)
    record_id = models.PositiveIntegerField(_("record"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log")
        indexes = [models.Index(fields=["partner", "date"], name="stakeholder_log_partner_date")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(record_kind="") & Q(record_id__isnull=True))
                | (~Q(record_kind="") & Q(record_id__isnull=False)),
                name="stakeholder_log_record_whole",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_kind_display()}"


class GroupKind(models.TextChoices):
    CUSTOM = "custom", _("Chosen contacts")
    # Well known: the news and statements go to it. Its recipients are its chosen contacts and every contact of
    # an organisation of the category "media".
    MEDIA = "media", _("Media contacts")


class MailingGroup(models.Model):
    ownership = CouncilOwned("council")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="mailing_groups")
    key = models.SlugField(_("key"), max_length=64)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=GroupKind.choices, default=GroupKind.CUSTOM)
    contacts = models.ManyToManyField(Contact, blank=True, related_name="groups", verbose_name=_("contact people"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailing group")
        verbose_name_plural = _("mailing groups")
        constraints = [
            models.UniqueConstraint(fields=["council", "key"], name="mailing_group_unique_key"),
            models.UniqueConstraint(
                fields=["council"], condition=Q(kind="media"), name="mailing_group_one_media_group"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MailOut(models.Model):
    # Its edits bump the council's pages: the stats API and the report count mail-outs.
    ownership = CouncilOwned("council")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="mail_outs")
    group = models.ForeignKey(MailingGroup, on_delete=models.PROTECT, related_name="mail_outs")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, default="ru")
    # The record the mail-out sends, by kind and id ("news:12"), when it sends one (core/press.py): each is sent
    # to the media once.
    source = models.CharField(_("sends"), max_length=64, blank=True, default="")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mail-out")
        verbose_name_plural = _("mail-outs")
        constraints = [
            models.UniqueConstraint(fields=["council", "source"], condition=~Q(source=""), name="mail_out_source_once")
        ]

    def __str__(self) -> str:
        return self.subject


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent: unsubscribed or no address")


class MailOutDelivery(models.Model):
    """One message of a mail-out to one contact person, sent by the outbox."""

    ownership = CouncilOwned(
        "mail_out__council",
        page_cache=False,
        why_not="one row per message: the outbox marks them sent with an update, which no signal sees",
    )

    mail_out = models.ForeignKey(MailOut, on_delete=models.CASCADE, related_name="deliveries")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("delivery status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("mail-out message")
        verbose_name_plural = _("mail-out messages")
        constraints = [models.UniqueConstraint(fields=["mail_out", "contact"], name="mail_out_delivery_unique")]

    def __str__(self) -> str:
        return f"{self.mail_out_id} → {self.contact_id}"
