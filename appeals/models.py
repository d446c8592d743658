"""Citizens' appeals (обращения), their attachments and status history.

Personal data lives only in `Appeal`'s applicant fields and the attachments; nothing public reads them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.personal_data import Category as PD
from core.personal_data import Processing, personal
from core.search import CouncilSearchDocument
from councils.models import Body, Council, StateBody
from councils.ownership import CouncilOwned

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
    # Stated at a reception of citizens and registered from its outcome (receptions/services.py).
    RECEPTION = "reception", _("Reception of citizens")


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


# Statuses in which the council still works on the appeal.
OPEN_STATUSES = (
    AppealStatus.REGISTERED,
    AppealStatus.ASSIGNED,
    AppealStatus.FORWARDED,
    AppealStatus.ANSWER_RECEIVED,
)


def effective_deadline() -> Coalesce:
    """An appeal's deadline in SQL: the extension when there is one, else the computed date (appeals/deadlines.py).
    Annotated as `effective_deadline` wherever the overdue rule (`deadlines.overdue_q`) is applied."""
    return Coalesce("extended_until", "due_date")


_APPLICANT = _("applicant")
_TO_CONSIDER = _("to register, consider and answer the appeal (and forward it to the competent state body)")
_TO_ANSWER = _("to send the answer and the notices the law requires")


class Appeal(models.Model):
    ownership = CouncilOwned(
        "council",
        # The tracking secret and the form's submission key are credentials, not data: never copied; the
        # generated columns are kept by the database from the other fields.
        audit_excluded_fields=("tracking_token", "submission_key", "search_document", "inbox_rank", "open_deadline"),
        page_cache=False,
        why_not="public only as counts, which follow the cache's time limit: submissions must not empty the cache",
    )
    # The register of processing (core/personal_data.py): the applicant is found by the e-mail address.
    personal_data_subject = "email"
    personal_data_processing = Processing(
        basis=_(
            "the applicant's consent (Law No. 94-V «On personal data and their protection», art. 7) and the duty to "
            "consider a citizen's appeal (Administrative Procedural-Process Code, art. 76)"
        ),
        retention=_(
            "while the appeal is under consideration, then %(appeal_retention_years)s years after it ended; then "
            "anonymised (at once after consent is withdrawn, as soon as the appeal has ended)"
        ),
        recipients=_("the state body competent for the appeal, when the appeal is forwarded to it"),
    )
    # Fields that hold no personal data: the appeal's record, which anonymisation keeps so that reports still count it.
    not_personal_data = (
        "council",
        "number",
        "year",
        "sequence",
        "registered_at",
        "channel",
        "applicant_type",
        "category",
        "locality",
        "language",
        "status",
        "due_date",
        "extended_until",
        "assigned_body",
        "assignee",
        "forwarded_to",
        "answered_on",
        "merged_into",
        "is_demo",
        "personal_data_consent",
        "consent_withdrawn_at",
        # Credentials, not data: the tracking link's secret and the form's submission key.
        "tracking_token",
        "submission_key",
        # A hash of the submission, to tell a retry from a reuse of the key; cleared with the key on anonymisation.
        "submission_digest",
        # Kept by the database from the fields above (subject and text included): erasing those erases these.
        "search_document",
        "inbox_rank",
        "open_deadline",
    )

    # No index of its own: every index below starts with the council, and a lone one led the planner to read a
    # council's appeals of every year to keep one (the year's figures, appeals.selectors.appeal_counts).
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="appeals", db_index=False)
    number = models.CharField(_("registration number"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    registered_at = models.DateTimeField(_("registered at"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    applicant_type = models.CharField(_("applicant type"), max_length=16, choices=ApplicantType.choices)
    # The code of one of the council's categories (`AppealCategory.code`; the national list is `Category`): a
    # code, not a foreign key, so the figures group by it without a join and an appeal keeps its category when the
    # council renames or retires one.
    category = models.CharField(_("category"), max_length=16)
    # The district or town of the council's list the appeal is about (optional). Not personal data: a district
    # names no one; the exact place stays in `place`.
    locality = models.ForeignKey(
        "Locality", on_delete=models.PROTECT, null=True, blank=True, related_name="appeals", verbose_name=_("locality")
    )
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

    # Personal data: never on a public page or in a public API response. Declared for the register of processing.
    applicant_name = personal(
        models.CharField(_("name"), max_length=255, blank=True),
        category=PD.IDENTITY,
        subject=_APPLICANT,
        purpose=_TO_CONSIDER,
    )
    organisation = personal(
        models.CharField(_("organisation"), max_length=255, blank=True),
        category=PD.IDENTITY,
        subject=_APPLICANT,
        purpose=_TO_CONSIDER,
    )
    bin_iin = personal(
        models.CharField(_("BIN/IIN"), max_length=12, blank=True),
        category=PD.ID_NUMBER,
        subject=_APPLICANT,
        purpose=_("to identify the applicant, as the law on appeals allows"),
    )
    email = personal(
        models.EmailField(_("e-mail"), blank=True), category=PD.CONTACT, subject=_APPLICANT, purpose=_TO_ANSWER
    )
    phone = personal(
        models.CharField(_("phone"), max_length=32, blank=True),
        category=PD.CONTACT,
        subject=_APPLICANT,
        purpose=_("to reach the applicant about the appeal"),
    )
    address = personal(
        models.CharField(_("postal address"), max_length=500, blank=True),
        category=PD.CONTACT,
        subject=_APPLICANT,
        purpose=_TO_ANSWER,
    )
    place = personal(
        models.CharField(_("place"), max_length=500, blank=True),
        category=PD.LOCATION,
        subject=_APPLICANT,
        purpose=_("to find the place the appeal is about"),
    )
    # Where the problem is, if the applicant marked it (WGS 84 degrees, 6 places: about 10 cm). It may be their
    # home: personal data like the rest.
    latitude = personal(
        models.DecimalField(_("latitude"), max_digits=8, decimal_places=6, null=True, blank=True),
        category=PD.LOCATION,
        subject=_APPLICANT,
        purpose=_("to find the place the appeal is about"),
        erase="null",
    )
    longitude = personal(
        models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True),
        category=PD.LOCATION,
        subject=_APPLICANT,
        purpose=_("to find the place the appeal is about"),
        erase="null",
    )
    subject = personal(
        models.CharField(_("subject"), max_length=255, blank=True),
        category=PD.CONTENT,
        subject=_APPLICANT,
        purpose=_TO_CONSIDER,
    )
    text = personal(
        models.TextField(_("text"), blank=True), category=PD.CONTENT, subject=_APPLICANT, purpose=_TO_CONSIDER
    )
    # The answer speaks of the applicant's own matter: it goes with their data.
    answer_text = personal(
        models.TextField(_("answer"), blank=True), category=PD.CONTENT, subject=_APPLICANT, purpose=_TO_ANSWER
    )
    # Columns PostgreSQL keeps itself, so that the inbox reads an index at any size (appeals/filters.py): the
    # words of the number, subject and text, each marked with the council (core/search.py; GIN index in migration
    # 0021); new appeals nobody has taken first; the deadline of an appeal still in work (an extension wins), none
    # once it has ended.
    search_document = models.GeneratedField(
        expression=CouncilSearchDocument("council_id", "number", "subject", "text"),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )
    inbox_rank = models.GeneratedField(
        expression=Case(When(status=AppealStatus.REGISTERED, then=Value(0)), default=Value(1)),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    open_deadline = models.GeneratedField(
        expression=Case(When(status__in=OPEN_STATUSES, then=effective_deadline()), default=None),
        output_field=models.DateField(null=True),
        db_persist=True,
    )
    personal_data_consent = models.BooleanField(_("consent to personal data processing"), default=False)
    # When the applicant withdrew that consent from the tracking page (Law No. 94-V, art. 8): optional processing
    # stops at once; the appeal is still considered and is anonymised as soon as it has ended.
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    tracking_token = models.CharField(max_length=64, blank=True)
    # A token the form (or the API's Idempotency-Key) carries, so that the same form posted twice registers one
    # appeal; stored scoped to the client that sent it (appeals/views.py: scoped_submission_key).
    submission_key = models.CharField(max_length=64, blank=True)
    # SHA-256 of the submission's content: a repeat with the same key must carry the same content to be given
    # the first appeal back (appeals/services.py).
    submission_digest = models.CharField(max_length=64, blank=True)

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
        indexes = [
            models.Index(fields=["council", "year", "status"]),
            # The inbox's default order (appeals/filters.py), so its first page is read off the index.
            models.Index(
                fields=["council", "inbox_rank", "open_deadline", "-registered_at", "-id"], name="appeal_inbox_order"
            ),
            models.Index(fields=["council", "-registered_at", "-id"], name="appeal_inbox_newest"),
            # The open appeals by registration, either way (a search among the open ones, oldest first): they are
            # the newest, so walking every appeal from the oldest passes all the ended ones before the first.
            models.Index(
                fields=["council", "-registered_at", "-id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="appeal_open_newest",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class AppealCounter(models.Model):
    """The last registration number issued per council and year; locked while a number is taken, so numbers
    are unique and gapless (a rolled-back submission gives its number back)."""

    ownership = CouncilOwned("council", audit=False, page_cache=False, why_not="the numbering counter")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "year"], name="appeal_counter_unique")]

    def __str__(self) -> str:
        return f"{self.council_id}/{self.year}: {self.last}"


class AppealYearCount(models.Model):
    """How many appeals a council has of each registration year, kept by the database itself (triggers on the
    appeals table, migration 0011): every insert, delete and move counts, whoever makes it (the form, the
    import, the admin, a bulk statement). The home page's figures read these rows, one per council and year,
    instead of counting every appeal the portal holds."""

    ownership = CouncilOwned("council", audit=False, page_cache=False, why_not="a count the database keeps")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    appeals = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "year"], name="appeal_year_count_unique")]

    def __str__(self) -> str:
        return f"{self.council_id}/{self.year}: {self.appeals}"


class FigureDimension(models.TextChoices):
    """What an `AppealYearFigure` row counts the year's appeals by, and the form of its `value`."""

    TYPE_CATEGORY = "type_category", "applicant type:category"  # "individual:ecology"
    CHANNEL = "channel", "channel"  # "web"
    MONTH = "month", "month of registration, local time"  # "1" … "12"
    LOCALITY = "locality", "locality id"  # "17"; "" for none
    # The two below give the running year's outcomes as of today (appeals.selectors._running_outcomes).
    STATUS = "status", "status on file"  # "assigned"
    ANSWER = "answer", "answer: on time, late or none"  # "on_time", "late"; "" while not answered


class AppealYearFigure(models.Model):
    """How many appeals of a council's registration year have each applicant type and category, channel, month
    of registration, locality, status on file and kind of answer, kept by the database itself like
    `AppealYearCount` (triggers on the appeals table, migrations 0016 and 0020: every insert, delete and change of
    those columns counts, whoever makes it). The council page and the statistics read these rows, a few dozen per
    year, instead of the year's appeals."""

    ownership = CouncilOwned("council", audit=False, page_cache=False, why_not="a count the database keeps")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    dimension = models.CharField(max_length=16, choices=FigureDimension.choices)
    value = models.CharField(max_length=40)
    appeals = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "year", "dimension", "value"], name="appeal_year_figure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.council_id}/{self.year} {self.dimension}={self.value}: {self.appeals}"


class AppealOutcomeFigures(models.Model):
    """The outcome figures of a council's closed registration year as of its 31 December
    (`selectors.appeal_counts`), kept once: they change only when the year's appeals or their histories do, and
    counting them reads every appeal of the year twice over. The database bumps `generation` whenever such a row
    of a year before the current one is written (triggers on the appeals and their status changes, migration
    0019); the figures stand while `figures_generation` equals it."""

    ownership = CouncilOwned("council", audit=False, page_cache=False, why_not="cached counts the database keeps valid")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    generation = models.PositiveIntegerField(default=0)
    # `AppealCounts` as JSON, with the format it was written in; None until first counted.
    figures = models.JSONField(null=True, blank=True)
    figures_generation = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "year"], name="appeal_outcome_figures_unique")]

    def __str__(self) -> str:
        return f"{self.council_id}/{self.year}: generation {self.generation}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Being prepared")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    UNAVAILABLE = "unavailable", _("Export service unavailable")


class InboxExport(models.Model):
    """A large XLSX export of the inbox, built by a Celery task into a stored file (inbox_export_*): the
    filter it was asked with, who asked (only they may see and download it, in the same council), and when the
    file goes (`expires_at`; the sweep deletes it). The file holds what the export of that user would hold,
    the applicants' contacts included for the secretary and the chair."""

    ownership = CouncilOwned(
        "council", audit=False, page_cache=False, why_not="a staff member's file, deleted when it expires"
    )

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=1000, blank=True)  # the inbox's filters, as its query string
    language = models.CharField(max_length=8)
    with_contacts = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="inbox_export_expiry")]

    def __str__(self) -> str:
        return f"{self.council_id}/{self.pk}: {self.status}"


class AppealMessage(models.Model):
    """A message on an open appeal: from the citizen through the tracking page, or a note from the council."""

    ownership = CouncilOwned(
        "appeal__council", audit=False, page_cache=False, why_not="the applicant's letters: append-only, never public"
    )

    class Author(models.TextChoices):
        CITIZEN = "citizen", _("Applicant")
        COUNCIL = "council", _("Council")

    personal_data_subject = "appeal__email"
    personal_data_processing = Appeal.personal_data_processing
    not_personal_data = ("appeal", "author", "created_at")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(_("author"), max_length=16, choices=Author.choices)
    text = personal(
        models.TextField(_("text"), blank=True), category=PD.CONTENT, subject=_APPLICANT, purpose=_TO_CONSIDER
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["appeal", "created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.get_author_display()}: {self.text[:60]}"


class AppealAttachment(models.Model):
    ownership = CouncilOwned(
        "appeal__council", audit=False, page_cache=False, why_not="the applicant's files: append-only, never public"
    )
    personal_data_subject = "appeal__email"
    personal_data_processing = Appeal.personal_data_processing
    not_personal_data = ("appeal", "message", "content_type", "size", "uploaded_at")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        AppealMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = personal(
        models.FileField(_("file"), upload_to="appeals/%Y/%m/"),
        category=PD.DOCUMENT,
        subject=_APPLICANT,
        purpose=_TO_CONSIDER,
        erase="file",
    )
    # A file's name often names its author ("Иванов_заявление.pdf").
    original_name = personal(
        models.CharField(_("file name"), max_length=255),
        category=PD.DOCUMENT,
        subject=_APPLICANT,
        purpose=_TO_CONSIDER,
    )
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class AppealStatusChange(models.Model):
    ownership = CouncilOwned(
        "appeal__council", audit=False, page_cache=False, why_not="an append-only history itself; public only as counts"
    )
    personal_data_subject = "appeal__email"
    personal_data_processing = Appeal.personal_data_processing
    not_personal_data = ("appeal", "status", "changed_at", "changed_by", "visible_to_applicant")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=32, choices=AppealStatus.choices)
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    # Notes speak of the applicant's matter (a state body's answer is recorded here, a forwarding letter, the
    # reason for an extension): they go with the applicant's data; the status and its date stay.
    note = personal(
        models.TextField(_("note"), blank=True),
        category=PD.CONTENT,
        subject=_APPLICANT,
        purpose=_("to record how the appeal was considered"),
    )
    # Reasons the applicant is owed (an extension's decision, why the appeal was left without consideration)
    # are shown on the tracking page; internal notes are not.
    visible_to_applicant = models.BooleanField(_("shown to the applicant"), default=False)

    class Meta:
        ordering = ["appeal", "changed_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d}: {self.get_status_display()}"


class AppealFeedback(models.Model):
    """The applicant's word on an answer, from the tracking page (FixMyStreet's questionnaire: "has this been
    fixed?"): resolved, or not resolved with a reason. "Not resolved" reopens the appeal for the council
    (appeals/services.py: appeal_record_feedback); both are counted (appeals/selectors.py: appeal_feedback_counts).
    One word per answer: a reopened appeal answered again may be judged again."""

    ownership = CouncilOwned(
        "appeal__council", audit=False, page_cache=False, why_not="the applicant's verdict, written once"
    )

    personal_data_subject = "appeal__email"
    personal_data_processing = Appeal.personal_data_processing
    not_personal_data = ("appeal", "answer", "resolved", "created_at")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="feedback")
    # The history entry of the answer judged (status "answered"): the key of "one word per answer".
    answer = models.OneToOneField(AppealStatusChange, on_delete=models.CASCADE, related_name="feedback")
    resolved = models.BooleanField(_("the answer resolved the matter"))
    reason = personal(
        models.TextField(_("reason"), blank=True),
        category=PD.CONTENT,
        subject=_APPLICANT,
        purpose=_TO_CONSIDER,
    )
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        ordering = ["appeal", "created_at", "id"]
        verbose_name = _("applicant's feedback")
        verbose_name_plural = _("applicants' feedback")

    def __str__(self) -> str:
        return f"{self.appeal_id}: {'resolved' if self.resolved else 'not resolved'}"


class AppealCategory(models.Model):
    """A category of appeals in a council's list (рубрикатор): the council edits it; a council that has none uses
    the national list (`Category`), which the data migration copied into every council then on file. Appeals
    point at a category by its `code`; a category is retired (`is_active=False`), never deleted, so the appeals
    and figures of past years keep their label."""

    ownership = CouncilOwned("council")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="appeal_categories")
    code = models.SlugField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=255)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered in the appeal form"), default=True)

    class Meta:
        ordering = ["council", "position", "id"]
        verbose_name = _("appeal category")
        verbose_name_plural = _("appeal categories")
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="appeal_category_unique_code")]

    def __str__(self) -> str:
        return self.name


class LocalityKind(models.TextChoices):
    DISTRICT = "district", _("District")
    TOWN = "town", _("Town")
    VILLAGE = "village", _("Village")


class Locality(models.Model):
    """A district, town or village of a council's territory (the list the council keeps), so that appeals can be
    counted by place without reading anyone's address."""

    ownership = CouncilOwned("council")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="localities")
    code = models.SlugField(_("code"), max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=LocalityKind.choices, default=LocalityKind.DISTRICT)
    name = models.CharField(_("name"), max_length=255)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered in the appeal form"), default=True)

    class Meta:
        ordering = ["council", "position", "id"]
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="locality_unique_code")]

    def __str__(self) -> str:
        return self.name
