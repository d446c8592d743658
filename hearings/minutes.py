"""The minutes (протокол) of a meeting as PDF, to print, sign and upload back as the signed scan.

One renderer shape (STYLE.md): `render(meeting, ...) -> (filename, content_type, bytes)`. It looks like the annual
report (it reuses `templates/reports/annual/report.css` when present) and is deterministic: the PDF's dates are
the meeting's date, no timestamp is written, and the fonts are local files (DejaVu Sans, which has the Cyrillic
and Kazakh letters), so the same data gives the same bytes and nothing is fetched from the network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Meeting, MeetingKind
from .selectors import Quorum, RollEntry, attendance_roll, meeting_quorum

PDF_CONTENT_TYPE = "application/pdf"
TEMPLATE = "hearings/minutes/minutes.html"
REPORT_CSS = "reports/annual/report.css"
FALLBACK_CSS = "hearings/minutes/minutes.css"
DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONT_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bold_italic": "DejaVuSans-BoldOblique.ttf",
}


def font_dir() -> Path:
    return Path(getattr(settings, "REPORT_FONT_DIR", "") or DEFAULT_FONT_DIR)


def _stylesheet() -> str:
    """The annual report's stylesheet, so that the council's documents look alike; a small A4 one without it."""
    try:
        get_template(REPORT_CSS)
    except TemplateDoesNotExist:
        return FALLBACK_CSS
    return REPORT_CSS


def minutes_title(meeting: Meeting) -> str:
    if meeting.kind == MeetingKind.COUNCIL:
        return _("Minutes of the council meeting of %(date)s") % {"date": f"{meeting.date:%d.%m.%Y}"}
    if meeting.body_id is not None:
        return _("Minutes of the meeting of %(body)s of %(date)s") % {
            "body": meeting.body.name,
            "date": f"{meeting.date:%d.%m.%Y}",
        }
    return _("Minutes: %(kind)s of %(date)s") % {"kind": meeting.get_kind_display(), "date": f"{meeting.date:%d.%m.%Y}"}


def render_html(
    *,
    meeting: Meeting,
    recommendations_by_item: Mapping[int, Sequence[Any]],
    language: str,
    roll: Sequence[RollEntry] | None = None,
) -> str:
    """The minutes as one self-contained HTML document.

    `recommendations_by_item` maps an agenda item's id to the recommendations made on it (read by the caller
    from the monitoring app's selectors: this app does not import monitoring).
    """
    with translation.override(language):
        if roll is None:
            roll = attendance_roll(meeting=meeting)
        quorum: Quorum | None = meeting_quorum(meeting=meeting, roll_size=len(roll))
        items = [
            {"item": item, "recommendations": list(recommendations_by_item.get(item.pk, ()))}
            for item in meeting.agenda_items.all()
        ]
        context = {
            "language": language,
            "meeting": meeting,
            "council": meeting.council,
            "title": minutes_title(meeting),
            "items": items,
            "roll_size": len(roll),
            "quorum": quorum,
            "stylesheet": _stylesheet(),
            "pdf_date": f"{meeting.date.isoformat()}T00:00:00+00:00",
            "fonts": {name: (font_dir() / file).as_uri() for name, file in FONT_FILES.items()},
        }
        return render_to_string(TEMPLATE, context)


def _fonts_only_fetcher() -> Any:
    """WeasyPrint's URL fetcher, limited to the font files: a link in the minutes is never fetched."""
    from weasyprint.urls import URLFetcher

    allowed = frozenset((font_dir() / file).as_uri() for file in FONT_FILES.values())

    class FontsOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in allowed:
                raise ValueError(f"the minutes fetch nothing but their fonts: {url[:200]}")
            return super().fetch(url, headers)

    return FontsOnlyFetcher(allowed_protocols=("file",))


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy import: only where a PDF is rendered

    missing = [file for file in FONT_FILES.values() if not (font_dir() / file).is_file()]
    if missing:
        # Without its font the PDF would silently lose the Kazakh letters: fail instead.
        raise FileNotFoundError(f"fonts missing in {font_dir()}: {', '.join(missing)} (fonts-dejavu-core)")
    return HTML(string=html, base_url=font_dir().as_uri() + "/", url_fetcher=_fonts_only_fetcher()).write_pdf()


def minutes_filename(meeting: Meeting) -> str:
    return f"{meeting.council.slug}-minutes-{meeting.date:%Y-%m-%d}-{meeting.pk}.pdf"


def render(
    meeting: Meeting, *, recommendations_by_item: Mapping[int, Sequence[Any]], language: str | None = None
) -> tuple[str, str, bytes]:
    """The renderer of a meeting's minutes: (filename, content type, bytes)."""
    html = render_html(
        meeting=meeting,
        recommendations_by_item=recommendations_by_item,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
    )
    return minutes_filename(meeting), PDF_CONTENT_TYPE, html_to_pdf(html)
