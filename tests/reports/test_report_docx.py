"""The annual report as a Word document: it opens in python-docx, has the title, the parts as Word headings in
order, a TOC field, the monitoring table as a Word table, the report's figures, the build's language, and the same
bytes for the same data; a DOCX build goes through the build API, the command and the workspace page.

The text checks reuse the PDF tests' expectations (`assert_report_holds`), so both formats say the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile

import pikepdf
import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import include, path, reverse
from django.utils import translation
from django.utils.translation import gettext
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table

from config import urls as project_urls
from councils.models import Council, CouncilStaff, StaffRole
from reports.models import BuildStatus, ReportBuild, ReportFormat
from reports.rendering import EXTRA_SECTIONS, SECTIONS, render_report
from reports.rendering_docx import DOCX_CONTENT_TYPE, render_report_docx
from reports.rendering_docx import render as render_docx
from reports.services import report_build_request, report_build_run, report_publish
from tests.reports.test_annual_report import DEMO_FILE, assert_report_holds
from tests.reports.test_report_accessibility import structure_elements
from tests.reports.yeardata import KAZAKH_TITLE, MONITORING, Expected, make_council_year

# As in test_report_builds.py: the build API under api/v1/ until the lead mounts it in config/urls.py.
urlpatterns = [*project_urls.urlpatterns, path("api/v1/", include("reports.report_api"))]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__), pytest.mark.heavy]

DOCX_CONTENT_TYPE_EXPECTED = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The Almaty 2019 parts, then the news and media part: the demo's monitoring events carry publicity links.
ALMATY_PARTS = [*SECTIONS, *((key, title) for key, title, _figures in EXTRA_SECTIONS if key == "media")]


def open_docx(content: bytes) -> DocxDocument:
    return Document(io.BytesIO(content))


def docx_text(document: DocxDocument) -> str:
    """Every paragraph's text (table cells included, links included), in document order, line breaks as spaces,
    white space collapsed."""
    parts = []
    for paragraph in document.element.body.iter(qn("w:p")):
        parts.append("".join(node.text or " " for node in paragraph.iter(qn("w:t"), qn("w:br"))))
    return re.sub(r"\s+", " ", " ".join(parts))


def headings(document: DocxDocument, style: str = "Heading 1") -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def monitoring_table(document: DocxDocument) -> Table:
    with translation.override("ru"):
        topic = gettext("Topic")
    return next(t for t in document.tables if topic in [c.text for c in t.rows[0].cells])


def monitoring_rows(table: Table) -> list[list[str]]:
    """The event rows: those whose first cell is «N.» (month rows and the total span the whole table)."""
    rows = []
    for tr in table._tbl.tr_lst:
        cells = ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.tc_lst]
        if len(cells) == 7 and re.fullmatch(r"\d+\.", cells[0]):
            rows.append(cells)
    return rows


@pytest.fixture
def almaty(personas) -> tuple[Council, Expected]:
    return personas.council, make_council_year(personas.council)


@pytest.fixture
def almaty_docx(almaty) -> bytes:
    council, _expected = almaty
    filename, content_type, content = render_report_docx(council=council, year=2019, language="ru")
    assert filename == "almaty-annual-report-2019-ru.docx"
    assert content_type == DOCX_CONTENT_TYPE == DOCX_CONTENT_TYPE_EXPECTED
    return content


# ---- the document ----------------------------------------------------------------------------------------


def test_the_docx_has_the_title_every_part_as_a_heading_in_order_and_the_figures(almaty, almaty_docx):
    council, expected = almaty
    document = open_docx(almaty_docx)
    with translation.override("ru"):
        title = gettext("Report on the work of %(council)s (%(convocation)s) for %(year)s") % {
            "council": "Общественного совета города Алматы",
            "convocation": "II состав",
            "year": 2019,
        }
        parts = [f"{n}. {title}" for n, (_key, title) in enumerate(ALMATY_PARTS, 1)]
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == [title]
    assert headings(document) == parts  # Heading 1: Word's navigation pane and TOC field see them
    with translation.override("ru"):
        assert gettext("Presidium meetings") in headings(document, "Heading 2")
    assert document.core_properties.title == title
    assert_report_holds(docx_text(document), council, expected, [row[1] for row in MONITORING])
    assert KAZAKH_TITLE in docx_text(document)


def test_the_contents_is_a_toc_field_word_updates_listing_the_parts(almaty_docx):
    document = open_docx(almaty_docx)
    instructions = [node.text for node in document.element.body.iter(qn("w:instrText"))]
    assert any(text.strip().startswith("TOC ") for text in instructions), instructions
    begin = next(document.element.body.iter(qn("w:fldChar")))
    assert begin.get(qn("w:fldCharType")) == "begin" and begin.get(qn("w:dirty")) == "true"
    with translation.override("ru"):
        assert headings(document, "TOC Heading") == [gettext("Contents")]


def test_the_monitoring_table_is_a_word_table_with_a_row_per_event_on_landscape_pages(almaty, almaty_docx):
    document = open_docx(almaty_docx)
    table = monitoring_table(document)
    rows = monitoring_rows(table)
    assert [row[2] for row in rows] == [topic for _month, topic, *_rest in MONITORING]
    assert table._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None  # the header repeats on every page
    # The month rows span the table: one merged cell.
    with translation.override("ru"):
        april = str(translation.gettext("April"))
    month_rows = [tr for tr in table._tbl.tr_lst if len(tr.tc_lst) == 1 and april in "".join(tr.itertext())]
    assert month_rows and month_rows[0].tc_lst[0].grid_span == 7
    orientations = [section.page_width > section.page_height for section in document.sections]
    assert orientations == [False, True, False]


def test_links_are_word_hyperlinks(almaty_docx):
    document = open_docx(almaty_docx)
    targets = {rel.target_ref for rel in document.part.rels.values() if rel.is_external}
    assert "http://almatykenes.kz/" in targets
    assert "https://www.zakon.kz/4977479-zhivotnyh-s-ruk-bez-dokumentov.html?fbclid=IwAR01zYojNsKZg" in targets
    assert next(document.element.body.iter(qn("w:hyperlink")), None) is not None


def test_each_numbered_list_starts_at_one(almaty_docx):
    document = open_docx(almaty_docx)
    num_ids = {
        p._p.pPr.numPr.numId.val
        for p in document.paragraphs
        if p.style.name == "List Number" and p._p.pPr is not None and p._p.pPr.numPr is not None
    }
    assert len(num_ids) > 1  # a numbering instance per list
    numbering = document.part.numbering_part.element
    for num_id in num_ids:
        override = numbering.num_having_numId(num_id).lvlOverride_lst[0]
        assert override.startOverride.val == 1


def test_the_same_data_gives_the_same_docx_bytes_dated_the_report_date(almaty, almaty_docx):
    council, _expected = almaty
    again = render_report_docx(council=council, year=2019, language="ru")[2]
    assert again == almaty_docx
    document = open_docx(almaty_docx)
    assert document.core_properties.created.date().isoformat() == "2019-12-31"
    assert document.core_properties.modified.date().isoformat() == "2019-12-31"
    assert "python-docx" not in (document.core_properties.last_modified_by, document.core_properties.author)
    with zipfile.ZipFile(io.BytesIO(almaty_docx)) as package:
        assert {info.date_time for info in package.infolist()} == {(2019, 12, 31, 0, 0, 0)}
        assert package.namelist()[0] == "[Content_Types].xml"
        assert "docProps/thumbnail.jpeg" not in package.namelist()


def test_a_docx_build_is_dated_the_builds_time_as_its_pdf_is_and_the_same_build_gives_the_same_bytes(almaty):
    council, _expected = almaty
    built_at = dt.datetime(2020, 2, 14, 9, 30, 15, 123456, tzinfo=dt.UTC)
    docx = report_build_request(council=council, year=2019, language="ru", format=ReportFormat.DOCX, dispatch=False)
    pdf = report_build_request(council=council, year=2019, language="ru", dispatch=False)
    ReportBuild.objects.filter(pk__in=[docx.pk, pdf.pk]).update(created_at=built_at)
    assert report_build_run(build_id=docx.pk) and report_build_run(build_id=pdf.pk)
    docx.refresh_from_db()
    pdf.refresh_from_db()
    stored = docx.file.read()

    properties = open_docx(stored).core_properties
    assert properties.created == properties.modified == built_at.replace(microsecond=0)
    with pikepdf.open(io.BytesIO(pdf.file.read())) as printed:
        assert str(printed.docinfo.CreationDate) == "D:20200214093015+00'00"  # the PDF of the same build
    with zipfile.ZipFile(io.BytesIO(stored)) as package:
        # A zip entry's time counts in steps of two seconds.
        assert {info.date_time for info in package.infolist()} == {(2020, 2, 14, 9, 30, 14)}
    assert render_docx(docx)[2] == stored  # rendering the same build again: the same bytes
    docx.created_at += dt.timedelta(hours=1)
    later = open_docx(render_docx(docx)[2]).core_properties
    assert later.created == dt.datetime(2020, 2, 14, 10, 30, 15, tzinfo=dt.UTC)


def test_the_docx_has_a_picture_for_each_chart_of_the_pdf(almaty, almaty_docx):
    council, _expected = almaty
    pdf = render_report(council=council, year=2019, language="ru")[2]
    with pikepdf.open(io.BytesIO(pdf)) as tagged:
        pdf_charts = sorted(str(figure.Alt) for figure in structure_elements(tagged, "/Figure"))
    assert len(pdf_charts) == 4  # appeals by month and by category, monitoring by month, recommendations
    document = open_docx(almaty_docx)
    shapes = document.inline_shapes
    assert len(shapes) == len(pdf_charts)
    # Each picture is the chart its PDF twin is: the same title, as the picture's alternative text with figures.
    assert sorted(shape._inline.docPr.get("title") for shape in shapes) == pdf_charts
    for shape in shapes:
        assert re.search(r": \d+", shape._inline.docPr.get("descr"))
        assert Mm(139) < shape.width < Mm(151)
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        image = document.part.related_parts[blip.embed].image
        assert image.content_type == "image/png" and image.px_width >= 2 * 400
    # The figures are among the part they belong to: a caption paragraph before each picture.
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert set(pdf_charts) <= set(captions)


def test_a_kazakh_build_has_kazakh_headings(almaty):
    council, _expected = almaty
    document = open_docx(render_report_docx(council=council, year=2019, language="kk")[2])
    with translation.override("kk"):
        kazakh = [f"{n}. {title}" for n, (_key, title) in enumerate(ALMATY_PARTS, 1)]
    with translation.override("en"):
        english = [f"{n}. {title}" for n, (_key, title) in enumerate(ALMATY_PARTS, 1)]
    assert headings(document) == kazakh
    assert kazakh != english
    styles = document.styles.element
    assert (
        styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val"))
        == "kk-KZ"
    )


def test_data_cannot_break_the_document(personas):
    """Markup in the data stays text; a control character (not allowed in XML) is dropped, not an error."""
    council = personas.council
    make_council_year(council)
    from monitoring.models import MonitoringEvent

    MonitoringEvent.objects.filter(council=council, date__month=4).update(topic="<b>Тема</b>\x0bконтроль")
    document = open_docx(render_report_docx(council=council, year=2019, language="ru")[2])
    assert "<b>Тема</b>контроль" in [row[2] for row in monitoring_rows(monitoring_table(document))]


@pytest.mark.skipif(not DEMO_FILE.exists(), reason="demo/almaty_2019.json is not written yet")
def test_the_almaty_2019_demo_gives_the_almaty_report_as_docx():
    call_command("load_demo")
    demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    council = Council.objects.get(slug=demo["council"]["slug"])
    document = open_docx(render_report_docx(council=council, year=2019, language="ru")[2])
    topics = [event["topic"] for event in demo["monitoring"]]
    rows = monitoring_rows(monitoring_table(document))
    assert len(rows) == 18
    assert [row[2] for row in rows] == topics
    # The figures of DOMAIN.md: 37 members, 17 council meetings, 18 monitoring events, 89 drafts, 764 appeals...
    assert_report_holds(docx_text(document), council, Expected(), topics)


# ---- builds ---------------------------------------------------------------------------------------------


@pytest.fixture
def chair(personas) -> User:
    user = User.objects.create_user(username="chair", password="not-a-real-password")
    CouncilStaff.objects.create(user=user, council=personas.council, role=StaffRole.CHAIR)
    return user


def post_build(personas, user, **data):
    return personas.client_for(user).post(
        f"/api/v1/councils/{personas.council.slug}/reports/", {"year": 2019, **data}, content_type="application/json"
    )


def test_a_docx_build_through_the_api_is_built_and_downloaded_as_docx(personas, django_capture_on_commit_callbacks):
    """End to end in eager mode: the API records a DOCX build, the outbox hands it to the task, the task renders
    the Word document, the download serves it as DOCX."""
    make_council_year(personas.council)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_build(personas, personas.secretary, format="docx")
    assert response.status_code == 202
    assert response.json()["format"] == "docx"
    build = ReportBuild.objects.get()
    assert build.format == ReportFormat.DOCX and build.status == BuildStatus.DONE
    assert build.file.name.endswith(".docx")
    status = personas.client_for(personas.secretary).get(response.json()["url"]).json()
    assert status["status"] == "done" and status["format"] == "docx"
    download = personas.client_for(personas.secretary).get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == DOCX_CONTENT_TYPE_EXPECTED
    assert 'filename="almaty-annual-report-2019-ru.docx"' in download["Content-Disposition"]
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == build.content_hash
    with translation.override("ru"):
        assert headings(open_docx(content))[7] == f"8. {SECTIONS[7][1]}"


def test_the_api_builds_a_pdf_when_no_format_is_given(personas):
    response = post_build(personas, personas.secretary)
    assert response.status_code == 202
    assert response.json()["format"] == "pdf"
    assert ReportBuild.objects.get().format == ReportFormat.PDF


def test_the_api_refuses_an_unknown_format_with_400_naming_the_field(personas):
    response = post_build(personas, personas.secretary, format="xls")
    assert response.status_code == 400
    assert "format" in response.json()
    assert "xls" in response.json()["format"][0]
    assert not ReportBuild.objects.exists()


def test_another_councils_secretary_can_neither_request_nor_download_a_docx(personas):
    assert post_build(personas, personas.other_secretary, format="docx").status_code == 404
    build = report_build_request(council=personas.council, year=2019, format=ReportFormat.DOCX, dispatch=False)
    report_build_run(build_id=build.pk)
    url = reverse("report_builds:build-download", args=[build.pk])
    assert personas.client_for(personas.other_secretary).get(url).status_code == 404
    assert personas.client_for(None).get(url).status_code == 404
    assert personas.client_for(personas.member).get(url).status_code == 200  # the council's own staff read it


def test_the_service_refuses_an_unknown_format(personas):
    with pytest.raises(ValidationError) as refused:
        report_build_request(council=personas.council, year=2019, format="xls", dispatch=False)
    assert "format" in refused.value.message_dict


def test_a_docx_build_is_never_published(personas, chair):
    build = report_build_request(council=personas.council, year=2019, format=ReportFormat.DOCX, dispatch=False)
    report_build_run(build_id=build.pk)
    with pytest.raises(ValidationError):
        report_publish(build=build, by=chair)
    assert personas.client_for(chair).post(reverse("report_builds:build-publish", args=[build.pk])).status_code == 409
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportBuild.objects.filter(pk=build.pk).update(is_published=True)  # the database refuses it too


def test_the_command_builds_a_docx(personas, tmp_path):
    make_council_year(personas.council)
    output = tmp_path / "almaty.docx"
    call_command("build_report", "almaty", "2019", "--format", "docx", "-o", str(output))
    build = ReportBuild.objects.get()
    assert build.format == ReportFormat.DOCX and build.status == BuildStatus.DONE
    assert hashlib.sha256(output.read_bytes()).hexdigest() == build.content_hash
    assert (
        output.read_bytes()
        == render_report_docx(council=personas.council, year=2019, language="ru", created=build.created_at)[2]
    )


# ---- workspace ------------------------------------------------------------------------------------------


def test_staff_request_a_docx_build_from_the_workspace_and_get_a_docx_link(personas, chair):
    client = personas.client_for(personas.secretary)
    page = reverse("reports_ws:builds", args=[personas.council.slug])
    assert 'name="format"' in client.get(page).content.decode()
    response = client.post(
        reverse("reports_ws:build_request", args=[personas.council.slug]),
        {"year": 2019, "language": "ru", "format": "docx"},
    )
    assert response.status_code == 302
    build = ReportBuild.objects.get()
    assert build.format == ReportFormat.DOCX
    report_build_run(build_id=build.pk)
    html = personas.client_for(chair).get(page).content.decode()
    with translation.override("ru"):
        assert gettext("Download DOCX") in html
        assert gettext("Download PDF") not in html
    publish = reverse("reports_ws:build_publish", args=[personas.council.slug, build.pk])
    assert publish not in html  # no publish button for a Word build


def test_the_workspace_refuses_an_unknown_format(personas):
    response = personas.client_for(personas.secretary).post(
        reverse("reports_ws:build_request", args=[personas.council.slug]),
        {"year": 2019, "language": "ru", "format": "xls"},
    )
    assert response.status_code == 400
    assert not ReportBuild.objects.exists()
