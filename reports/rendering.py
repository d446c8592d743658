"""The annual report renderer: HTML from Django templates, PDF from WeasyPrint (through `core.pdf`). The DOCX
renderer (`rendering_docx`) reads the same HTML.

One shape for every renderer (STYLE.md): `render(build) -> (filename, content_type, bytes)`. The same data gives
the same bytes: the PDF's dates are the report date, no timestamp or random identifier is written, and the
fonts are local files (DejaVu Sans), so nothing is fetched from the network (`core.pdf`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import pdf
from core.checks import require_catalogue
from councils.models import Council

from .annual import annual_report_context, council_of
from .models import ReportFormat

if TYPE_CHECKING:
    from .models import ReportBuild

PDF_CONTENT_TYPE = pdf.PDF_CONTENT_TYPE
CONTENT_TYPES = {
    ReportFormat.PDF: PDF_CONTENT_TYPE,
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
TEMPLATE = "reports/annual/report.html"

# The report's parts, in the order of the Almaty 2019 report (DOMAIN.md, "The annual report").
SECTIONS = (
    ("legal-basis", gettext_lazy("Legal basis")),
    ("structure", gettext_lazy("Structure and composition")),
    ("forms", gettext_lazy("Forms of public control and channels for appeals")),
    ("meetings", gettext_lazy("Presidium and council meetings")),
    ("commissions", gettext_lazy("Extended commission meetings")),
    ("hearings", gettext_lazy("Public hearings and working meetings")),
    ("consultative", gettext_lazy("Participation in consultative bodies")),
    ("monitoring", gettext_lazy("Public monitoring")),
    ("drafts", gettext_lazy("Public review of draft regulations")),
    ("appeals", gettext_lazy("Citizens' appeals")),
    ("events", gettext_lazy("Seminars, round tables and memoranda")),
)


def report_title(*, council: Council, convocation_name: str | None, year: int) -> str:
    """«Отчет о работе Общественного совета города Алматы (II состав) за 2019 г.» in the active language."""
    if convocation_name:
        # Translators: in Russian %(council)s is already in the genitive («Общественного совета города Алматы»):
        # «Отчет о работе %(council)s (%(convocation)s) за %(year)s г.»
        return _("Report on the work of %(council)s (%(convocation)s) for %(year)s") % {
            "council": council_of(council),
            "convocation": convocation_name,
            "year": year,
        }
    return _("Report on the work of %(council)s for %(year)s") % {"council": council_of(council), "year": year}


def render_html(*, council: Council, year: int, language: str) -> str:
    """The report as one self-contained HTML document (styles inline, charts inline SVG)."""
    # Never a report in English under another language's name: a missing catalogue fails the build.
    require_catalogue(language)
    with translation.override(language):
        context: dict[str, Any] = annual_report_context(council=council, year=year)
        convocation = context["convocation"]
        day: dt.date = context["report_date"]
        context.update(
            language=language,
            title=report_title(council=council, convocation_name=convocation.name if convocation else None, year=year),
            sections=[{"id": key, "number": i, "title": str(title)} for i, (key, title) in enumerate(SECTIONS, 1)],
            **pdf.pdf_context(day),
        )
        return render_to_string(TEMPLATE, context)


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint alone: the part of a build the benchmark compares the whole build to."""
    return pdf.html_to_pdf(html, what="the report")


def report_filename(*, council: Council, year: int, language: str, format: str = ReportFormat.PDF) -> str:
    return f"{council.slug}-annual-report-{year}-{language}.{format}"


def render_report(*, council: Council, year: int, language: str) -> tuple[str, str, bytes]:
    html = render_html(council=council, year=year, language=language)
    return report_filename(council=council, year=year, language=language), PDF_CONTENT_TYPE, html_to_pdf(html)


def render(build: ReportBuild) -> tuple[str, str, bytes]:
    """The renderer of a report build: (filename, content type, bytes)."""
    return render_report(council=build.council, year=build.year, language=build.language)
