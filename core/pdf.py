"""HTML to PDF with WeasyPrint, done one way for every document the portal prints (the annual report, a meeting's
minutes). Nothing here knows what a document says: each renderer builds its HTML and calls `html_to_pdf`.

The same HTML gives the same bytes, and nothing is fetched from the network:

1. The fonts are local files (DejaVu Sans, which has the Cyrillic and Kazakh letters; Debian's
   `fonts-dejavu-core`, or `REPORT_FONT_DIR`). A template's `@font-face` rules take their addresses from
   `pdf_context(...)["fonts"]`.
2. The PDF's creation and modification dates are the document's own date, never the time of the build: a
   template writes `pdf_context(...)["pdf_date"]` into its `dcterms.created` and `dcterms.modified` meta tags.
3. The URL fetcher serves those font files and refuses every other address, so a link or an image address in
   the data is never fetched.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings

PDF_CONTENT_TYPE = "application/pdf"
# Debian's fonts-dejavu-core; REPORT_FONT_DIR points elsewhere (e.g. another distribution's path).
DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONT_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bold_italic": "DejaVuSans-BoldOblique.ttf",
}


def font_dir() -> Path:
    return Path(getattr(settings, "REPORT_FONT_DIR", "") or DEFAULT_FONT_DIR)


def font_urls() -> dict[str, str]:
    """The font files' `file://` addresses by style: "regular", "bold", "italic", "bold_italic"."""
    return {style: (font_dir() / file).as_uri() for style, file in FONT_FILES.items()}


def pdf_date(day: dt.date) -> str:
    """The document's date as the PDF's creation and modification date (midnight UTC, W3C format)."""
    return f"{day.isoformat()}T00:00:00+00:00"


def pdf_context(day: dt.date) -> dict[str, object]:
    """What a printable template needs besides its data: the font addresses and the fixed PDF date."""
    return {"fonts": font_urls(), "pdf_date": pdf_date(day)}


def _fonts_only_fetcher(what: str) -> Any:  # Any: a WeasyPrint URLFetcher (WeasyPrint has no type information)
    from weasyprint.urls import URLFetcher

    allowed = frozenset(font_urls().values())

    class FontsOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type information
        def fetch(self, url: str, headers: Any = None) -> Any:  # Any: WeasyPrint's untyped signature
            if url not in allowed:
                raise ValueError(f"{what} fetches nothing but its fonts: {url[:200]}")
            return super().fetch(url, headers)

    return FontsOnlyFetcher(allowed_protocols=("file",))


def html_to_pdf(html: str, *, base_url: str | None = None, what: str = "the document") -> bytes:
    """The PDF of a self-contained HTML document (styles inline, charts inline SVG).

    `base_url` resolves relative addresses (default: the font folder); `what` names the document in errors.
    """
    from weasyprint import HTML  # heavy import: only in the processes that render

    missing = [file for file in FONT_FILES.values() if not (font_dir() / file).is_file()]
    if missing:
        # Without its font the PDF would silently lose the Kazakh letters: fail instead.
        raise FileNotFoundError(f"fonts for {what} missing in {font_dir()}: {', '.join(missing)} (fonts-dejavu-core)")
    document = HTML(
        string=html,
        base_url=base_url if base_url is not None else font_dir().as_uri() + "/",
        url_fetcher=_fonts_only_fetcher(what),
    )
    pdf: bytes = document.write_pdf()  # without a target WeasyPrint returns the bytes
    return pdf
