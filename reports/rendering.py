"""The annual report renderer: HTML from Django templates, PDF from WeasyPrint (through `core.pdf`). The DOCX
renderer (`rendering_docx`) reads the same HTML.

One shape for every renderer (STYLE.md): `render(build) -> (filename, content_type, bytes)`. The same data and
build time give the same bytes: the PDF's dates are the build's stored time (`ReportBuild.created_at`), so
rendering the same build again gives the same file; no clock reading or random identifier is written, and the
fonts are local files (DejaVu Sans), so nothing is fetched from the network (`core.pdf`). The PDF is tagged for
screen readers (`core.pdf`).
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
from core.templatetags.names import pick
from councils.models import Convocation, Council, CouncilKind

from .annual import annual_report_context, genitive_ru
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
    ("plan", gettext_lazy("Execution of the work plan")),
    ("public-participation", gettext_lazy("Public participation: comments and registrations")),
    ("information-requests", gettext_lazy("Information requests")),
)
# The parts every council's report adds after those when it has records of them (the Aarhus pillars' work, done
# by any council kind): (key, title, the figure in `stats` that must be above zero).
EXTRA_SECTIONS = (
    ("library", gettext_lazy("Library of environmental information"), "library"),
    ("consultations", gettext_lazy("Consultations of citizens"), "consultations"),
    ("trainings", gettext_lazy("Trainings, seminars and information campaigns"), "trainings"),
    ("stakeholders", gettext_lazy("Work with stakeholders"), "stakeholders"),
    # News and statements, and the publications in the media (on the news and on monitoring events): either.
    ("media", gettext_lazy("News and publications in the media"), ("news", "media")),
)
# An Aarhus centre's report follows its pillars instead (DOMAIN.md; the Zhaik-Caspian centre's profile): access to
# information, public participation, access to justice, education, cooperation.
AARHUS_SECTIONS = (
    ("legal-basis", gettext_lazy("Legal basis")),
    ("structure", gettext_lazy("Structure and composition")),
    ("meetings", gettext_lazy("Presidium and council meetings")),
    ("information", gettext_lazy("Access to environmental information")),
    ("participation", gettext_lazy("Public participation in environmental decisions")),
    ("justice", gettext_lazy("Access to justice in environmental matters")),
    ("education", gettext_lazy("Education and awareness")),
    ("cooperation", gettext_lazy("Cooperation and partnerships")),
    ("plan", gettext_lazy("Execution of the work plan")),
)
SECTION_TEMPLATES = {
    "legal-basis": "01_legal_basis",
    "structure": "02_structure",
    "forms": "03_forms",
    "meetings": "04_meetings",
    "commissions": "05_commissions",
    "hearings": "06_hearings",
    "consultative": "07_consultative",
    "monitoring": "08_monitoring",
    "drafts": "09_drafts",
    "appeals": "10_appeals",
    "events": "11_events",
    "plan": "12_plan",
    "information-requests": "12_information_requests",
    "public-participation": "12_participation",
    "library": "12_library",
    "consultations": "13_consultations",
    "trainings": "14_trainings",
    "stakeholders": "15_stakeholders",
    "media": "15_media",
    "information": "aarhus_information",
    "participation": "aarhus_participation",
    "justice": "aarhus_justice",
    "education": "aarhus_education",
    "cooperation": "aarhus_cooperation",
}


def _any_total(stats: Any, figures: str | tuple[str, ...]) -> bool:
    """Whether any of the figures (`stats.<name>.total`) is above zero: a part with nothing to say is left out."""
    names = (figures,) if isinstance(figures, str) else figures
    return any(getattr(stats, name).total for name in names)


def report_sections(*, council: Council, stats: Any) -> list[dict[str, Any]]:
    """The report's parts in order, numbered, each with its template: an Aarhus centre's pillars, or the Almaty 2019
    order followed by the library, consultations and trainings parts of a council that has such records."""
    if council.kind == CouncilKind.AARHUS:
        parts = [(key, title) for key, title in AARHUS_SECTIONS]
    else:
        parts = list(SECTIONS)
        parts += [(key, title) for key, title, figures in EXTRA_SECTIONS if _any_total(stats, figures)]
    return [
        {
            "id": key,
            "number": number,
            "title": str(title),
            "template": f"reports/annual/sections/{SECTION_TEMPLATES[key]}.html",
        }
        for number, (key, title) in enumerate(parts, 1)
    ]


def _own_name(record: Any) -> str | None:
    """The record's name in the active language, or None when only the Russian would stand in for it: a title is
    in one language, so a missing English or Kazakh name is left out rather than mixed in."""
    if record is None:
        return None
    name, russian_standing_in = pick(record, "name")
    return None if russian_standing_in or not name else name


def report_title(*, council: Council, convocation: Convocation | None, year: int) -> str:
    """«Отчет о работе Общественного совета города Алматы (II состав) за 2019 г.» in the active language, with
    the council's and the convocation's names in that language (django-modeltranslation: `name_en`, `name_kk`).
    A name not given in that language is left out of the title (the cover still shows it, marked as Russian)."""
    name = _own_name(council)
    if name is None:
        return _("Report on the work of the public council for %(year)s") % {"year": year}
    council_name = genitive_ru(name) if translation.get_language() == "ru" else name
    convocation_name = _own_name(convocation)
    if convocation_name:
        # Translators: in Russian %(council)s is already in the genitive («Общественного совета города Алматы»):
        # «Отчет о работе %(council)s (%(convocation)s) за %(year)s г.»
        return _("Report on the work of %(council)s (%(convocation)s) for %(year)s") % {
            "council": council_name,
            "convocation": convocation_name,
            "year": year,
        }
    return _("Report on the work of %(council)s for %(year)s") % {"council": council_name, "year": year}


def render_html(*, council: Council, year: int, language: str, created: dt.datetime | None = None) -> str:
    """The report as one self-contained HTML document (styles inline, charts inline SVG).

    `created` is the build's time, the PDF's creation date (the same build gives the same bytes); without it
    (a preview), the report date.
    """
    # Never a report in English under another language's name: a missing catalogue fails the build.
    require_catalogue(language)
    with translation.override(language):
        context: dict[str, Any] = annual_report_context(council=council, year=year)
        day: dt.date = context["report_date"]
        context.update(
            language=language,
            title=report_title(council=council, convocation=context["convocation"], year=year),
            sections=report_sections(council=council, stats=context["stats"]),
            **pdf.pdf_context(day, created=created),
        )
        return render_to_string(TEMPLATE, context)


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint alone: the part of a build the benchmark compares the whole build to."""
    return pdf.html_to_pdf(html, what="the report")


def report_filename(*, council: Council, year: int, language: str, format: str = ReportFormat.PDF) -> str:
    return f"{council.slug}-annual-report-{year}-{language}.{format}"


def render_report(
    *, council: Council, year: int, language: str, created: dt.datetime | None = None
) -> tuple[str, str, bytes]:
    html = render_html(council=council, year=year, language=language, created=created)
    return report_filename(council=council, year=year, language=language), PDF_CONTENT_TYPE, html_to_pdf(html)


def render(build: ReportBuild) -> tuple[str, str, bytes]:
    """The renderer of a report build: (filename, content type, bytes)."""
    # The build's own stored time: rendering the same build again gives the same bytes.
    return render_report(council=build.council, year=build.year, language=build.language, created=build.created_at)
