"""The annual monitoring report of one representative body: a PDF built by the portal's one PDF path
(`core.pdf.html_to_pdf`, as the annual report and the minutes are), from the same selectors the pages read, so the
report and the pages say the same. A renderer of one shape: `render(body, year, language) -> (filename, content
type, bytes)`. The public address serves it built by Celery and cached under the hash of its HTML, as the national
summary is (deputies/pdf_builds.py)."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import translation

from core import pdf
from core.workdays import year_span

from . import pdf_builds
from .models import ActivityKind, PromiseStatus, RepresentativeBody
from .selectors import (
    body_year_figures,
    changes_in,
    composition_on,
    default_as_of,
    deputy_attendance,
    published_activities,
    published_promises,
    published_sessions,
    response_stats,
    vote_tally,
)

PDF_CONTENT_TYPE = pdf_builds.PDF_CONTENT_TYPE


def deputy_rows(*, body: RepresentativeBody, year: int, end: dt.date) -> list[dict[str, object]]:
    """One row per deputy who held a mandate on `end`: attendance, inquiries, receptions, questions answered.
    The per-body report and the national summary (deputies/national.py) print the same rows."""
    rows: list[dict[str, object]] = []
    for mandate in composition_on(body=body, day=end):
        present, marked = deputy_attendance(deputy=mandate.deputy, year=year)
        acts = published_activities().filter(deputy=mandate.deputy, date__year=year, date__lte=end)
        rows.append(
            {
                "mandate": mandate,
                "attendance": f"{present}/{marked}" if marked else "—",
                "inquiries": acts.filter(kind=ActivityKind.INQUIRY).count(),
                "receptions": acts.filter(kind=ActivityKind.RECEPTION).count(),
                "stats": response_stats(deputy=mandate.deputy, as_of=end),
            }
        )
    return rows


def render_html(*, body: RepresentativeBody, year: int, language: str, as_of: dt.date) -> str:
    with translation.override(language):
        start, end = year_span(year, as_of)
        rows = deputy_rows(body=body, year=year, end=end)
        sessions = published_sessions().filter(body=body, date__year=year, date__lte=end).order_by("date")
        votes = [(vote, vote_tally(vote)) for session in sessions for vote in session.votes.all()]
        context = {
            "language": language,
            "body": body,
            "year": year,
            "as_of": end,
            "figures": body_year_figures(body=body, year=year, as_of=end),
            "rows": rows,
            "changes": changes_in(body=body, start=start, end=end),
            "sessions": sessions,
            "votes": votes,
            "promises": published_promises().filter(deputy__mandates__convocation__body=body).distinct(),
            "statuses": PromiseStatus,
            **pdf.pdf_context(end),
        }
        return render_to_string("deputies/report.html", context)


def filename(body: RepresentativeBody, year: int) -> str:
    return f"{body.slug}-monitoring-{year}.pdf"


def source(*, body: RepresentativeBody, year: int, language: str) -> pdf_builds.PdfSource:
    """The report's HTML as the data now stand (as of the year's day of reckoning), and its cache key."""
    html = render_html(body=body, year=year, language=language, as_of=default_as_of(year))
    return pdf_builds.PdfSource.of(f"body-{body.pk}", html, what="the monitoring report")


def build(*, body: RepresentativeBody, year: int, language: str) -> str:
    """Render the PDF into the cache (the Celery task's body); returns the key."""
    document = source(body=body, year=year, language=language)
    document.build()
    return document.key


def render(body: RepresentativeBody, year: int, language: str, as_of: dt.date | None = None) -> tuple[str, str, bytes]:
    """The report rendered now, in-process (`manage.py` and the tests): (file name, content type, bytes)."""
    html = render_html(body=body, year=year, language=language, as_of=as_of or default_as_of(year))
    return filename(body, year), PDF_CONTENT_TYPE, pdf.html_to_pdf(html, what="the monitoring report")
