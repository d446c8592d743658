"""Public monitoring, public review of draft acts, and recommendations to state bodies with their answers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from councils.models import Body, Council, Person, StateBody


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")


class MonitoringEvent(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="monitoring_events")
    key = models.SlugField(_("key"), max_length=64)
    topic = models.TextField(_("topic"))
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    commission = models.ForeignKey(
        Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="monitoring_events"
    )
    findings = models.TextField(_("findings"), blank=True)
    recommendations_summary = models.TextField(_("recommendations made"), blank=True)
    publicity_note = models.TextField(_("how the results were made public"), blank=True)
    results = models.TextField(_("results (what state bodies decided)"), blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("monitoring event")
        verbose_name_plural = _("monitoring events")
        constraints = [models.UniqueConstraint(fields=["council", "key"], name="monitoring_event_unique_key")]
        indexes = [models.Index(fields=["council", "date"])]

    def __str__(self) -> str:
        return self.topic[:100]


class ParticipantKind(models.TextChoices):
    MEMBER = "member", _("Council member")
    EXPERT = "expert", _("Council expert")
    OUTSIDER = "outsider", _("Outside participant")


class MonitoringParticipant(models.Model):
    event = models.ForeignKey(MonitoringEvent, on_delete=models.CASCADE, related_name="participants")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="monitorings"
    )
    name = models.CharField(
        _("name"), max_length=500, blank=True, help_text=_("For people who are not on file.")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=ParticipantKind.choices, default=ParticipantKind.MEMBER
    )

    class Meta:
        ordering = ["event", "position"]
        verbose_name = _("monitoring participant")
        verbose_name_plural = _("monitoring participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(name=""), name="monitoring_participant_named"
            ),
        ]

    def __str__(self) -> str:
        return self.person.full_name if self.person_id else self.name


class LinkKind(models.TextChoices):
    SITE = "site", _("Council website")
    FACEBOOK = "facebook", _("Facebook")
    TV = "tv", _("Television")
    PRESS = "press", _("Press")
    OTHER = "other", _("Other")


class PublicityLink(models.Model):
    event = models.ForeignKey(MonitoringEvent, on_delete=models.CASCADE, related_name="publicity_links")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    url = models.URLField(_("address"), max_length=1000)
    kind = models.CharField(_("kind"), max_length=16, choices=LinkKind.choices, default=LinkKind.OTHER)

    class Meta:
        ordering = ["event", "position"]
        verbose_name = _("publicity link")
        verbose_name_plural = _("publicity links")

    def __str__(self) -> str:
        return self.url


class DraftConclusion(models.TextChoices):
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_REMARKS = "approved_with_remarks", _("Approved with remarks")
    REJECTED = "rejected", _("Rejected")


class DraftActReview(models.Model):
    """Public review (общественная экспертиза) of a draft regulation."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="draft_reviews")
    key = models.SlugField(_("key"), max_length=64)
    title = models.TextField(_("draft act"))
    developer = models.ForeignKey(
        StateBody, on_delete=models.PROTECT, null=True, blank=True, related_name="draft_reviews"
    )
    discussion_start = models.DateField(_("discussion starts"))
    discussion_end = models.DateField(_("discussion ends"))
    conclusion = models.CharField(_("conclusion"), max_length=24, choices=DraftConclusion.choices, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        ordering = ["-discussion_start"]
        verbose_name = _("draft act review")
        verbose_name_plural = _("draft act reviews")
        constraints = [
            models.UniqueConstraint(fields=["council", "key"], name="draft_review_unique_key"),
            models.CheckConstraint(
                condition=Q(discussion_end__gte=F("discussion_start")), name="draft_review_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title[:100]


class RecommendationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
    IN_PROGRESS = "in_progress", _("In progress under the council's control")
    ANSWERED = "answered", _("Answered")
    IMPLEMENTED = "implemented", _("Implemented")
    REJECTED = "rejected", _("Rejected")


class Recommendation(models.Model):
    """A recommendation from the council to a state body, followed to its answer and outcome.

    Its source (a monitoring event, hearing, agenda item, draft review or appeal) is a generic reference,
    so this app does not depend on the apps that own the sources.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="recommendations")
    key = models.SlugField(_("key"), max_length=64)
    text = models.TextField(_("text"))
    state_body = models.ForeignKey(
        StateBody, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    issued_on = models.DateField(_("issued on"))
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    response_due = models.DateField(_("response due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=RecommendationStatus.choices, default=RecommendationStatus.DRAFT
    )
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        ordering = ["-issued_on", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["council", "key"], name="recommendation_unique_key"),
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | Q(sent_on__gte=F("issued_on")),
                name="recommendation_sent_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                name="recommendation_source_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["council", "issued_on"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return self.text[:100]


class RecommendationResponse(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="responses")
    received_on = models.DateField(_("received on"))
    text = models.TextField(_("text"))
    document = models.FileField(_("document"), upload_to="responses/%Y/", blank=True)

    class Meta:
        ordering = ["recommendation", "received_on", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.received_on}: {self.text[:60]}"


class RecommendationStatusChange(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=24, choices=RecommendationStatus.choices)
    changed_on = models.DateField(_("date"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "changed_on", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.changed_on}: {self.get_status_display()}"
