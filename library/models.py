"""The library of environmental information and publications (the first pillar of the Aarhus Convention: access
to information): reports, manuals, monitoring data, EIA materials, laws and the council's own publications, each
with its kind, topic, language, date and source, and a file or a link.

Any council keeps one; an Aarhus centre's is the heart of its public page. A document is public once published
(`is_published`); a draft is the staff's alone. An uploaded file is checked by its content as an appeal's
attachment is (`core.files.validate_attachment`, in `services.py`) and stored under a name the portal makes.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.search import SearchDocument
from councils.models import Council
from councils.ownership import CouncilOwned


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Report")
    MANUAL = "manual", _("Manual or guide")
    MONITORING_DATA = "monitoring_data", _("Monitoring data")
    EIA = "eia", _("EIA materials")
    LAW = "law", _("Law or regulation")
    PUBLICATION = "publication", _("The council's own publication")
    OTHER = "other", _("Other")


class Topic(models.TextChoices):
    AIR = "air", _("Air")
    WATER = "water", _("Water and the Caspian Sea")
    WASTE = "waste", _("Waste")
    OIL_GAS = "oil_gas", _("Oil, gas and mining")
    NATURE = "nature", _("Nature and biodiversity")
    CLIMATE = "climate", _("Climate")
    HEALTH = "health", _("Environment and health")
    RIGHTS = "rights", _("Environmental rights and the Aarhus Convention")
    OTHER = "other", _("Other")


class DocumentLanguage(models.TextChoices):
    RU = "ru", _("Russian")
    KK = "kk", _("Kazakh")
    EN = "en", _("English")


def document_upload_to(instance: Any, filename: str) -> str:
    """A name the portal makes (the uploader's name is kept apart, in `original_name`): nothing typed reaches the
    file system, and two uploads never collide."""
    extension = {
        "application/pdf": ".pdf",
        "image/jpeg": ".jpg",
        "image/png": ".png",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    }.get(getattr(instance, "content_type", ""), "")
    return f"library/{uuid.uuid4().hex}{extension}"


class Document(models.Model):
    ownership = CouncilOwned("council", audit_excluded_fields=("search_document",))

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="library_documents")
    key = models.SlugField(_("key"), max_length=64)
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.REPORT)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    language = models.CharField(
        _("language"), max_length=2, choices=DocumentLanguage.choices, default=DocumentLanguage.RU
    )
    published_on = models.DateField(_("date"))
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Who wrote or issued it: a ministry, a company, the council."),
    )
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("file size"), default=0)
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Unticked, the document is a draft that only the council's staff see."),
    )
    is_demo = models.BooleanField(_("demo record"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The words of the title, summary and source, kept by PostgreSQL itself (core/search.py; GIN index in the
    # migration); NULL on SQLite, where the search falls back to icontains.
    search_document = models.GeneratedField(
        expression=SearchDocument("title", "summary", "source"),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")
        constraints = [
            models.UniqueConstraint(fields=["council", "key"], name="library_document_unique_key"),
            # A document the public can open: a file, a link, or both.
            models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="library_document_file_or_link"),
        ]
        indexes = [
            models.Index(fields=["council", "-published_on", "-id"], name="library_document_council_date"),
            models.Index(fields=["-published_on", "-id"], name="library_document_open_order"),
        ]

    def __str__(self) -> str:
        return self.title[:100]
