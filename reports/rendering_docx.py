"""The annual report as a Word document (DOCX), for councils that must edit their report before sending it.

The same report as the PDF, not a second one: the DOCX is read from the HTML the PDF is printed from
(`rendering.render_html`: the same context, templates, translations and order), so the two cannot drift apart and
no sentence is written twice. The HTML is the report's own (its data already escaped by the templates); this
module understands the markup those templates write:

- the title in Word's Title style; each part's heading (h2) in Heading 1 and its subheadings (h3) in Heading 2, so
  Word's navigation pane works; the table of contents is a TOC field, marked dirty so that Word offers to update
  it (page numbers included) when the file is opened, and it already lists the parts before that;
- paragraphs; bulleted and numbered lists (each numbered list starts at 1); http(s) links as Word hyperlinks;
- tables as Word tables: the header row repeats on every page, a cell spanning columns is merged, the monitoring
  table keeps the PDF's column widths (`col.c-…` in report.css), scaled to the page;
- the monitoring part on landscape pages, as in the PDF;
- the charts as pictures: PNG drawn from the very SVG the PDF embeds (`core.charts.svg_to_png`), at the PDF's
  width, after their caption, with the chart's title and figures as the picture's alternative text.

Markup it does not know is read as its text, so a template change can lose formatting in the DOCX, never words.

The same build gives the same bytes: the core properties carry the build's stored time (`ReportBuild.created_at`,
as the PDF's creation date does; a preview without a build, the report date) and no tool name, the template's
thumbnail is dropped, and every zip entry gets that time too (python-docx stamps the time of the save;
`_fixed_zip`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from html import unescape as html_unescape
from typing import TYPE_CHECKING

from django.template.loader import get_template
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import html as lxml_html

from core import charts, languages
from councils.models import Council

from .annual import report_date
from .models import ReportFormat
from .rendering import CONTENT_TYPES, render_html, report_filename

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from lxml.html import HtmlElement

    from .models import ReportBuild

    Container = DocxDocument | _Cell  # where blocks go: the document's body or a table cell

DOCX_CONTENT_TYPE = CONTENT_TYPES[ReportFormat.DOCX]
CSS_TEMPLATE = "reports/annual/report.css"
MUTED = RGBColor(0x55, 0x55, 0x55)
LINK = RGBColor(0x1F, 0x4E, 0x79)

BLOCK_TAGS = frozenset({"section", "nav", "div", "p", "h1", "h2", "h3", "ul", "ol", "table", "figure"})
SKIPPED_TAGS = frozenset({"style", "script", "colgroup", "caption"})
# The charts' SVG as the templates wrote it, in document order: lxml's HTML parser lower-cases SVG's attribute
# names (viewBox), so the picture is drawn from the source text, not from the parsed tree.
SVG_SOURCE = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
SVG_DESC = re.compile(r"<desc\b[^>]*>(.*?)</desc>", re.DOTALL)
# report.css: `figure.chart svg { width: 150mm }`, 140 mm on landscape pages.
CHART_WIDTH_MM, CHART_WIDTH_MM_LANDSCAPE = 150, 140
HEADING_STYLES = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2"}
PARAGRAPH_STYLES = {"title-council": "Subtitle"}
# Word's "Table Grid" draws the cell borders the PDF draws; the title page's facts have none there.
BORDERLESS_TABLES = frozenset({"title-facts"})
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # not \s: a no-break space in the data stays one
XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _classes(element: HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def _tag(node: object) -> str:
    tag = getattr(node, "tag", None)
    return tag if isinstance(tag, str) else ""  # comments and processing instructions have no string tag


@dataclass(frozen=True)
class _Format:
    bold: bool = False
    italic: bool = False
    muted: bool = False

    def of(self, element: HtmlElement) -> _Format:
        tag, classes = _tag(element), _classes(element)
        return _Format(
            bold=self.bold or tag in ("strong", "b", "th"),
            italic=self.italic or tag in ("em", "i"),
            muted=self.muted or "muted" in classes,
        )


@dataclass
class _Writer:
    """Walks the report's HTML and writes the Word document, in document order."""

    doc: DocxDocument
    column_widths: dict[str, float]  # mm, by the class of a table's <col>
    charts: list[str] = field(default_factory=list)  # the SVG source of each chart, in document order
    paragraphs: list[Paragraph] = field(default_factory=list)  # every paragraph written, in order
    break_before_next: bool = False
    line_start: bool = True

    # ---- blocks ---------------------------------------------------------------------------------------

    def blocks(self, element: HtmlElement, parent: Container) -> None:
        """The element's children as blocks; loose text and inline elements between blocks make a paragraph."""
        loose: list[HtmlElement | str] = [element.text] if element.text else []
        for child in element:
            if _tag(child) in BLOCK_TAGS:
                self._loose_paragraph(loose, parent)
                self.block(child, parent)
            elif _tag(child):
                loose.append(child)
            if child.tail:
                loose.append(child.tail)
        self._loose_paragraph(loose, parent)

    def block(self, element: HtmlElement, parent: Container) -> None:
        tag, classes = _tag(element), _classes(element)
        if tag in SKIPPED_TAGS:
            return
        if tag == "nav":
            self.table_of_contents(element)
        elif tag == "section" and "landscape" in classes and parent is self.doc:
            self._new_section(landscape=True)
            self.blocks(element, parent)
            self._new_section(landscape=False)
        elif tag in ("section", "div"):
            self.blocks(element, parent)
            if "title-page" in classes:
                self.break_before_next = True
        elif tag in HEADING_STYLES:
            self.inline(element, self.paragraph(parent, HEADING_STYLES[tag]))
        elif tag == "p":
            style = next((PARAGRAPH_STYLES[c] for c in sorted(classes) if c in PARAGRAPH_STYLES), None)
            self.inline(element, self.paragraph(parent, style))
        elif tag in ("ul", "ol"):
            self.list(element, parent, numbered=tag == "ol")
        elif tag == "table":
            self.table(element, parent)
        elif tag == "figure":
            self.figure(element, parent)

    def figure(self, element: HtmlElement, parent: Container) -> None:
        """A chart: its caption, then the picture drawn from the same SVG as the PDF's (one per figure, in order)."""
        caption = element.find("figcaption")
        if caption is not None:
            self.inline(caption, self.paragraph(parent, "Caption"))
            self.paragraphs[-1].paragraph_format.keep_with_next = True
        if not element.findall(".//svg") or not self.charts:
            return
        svg = self.charts.pop(0)
        run = self.paragraph(parent).add_run()
        landscape = self.doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE
        width = Mm(CHART_WIDTH_MM_LANDSCAPE if landscape else CHART_WIDTH_MM)
        run.add_picture(io.BytesIO(charts.svg_to_png(svg)), width=width)
        # The picture's alternative text for screen readers: the chart's title and figures (its <desc>).
        title = HTML_SPACE.sub(" ", caption.text_content()).strip() if caption is not None else ""
        desc = SVG_DESC.search(svg)
        alt = ". ".join(part for part in (title, html_unescape(desc[1]) if desc else "") if part)
        doc_pr = run._r.find(".//" + qn("wp:docPr"))
        doc_pr.set("descr", XML_INVALID.sub("", alt))
        doc_pr.set("title", XML_INVALID.sub("", title))

    def paragraph(self, parent: Container, style: str | None = None) -> Paragraph:
        paragraph = parent.add_paragraph(style=style)
        if self.break_before_next:
            paragraph.paragraph_format.page_break_before = True
            self.break_before_next = False
        self.paragraphs.append(paragraph)
        self.line_start = True
        return paragraph

    def _loose_paragraph(self, nodes: list[HtmlElement | str], parent: Container) -> None:
        if any(not isinstance(node, str) or node.strip() for node in nodes):
            paragraph = self.paragraph(parent)
            for node in nodes:
                if isinstance(node, str):
                    self.text(paragraph, node, _Format())
                else:
                    self.inline(node, paragraph)
            _strip_end(paragraph)
        nodes.clear()

    def list(self, element: HtmlElement, parent: Container, *, numbered: bool) -> None:
        """A bulleted or numbered list. An item made of several blocks (an entry: its title, its text, its links)
        is numbered on its first paragraph; the others continue it, indented."""
        num_id = self._restarted_numbering() if numbered else None
        for item in element:
            if _tag(item) != "li":
                continue
            first = len(self.paragraphs)
            self.blocks(item, parent)
            written = [p for p in self.paragraphs[first:] if p.style is None or p.style.name == "Normal"]
            if not written:
                continue
            head, *rest = written
            head.style = "List Number" if numbered else "List Bullet"
            if num_id is not None:
                num_pr = head._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = num_id
            for paragraph in rest:
                paragraph.style = "List Continue"

    def _restarted_numbering(self) -> int:
        """A new numbering instance of the "List Number" style's list, starting at 1 (every paragraph of that
        style shares one instance otherwise, so the second list of the report would go on from the first)."""
        style_num_id = self.doc.styles["List Number"].element.pPr.numPr.numId.val
        numbering = self.doc.part.numbering_part.element
        abstract_id = numbering.num_having_numId(style_num_id).abstractNumId.val
        num = numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def table(self, element: HtmlElement, parent: Container) -> None:
        """An HTML table as a Word table: its caption before it, thead rows as repeated header rows, colspans
        merged, th in bold, .num right-aligned, the widths of its <col> classes when report.css gives them."""
        caption = element.find("caption")
        if caption is not None:
            self.inline(caption, self.paragraph(parent, "Caption"))
            self.paragraphs[-1].paragraph_format.keep_with_next = True
        rows: list[tuple[HtmlElement, bool]] = []
        for child in element:
            if _tag(child) in ("thead", "tbody", "tfoot"):
                rows += [(tr, _tag(child) == "thead") for tr in child if _tag(tr) == "tr"]
            elif _tag(child) == "tr":
                rows.append((child, False))
        cells_of = [[c for c in tr if _tag(c) in ("td", "th")] for tr, _head in rows]
        columns = max((sum(_span(c) for c in cells) for cells in cells_of), default=0)
        if not columns:
            return
        table = parent.add_table(rows=len(rows), cols=columns)
        if not BORDERLESS_TABLES & _classes(element):
            table.style = "Table Grid"
        for r, ((tr, head), cells) in enumerate(zip(rows, cells_of, strict=True)):
            row_format = _Format(bold="total" in _classes(tr))
            column = 0
            for cell_element in cells:
                span = min(_span(cell_element), columns - column)
                cell = table.cell(r, column)
                if span > 1:
                    cell = cell.merge(table.cell(r, column + span - 1))
                paragraph = cell.paragraphs[0]
                self.line_start = True
                self.inline(cell_element, paragraph, row_format)
                _strip_end(paragraph)
                if "num" in _classes(cell_element):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                column += span
            if head:
                table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        self._set_widths(table, element, parent)

    def _set_widths(self, table: Table, element: HtmlElement, parent: Container) -> None:
        colgroup = element.find("colgroup")
        if colgroup is None or parent is not self.doc:
            return
        widths = [self.column_widths.get(next(iter(sorted(_classes(col))), ""), 0.0) for col in colgroup]
        if not widths or not all(widths) or len(widths) != len(table.columns):
            return
        section = self.doc.sections[-1]
        page = section.page_width - section.left_margin - section.right_margin
        grid = [Length(int(page * w / sum(widths))) for w in widths]
        table.autofit = False
        for column, width in zip(table.columns, grid, strict=True):
            column.width = width
        for tr in table._tbl.tr_lst:
            start = 0
            for tc in tr.tc_lst:
                tc.width = Length(sum(grid[start : start + tc.grid_span]))
                start += tc.grid_span

    def table_of_contents(self, element: HtmlElement) -> None:
        """The contents: its heading, then a TOC field of the Heading 1 paragraphs whose shown result, until Word
        updates it, is the list of the parts."""
        heading = element.find(".//h2")
        if heading is not None:
            self.inline(heading, self.paragraph(self.doc, "TOC Heading"))
        entries = [HTML_SPACE.sub(" ", li.text_content()).strip() for li in element.iter("li")]
        paragraphs = [self.paragraph(self.doc) for _entry in entries or [""]]
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        begin.set(qn("w:dirty"), "true")
        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = ' TOC \\o "1-1" \\h \\z \\u '
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        for part in (begin, instruction, separate):
            paragraphs[0].add_run()._r.append(part)
        for paragraph, entry in zip(paragraphs, entries, strict=False):
            paragraph.add_run(entry)
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        paragraphs[-1].add_run()._r.append(end)
        self.break_before_next = True

    def _new_section(self, *, landscape: bool) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        if (section.orientation == WD_ORIENT.LANDSCAPE) != landscape:
            section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = section.page_height, section.page_width
        self.break_before_next = False  # the section starts a page already

    # ---- inline ---------------------------------------------------------------------------------------

    def inline(self, element: HtmlElement, paragraph: Paragraph, fmt: _Format | None = None) -> None:
        """The element's text and inline children into the paragraph (its tail belongs to its parent)."""
        fmt = (fmt or _Format()).of(element)
        tag = _tag(element)
        if tag == "br":
            paragraph.add_run().add_break()
            self.line_start = True
        elif tag == "a" and (element.get("href") or "").startswith(("http://", "https://")):
            self.hyperlink(paragraph, element.get("href"), element.text_content(), fmt)
        elif tag in SKIPPED_TAGS - {"caption"}:
            pass
        elif "links" in _classes(element):
            # A block of links in the PDF (`.links a { display: block }`): each on its own line here.
            for link in element.iter("a"):
                if not self.line_start:
                    paragraph.add_run().add_break()
                    self.line_start = True
                self.inline(link, paragraph, fmt)
        else:
            if "rec" in _classes(element):
                self.text(paragraph, "→ ", fmt)  # report.css: `.rec::before { content: "→ "; }`
            if element.text:
                self.text(paragraph, element.text, fmt)
            for child in element:
                if _tag(child):
                    self.inline(child, paragraph, fmt)
                if child.tail:
                    self.text(paragraph, child.tail, fmt)
        if tag in HEADING_STYLES or tag == "p":
            _strip_end(paragraph)

    def _clean(self, text: str) -> str:
        """HTML's white space rule: runs of spaces and line ends are one space, none at the start of a line."""
        text = XML_INVALID.sub("", HTML_SPACE.sub(" ", text))
        if self.line_start:
            text = text.lstrip(" ")
        if text:
            self.line_start = text.endswith(" ")
        return text

    def text(self, paragraph: Paragraph, text: str, fmt: _Format) -> None:
        text = self._clean(text)
        if text:
            _format_run(paragraph.add_run(text), fmt)

    def hyperlink(self, paragraph: Paragraph, url: str, label: str, fmt: _Format) -> None:
        """A clickable link (python-docx writes none itself): an external relationship and a w:hyperlink around
        the run. A space before it in the HTML stays a space."""
        label = self._clean(label)
        if not label:
            return
        r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), r_id)
        run = paragraph.add_run(label)
        _format_run(run, fmt)
        run.font.color.rgb = LINK
        run.font.underline = True
        link.append(run._r)  # moves the run from the paragraph into the link
        paragraph._p.append(link)


def _span(cell: HtmlElement) -> int:
    try:
        return max(1, int(cell.get("colspan") or 1))
    except ValueError:
        return 1


def _format_run(run: Run, fmt: _Format) -> None:
    if fmt.bold:
        run.bold = True
    if fmt.italic:
        run.italic = True
    if fmt.muted:
        run.font.color.rgb = MUTED


def _strip_end(paragraph: Paragraph) -> None:
    """Drop the space that closes a paragraph (the HTML's line end before </p>)."""
    texts = list(paragraph._p.iter(qn("w:t")))
    if texts and texts[-1].text:
        texts[-1].text = texts[-1].text.rstrip(" ")


def _column_widths() -> dict[str, float]:
    """`col.c-topic { width: 40mm; }` in report.css → {"c-topic": 40.0}: one place for the monitoring table's
    proportions, in the PDF and here."""
    source = get_template(CSS_TEMPLATE).template.source  # type: ignore[attr-defined]
    return {name: float(mm) for name, mm in re.findall(r"col\.([\w-]+)\s*\{\s*width:\s*([\d.]+)mm", source)}


def _document_moment(day: dt.date, created: dt.datetime | None) -> dt.datetime:
    """The document's time, in UTC to the second: the build's stored time, else midnight of the report date
    (`core.pdf.pdf_context`'s rule, so that the PDF and the DOCX of one build carry the same date)."""
    if created is None:
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return created.astimezone(dt.UTC).replace(microsecond=0)


def _fixed_zip(content: bytes, moment: dt.datetime) -> bytes:
    """The same package with every entry's time set to the document's time (python-docx stamps the time of
    saving). A zip entry's time has no zone and counts in steps of two seconds: UTC, as the core properties."""
    when = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    target = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(target, "w") as fixed:
        for entry in source.infolist():  # in order: [Content_Types].xml stays first
            info = zipfile.ZipInfo(entry.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, wherever it is built
            info.external_attr = 0o644 << 16
            fixed.writestr(info, source.read(entry.filename))
    return target.getvalue()


def html_to_docx(html: str, *, day: dt.date, language: str, created: dt.datetime | None = None) -> bytes:
    """The report's HTML (`render_html`) as DOCX bytes, the same bytes for the same HTML, day and `created`.

    1. Parse the HTML; start from python-docx's template on A4 pages in the build's language (spelling).
    2. Walk the body into paragraphs, lists and tables (`_Writer`).
    3. Core properties from the HTML's title and author, dated `created` (the build's stored time), else the
       report date; drop the template's thumbnail.
    4. Save, and give every zip entry that time.
    """
    root = lxml_html.document_fromstring(html)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = (
        Mm(20),
        Mm(15),
        Mm(20),
        Mm(25),
    )
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if run_defaults is not None:
        lang = run_defaults.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            run_defaults.append(lang)
        lang.set(qn("w:val"), languages.tag(language))

    writer = _Writer(doc=doc, column_widths=_column_widths(), charts=SVG_SOURCE.findall(html))
    writer.blocks(root.body, doc)

    title = root.findtext(".//title") or ""
    author = root.xpath("string(//meta[@name='author']/@content)")
    moment = _document_moment(day, created)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title.strip(), str(author), str(author)
    props.subject = props.keywords = props.category = props.comments = ""
    props.language = languages.tag(language)
    props.created = props.modified = moment
    props.revision = 1
    package = doc.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # a picture of python-docx's sample page, not of this report
            package.rels.pop(r_id)

    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_zip(buffer.getvalue(), moment)


def render_report_docx(
    *, council: Council, year: int, language: str, created: dt.datetime | None = None
) -> tuple[str, str, bytes]:
    """`created` is the build's time, the document's date (the same build gives the same bytes); without it (a
    preview), the report date, as `rendering.render_report`."""
    html = render_html(council=council, year=year, language=language, created=created)
    content = html_to_docx(html, day=report_date(year), language=language, created=created)
    filename = report_filename(council=council, year=year, language=language, format=ReportFormat.DOCX)
    return filename, DOCX_CONTENT_TYPE, content


def render(build: ReportBuild) -> tuple[str, str, bytes]:
    """The DOCX renderer of a report build: (filename, content type, bytes)."""
    # The build's own stored time, as the PDF's renderer: rendering the same build again gives the same bytes.
    return render_report_docx(council=build.council, year=build.year, language=build.language, created=build.created_at)
