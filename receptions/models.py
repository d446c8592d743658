"""Receptions of citizens (приём граждан): a member of the council receives citizens at a place and time, in
person or online, in slots a citizen books from the portal; the member (or the secretary) records how each visit
ended: advice given, an appeal registered (through appeals' service, channel «reception»), or referred elsewhere.

Personal data lives only in `Booking`'s visitor fields; the public sees the schedule and how many slots are free.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.personal_data import Category as PD
from core.personal_data import Processing, personal
from councils.models import Council, Person
from councils.ownership import CouncilOwned

_VISITOR = _("visitor of a reception")


class ReceptionFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class Reception(models.Model):
    """One reception: a member, a place (or a video link), a day and hours cut into equal slots."""

    ownership = CouncilOwned("council")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="receptions")
    # The member who receives; a person of the council's (their name is public, as on the composition page).
    host = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="receptions", verbose_name=_("member"))
    starts_at = models.DateTimeField(_("starts at"))
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per visitor"), default=20)
    slots = models.PositiveSmallIntegerField(_("number of slots"), default=6)
    format = models.CharField(
        _("format"), max_length=16, choices=ReceptionFormat.choices, default=ReceptionFormat.IN_PERSON
    )
    place = models.CharField(_("place"), max_length=500, blank=True)
    # Sent to the booked visitors only, in the confirmation and the reminder: not shown on the public page.
    online_link = models.URLField(_("video link"), blank=True)
    topics = models.CharField(_("topics"), max_length=500, blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("reception of citizens")
        verbose_name_plural = _("receptions of citizens")
        constraints = [
            models.CheckConstraint(condition=Q(slot_minutes__gte=5, slot_minutes__lte=240), name="reception_slot_len"),
            models.CheckConstraint(condition=Q(slots__gte=1, slots__lte=48), name="reception_slots_range"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.host}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.slot_minutes * self.slots)

    def slot_start(self, number: int) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.slot_minutes * (number - 1))


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    VISITED = "visited", _("Visited")
    NO_SHOW = "no_show", _("Did not come")


class Outcome(models.TextChoices):
    ADVICE = "advice", _("Advice given")
    APPEAL = "appeal", _("Appeal registered")
    REFERRED = "referred", _("Referred to a competent body")


class Booking(models.Model):
    """A citizen's slot at a reception, booked from the portal (or by the secretary), and how the visit ended."""

    ownership = CouncilOwned(
        "reception__council",
        audit_excluded_fields=("cancel_token",),
        page_cache=False,
        why_not="public only as counts of free slots, read live: a booking must not empty the council's cache",
    )
    personal_data_subject = "email"
    personal_data_processing = Processing(
        basis=_("the visitor's consent (Law No. 94-V «On personal data and their protection», art. 7)"),
        retention=_("until the end of the year after the reception; then erased, the counts stay"),
        recipients=_("the member who holds the reception and the council's secretary"),
    )
    not_personal_data = (
        "reception",
        "slot",
        "category",
        "status",
        "outcome",
        "appeal_number",
        "language",
        "personal_data_consent",
        "cancel_token",
        "reminder_sent_at",
        "created_at",
        "outcome_at",
    )

    reception = models.ForeignKey(Reception, on_delete=models.CASCADE, related_name="bookings")
    slot = models.PositiveSmallIntegerField(_("slot"))
    # The topic as one of the council's appeal categories (appeals/categories.py): counted without reading the
    # question.
    category = models.CharField(_("topic"), max_length=16)
    status = models.CharField(_("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    # The appeal registered from the visit (appeals/services.py: appeal_submit, channel «reception»): its number,
    # not a foreign key, so that receptions depend on appeals' service and not on its table.
    appeal_number = models.CharField(_("appeal"), max_length=32, blank=True)
    language = models.CharField(_("language"), max_length=8, default="ru")
    personal_data_consent = models.BooleanField(_("consent to personal data processing"), default=False)
    cancel_token = models.CharField(max_length=64, unique=True)
    # Named for the audit page (councils/workspace_audit.py), which lists a changed field by its verbose name.
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)

    name = personal(
        models.CharField(_("name"), max_length=255),
        category=PD.IDENTITY,
        subject=_VISITOR,
        purpose=_("to receive the visitor and answer them"),
    )
    email = personal(
        models.EmailField(_("e-mail")),
        category=PD.CONTACT,
        subject=_VISITOR,
        purpose=_("to confirm the booking, remind of it and allow cancelling it"),
    )
    phone = personal(
        models.CharField(_("phone"), max_length=32, blank=True),
        category=PD.CONTACT,
        subject=_VISITOR,
        purpose=_("to reach the visitor about the reception"),
    )
    question = personal(
        models.TextField(_("question"), blank=True),
        category=PD.CONTENT,
        subject=_VISITOR,
        purpose=_("to prepare the answer"),
    )
    outcome_note = personal(
        models.TextField(_("note on the outcome"), blank=True),
        category=PD.CONTENT,
        subject=_VISITOR,
        purpose=_("to record the advice given or where the visitor was referred"),
    )

    class Meta:
        ordering = ["reception", "slot", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            # One visitor per slot; a cancelled booking gives its slot back.
            models.UniqueConstraint(
                fields=["reception", "slot"], condition=~Q(status="cancelled"), name="booking_one_per_slot"
            ),
            models.CheckConstraint(condition=Q(slot__gte=1), name="booking_slot_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.reception_id}/{self.slot}"

    @property
    def starts_at(self) -> dt.datetime:
        return self.reception.slot_start(self.slot)
