"""Access to justice and education (the Aarhus Convention's third pillar, and the centres' education work):

- the consultation log: a citizen's legal or environmental consultation, its channel, topic and outcome. Who came
  and how to reach them (`client_name`, `client_contact`, `notes`) is the council's working data alone: never on a
  public page, feed, file or API answer (only counts are public, `selectors.consultation_counts`), and cleared
  once the retention period is over (`retention.py`);
- trainings, seminars and information campaigns: audience, number of participants, materials (documents of the
  council's library) and partners.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.personal_data import Category as PD
from core.personal_data import Processing, personal
from councils.models import Council, Partner
from councils.ownership import CouncilOwned
from library.models import Document

MAX_PARTICIPANTS = 1_000_000


class ConsultationKind(models.TextChoices):
    LEGAL = "legal", _("Legal consultation")
    ENVIRONMENTAL = "environmental", _("Environmental consultation")


class ConsultationChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    ONLINE = "online", _("Messenger or social media")
    FIELD = "field", _("Field visit")


class ConsultationTopic(models.TextChoices):
    INFORMATION = "information", _("Access to environmental information")
    PARTICIPATION = "participation", _("Public participation, EIA and hearings")
    POLLUTION = "pollution", _("Air, water and soil pollution")
    WASTE = "waste", _("Waste")
    LAND_WATER = "land_water", _("Land and water use")
    OIL_GAS = "oil_gas", _("Oil and gas operations")
    HEALTH = "health", _("Environment and health")
    OTHER = "other", _("Other")


class ConsultationOutcome(models.TextChoices):
    ADVICE = "advice", _("Advice given")
    REFERRED = "referred", _("Referred to another body")
    APPEAL = "appeal", _("Appeal registered")
    COMPLAINT = "complaint", _("Court or prosecutor complaint prepared")


_CLIENT = _("person consulted")
_TO_CONSULT = _("to advise the person and follow up their matter")


class Consultation(models.Model):
    ownership = CouncilOwned("council")
    personal_data_processing = Processing(
        basis=_(
            "the person's consent (Law «On personal data and their protection», No. 94-V, art. 7), given when they "
            "ask for the consultation"
        ),
        retention=_(
            "the name, contact and notes are cleared %(consultation_retention_years)s years after the "
            "consultation; the date, channel, topic and outcome are kept for the council's figures"
        ),
    )
    not_personal_data = (
        "council",
        "date",
        "kind",
        "channel",
        "topic",
        "outcome",
        "referred_to",
        "anonymised_at",
        "is_demo",
        "created_at",
    )

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="consultations")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=ConsultationKind.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=ConsultationChannel.choices)
    topic = models.CharField(_("topic"), max_length=16, choices=ConsultationTopic.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ConsultationOutcome.choices)
    referred_to = models.CharField(
        _("referred to"), max_length=300, blank=True, help_text=_("The body or organisation the person was sent to.")
    )
    client_name = personal(
        models.CharField(_("name"), max_length=200, blank=True),
        category=PD.IDENTITY,
        subject=_CLIENT,
        purpose=_TO_CONSULT,
    )
    client_contact = personal(
        models.CharField(_("contact"), max_length=200, blank=True),
        category=PD.CONTACT,
        subject=_CLIENT,
        purpose=_TO_CONSULT,
    )
    notes = personal(
        models.TextField(_("notes"), blank=True),
        category=PD.CONTENT,
        subject=_CLIENT,
        purpose=_TO_CONSULT,
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo record"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [models.Index(fields=["council", "date"], name="consultation_council_date")]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_topic_display()}"


class TrainingKind(models.TextChoices):
    TRAINING = "training", _("Training")
    SEMINAR = "seminar", _("Seminar")
    LECTURE = "lecture", _("Lecture")
    CAMPAIGN = "campaign", _("Information campaign")


class Audience(models.TextChoices):
    CIVIL_SERVANTS = "civil_servants", _("Civil servants")
    NGOS = "ngos", _("NGOs")
    STUDENTS = "students", _("Students")
    OPERATORS = "operators", _("Operators (companies)")
    PUBLIC = "public", _("General public")
    MIXED = "mixed", _("Mixed audience")


class Training(models.Model):
    ownership = CouncilOwned("council")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="trainings")
    key = models.SlugField(_("key"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=TrainingKind.choices, default=TrainingKind.SEMINAR)
    title = models.CharField(_("title"), max_length=500)
    date = models.DateField(_("date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    participants = models.PositiveIntegerField(
        _("participants"), default=0, validators=[MaxValueValidator(MAX_PARTICIPANTS)]
    )
    description = models.TextField(_("description"), blank=True)
    # Documents of the council's own library (the service checks the council).
    materials = models.ManyToManyField(Document, blank=True, related_name="trainings", verbose_name=_("materials"))
    partners = models.ManyToManyField(Partner, blank=True, related_name="trainings", verbose_name=_("partners"))
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("training or campaign")
        verbose_name_plural = _("trainings and campaigns")
        constraints = [
            models.UniqueConstraint(fields=["council", "key"], name="training_unique_key"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")), name="training_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(participants__lte=MAX_PARTICIPANTS), name="training_participants_max"),
        ]
        indexes = [models.Index(fields=["council", "date"], name="training_council_date")]

    def __str__(self) -> str:
        return self.title[:100]
