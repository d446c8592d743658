"""Builds of the annual activity report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import languages
from councils.models import Council
from councils.ownership import CouncilOwned


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReportFormat(models.TextChoices):
    """What a build renders: the PDF (published, printed) or a Word document for a council that edits its report
    before sending it (never published: what the public reads is the PDF)."""

    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"


class ReportBuild(models.Model):
    ownership = CouncilOwned("council", audit=False, why_not="a build records its own requester, times and file hash")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="report_builds")
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=8, choices=languages.choices, default="ru")
    format = models.CharField(_("format"), max_length=8, choices=ReportFormat.choices, default=ReportFormat.PDF)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=BuildStatus.choices, default=BuildStatus.QUEUED)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # When the build was last handed to Celery; empty while the broker could not take it (reports/services.py).
    dispatched_at = models.DateTimeField(_("handed to the worker at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/", blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")
        indexes = [models.Index(fields=["council", "year", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_published=False) | models.Q(format=ReportFormat.PDF),
                name="reports_published_build_is_pdf",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.year} ({self.get_status_display()})"
