"""Citizens' requests about their personal data (access, correction, erasure), and the log of who looked.

Law of the Republic of Kazakhstan No. 94-V «О персональных данных и их защите» of 21 May 2013: the subject may
learn what an owner or operator holds about them and have it changed, blocked or destroyed (art. 24); the owner
and operator answer an access request within 3 working days and change, block or destroy data within 1 working day
(art. 25 (2)). The terms are settings (`OVERSIGHT["PRIVACY_*_WORKING_DAYS"]`), computed on the working-day
calendar (core/workdays.py), never typed into a date.

1. `RequestConfirmation`: what a person asked for, before they proved control of the e-mail address. It holds
   the address only until the one-time link is followed or expires (`privacy.services.privacy_purge`).
2. `DataRequest`: a confirmed request, one per council that holds data under the address (or one for the portal
   when no council does, or the data belong to none). Its number, the day it was received and its kind decide
   its deadline.
3. `AccessLogEntry`: a staff member opened an appeal's personal data (its page, an attachment, an export).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.personal_data import Category as PD
from core.personal_data import Processing, personal
from councils.models import Council
from councils.ownership import CouncilOwned

# The register of processing (core/personal_data.py): the requests hold the person's address and what they wrote.
REQUEST_PROCESSING = Processing(
    basis=_("the person's own request under Law No. 94-V «On personal data and their protection», art. 24"),
    retention=_(
        "an unconfirmed request is deleted when its link expires; a registered one is kept as the record of the "
        "answer; the file with the data is deleted when its link expires"
    ),
    recipients=_("the council that holds the data, and the portal's administrators"),
)


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access: a copy of my data")
    CORRECTION = "correction", _("Correction of my data")
    ERASURE = "erasure", _("Erasure of my data")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FULFILLED = "fulfilled", _("Fulfilled")
    REFUSED = "refused", _("Refused")


class RefusalGround(models.TextChoices):
    """The only reasons a request may be refused; each is told to the person."""

    APPEAL_OPEN = (
        "appeal_open",
        _(
            "The appeal is still under consideration: the Administrative Procedural Code (art. 76) requires its "
            "record to be kept until it is answered."
        ),
    )
    RECORD_KEEPING = (
        "record_keeping",
        _("The law requires the council to keep this record for the retention period; its use is restricted."),
    )
    IDENTITY_NOT_PROVEN = (
        "identity_not_proven",
        _("The data held under this address belong to another person: your identity is not proven."),
    )
    UNFOUNDED = "unfounded", _("The request is manifestly unfounded or repeats one answered before.")


class RequestConfirmation(models.Model):
    """A request waiting for its one-time link to be followed. Nothing is routed to a council before that."""

    ownership = CouncilOwned(
        "council", audit=False, page_cache=False, why_not="a one-time link's record, purged when unused; never public"
    )

    personal_data_processing = REQUEST_PROCESSING
    not_personal_data = ("kind", "council", "language", "created_at", "used_at")

    email = personal(
        models.EmailField(_("e-mail")),
        category=PD.CONTACT,
        subject=_("person asking about their data"),
        purpose=_("to send the one-time link that proves control of the address"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    details = personal(
        models.TextField(_("details"), blank=True),
        category=PD.CONTENT,
        subject=_("person asking about their data"),
        purpose=_("to know what the person wants corrected"),
    )
    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("council")
    )
    language = models.CharField(_("language"), max_length=8, default="ru")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    used_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("unconfirmed personal data request")
        verbose_name_plural = _("unconfirmed personal data requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class DataRequest(models.Model):
    ownership = CouncilOwned("council", audit=False, page_cache=False, why_not="one's own request; never public")
    # No `personal_data_subject`: a request is the record of an answer, not data the person asked the portal to
    # process; it is not itself exported or erased by the next request.
    personal_data_processing = REQUEST_PROCESSING
    not_personal_data = (
        "number",
        "kind",
        "council",
        "confirmation",
        "language",
        "received_at",
        "status",
        "handled_at",
        "handled_by",
        "refusal_ground",
        "export_expires_at",
        "downloaded_at",
    )

    number = models.CharField(_("number"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    email = personal(
        models.EmailField(_("e-mail")),
        category=PD.CONTACT,
        subject=_("person asking about their data"),
        purpose=_("to answer the request"),
    )
    details = personal(
        models.TextField(_("details"), blank=True),
        category=PD.CONTENT,
        subject=_("person asking about their data"),
        purpose=_("to know what the person wants corrected"),
    )
    # None: the portal's own request (no council holds data under the address, or the data belong to none).
    council = models.ForeignKey(
        Council,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="data_requests",
        verbose_name=_("council"),
    )
    confirmation = models.ForeignKey(
        RequestConfirmation, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    language = models.CharField(_("language"), max_length=8, default="ru")
    received_at = models.DateTimeField(_("received at"))
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    refusal_ground = models.CharField(_("legal ground"), max_length=32, choices=RefusalGround.choices, blank=True)
    # What the person is told (with the refusal's ground, or what was corrected or erased).
    answer = personal(
        models.TextField(_("answer"), blank=True),
        category=PD.CONTENT,
        subject=_("person asking about their data"),
        purpose=_("to tell the person what was done"),
    )
    # Access: the assembled file, stored privately and served only through the signed link in the mail.
    export_file = personal(
        models.FileField(_("file"), upload_to="privacy/exports/", blank=True),
        category=PD.DOCUMENT,
        subject=_("person asking about their data"),
        purpose=_("to hand the person a copy of their data"),
        erase="file",
    )
    export_expires_at = models.DateTimeField(_("download link expires at"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.REFUSED) | ~Q(refusal_ground=""),
                name="data_request_refusal_has_ground",
            ),
        ]
        indexes = [models.Index(fields=["council", "status"])]

    def __str__(self) -> str:
        return self.number


class ViewKind(models.TextChoices):
    DETAIL = "detail", _("appeal page")
    ATTACHMENT = "attachment", _("attachment")
    EXPORT = "export", _("export")


class AccessLogEntry(models.Model):
    """A staff member saw an appeal's personal data. Written by the views, read by the council's chair."""

    ownership = CouncilOwned("council", audit=False, page_cache=False, why_not="a trail itself; never public")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+", verbose_name=_("council"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("user")
    )
    # Kept as text too: the log must still say whose file was opened after the appeal is merged or deleted.
    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("appeal")
    )
    appeal_number = models.CharField(_("appeal"), max_length=32)
    what = models.CharField(_("what"), max_length=16, choices=ViewKind.choices)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("personal data view")
        verbose_name_plural = _("personal data views")
        indexes = [models.Index(fields=["council", "-at"])]

    def __str__(self) -> str:
        return f"{self.appeal_number}: {self.what}"
