"""HTML to PDF with WeasyPrint, done one way for every document the portal prints (the annual report, a meeting's
minutes). Nothing here knows what a document says: each renderer builds its HTML and calls `html_to_pdf`.

The same HTML gives the same bytes, and nothing is fetched from the network:

1. The fonts are local files (DejaVu Sans, which has the Cyrillic and Kazakh letters; Debian's
   `fonts-dejavu-core`, or `REPORT_FONT_DIR`). A template's `@font-face` rules take their addresses from
   `pdf_context(...)["fonts"]`.
2. The PDF's creation and modification dates are given, never read from the clock: the document's own date, or
   the time of the build the caller stored with it (`pdf_context(day, created=...)`); a template writes
   `pdf_context(...)["pdf_date"]` into its `dcterms.created` and `dcterms.modified` meta tags.
3. The URL fetcher serves those font files and refuses every other address, so a link or an image address in
   the data is never fetched.

The PDF is tagged (WeasyPrint's `pdf_tags`): a structure tree of headings (H1, H2…), paragraphs, lists, tables
(Table, TR, TH, TD) and figures in reading order, which screen readers follow; the catalogue has the document's
language (`<html lang>`) and `DisplayDocTitle` (a viewer shows the title, not the file name); an XMP metadata
stream carries the title, the author, the language, the creating tool and the dates (`_add_xmp_metadata`). It is
not labelled PDF/UA-1 (`pdf_variant="pdf/ua-1"`, which WeasyPrint supports): that is a claim of conformance, and no
PDF/UA validator (veraPDF) runs here to back it.
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


def pdf_timestamp(moment: dt.datetime) -> str:
    """A stored moment (a build's time) as the PDF's creation and modification date: UTC, to the second."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def pdf_context(day: dt.date, *, created: dt.datetime | None = None) -> dict[str, object]:
    """What a printable template needs besides its data: the font addresses and the fixed PDF date, which is
    `created` (a build's stored time) when given, else midnight of the document's date."""
    return {"fonts": font_urls(), "pdf_date": pdf_timestamp(created) if created else pdf_date(day)}


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
    pdf: bytes = document.write_pdf(pdf_tags=True, finisher=_add_xmp_metadata)  # bytes without a target
    return pdf


XMP_HEADER = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
XMP_FOOTER = b'</x:xmpmeta>\n<?xpacket end="r"?>'


def _add_xmp_metadata(document: Any, pdf: Any) -> None:
    """The XMP metadata stream (ISO 32000-1, 14.3.2) of a tagged PDF, which WeasyPrint writes only with a PDF/A or
    PDF/UA variant: its own description (title, author as dc:creator, tool, dates, taken from the HTML's `<title>`
    and `<meta>`), plus the language as dc:language. Uncompressed, as PDF/A and PDF/UA want it, so that any tool
    reads it. Nothing random or timed goes in: the same HTML gives the same bytes."""
    from xml.etree.ElementTree import SubElement, fromstring, tostring

    import pydyf
    from weasyprint.pdf.metadata import NS

    metadata = document.metadata
    # WeasyPrint's own RDF of our own metadata, not outside input.
    rdf = fromstring(metadata.generate_rdf_metadata("ua", None, None))  # noqa: S314
    if metadata.lang:
        description = SubElement(rdf, f"{{{NS['rdf']}}}Description", {f"{{{NS['rdf']}}}about": ""})
        bag = SubElement(SubElement(description, f"{{{NS['dc']}}}language"), f"{{{NS['rdf']}}}Bag")
        SubElement(bag, f"{{{NS['rdf']}}}li").text = metadata.lang
    content = b"\n".join((XMP_HEADER, tostring(rdf, encoding="utf-8"), XMP_FOOTER))
    stream = pydyf.Stream([content], {"Type": "/Metadata", "Subtype": "/XML"}, compress=False)
    pdf.add_object(stream)
    pdf.catalog["Metadata"] = stream.reference
