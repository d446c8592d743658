"""The national summary of the monitoring: one PDF across the 16 cities of the project and every body an NGO
monitors (the Mazhilis too, once monitored), for one year.

Built by the same machinery as the per-body report (deputies/report.py): the same selectors, the same deputy
rows, the portal's one PDF path (`core.pdf.html_to_pdf`: tagged PDF, local fonts, fixed dates), and the
comparison page's methodology, printed from the same template (`deputies/_methodology.html`). Figures are as of
`councils.selectors.year_as_of(year)`: 31 December for a closed year, so a closed year's summary never changes
with today's date; today while the year runs.

Rendering sixteen cities' tables takes seconds, so a request never renders the PDF: Celery builds it
(`deputies.tasks.build_national_summary`) into the cache, keyed by its HTML (deputies/pdf_builds.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from core import pdf
from core.workdays import year_span

from . import pdf_builds
from .models import PROJECT_CITIES, RepresentativeBody
from .report import deputy_rows
from .selectors import BodyFigures, body_year_figures, city_comparison, default_as_of


@dataclass(frozen=True)
class BodySection:
    body: RepresentativeBody
    figures: BodyFigures
    rows: list[dict[str, object]]


@dataclass(frozen=True)
class CitySection:
    slug: str
    name: str
    bodies: list[BodySection]


def monitored_bodies() -> list[RepresentativeBody]:
    """Every body at least one NGO monitors, by level and name."""
    return list(RepresentativeBody.objects.filter(monitors__isnull=False).distinct().order_by("level", "name_ru"))


def sections(*, year: int, end: dt.date) -> tuple[list[CitySection], list[BodySection]]:
    """The project cities in their order, each with its monitored bodies; and the bodies of no project city (the
    Mazhilis, an oblast maslikhat without a city)."""
    by_city: dict[str, list[BodySection]] = {}
    others: list[BodySection] = []
    for body in monitored_bodies():
        section = BodySection(
            body=body,
            figures=body_year_figures(body=body, year=year, as_of=end),
            rows=deputy_rows(body=body, year=year, end=end),
        )
        (by_city.setdefault(body.city, []) if body.city in dict(PROJECT_CITIES) else others).append(section)
    cities = [CitySection(slug=slug, name=name, bodies=by_city.get(slug, [])) for slug, name in PROJECT_CITIES]
    return cities, others


def render_html(*, year: int, language: str, as_of: dt.date | None = None) -> str:
    as_of = as_of or default_as_of(year)
    _start, end = year_span(year, as_of)
    with translation.override(language):
        cities, others = sections(year=year, end=end)
        context = {
            "language": language,
            "year": year,
            "as_of": end,
            "comparison": city_comparison(year=year, as_of=end),
            "cities": cities,
            "others": others,
            "monitored": sum(1 for city in cities if city.bodies),
            **pdf.pdf_context(end),
        }
        return render_to_string("deputies/national.html", context)


def filename(year: int) -> str:
    return f"deputies-national-summary-{year}.pdf"


def source(*, year: int, language: str) -> pdf_builds.PdfSource:
    """The summary's HTML as the data now stand, and its cache key."""
    return pdf_builds.PdfSource.of("national", render_html(year=year, language=language), what="the national summary")


def build(*, year: int, language: str) -> str:
    """Render the PDF into the cache (the Celery task's body); returns the key."""
    document = source(year=year, language=language)
    document.build()
    return document.key
