"""Councils, their convocations, bodies and people, and the state bodies they address.

`councils` is the ground floor of the portal: it imports no other app of the project.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.personal_data import Category as PD
from core.personal_data import Processing, personal
from core.search import SearchDocument

from .ownership import CouncilOwned, NotCouncilOwned


class CouncilKind(models.TextChoices):
    CITY = "city", _("City public council")
    REGIONAL = "regional", _("Regional public council")
    MINISTRY = "ministry", _("Ministry public council")
    EXPERT = "expert", _("Public expert council")
    AARHUS = "aarhus", _("Aarhus centre")
    # An NGO that monitors elected deputies (deputies/): a tenant like a council, with its staff, audit and workspace.
    NGO_MONITOR = "ngo_monitor", _("NGO monitoring deputies")


class Council(models.Model):
    ownership = CouncilOwned("id")
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    code = models.CharField(
        _("registration code"), max_length=8, unique=True, help_text=_("Prefix of appeal numbers, e.g. ALM.")
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CouncilKind.choices, default=CouncilKind.CITY)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    social_links = models.JSONField(_("social links"), default=list, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    # The terms of public control (DOMAIN.md, "Legal facts"): the defaults are the law's; a council may set
    # its own, e.g. an Aarhus centre's terms for information requests.
    recommendation_send_days = models.PositiveSmallIntegerField(
        _("working days to send a recommendation"),
        default=7,
        help_text=_("After the control ends (Law on public control No. 30-VIII of 2 Oct 2023: 7 working days)."),
    )
    recommendation_answer_days = models.PositiveSmallIntegerField(
        _("working days for a state body to answer a recommendation"),
        default=10,
        help_text=_("From receipt (Law on public control No. 30-VIII of 2 Oct 2023: 10 working days)."),
    )
    information_request_months = models.PositiveSmallIntegerField(
        _("months to answer an information request"),
        default=1,
        help_text=_("From sending; a term ending on a non-working day ends on the next working day."),
    )
    information_request_extension_months = models.PositiveSmallIntegerField(
        _("months an information request may be extended by"),
        default=1,
        help_text=_("Once, with reasons."),
    )
    # The annual report's bound (reports/annual.py): a list longer than this goes to an annex at the end of the
    # report, and its part keeps the figures and a pointer; a year of any size keeps a main part of fixed length.
    report_annex_threshold = models.PositiveSmallIntegerField(
        _("rows per list in the annual report before it moves to an annex"),
        default=50,
        validators=[MinValueValidator(1)],
        help_text=_("Longer lists (monitoring events, agenda items, hearings, draft reviews…) go to annex tables."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation_send_days__gte=1)
                & Q(recommendation_answer_days__gte=1)
                & Q(information_request_months__gte=1),
                name="council_terms_positive",
            ),
            models.CheckConstraint(
                condition=Q(report_annex_threshold__gte=1), name="council_report_annex_threshold_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Convocation(models.Model):
    ownership = CouncilOwned("council")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="convocations")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100, help_text=_("As the council writes it, e.g. «II состав»."))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        ordering = ["council", "-number"]
        verbose_name = _("convocation")
        verbose_name_plural = _("convocations")
        constraints = [
            models.UniqueConstraint(fields=["council", "number"], name="convocation_unique_number"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="convocation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} — {self.name}"


class BodyKind(models.TextChoices):
    PRESIDIUM = "presidium", _("Presidium")
    COMMISSION = "commission", _("Commission")
    WORKING_GROUP = "working_group", _("Working group")


class Body(models.Model):
    """A standing or ad hoc body of a convocation: the presidium, a commission or a working group."""

    ownership = CouncilOwned("council")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="bodies")
    convocation = models.ForeignKey(Convocation, on_delete=models.CASCADE, related_name="bodies")
    key = models.SlugField(_("key"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=BodyKind.choices)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["kind", "number", "name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.UniqueConstraint(fields=["council", "key"], name="body_unique_key"),
        ]

    def __str__(self) -> str:
        return self.name


class Affiliation(models.TextChoices):
    STATE_BODY = "state_body", _("State body representative")
    CIVIL_SOCIETY = "civil_society", _("Civil society")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


# Experts used to be memberships with this role (and a forced affiliation); they are ExpertAppointments now. Files
# in the first interchange format still carry it: such rows are never counted as members.
LEGACY_EXPERT_ROLE = "expert"


class EndReason(models.TextChoices):
    """Why a member left the council before or at the end of the convocation (the report says who left and why)."""

    OWN_REQUEST = "own_request", _("At own request")
    ROTATION = "rotation", _("Rotation")
    DEATH = "death", _("Death")
    AKIM_DECISION = "akim_decision", _("Decision of the akim")
    CHAIR_DECISION = "chair_decision", _("Decision of the chair")
    OTHER = "other", _("Other")


class Person(models.Model):
    """Someone the council works with: a member, an expert or an outside participant."""

    ownership = CouncilOwned("council")

    # The register of processing (core/personal_data.py). No `personal_data_subject`: the staff enter these
    # records; a member asks the council, not the portal's form, to correct them.
    personal_data_processing = Processing(
        basis=_(
            "the law «On public councils» (No. 383-V, 2 November 2015): the council's composition is public; the "
            "member's consent for the contacts"
        ),
        retention=_("while the person works with the council; the record of past convocations is kept as history"),
        recipients=_("the public (name, organisation and position on the composition page and in the open data)"),
    )
    not_personal_data = ("council", "key", "is_demo")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="people")
    key = models.SlugField(_("key"), max_length=64)
    # Published by design: the composition of a public council is public.
    full_name = personal(
        models.CharField(_("full name"), max_length=255),
        category=PD.IDENTITY,
        subject=_("council member"),
        purpose=_("to publish the council's composition and record its work"),
        public=True,
    )
    organisation = personal(
        models.CharField(_("organisation"), max_length=255, blank=True),
        category=PD.IDENTITY,
        subject=_("council member"),
        purpose=_("to publish the council's composition and record its work"),
        public=True,
    )
    position = personal(
        models.CharField(_("position"), max_length=255, blank=True),
        category=PD.IDENTITY,
        subject=_("council member"),
        purpose=_("to publish the council's composition and record its work"),
        public=True,
    )
    # Contacts are for the council's staff only and never leave the workspace.
    email = personal(
        models.EmailField(_("e-mail"), blank=True),
        category=PD.CONTACT,
        subject=_("council member"),
        purpose=_("to reach the member about the council's work"),
    )
    phone = personal(
        models.CharField(_("phone"), max_length=32, blank=True),
        category=PD.CONTACT,
        subject=_("council member"),
        purpose=_("to reach the member about the council's work"),
    )
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [models.UniqueConstraint(fields=["council", "key"], name="person_unique_key")]

    def __str__(self) -> str:
        return self.full_name


class Membership(models.Model):
    """A person's seat in a convocation, with its dates: the composition on any date follows from these."""

    ownership = CouncilOwned("convocation__council")

    convocation = models.ForeignKey(Convocation, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    affiliation = models.CharField(_("affiliation"), max_length=16, choices=Affiliation.choices)
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=16, choices=EndReason.choices, blank=True)
    end_decision = models.CharField(
        _("decision"),
        max_length=500,
        blank=True,
        help_text=_("The document that ended the membership, e.g. «Решение акима г. Алматы от 12.03.2019 № 45»."),
    )
    end_decision_file = models.FileField(
        _("decision (file)"), upload_to="councils/decisions/%Y/", max_length=255, blank=True
    )

    class Meta:
        ordering = ["convocation", "person__full_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["convocation", "person"], name="membership_one_per_convocation"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_dates_ordered",
            ),
            # A reason belongs to a membership that ended. The services require one when a membership ends;
            # the database does not, because rows older than the field and imported files have none.
            models.CheckConstraint(
                condition=Q(end_date__isnull=False) | Q(end_reason=""), name="membership_reason_only_when_ended"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    def is_active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class ExpertStatus(models.TextChoices):
    """An expert's way through the registry (реестр экспертов): recorded as a candidate, interviewed, approved by the
    council, and inactive once the work ends; a candidate the council does not approve is declined."""

    CANDIDATE = "candidate", _("Candidate")
    INTERVIEWED = "interviewed", _("Interviewed")
    APPROVED = "approved", _("Approved")
    INACTIVE = "inactive", _("Inactive")
    DECLINED = "declined", _("Declined")


# From each status, where the next decision may take it (councils/expert_services.py). Approved and inactive
# experts are the council's experts for their dates; candidates, the interviewed and the declined never were.
EXPERT_STEPS: dict[str, tuple[str, ...]] = {
    ExpertStatus.CANDIDATE: (ExpertStatus.INTERVIEWED, ExpertStatus.DECLINED),
    ExpertStatus.INTERVIEWED: (ExpertStatus.APPROVED, ExpertStatus.DECLINED),
    ExpertStatus.APPROVED: (ExpertStatus.INACTIVE,),
    ExpertStatus.INACTIVE: (),
    ExpertStatus.DECLINED: (),
}
EXPERT_SERVED = (ExpertStatus.APPROVED, ExpertStatus.INACTIVE)


class ExpertiseArea(models.Model):
    """An area of expertise from the portal's small vocabulary (ecology, urban planning, budget…), named in
    Russian, Kazakh and English (councils/translation.py); an expert's own words go in `field` beside it."""

    # Changed by the portal's administrators only (the admin's own log records who did); every council's pages
    # name the areas, so an edit leaves them all behind.
    ownership = NotCouncilOwned("a vocabulary of the whole portal, shared by every council", page_cache=True)

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # The names in every language, kept by PostgreSQL (core/search.py): «эколог» finds «Экология».
    search_document = models.GeneratedField(
        expression=SearchDocument("name_ru", "name_kk", "name_en"),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("area of expertise")
        verbose_name_plural = _("areas of expertise")

    def __str__(self) -> str:
        return self.name


def _cv_upload_to(instance: ExpertAppointment, filename: str) -> str:
    # Never the uploader's file name (it may name the person): a name the portal makes.
    return f"councils/experts/cv/{dt.date.today():%Y}/{uuid.uuid4().hex}"


class ExpertAppointment(models.Model):
    """An expert of the council (эксперт совета) and the registry's record of them: areas of expertise, languages,
    region, CV, consent and status (candidate → interviewed → approved → inactive, each step a decision:
    `ExpertDecision`). Not a member: no affiliation and no membership; experts are listed apart and never counted
    among the members.

    `start_date` is the day the council approved the expert (for a candidate not yet approved, the day the
    candidacy was recorded) and `end_date` the day the expert became inactive (or was declined). The public sees an
    expert only while approved (or, on a past day's composition, then approved) *and* consenting: consent is
    recorded with its date and may be withdrawn, which hides the person from every public page, file and list."""

    ownership = CouncilOwned("council", audit_excluded_fields=("search_document",))

    personal_data_processing = Processing(
        basis=_(
            "the expert's consent, recorded with its date in the registry; withdrawn, the name is no longer published"
        ),
        retention=_("while the person works with the council; the CV is deleted with the record"),
        recipients=_(
            "the public (name, areas of expertise, languages and region while the expert consents; the CV "
            "only if the expert agreed to publish it)"
        ),
    )
    not_personal_data = (
        "council",
        "person",
        "status",
        "start_date",
        "end_date",
        "decision",
        "decision_file",
        "field",
        "region",
        "speaks_ru",
        "speaks_kk",
        "speaks_en",
        "other_languages",
        "cv_public",
        "consent_given_on",
        "consent_withdrawn_on",
        "search_document",
    )

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="expert_appointments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="expert_appointments")
    status = models.CharField(
        _("status"), max_length=16, choices=ExpertStatus.choices, default=ExpertStatus.APPROVED, db_index=True
    )
    areas = models.ManyToManyField(
        ExpertiseArea, verbose_name=_("areas of expertise"), related_name="experts", blank=True
    )
    field = models.CharField(
        _("field of expertise"), max_length=255, blank=True, help_text=_("In the expert's own words.")
    )
    speaks_ru = models.BooleanField(_("Russian"), default=False)
    speaks_kk = models.BooleanField(_("Kazakh"), default=False)
    speaks_en = models.BooleanField(_("English"), default=False)
    other_languages = models.CharField(_("other languages"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    cv = personal(
        models.FileField(_("CV"), upload_to=_cv_upload_to, max_length=255, blank=True),
        category=PD.DOCUMENT,
        subject=_("expert"),
        purpose=_("to choose experts for the council's work"),
        erase="file",
    )
    cv_public = models.BooleanField(
        _("the expert agrees to publish the CV"),
        default=False,
        help_text=_("Unticked, the CV is for the council's staff only."),
    )
    consent_given_on = models.DateField(
        _("consent to publication given on"),
        null=True,
        blank=True,
        help_text=_("Without consent the expert is never shown on public pages."),
    )
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    decision = models.CharField(
        _("decision"),
        max_length=500,
        blank=True,
        help_text=_("The decision that approved the expert, e.g. «Протокол заседания Совета от 16.05.2019 № 3»."),
    )
    decision_file = models.FileField(
        _("decision (file)"), upload_to="councils/decisions/%Y/", max_length=255, blank=True
    )
    # The expert's own words and region, kept by PostgreSQL (core/search.py); the areas have their own.
    search_document = models.GeneratedField(
        expression=SearchDocument("field", "region", "other_languages"),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )

    class Meta:
        ordering = ["council", "person__full_name", "start_date"]
        verbose_name = _("expert appointment")
        verbose_name_plural = _("expert appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "person"], condition=Q(end_date__isnull=True), name="expert_one_open_appointment"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="expert_appointment_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(consent_withdrawn_on__isnull=True) | Q(consent_given_on__isnull=False),
                name="expert_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({_('expert')})"

    @property
    def consents(self) -> bool:
        """The expert agreed to be published and has not withdrawn."""
        return self.consent_given_on is not None and self.consent_withdrawn_on is None

    @property
    def languages(self) -> list[str]:
        codes = [code for code in ("ru", "kk", "en") if getattr(self, f"speaks_{code}")]
        return codes + (["other"] if self.other_languages else [])


class ExpertDecision(models.Model):
    """One step of an expert's way through the registry: the status it led to, the date, the decision's words and
    its document. Append-only: the registry's history of the expert."""

    ownership = CouncilOwned(
        "appointment__council", audit=False, why_not="an append-only history itself (each step is a row)"
    )

    appointment = models.ForeignKey(ExpertAppointment, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(_("status"), max_length=16, choices=ExpertStatus.choices)
    date = models.DateField(_("date"))
    text = models.CharField(
        _("decision"),
        max_length=500,
        blank=True,
        help_text=_("E.g. «Протокол заседания Совета от 16.05.2019 № 3» or the interview's outcome."),
    )
    document = models.FileField(_("document"), upload_to="councils/decisions/%Y/", max_length=255, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["appointment", "date", "id"]
        verbose_name = _("expert registry decision")
        verbose_name_plural = _("expert registry decisions")

    def __str__(self) -> str:
        return f"{self.appointment}: {self.get_status_display()} {self.date:%d.%m.%Y}"


class ExpertEngagement(models.Model):
    """An expert's part in a monitoring event, a draft act review or a public hearing, named by the record's kind
    (the kinds the apps above register for the work plan, councils/plan.py) and id, so this app imports none of
    them; the record's public page names the expert only while the expert consents."""

    ownership = CouncilOwned("appointment__council")

    appointment = models.ForeignKey(ExpertAppointment, on_delete=models.CASCADE, related_name="engagements")
    kind = models.CharField(_("kind of record"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("record"))
    role = models.CharField(_("role"), max_length=255, blank=True)

    class Meta:
        ordering = ["appointment", "kind", "object_id"]
        verbose_name = _("expert's engagement")
        verbose_name_plural = _("experts' engagements")
        constraints = [
            models.UniqueConstraint(fields=["appointment", "kind", "object_id"], name="expert_engagement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.appointment} → {self.kind}:{self.object_id}"


class BodyRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")


class BodyMembership(models.Model):
    ownership = CouncilOwned("body__council")
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="body_seats")
    role = models.CharField(_("role"), max_length=16, choices=BodyRole.choices, default=BodyRole.MEMBER)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        ordering = ["body", "-role", "person__full_name"]
        verbose_name = _("body membership")
        verbose_name_plural = _("body memberships")
        constraints = [
            # One open seat per person and body; a person who left may rejoin, and both seats stay in the history.
            models.UniqueConstraint(
                fields=["body", "person"], condition=Q(end_date__isnull=True), name="body_membership_one_open_seat"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="body_membership_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.body}"


class StateBodyKind(models.TextChoices):
    AKIMAT = "akimat", _("Akimat")
    DEPARTMENT = "department", _("Department")
    POLICE = "police", _("Police")
    MINISTRY = "ministry", _("Ministry")
    ENTERPRISE = "enterprise", _("State enterprise")
    # Holders of information that are not state bodies: the recipients of information requests too.
    QUASI_STATE = "quasi_state", _("Quasi-state company")
    OPERATOR = "operator", _("Private operator (extractive company)")
    OTHER = "other", _("Other")


class StateBody(models.Model):
    """A state body: shared by all councils, so one page can show what every council asked of it."""

    ownership = NotCouncilOwned("every council uses the state bodies and none owns them", audit=True, page_cache=True)

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=StateBodyKind.choices, default=StateBodyKind.OTHER)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("state body")
        verbose_name_plural = _("state bodies")

    def __str__(self) -> str:
        return self.name


class PartnerKind(models.TextChoices):
    NGO = "ngo", _("Non-governmental organisation")
    BUSINESS = "business", _("Business")
    STATE = "state", _("State body")
    OTHER = "other", _("Other")


class Partner(models.Model):
    ownership = CouncilOwned("council")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="partners")
    key = models.SlugField(_("key"), max_length=64)
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices, default=PartnerKind.OTHER)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [models.UniqueConstraint(fields=["council", "key"], name="partner_unique_key")]

    def __str__(self) -> str:
        return self.name


class Memorandum(models.Model):
    """A memorandum of cooperation: the council and one or more parties (the Karaganda memorandum has three),
    signed on a day, in force until its term ends or it is terminated, with commitments tracked to their due
    dates (`MemorandumCommitment`; the rules in councils/memoranda.py)."""

    ownership = CouncilOwned("council")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memoranda")
    key = models.SlugField(_("key"), max_length=64)
    title = models.CharField(_("title"), max_length=500)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="memoranda", null=True, blank=True)
    other_parties = models.ManyToManyField(
        Partner, related_name="memoranda_as_party", blank=True, verbose_name=_("other parties")
    )
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("Leave empty for a memorandum without a term.")
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(_("why it was terminated"), max_length=500, blank=True)
    document = models.FileField(
        _("signed memorandum (file)"), upload_to="councils/memoranda/%Y/", max_length=255, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        ordering = ["signed_on", "title"]
        verbose_name = _("memorandum")
        verbose_name_plural = _("memoranda")
        constraints = [
            models.UniqueConstraint(fields=["council", "key"], name="memorandum_unique_key"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("signed_on")),
                name="memorandum_term_after_signing",
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True) | Q(terminated_on__gte=F("signed_on")),
                name="memorandum_terminated_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MemorandumCommitment(models.Model):
    """What one side undertook in a memorandum, by when, and when it was done: tracked like a recommendation's
    answer (overdue once its due date has passed undone, as of a day)."""

    ownership = CouncilOwned("memorandum__council")

    memorandum = models.ForeignKey(Memorandum, on_delete=models.CASCADE, related_name="commitments")
    text = models.TextField(_("commitment"))
    owner = models.CharField(
        _("who is responsible"), max_length=255, help_text=_("The party (or the council's body) that undertook it.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)

    class Meta:
        ordering = ["memorandum", "due_date", "id"]
        verbose_name = _("memorandum commitment")
        verbose_name_plural = _("memorandum commitments")

    def __str__(self) -> str:
        return self.text[:80]


class WorkPlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


# A secretary decides these two; the others follow from the records linked to the item (councils/plan.py).
WORK_PLAN_DECIDED = (WorkPlanStatus.POSTPONED, WorkPlanStatus.CANCELLED)


class WorkPlanItem(models.Model):
    """One line of the council's annual work plan (план работы).

    Its status follows from the records that fulfil it (`WorkPlanLink`, councils/plan.py) unless the council
    postponed or cancelled it, which takes a reason; an item with no record linked keeps the status set by hand
    (files of earlier years carry only that).
    """

    ownership = CouncilOwned("council")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="work_plan_items")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"))
    activity = models.TextField(_("activity"))
    period = models.CharField(_("period"), max_length=100, blank=True)
    expected_result = models.TextField(_("expected result"), blank=True)
    responsible = models.CharField(_("responsible"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=WorkPlanStatus.choices, default=WorkPlanStatus.PLANNED
    )
    due_date = models.DateField(
        _("due date"), null=True, blank=True, help_text=_("The last day of the period, when the plan gives one.")
    )
    status_reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the item was postponed or cancelled (shown on the public page).")
    )

    class Meta:
        ordering = ["council", "year", "number"]
        verbose_name = _("work plan item")
        verbose_name_plural = _("work plan items")
        constraints = [
            models.UniqueConstraint(fields=["council", "year", "number"], name="work_plan_item_unique_number"),
            models.CheckConstraint(
                condition=~Q(status="postponed") | ~Q(status_reason=""), name="work_plan_postponed_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}/{self.number}: {self.activity[:60]}"


class WorkPlanLink(models.Model):
    """A record that fulfils a work plan item: a meeting, a monitoring event, a hearing, a draft review, an
    information request… named by its kind (councils/plan.py, where each app registers its kinds) and id, so
    this app imports none of the apps above it."""

    ownership = CouncilOwned("item__council")

    item = models.ForeignKey(WorkPlanItem, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind of record"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("record"))

    class Meta:
        ordering = ["item", "kind", "object_id"]
        verbose_name = _("work plan record")
        verbose_name_plural = _("work plan records")
        constraints = [
            models.UniqueConstraint(fields=["item", "kind", "object_id"], name="work_plan_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item} ← {self.kind}:{self.object_id}"


class StaffRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")


class CouncilStaff(models.Model):
    """A user account's role in one council: the basis of every permission check."""

    ownership = CouncilOwned("council", page_cache=False, why_not="staff roles: no public page shows them")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_roles", verbose_name=_("user")
    )
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="staff", verbose_name=_("council"))
    role = models.CharField(_("role"), max_length=16, choices=StaffRole.choices)

    class Meta:
        # Singular: the admin says "Add council staff member" («Добавить сотрудник совета» read wrongly as plural).
        verbose_name = _("council staff member")
        verbose_name_plural = _("council staff")
        constraints = [models.UniqueConstraint(fields=["user", "council"], name="council_staff_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.council} ({self.get_role_display()})"


class ConsultativeLevel(models.TextChoices):
    LOCAL = "local", _("City or regional")
    REPUBLICAN = "republican", _("Republican")


class ConsultativeSeat(models.Model):
    """A council member's seat in a consultative and advisory body (консультативно-совещательный орган) of an
    akimat or a ministry: part 7 of the annual report. Seats are history: one that ended keeps its dates."""

    ownership = CouncilOwned("council")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="consultative_seats")
    key = models.SlugField(_("key"), max_length=64)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consultative_seats")
    body_name = models.CharField(
        _("consultative body"),
        max_length=500,
        help_text=_("As the order that set the body up names it."),
    )
    state_body = models.ForeignKey(
        StateBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultative_seats",
        verbose_name=_("state body"),
        help_text=_("The akimat or ministry the body works under, if it is on file."),
    )
    level = models.CharField(_("level"), max_length=16, choices=ConsultativeLevel.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        ordering = ["start_date", "body_name"]
        verbose_name = _("seat in a consultative body")
        verbose_name_plural = _("seats in consultative bodies")
        constraints = [
            models.UniqueConstraint(fields=["council", "key"], name="consultative_seat_unique_key"),
            # One open seat per person and body; a person who left may be appointed again later.
            models.UniqueConstraint(
                fields=["person", "body_name"],
                condition=Q(end_date__isnull=True),
                name="consultative_seat_one_open_seat",
            ),
            models.UniqueConstraint(
                fields=["person", "body_name", "start_date"], name="consultative_seat_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="consultative_seat_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(level__in=ConsultativeLevel.values), name="consultative_seat_level_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.body_name}"
