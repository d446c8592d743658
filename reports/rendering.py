"""The annual report renderer: HTML from Django templates, PDF from WeasyPrint.

One shape for every renderer (STYLE.md): `render(build) -> (filename, content_type, bytes)`. The same data gives
the same bytes: the PDF's dates are the report date, no timestamp or random identifier is written, and the
fonts are local files (DejaVu Sans), so nothing is fetched from the network.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.models import Council

from .annual import annual_report_context, council_of

if TYPE_CHECKING:
    from .models import ReportBuild

PDF_CONTENT_TYPE = "application/pdf"
TEMPLATE = "reports/annual/report.html"
# Debian's fonts-dejavu-core; REPORT_FONT_DIR points elsewhere (e.g. another distribution's path).
DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONT_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bold_italic": "DejaVuSans-BoldOblique.ttf",
}

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


def font_dir() -> Path:
    return Path(getattr(settings, "REPORT_FONT_DIR", "") or DEFAULT_FONT_DIR)


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
    with translation.override(language):
        context: dict[str, Any] = annual_report_context(council=council, year=year)
        convocation = context["convocation"]
        day: dt.date = context["report_date"]
        context.update(
            language=language,
            title=report_title(council=council, convocation_name=convocation.name if convocation else None, year=year),
            sections=[{"id": key, "number": i, "title": str(title)} for i, (key, title) in enumerate(SECTIONS, 1)],
            pdf_date=f"{day.isoformat()}T00:00:00+00:00",
            fonts={name: (font_dir() / file).as_uri() for name, file in FONT_FILES.items()},
        )
        return render_to_string(TEMPLATE, context)


def _fonts_only_fetcher() -> Any:
    """WeasyPrint's URL fetcher, limited to the font files: a link or an address in the data is never fetched."""
    from weasyprint.urls import URLFetcher

    allowed = frozenset((font_dir() / file).as_uri() for file in FONT_FILES.values())

    class FontsOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in allowed:
                raise ValueError(f"the report fetches nothing but its fonts: {url[:200]}")
            return super().fetch(url, headers)

    return FontsOnlyFetcher(allowed_protocols=("file",))


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint alone: the part of a build the benchmark compares the whole build to."""
    from weasyprint import HTML  # heavy import: only in the processes that render

    missing = [file for file in FONT_FILES.values() if not (font_dir() / file).is_file()]
    if missing:
        # Without its font the PDF would silently lose the Kazakh letters: fail the build instead.
        raise FileNotFoundError(f"report fonts missing in {font_dir()}: {', '.join(missing)} (fonts-dejavu-core)")
    document = HTML(string=html, base_url=font_dir().as_uri() + "/", url_fetcher=_fonts_only_fetcher())
    return document.write_pdf()


def report_filename(*, council: Council, year: int, language: str) -> str:
    return f"{council.slug}-annual-report-{year}-{language}.pdf"


def render_report(*, council: Council, year: int, language: str) -> tuple[str, str, bytes]:
    html = render_html(council=council, year=year, language=language)
    return report_filename(council=council, year=year, language=language), PDF_CONTENT_TYPE, html_to_pdf(html)


def render(build: ReportBuild) -> tuple[str, str, bytes]:
    """The renderer of a report build: (filename, content type, bytes)."""
    return render_report(council=build.council, year=build.year, language=build.language)
