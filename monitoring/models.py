"""Public monitoring, public review of draft acts, and recommendations to state bodies with their answers."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import F, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.personal_data import PUBLIC_RECORD, personal
from core.personal_data import Category as PD
from councils.models import Body, Council, Person, StateBody
from councils.ownership import CouncilOwned, council_path

from . import access_rules
from .access_rules import AccessRule
from .lifecycle import (
    ExtendableItem,
    Lifecycle,
    MonthsTerm,
    TrackedItem,
    TrackedResponse,
    TrackedStatusChange,
    WorkingDaysTerm,
)


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")


class MonitoringEvent(models.Model):
    ownership = CouncilOwned("council")
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
        indexes = [
            models.Index(fields=["council", "date"]),
            # The open-data list's order (open_api.py), so a page is read off the index at any size.
            models.Index(fields=["-date", "-id"], name="monitoring_open_data_order"),
        ]

    def __str__(self) -> str:
        return self.topic[:100]


class ParticipantKind(models.TextChoices):
    MEMBER = "member", _("Council member")
    EXPERT = "expert", _("Council expert")
    OUTSIDER = "outsider", _("Outside participant")


class MonitoringParticipant(models.Model):
    ownership = CouncilOwned("event__council")
    personal_data_processing = PUBLIC_RECORD
    event = models.ForeignKey(MonitoringEvent, on_delete=models.CASCADE, related_name="participants")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="monitorings")
    # Published with the monitoring's results, by design (core/personal_data.py).
    name = personal(
        models.CharField(_("name"), max_length=500, blank=True, help_text=_("For people who are not on file.")),
        category=PD.IDENTITY,
        subject=_("participant in public control"),
        purpose=_("to publish who took part in the council's public control"),
        public=True,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ParticipantKind.choices, default=ParticipantKind.MEMBER)

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
    ownership = CouncilOwned("event__council")
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

    ownership = CouncilOwned("council")

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
    # The draft itself, shown to the public while the discussion is open: a copy, or the official text's address.
    draft_file = models.FileField(_("draft (file)"), upload_to="drafts/%Y/", blank=True)
    draft_url = models.URLField(_("draft (link to the official text)"), max_length=500, blank=True)
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
        # The open-data list's order (open_api.py), so a page is read off the index at any size.
        indexes = [models.Index(fields=["-discussion_start", "-id"], name="draft_review_open_data_order")]

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


@dataclass(frozen=True)
class SourceKind:
    """A kind of record a recommendation may come from, named by label so this app imports no other app.

    `key` is the prefix of a source reference ("monitoring:12") that pages of other apps put in the link to
    the new-recommendation form; `pickable` kinds are offered in its source picker.
    """

    key: str
    label: Promise
    model_label: str
    date_path: str
    title_path: str
    pickable: bool = True

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def council_path(self) -> str:
        """The source model's own declaration (councils/ownership.py)."""
        path = council_path(self.model)
        if path is None:
            raise ImproperlyConfigured(f"{self.model_label} is a recommendation source but belongs to no council")
        return path


# The one list of source kinds. Its keys are also the council-activity file's `source.type` and the names of the
# record kinds in interchange/spec.py; tests/interchange/test_spec.py holds the file's JSON Schema to this list.
RECOMMENDATION_SOURCES: dict[str, SourceKind] = {
    kind.key: kind
    for kind in (
        SourceKind("monitoring", _("Public monitoring"), "monitoring.MonitoringEvent", "date", "topic"),
        SourceKind("hearing", _("Public hearing"), "hearings.PublicHearing", "date", "topic"),
        SourceKind("agenda_item", _("Meeting agenda item"), "hearings.AgendaItem", "meeting__date", "title"),
        SourceKind("draft_review", _("Draft act review"), "monitoring.DraftActReview", "discussion_start", "title"),
        # Hundreds a year: a recommendation on an appeal is started from the appeal's page, not picked.
        SourceKind("appeal", _("Appeal"), "appeals.Appeal", "registered_at__date", "number", pickable=False),
    )
}


class Recommendation(TrackedItem):
    """A recommendation from the council to a state body, followed to its answer and outcome.

    Its source (a monitoring event, hearing, agenda item, draft review or appeal) is a generic reference,
    so this app does not depend on the apps that own the sources. Sending, answers and status follow the shared
    lifecycle (`monitoring.lifecycle`, described by `RECOMMENDATION_LIFECYCLE` below).
    """

    ownership = CouncilOwned("council")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="recommendations")
    key = models.SlugField(_("key"), max_length=64)
    text = models.TextField(_("text"))
    state_body = models.ForeignKey(
        StateBody, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    source_id = models.PositiveBigIntegerField(_("source record"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    issued_on = models.DateField(_("issued on"))
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
            # The open-data list's order (open_api.py), so a page is read off the index at any size.
            models.Index(fields=["-issued_on", "-id"], name="recommendation_open_data_order"),
        ]

    def __str__(self) -> str:
        return self.text[:100]


class RecommendationResponse(TrackedResponse):
    ownership = CouncilOwned("recommendation__council")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="responses")

    class Meta:
        ordering = ["recommendation", "received_on", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")


class RecommendationStatusChange(TrackedStatusChange):
    ownership = CouncilOwned(
        "recommendation__council", audit=False, why_not="an append-only history itself: no trail of the trail"
    )
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=24, choices=RecommendationStatus.choices)

    class Meta:
        ordering = ["recommendation", "changed_on", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")


RECOMMENDATION_LIFECYCLE = Lifecycle(
    model=Recommendation,
    statuses=RecommendationStatus,
    draft=RecommendationStatus.DRAFT,
    sent=RecommendationStatus.SENT,
    answered=RecommendationStatus.ANSWERED,
    answerable=frozenset({RecommendationStatus.SENT, RecommendationStatus.UNDER_CONSIDERATION}),
    settled=frozenset({RecommendationStatus.ANSWERED, RecommendationStatus.IMPLEMENTED, RecommendationStatus.REJECTED}),
    final=frozenset({RecommendationStatus.IMPLEMENTED, RecommendationStatus.REJECTED}),
    transitions={
        RecommendationStatus.SENT: (
            RecommendationStatus.UNDER_CONSIDERATION,
            RecommendationStatus.IN_PROGRESS,
            RecommendationStatus.ANSWERED,
            RecommendationStatus.IMPLEMENTED,
            RecommendationStatus.REJECTED,
        ),
        RecommendationStatus.UNDER_CONSIDERATION: (
            RecommendationStatus.IN_PROGRESS,
            RecommendationStatus.ANSWERED,
            RecommendationStatus.IMPLEMENTED,
            RecommendationStatus.REJECTED,
        ),
        RecommendationStatus.ANSWERED: (
            RecommendationStatus.IN_PROGRESS,
            RecommendationStatus.IMPLEMENTED,
            RecommendationStatus.REJECTED,
        ),
        RecommendationStatus.IN_PROGRESS: (RecommendationStatus.IMPLEMENTED, RecommendationStatus.REJECTED),
    },
    # Law on public control (2023): the body answers each recommendation within 10 working days of receipt.
    term=WorkingDaysTerm("recommendation_answer_days"),
    key_prefix="rec",
)


class InformationRequestStatus(models.TextChoices):
    """The states of a request, as honest as Alaveteli's. «Overdue» is not one: it is computed, as of a day
    (`lifecycle_overdue_q`), from the limit and the answers on file."""

    # In context: Russian agrees the participle with «запрос» (masculine), not «рекомендация».
    DRAFT = "draft", pgettext_lazy("information request", "Draft")
    SENT = "sent", pgettext_lazy("information request", "Awaiting an answer")
    EXTENDED = "extended", pgettext_lazy("information request", "Term extended")
    ANSWERED = "answered", pgettext_lazy("information request", "Answered in full")
    PARTIAL = "partial", pgettext_lazy("information request", "Partially answered")
    REFUSED = "refused", pgettext_lazy("information request", "Refused")
    NOT_HELD = "not_held", pgettext_lazy("information request", "Information not held")
    TRANSFERRED = "transferred", pgettext_lazy("information request", "Transferred to another holder")
    WITHDRAWN = "withdrawn", pgettext_lazy("information request", "Withdrawn")
    CLOSED = "closed", pgettext_lazy("information request", "Closed")


class AnswerKind(models.TextChoices):
    """How a council member classified an answer; the request takes the state of its latest classified answer."""

    FULL = "answered", pgettext_lazy("information request", "Answered in full")
    PARTIAL = "partial", pgettext_lazy("information request", "Partially answered")
    REFUSED = "refused", pgettext_lazy("information request", "Refused")
    NOT_HELD = "not_held", pgettext_lazy("information request", "Information not held")
    TRANSFERRED = "transferred", pgettext_lazy("information request", "Transferred to another holder")


class RefusalGround(models.TextChoices):
    """The grounds on which a holder refuses, as the Law «On access to information» (arts. 5 and 11) and the
    Aarhus Convention (art. 4.3–4.4) name them."""

    RESTRICTED = "restricted", _("Information with restricted access (state secrets, other secrets protected by law)")
    PERSONAL_DATA = "personal_data", _("Personal data of others")
    COMMERCIAL = "commercial", _("Commercial secret or confidentiality")
    NOT_COMPETENT = "not_competent", _("Outside the holder's competence")
    FORM = "form", _("The request does not meet the requirements of form")
    UNCLEAR = "unclear", _("The request is manifestly unreasonable or too general")
    UNFINISHED = "unfinished", _("Material in the course of completion or internal communications")
    PROCEEDINGS = "proceedings", _("Course of justice, investigation or proceedings")
    OTHER = "other", _("Other ground (see the answer)")


class InformationRequestBatch(models.Model):
    """One request sent to several holders at once (every district akimat): each recipient's request is tracked on
    its own, the batch has one page."""

    ownership = CouncilOwned("council")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="information_request_batches")
    key = models.SlugField(_("key"), max_length=64)
    subject = models.CharField(_("subject"), max_length=500)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("batch of information requests")
        verbose_name_plural = _("batches of information requests")
        constraints = [models.UniqueConstraint(fields=["council", "key"], name="information_request_batch_unique_key")]

    def __str__(self) -> str:
        return self.subject[:100]


class InformationRequest(ExtendableItem):
    """An information request (запрос информации) to a state body, a quasi-state company or a private operator,
    for documents or facts.

    The addressee is a holder on file (`StateBody`, whose kind tells a state body from a company) or, for
    another organisation, its name. The answer is due by the request's rule (monitoring/access_rules.py: the
    Law «On access to information», the Aarhus Convention or the council's own term), extendable once.
    """

    ownership = CouncilOwned("council")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="information_requests")
    key = models.SlugField(_("key"), max_length=64)
    state_body = models.ForeignKey(
        StateBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="information_requests",
        verbose_name=_("state body"),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=500,
        blank=True,
        help_text=_("When the addressee is not a state body on file: the company or organisation."),
    )
    subject = models.CharField(_("subject"), max_length=500)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=InformationRequestStatus.choices,
        default=InformationRequestStatus.DRAFT,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rule = models.CharField(
        _("time limit rule"), max_length=16, choices=AccessRule.choices, default=AccessRule.ACCESS_LAW
    )
    batch = models.ForeignKey(
        InformationRequestBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("batch"),
    )
    extension_notice_on = models.DateField(_("extension notice received on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta(ExtendableItem.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        constraints = [
            *ExtendableItem.Meta.constraints,
            models.UniqueConstraint(fields=["council", "key"], name="information_request_unique_key"),
            # Exactly one addressee: a state body on file, or an organisation by name.
            models.CheckConstraint(
                condition=Q(state_body__isnull=False, organisation="")
                | (Q(state_body__isnull=True) & ~Q(organisation="")),
                name="information_request_one_addressee",
                violation_error_message=_(
                    "Name one addressee: a state body from the list, or an organisation by name."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["council", "status"]),
            # The open-data list's order (open_api.py), so a page is read off the index at any size.
            models.Index(fields=["-created_at", "-id"], name="information_request_open_order"),
        ]

    def __str__(self) -> str:
        return self.subject[:100]

    @property
    def addressee(self) -> str:
        return self.state_body.name if self.state_body_id else self.organisation


class InformationRequestResponse(TrackedResponse):
    ownership = CouncilOwned("information_request__council")
    information_request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(_("classification"), max_length=16, choices=AnswerKind.choices, blank=True)
    refusal_ground = models.CharField(
        _("ground of the refusal"), max_length=16, choices=RefusalGround.choices, blank=True
    )
    transferred_to = models.ForeignKey(
        StateBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transferred_information_requests",
        verbose_name=_("transferred to"),
    )
    transferred_to_name = models.CharField(
        _("transferred to (name)"),
        max_length=500,
        blank=True,
        help_text=_("When the new holder is not on file."),
    )

    class Meta:
        ordering = ["information_request", "received_on", "id"]
        verbose_name = _("answer to an information request")
        verbose_name_plural = _("answers to information requests")
        constraints = [
            # A refusal names its ground; only a refusal has one.
            models.CheckConstraint(
                condition=Q(kind="refused", refusal_ground__gt="") | (~Q(kind="refused") & Q(refusal_ground="")),
                name="information_request_answer_refusal_ground",
            ),
        ]

    @property
    def transferred_to_label(self) -> str:
        return self.transferred_to.name if self.transferred_to_id else self.transferred_to_name


class InformationRequestStatusChange(TrackedStatusChange):
    ownership = CouncilOwned(
        "information_request__council",
        audit=False,
        why_not="an append-only history itself: no trail of the trail",
    )
    information_request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=24, choices=InformationRequestStatus.choices)

    class Meta:
        ordering = ["information_request", "changed_on", "id"]
        verbose_name = _("information request status change")
        verbose_name_plural = _("information request status changes")


_REQUEST_ANSWERS = (
    InformationRequestStatus.ANSWERED,
    InformationRequestStatus.PARTIAL,
    InformationRequestStatus.REFUSED,
    InformationRequestStatus.NOT_HELD,
    InformationRequestStatus.TRANSFERRED,
)

INFORMATION_REQUEST_LIFECYCLE = Lifecycle(
    model=InformationRequest,
    statuses=InformationRequestStatus,
    draft=InformationRequestStatus.DRAFT,
    sent=InformationRequestStatus.SENT,
    answered=InformationRequestStatus.ANSWERED,
    answerable=frozenset({InformationRequestStatus.SENT, InformationRequestStatus.EXTENDED}),
    settled=frozenset({*_REQUEST_ANSWERS, InformationRequestStatus.WITHDRAWN, InformationRequestStatus.CLOSED}),
    final=frozenset({InformationRequestStatus.WITHDRAWN, InformationRequestStatus.CLOSED}),
    # By hand only the withdrawal, and closing an answered request; an answer's state comes from its
    # classification (`information_request_classify_answer`).
    transitions={
        InformationRequestStatus.SENT: (InformationRequestStatus.WITHDRAWN,),
        InformationRequestStatus.EXTENDED: (InformationRequestStatus.WITHDRAWN,),
        **{status: (InformationRequestStatus.CLOSED,) for status in _REQUEST_ANSWERS},
    },
    term=MonthsTerm("information_request_months"),
    extension=MonthsTerm("information_request_extension_months"),
    extended=InformationRequestStatus.EXTENDED,
    term_of=access_rules.term_of,
    extension_of=access_rules.extension_of,
    key_prefix="req",
)
