"""Elected representative bodies (maslikhats and the Mazhilis), their deputies and what the deputies do.

Representative bodies, their convocations, constituencies, localities, parties, committees, deputies and their
mandates are public records of the whole portal (`NotCouncilOwned`): no NGO owns a maslikhat. What the NGO
monitors record about the deputies' work (sessions, attendance, roll calls, inquiries, receptions, reports to
voters, statements, promises) belongs to the NGO that entered it (`CouncilOwned("council")`, a council of kind
"ngo_monitor"), goes through a second person's review before publication, and always cites its source. Public
questions from citizens are moderated by the NGO that monitors the deputy's body; the author's name and e-mail are
private.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.personal_data import Category as PD
from core.personal_data import Processing, personal
from councils.models import Council
from councils.ownership import CouncilOwned, NotCouncilOwned

SHARED = "the public register of elected bodies and deputies: one record for every NGO and the public"

# The 16 cities of the 2012 project (demo/…/eu_press_release_2012.txt), by slug, with their Russian names.
PROJECT_CITIES: tuple[tuple[str, str], ...] = (
    ("almaty", "Алматы"),
    ("astana", "Астана"),
    ("pavlodar", "Павлодар"),
    ("petropavlovsk", "Петропавловск"),
    ("kokshetau", "Кокшетау"),
    ("kostanay", "Костанай"),
    ("shymkent", "Шымкент"),
    ("taraz", "Тараз"),
    ("kyzylorda", "Кызылорда"),
    ("aktau", "Актау"),
    ("atyrau", "Атырау"),
    ("aktobe", "Актобе"),
    ("uralsk", "Уральск"),
    ("karaganda", "Караганда"),
    ("ust-kamenogorsk", "Усть-Каменогорск"),
    ("taldykorgan", "Талдыкорган"),
)


class BodyLevel(models.TextChoices):
    OBLAST = "oblast", _("Oblast maslikhat")
    REPUBLICAN_CITY = "republican_city", _("Maslikhat of a city of republican significance")
    CITY = "city", _("City maslikhat")
    DISTRICT = "district", _("District maslikhat")
    MAZHILIS = "mazhilis", _("Mazhilis of the Parliament")


class RepresentativeBody(models.Model):
    ownership = NotCouncilOwned(SHARED)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=BodyLevel.choices)
    name = models.CharField(_("name"), max_length=255)
    city = models.SlugField(_("city"), max_length=32, blank=True, help_text=_("One of the 16 project cities."))
    region = models.CharField(_("region"), max_length=100, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats by law"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    # The law's terms, kept as data (docs/deputies.md gives the sources): a body may have its own.
    sessions_per_year = models.PositiveSmallIntegerField(
        _("regular sessions a year, at least"), default=4, help_text=_("Type rules of a maslikhat: at least four.")
    )
    inquiry_answer_days = models.PositiveSmallIntegerField(
        _("days to answer a deputy inquiry"), default=15, help_text=_("Calendar days from receipt.")
    )
    # An answer a deputy sends by e-mail reply waits for the moderators by default: a sender's address can be forged
    # and quoted text may survive the stripping. A body whose deputies' mail is trusted may publish at once.
    publish_email_answers = models.BooleanField(
        _("publish answers received by e-mail at once"),
        default=False,
        help_text=_("Off: an answer received by e-mail waits for the NGO's moderators before it is public."),
    )
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("representative body")
        verbose_name_plural = _("representative bodies")

    def __str__(self) -> str:
        return self.name


class BodyConvocation(models.Model):
    ownership = NotCouncilOwned(SHARED)
    body = models.ForeignKey(RepresentativeBody, on_delete=models.CASCADE, related_name="convocations")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100, help_text=_("E.g. «VIII созыв»."))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        ordering = ["body", "-number"]
        verbose_name = _("convocation of a representative body")
        verbose_name_plural = _("convocations of representative bodies")
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="deputies_convocation_unique_number"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="deputies_convocation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.name}"


class Locality(models.Model):
    """A settlement, microdistrict or street group a citizen recognises: the way in to «who is my deputy»."""

    ownership = NotCouncilOwned(SHARED)
    name = models.CharField(_("name"), max_length=255)
    city = models.SlugField(_("city"), max_length=32, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("locality")
        verbose_name_plural = _("localities")

    def __str__(self) -> str:
        return self.name


class Constituency(models.Model):
    ownership = NotCouncilOwned(SHARED)
    body = models.ForeignKey(RepresentativeBody, on_delete=models.CASCADE, related_name="constituencies")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("boundaries"), blank=True, help_text=_("As the election commission wrote them."))
    localities = models.ManyToManyField(Locality, related_name="constituencies", blank=True)

    class Meta:
        ordering = ["body", "number"]
        verbose_name = _("single-member constituency")
        verbose_name_plural = _("single-member constituencies")
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="deputies_constituency_unique")]

    def __str__(self) -> str:
        return f"№ {self.number} {self.name}"


class Party(models.Model):
    ownership = NotCouncilOwned(SHARED)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        ordering = ["name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return self.name


class Committee(models.Model):
    ownership = NotCouncilOwned(SHARED)
    body = models.ForeignKey(RepresentativeBody, on_delete=models.CASCADE, related_name="committees")
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        ordering = ["body", "name"]
        verbose_name = _("standing committee")
        verbose_name_plural = _("standing committees")

    def __str__(self) -> str:
        return self.name


class Deputy(models.Model):
    ownership = NotCouncilOwned(SHARED)
    personal_data_processing = Processing(
        basis=_(
            "the Constitutional Law «On elections» and the Law «On local state administration and self-government»: "
            "a deputy's name, mandate and official contacts are public"
        ),
        retention=_("kept as the public record of the body's composition"),
        recipients=_("the public (the portal's pages and open data)"),
    )
    not_personal_data = ("slug", "photo", "is_demo")
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    full_name = personal(
        models.CharField(_("full name"), max_length=255),
        category=PD.IDENTITY,
        subject=_("deputy"),
        purpose=_("to publish who represents the voters"),
        public=True,
    )
    biography = personal(
        models.TextField(_("biography"), blank=True),
        category=PD.IDENTITY,
        subject=_("deputy"),
        purpose=_("to publish who represents the voters"),
        public=True,
    )
    photo = models.ImageField(_("photo"), upload_to="deputies/photos/", blank=True)
    # Official contacts: the reception office's, public by law; never a private number.
    office_email = personal(
        models.EmailField(_("official e-mail"), blank=True),
        category=PD.CONTACT,
        subject=_("deputy"),
        purpose=_("to let voters reach their deputy (official contacts, public by law)"),
        public=True,
    )
    office_phone = personal(
        models.CharField(_("official phone"), max_length=32, blank=True),
        category=PD.CONTACT,
        subject=_("deputy"),
        purpose=_("to let voters reach their deputy (official contacts, public by law)"),
        public=True,
    )
    office_address = personal(
        models.CharField(_("reception address"), max_length=255, blank=True),
        category=PD.CONTACT,
        subject=_("deputy"),
        purpose=_("to let voters reach their deputy (official contacts, public by law)"),
        public=True,
    )
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")

    def __str__(self) -> str:
        return self.full_name


class Post(models.TextChoices):
    CHAIR = "chair", _("Chair of the maslikhat")
    DEPUTY = "deputy", _("Deputy")
    COMMITTEE_CHAIR = "committee_chair", _("Chair of a standing committee")


class ElectedBy(models.TextChoices):
    GENERAL = "general", _("General election")
    BY_ELECTION = "by_election", _("By-election")


class EndReason(models.TextChoices):
    TERM = "term", _("End of the convocation")
    RESIGNATION = "resignation", _("Resignation")
    RECALL = "recall", _("Recall by the party")
    INCOMPATIBLE = "incompatible", _("Appointment to an incompatible post")
    COURT = "court", _("Court sentence")
    ABSENCE = "absence", _("Absence from sessions without good reason")
    DEATH = "death", _("Death")
    OTHER = "other", _("Other reason")


class Mandate(models.Model):
    """A deputy's seat in one convocation, dated: the composition on a date is the mandates that cover it."""

    ownership = NotCouncilOwned(SHARED)
    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="mandates")
    convocation = models.ForeignKey(BodyConvocation, on_delete=models.CASCADE, related_name="mandates")
    constituency = models.ForeignKey(
        Constituency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
        help_text=_("Empty for a deputy elected on a party list."),
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="mandates")
    post = models.CharField(_("post"), max_length=16, choices=Post.choices, default=Post.DEPUTY)
    committees = models.ManyToManyField(Committee, related_name="mandates", blank=True)
    elected_by = models.CharField(_("elected by"), max_length=16, choices=ElectedBy.choices, default=ElectedBy.GENERAL)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("reason the mandate ended"), max_length=16, choices=EndReason.choices, blank=True)
    end_decision = models.CharField(_("decision ending the mandate"), max_length=255, blank=True)

    class Meta:
        ordering = ["convocation", "deputy__full_name", "start_date"]
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="deputies_mandate_dates_ordered",
            ),
            # An early end says why (a convocation's normal end may stay silent: "term").
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | ~Q(end_reason=""), name="deputies_mandate_end_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} — {self.convocation}"

    @property
    def body(self) -> RepresentativeBody:
        return self.convocation.body

    @property
    def is_party_list(self) -> bool:
        return self.constituency_id is None

    def covers(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class DeputyOffice(models.Model):
    """A user account that answers the public questions of one deputy (the deputy or their office)."""

    ownership = NotCouncilOwned("a deputy's office account: scoped to the deputy, not to an NGO")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deputy_offices", verbose_name=_("user")
    )
    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="offices", verbose_name=_("deputy"))

    class Meta:
        verbose_name = _("deputy's office account")
        verbose_name_plural = _("deputies' office accounts")
        constraints = [models.UniqueConstraint(fields=["user", "deputy"], name="deputies_office_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.deputy}"


# ---- the NGO monitors' records -------------------------------------------------------------------------------


class MonitoredBody(models.Model):
    """A representative body an NGO monitor watches: it records its work and moderates questions to its deputies."""

    ownership = CouncilOwned("council")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="monitored_bodies")
    body = models.ForeignKey(RepresentativeBody, on_delete=models.CASCADE, related_name="monitors")

    class Meta:
        verbose_name = _("monitored body")
        verbose_name_plural = _("monitored bodies")
        constraints = [models.UniqueConstraint(fields=["council", "body"], name="deputies_monitored_unique")]

    def __str__(self) -> str:
        return f"{self.council} → {self.body}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Reviewed(models.Model):
    """An observation entered by one monitor and published by another, citing its source."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+", verbose_name=_("NGO monitor"))
    source_url = models.URLField(_("source (link)"), blank=True)
    source_document = models.FileField(_("source (document)"), upload_to="deputies/sources/%Y/", blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("entered by")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED


def _source_cited(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=~Q(status=ReviewStatus.PUBLISHED) | ~Q(source_url="") | ~Q(source_document=""),
        name=f"{prefix}_published_cites_source",
    )


class SessionKind(models.TextChoices):
    REGULAR = "regular", _("Regular session")
    EXTRAORDINARY = "extraordinary", _("Extraordinary session")


class Session(Reviewed):
    ownership = CouncilOwned("council")
    body = models.ForeignKey(RepresentativeBody, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices, default=SessionKind.REGULAR)
    date = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item a line."))

    class Meta:
        ordering = ["-date", "-number"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [_source_cited("deputies_session")]

    def __str__(self) -> str:
        return f"{self.body} — {self.number} ({self.date:%d.%m.%Y})"

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Absent with good reason")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    ownership = CouncilOwned("session__council")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="attendance")
    presence = models.CharField(_("presence"), max_length=16, choices=Presence.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "deputy"], name="deputies_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.deputy_id}: {self.presence}"


class VoteEvent(models.Model):
    """A roll-call vote on one motion, where the body published it. The tallies are counted from the ballots."""

    ownership = CouncilOwned("session__council")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="votes")
    motion = models.CharField(_("motion"), max_length=500)

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("roll-call vote")
        verbose_name_plural = _("roll-call votes")

    def __str__(self) -> str:
        return self.motion


class VoteOption(models.TextChoices):
    YES = "yes", _("For")
    NO = "no", _("Against")
    ABSTAIN = "abstain", _("Abstained")
    ABSENT = "absent", _("Did not vote")


class Ballot(models.Model):
    ownership = CouncilOwned("vote__session__council")
    vote = models.ForeignKey(VoteEvent, on_delete=models.CASCADE, related_name="ballots")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="ballots")
    option = models.CharField(_("vote"), max_length=16, choices=VoteOption.choices)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [models.UniqueConstraint(fields=["vote", "deputy"], name="deputies_ballot_unique")]

    def __str__(self) -> str:
        return f"{self.deputy_id}: {self.option}"


class ActivityKind(models.TextChoices):
    INQUIRY = "inquiry", _("Deputy inquiry")
    RECEPTION = "reception", _("Reception of voters")
    REPORT = "report", _("Report to voters")
    STATEMENT = "statement", _("Statement")
    INITIATIVE = "initiative", _("Initiative")


class Activity(Reviewed):
    """One thing a deputy did: an inquiry (with the addressee and the answer), a reception of voters, a report to
    voters, a statement or an initiative."""

    ownership = CouncilOwned("council")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    addressee = models.CharField(_("addressee"), max_length=255, blank=True, help_text=_("For an inquiry."))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    visitors = models.PositiveIntegerField(_("voters received"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("deputy's activity")
        verbose_name_plural = _("deputies' activities")
        constraints = [
            _source_cited("deputies_activity"),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("date")),
                name="deputies_activity_answer_after",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PromiseStatus(models.TextChoices):
    KEPT = "kept", _("Kept")
    IN_PROGRESS = "in_progress", _("In progress")
    BROKEN = "broken", _("Broken")
    NOT_RATED = "not_rated", _("Not rated")


class Promise(Reviewed):
    ownership = CouncilOwned("council")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="promises")
    text = models.TextField(_("promise"))
    rating = models.CharField(
        _("status"), max_length=16, choices=PromiseStatus.choices, default=PromiseStatus.NOT_RATED
    )
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["deputy", "id"]
        verbose_name = _("election promise")
        verbose_name_plural = _("election promises")
        constraints = [
            _source_cited("deputies_promise"),
            # A rating other than "not rated" says why.
            models.CheckConstraint(
                condition=Q(rating=PromiseStatus.NOT_RATED) | ~Q(evidence=""),
                name="deputies_promise_rated_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


# ---- public questions -----------------------------------------------------------------------------------------


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected under the code of conduct")


class Question(models.Model):
    """A citizen's public question to a deputy, moderated by the NGO that monitors the deputy's body."""

    # The secret of the author's links stays out of the audit trail, as an appeal's tracking token does.
    ownership = CouncilOwned("council", audit_excluded_fields=("mail_token",))
    personal_data_subject = "author_email"
    personal_data_processing = Processing(
        basis=_("the author's consent (Law «On personal data and their protection», art. 7)"),
        retention=_("the name and e-mail are kept while the question is online, and erased on request"),
        recipients=_("the moderators of the NGO monitor; never published"),
    )
    not_personal_data = (
        "council",
        "deputy",
        "language",
        "status",
        "asked_at",
        "published_at",
        "moderated_by",
        "rejection_reason",
        "personal_data_consent",
        "mail_token",
        "email_confirmed_at",
        "mail_stopped_at",
    )
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="deputy_questions")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="questions")
    author_name = personal(
        models.CharField(_("your name"), max_length=255),
        category=PD.IDENTITY,
        subject=_("author of a question to a deputy"),
        purpose=_("to moderate the question"),
    )
    author_email = personal(
        models.EmailField(_("your e-mail")),
        category=PD.CONTACT,
        subject=_("author of a question to a deputy"),
        purpose=_("to tell the author that the question was published or answered"),
    )
    # The question itself is published by design once moderated (the author agreed); it must not name the author.
    subject = personal(
        models.CharField(_("subject"), max_length=200),
        category=PD.CONTENT,
        subject=_("author of a question to a deputy"),
        purpose=_("to publish the question and its answer"),
        public=True,
    )
    text = personal(
        models.TextField(_("question")),
        category=PD.CONTENT,
        subject=_("author of a question to a deputy"),
        purpose=_("to publish the question and its answer"),
        public=True,
    )
    language = models.CharField(_("language"), max_length=8, default="ru")
    status = models.CharField(
        _("status"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.PENDING
    )
    asked_at = models.DateTimeField(_("asked at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=255, blank=True)
    personal_data_consent = models.BooleanField(_("consent to personal data processing"), default=False)
    # The author's mail (deputies/notifications.py): a random secret for the confirmation and unsubscribe links
    # (never derived from the address), the day the author confirmed the address (double opt-in: only then does
    # the portal write about the question's fate), and the day the author asked for no more mail.
    mail_token = models.CharField(_("mail link secret"), max_length=64, blank=True, db_index=True)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    mail_stopped_at = models.DateTimeField(_("mail stopped at"), null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("question to a deputy")
        verbose_name_plural = _("questions to deputies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=QuestionStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="deputies_question_published_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class Answer(models.Model):
    ownership = CouncilOwned("question__council")
    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="answer")
    text = models.TextField(_("answer"))
    answered_at = models.DateTimeField(_("answered at"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("answer to a question")
        verbose_name_plural = _("answers to questions")

    def __str__(self) -> str:
        return self.text[:80]


class InboundStatus(models.TextChoices):
    HELD = "held", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    DISCARDED = "discarded", _("Discarded")


class InboundAnswer(models.Model):
    """An answer a deputy sent by replying to the question's mail (deputies/inbound.py): the text as kept after
    quoted text and signatures were stripped, held for the NGO's moderators unless the body publishes e-mail answers
    at once. Publishing it writes the question's `Answer`, dated when the mail arrived."""

    ownership = CouncilOwned("question__council")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="inbound_answers")
    text = models.TextField(_("answer"))
    sender = models.EmailField(_("sent from"), help_text=_("One of the deputy's official addresses."))
    received_at = models.DateTimeField(_("received at"))
    message_id = models.CharField(_("message id"), max_length=255, blank=True)
    attachments_dropped = models.PositiveSmallIntegerField(_("attachments dropped"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=InboundStatus.choices, default=InboundStatus.HELD)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("answer received by e-mail")
        verbose_name_plural = _("answers received by e-mail")

    def __str__(self) -> str:
        return self.text[:80]
