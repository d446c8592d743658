"""Citizens' appeals (обращения), their attachments and status history.

Personal data lives only in `Appeal`'s applicant fields and the attachments; nothing public reads them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from councils.models import Body, Council, StateBody

# Kazakhstan's bounding box, roughly: a point outside it is a typing slip (or a swapped pair), not a place the
# council can act on.
LATITUDE_RANGE = (Decimal("40.5"), Decimal("55.5"))
LONGITUDE_RANGE = (Decimal("46.5"), Decimal("87.5"))


class ApplicantType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    LEGAL_ENTITY = "legal_entity", _("Legal entity")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    EMAIL = "email", _("E-mail")
    SOCIAL = "social", _("Social network")
    IN_PERSON = "in_person", _("In person")
    DUTY_SERVICE = "duty_service", _("Duty service «Дежурный по городу»")
    PHONE = "phone", _("Phone")
    POST = "post", _("Post")


class Category(models.TextChoices):
    ECOLOGY = "ecology", _("Ecology")
    TRANSPORT = "transport", _("Transport")
    IMPROVEMENT = "improvement", _("Urban improvement")
    # Housing and utilities: owners' associations (ОСИ) replaced the apartment owners' cooperatives (КСК) in 2020,
    # and appeals about them are about housing and utilities in general.
    HOUSING = "housing", _("Housing and utilities (OSI, KSK)")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    SOCIAL = "social", _("Social welfare")
    LAW_ORDER = "law_order", _("Law and order")
    OTHER = "other", _("Other")


class AppealStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ASSIGNED = "assigned", _("Assigned")
    FORWARDED = "forwarded", _("Forwarded to a state body")
    ANSWER_RECEIVED = "answer_received", _("Answer received")
    ANSWERED = "answered", _("Answered to the applicant")
    CLOSED = "closed", _("Closed")
    LEFT_WITHOUT_CONSIDERATION = "left_without_consideration", _("Left without consideration")
    MERGED = "merged", _("Merged into another appeal")


class Appeal(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="appeals")
    number = models.CharField(_("registration number"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    registered_at = models.DateTimeField(_("registered at"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    applicant_type = models.CharField(_("applicant type"), max_length=16, choices=ApplicantType.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    language = models.CharField(_("language"), max_length=8, default="ru")
    status = models.CharField(_("status"), max_length=32, choices=AppealStatus.choices, default=AppealStatus.REGISTERED)
    due_date = models.DateField(_("deadline"), null=True, blank=True)
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    assigned_body = models.ForeignKey(Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="appeals")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_appeals",
    )
    forwarded_to = models.ForeignKey(StateBody, on_delete=models.PROTECT, null=True, blank=True, related_name="appeals")
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    # Personal data: never on a public page or in a public API response.
    applicant_name = models.CharField(_("name"), max_length=255, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    bin_iin = models.CharField(_("BIN/IIN"), max_length=12, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("postal address"), max_length=500, blank=True)
    place = models.CharField(_("place"), max_length=500, blank=True)
    # Where the problem is, if the applicant marked it (WGS 84 degrees, 6 places: about 10 cm). It may be their
    # home: personal data like the rest.
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    text = models.TextField(_("text"), blank=True)
    answer_text = models.TextField(_("answer"), blank=True)
    personal_data_consent = models.BooleanField(_("consent to personal data processing"), default=False)
    tracking_token = models.CharField(max_length=64, blank=True)
    # A token the form carries, so that the same form posted twice registers one appeal.
    submission_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.UniqueConstraint(fields=["council", "number"], name="appeal_unique_number"),
            models.UniqueConstraint(fields=["council", "year", "sequence"], name="appeal_unique_sequence"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="appeal_sequence_positive"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="appeal_point_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__range=LATITUDE_RANGE, longitude__range=LONGITUDE_RANGE),
                name="appeal_point_in_kazakhstan",
            ),
            models.UniqueConstraint(
                fields=["council", "submission_key"],
                condition=~Q(submission_key=""),
                name="appeal_unique_submission",
            ),
        ]
        indexes = [models.Index(fields=["council", "year", "status"])]

    def __str__(self) -> str:
        return self.number

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class AppealCounter(models.Model):
    """The last registration number issued per council and year; locked while a number is taken, so numbers
    are unique and gapless (a rolled-back submission gives its number back)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "year"], name="appeal_counter_unique")]

    def __str__(self) -> str:
        return f"{self.council_id}/{self.year}: {self.last}"


class AppealMessage(models.Model):
    """A message on an open appeal: from the citizen through the tracking page, or a note from the council."""

    class Author(models.TextChoices):
        CITIZEN = "citizen", _("Applicant")
        COUNCIL = "council", _("Council")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(_("author"), max_length=16, choices=Author.choices)
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["appeal", "created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.get_author_display()}: {self.text[:60]}"


class AppealAttachment(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        AppealMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="appeals/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class AppealStatusChange(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=32, choices=AppealStatus.choices)
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Reasons the applicant is owed (an extension's decision, why the appeal was left without consideration)
    # are shown on the tracking page; internal notes are not.
    visible_to_applicant = models.BooleanField(_("shown to the applicant"), default=False)

    class Meta:
        ordering = ["appeal", "changed_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d}: {self.get_status_display()}"
