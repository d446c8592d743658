"""Public participation in a council's decisions: written comments and questions from the public on an open
hearing or draft act under review (moderated before publication, answered by the council), registrations to
attend a hearing, and the documents put to the public with a hearing.

One machinery serves both targets: a comment names either a hearing or a draft review (a check constraint says
exactly one), and carries its council, so that the tenant gate, the audit trail and the page cache read one path.
The author's name and e-mail are private (the register of processing, core/personal_data.py); the public sees
"a participant" or the pseudonym the author chose to publish, and only once a moderator approved the comment.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import languages
from core.personal_data import Category as PD
from core.personal_data import Processing, personal
from councils.models import Council
from councils.ownership import CouncilOwned
from hearings.models import PublicHearing
from monitoring.models import DraftActReview

PROCESSING = Processing(
    basis=_("the participant's consent given with the comment or registration (Law No. 94-V, art. 7)"),
    retention=_("kept with the hearing's or draft review's record; never published"),
    recipients=_("nobody: the council's staff read it to moderate, answer and organise the hearing"),
)


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Comment or proposal")
    QUESTION = "question", _("Question")


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")


class CommentOutcome(models.TextChoices):
    """How the council treated the comment, published with the record."""

    ACCEPTED = "accepted", _("Taken into account")
    PARTLY = "partly", _("Partly taken into account")
    REJECTED = "rejected", _("Not taken into account")


class PublicComment(models.Model):
    ownership = CouncilOwned("council")
    personal_data_subject = "email"
    personal_data_processing = PROCESSING
    not_personal_data = (
        "council",
        "hearing",
        "draft",
        "number",
        "kind",
        "language",
        "status",
        "personal_data_consent",
        "submitted_at",
        "moderated_at",
        "moderated_by",
        "rejection_reason",
        "outcome",
        "answer",
        "answered_at",
    )

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="public_comments")
    hearing = models.ForeignKey(
        PublicHearing, on_delete=models.CASCADE, null=True, blank=True, related_name="public_comments"
    )
    draft = models.ForeignKey(
        DraftActReview, on_delete=models.CASCADE, null=True, blank=True, related_name="public_comments"
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=16, choices=CommentKind.choices, default=CommentKind.COMMENT)
    author_name = personal(
        models.CharField(_("name"), max_length=255),
        category=PD.IDENTITY,
        subject=_("participant in a public consultation"),
        purpose=_("to moderate the comment and answer it"),
    )
    email = personal(
        models.EmailField(_("e-mail")),
        category=PD.CONTACT,
        subject=_("participant in a public consultation"),
        purpose=_("to moderate the comment and answer it"),
    )
    # Shown instead of "a participant" when the author chose one; published by design.
    pseudonym = personal(
        models.CharField(_("public pseudonym"), max_length=60, blank=True),
        category=PD.IDENTITY,
        subject=_("participant in a public consultation"),
        purpose=_("to sign the published comment as the author chose"),
        public=True,
    )
    # Published once a moderator approves it: the author writes it for publication.
    text = personal(
        models.TextField(_("text")),
        category=PD.CONTENT,
        subject=_("participant in a public consultation"),
        purpose=_("to publish the comment and the council's answer"),
        public=True,
    )
    language = models.CharField(_("language"), max_length=8, choices=languages.choices, default="ru")
    personal_data_consent = models.BooleanField(_("consent to personal data processing"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(_("reason for not publishing"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=CommentOutcome.choices, blank=True)
    answer = models.TextField(_("the council's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")
        constraints = [
            models.CheckConstraint(
                condition=Q(hearing__isnull=False, draft__isnull=True) | Q(hearing__isnull=True, draft__isnull=False),
                name="public_comment_one_target",
            ),
            models.CheckConstraint(condition=Q(status__in=CommentStatus.values), name="public_comment_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="public_comment_rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="rejected") | ~Q(answer=""), name="public_comment_rejected_outcome_has_reason"
            ),
            models.UniqueConstraint(fields=["council", "number"], name="public_comment_unique_number"),
        ]
        indexes = [models.Index(fields=["council", "status"])]

    def __str__(self) -> str:
        return f"№ {self.number}"

    @property
    def target(self) -> PublicHearing | DraftActReview:
        return self.hearing if self.hearing_id else self.draft  # type: ignore[return-value]


class HearingRegistration(models.Model):
    """A citizen's registration to attend a hearing, with questions sent in advance; for the organiser only."""

    ownership = CouncilOwned("hearing__council", page_cache=False, why_not="never on a public page")
    personal_data_subject = "email"
    personal_data_processing = PROCESSING
    not_personal_data = (
        "hearing",
        "language",
        "personal_data_consent",
        "token",
        "created_at",
        "reminded_at",
        "record_sent_at",
        "cancelled_at",
    )

    hearing = models.ForeignKey(PublicHearing, on_delete=models.CASCADE, related_name="registrations")
    name = personal(
        models.CharField(_("name"), max_length=255),
        category=PD.IDENTITY,
        subject=_("person registered for a public hearing"),
        purpose=_("to organise the hearing and send its reminder and record"),
    )
    email = personal(
        models.EmailField(_("e-mail")),
        category=PD.CONTACT,
        subject=_("person registered for a public hearing"),
        purpose=_("to organise the hearing and send its reminder and record"),
    )
    organisation = personal(
        models.CharField(_("organisation"), max_length=255, blank=True),
        category=PD.IDENTITY,
        subject=_("person registered for a public hearing"),
        purpose=_("to organise the hearing and send its reminder and record"),
    )
    questions = personal(
        models.TextField(_("questions sent in advance"), blank=True),
        category=PD.CONTENT,
        subject=_("person registered for a public hearing"),
        purpose=_("to prepare the answers at the hearing"),
    )
    language = models.CharField(_("language"), max_length=8, choices=languages.choices, default="ru")
    personal_data_consent = models.BooleanField(_("consent to personal data processing"), default=False)
    # The secret of the cancel link: random, never derived from the e-mail.
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    record_sent_at = models.DateTimeField(_("record sent at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("hearing registration")
        verbose_name_plural = _("hearing registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "email"],
                condition=Q(cancelled_at__isnull=True),
                name="hearing_registration_one_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hearing} #{self.pk}"


class HearingDocument(models.Model):
    """A document put to the public with a hearing (the draft report on possible impacts, its summary, maps):
    a file, a link, or both."""

    ownership = CouncilOwned("hearing__council")

    hearing = models.ForeignKey(PublicHearing, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=500)
    file = models.FileField(_("file"), upload_to="hearing-documents/%Y/", blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("hearing document")
        verbose_name_plural = _("hearing documents")
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(url=""), name="hearing_document_file_or_link"),
        ]

    def __str__(self) -> str:
        return self.title
