"""The annual report PDF: every part of the Almaty 2019 report, its figures, the monitoring table, Kazakh
letters, clickable links, the same bytes for the same data, and a query count that does not grow with the data.

Expected sentences are built from the same msgids through gettext, so the tests hold before and after the
Russian catalogue is translated.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext, ngettext
from pypdf import PdfReader

from councils.models import Council
from monitoring.models import MonitoringEvent
from reports.annual import annual_report_context, genitive_ru, month_list, month_name
from reports.rendering import SECTIONS, render_html, render_report
from tests.reports.yeardata import KAZAKH_LETTERS, KAZAKH_TITLE, MONITORING, Expected, make_council_year

pytestmark = [pytest.mark.django_db, pytest.mark.heavy]

DEMO_FILE = Path(settings.BASE_DIR) / "demo" / "almaty_2019.json"
ARTIFACTS = Path(settings.BASE_DIR) / "tests" / "artifacts"
DOCS_IMG = Path(settings.BASE_DIR) / "docs" / "img"


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with every run of white space made one space (table cells wrap their lines)."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def pdf_links(pdf: bytes) -> set[str]:
    links = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and action.get("/URI"):
                links.add(str(action["/URI"]))
    return links


def t(msgid: str, **values) -> str:
    """A sentence of the report as the Russian reader sees it."""
    with translation.override("ru"):
        return gettext(msgid) % values if values else gettext(msgid)


def expected_sentences(e: Expected) -> list[str]:
    with translation.override("ru"):
        presidium_months = month_list([4, 5, 10, 11])
        total = ngettext("Total: %(counter)s event", "Total: %(counter)s events", e.monitoring) % {
            "counter": e.monitoring
        }
    share = round(100 * e.individuals / e.appeals)
    return [
        t(
            "Members on %(date)s: %(total)s, of whom representatives of state bodies: %(state)s, "
            "representatives of civil society: %(civil)s.",
            date="31.12.2019",
            total=e.members,
            state=e.state,
            civil=e.civil,
        ),
        t("Commissions: %(n)s.", n=e.commissions),
        t("Council meetings held: %(n)s. Questions discussed:", n=e.council_meetings),
        t(
            "Presidium meetings held: %(n)s (%(months)s). Questions discussed:",
            n=e.presidium_meetings,
            months=presidium_months,
        ),
        t("Public hearings held: %(n)s.", n=e.hearings),
        t("Public monitoring events held: %(n)s.", n=e.monitoring),
        total,
        t(
            "Draft regulations reviewed in %(year)s: %(reviewed)s; approved: %(approved)s, of them with remarks: "
            "%(remarks)s; rejected: %(rejected)s.",
            year=2019,
            reviewed=e.drafts,
            approved=e.drafts_approved,
            remarks=e.drafts_with_remarks,
            rejected=0,
        ),
        t("Citizens' appeals received in %(year)s: %(total)s, of them:", year=2019, total=e.appeals),
        t("from individuals: %(n)s (%(share)s%%)", n=e.individuals, share=share),
        t("from legal entities: %(n)s (%(share)s%%)", n=e.legal_entities, share=100 - share),
        t("Seminars held: %(n)s.", n=e.seminars),
        t("Round tables held: %(n)s.", n=e.round_tables),
        t("Memoranda signed: %(n)s.", n=e.memoranda),
    ]


def assert_report_holds(text: str, council: Council, e: Expected, topics: list[str]) -> None:
    with translation.override("ru"):
        for number, (_key, title) in enumerate(SECTIONS, 1):
            assert f"{number}. {title}" in text, f"section {number} heading missing"
        # The first row of each month carries the month's count (compared without spaces: a narrow cell may
        # break a long word); the report is one council's, so no column repeats its name.
        squeezed = text.replace(" ", "")
        for month, count in e.monitoring_by_month:
            row = f"{month_name(month)}1.{count}"
            assert re.search(rf"{re.escape(row)}\D", squeezed), month_name(month)
    for sentence in expected_sentences(e):
        assert sentence in text, sentence
    for topic in topics:
        assert topic in text, topic


@pytest.mark.parametrize(
    "name, genitive",
    [
        ("Общественный совет города Алматы", "Общественного совета города Алматы"),
        ("Карагандинский областной общественный совет", "Карагандинского областного общественного совета"),
        ("Орхус-центр Атырау", "Орхус-центра Атырау"),
        ("ОС г. Алматы", "ОС г. Алматы"),
        ("Aarhus Centre", "Aarhus Centre"),
    ],
)
def test_the_title_declines_the_council_name_in_russian(name, genitive):
    assert genitive_ru(name) == genitive


@pytest.fixture
def almaty(personas) -> tuple[Council, Expected]:
    return personas.council, make_council_year(personas.council)


@pytest.fixture
def almaty_pdf(almaty) -> bytes:
    council, _expected = almaty
    return render_report(council=council, year=2019, language="ru")[2]


def test_the_report_has_every_part_figure_and_monitoring_topic(almaty, almaty_pdf):
    council, expected = almaty
    assert almaty_pdf.startswith(b"%PDF-")
    text = pdf_text(almaty_pdf)
    assert_report_holds(text, council, expected, [row[1] for row in MONITORING])
    # The title is made from the council, the convocation and the year.
    with translation.override("ru"):
        title = gettext("Report on the work of %(council)s (%(convocation)s) for %(year)s") % {
            "council": "Общественного совета города Алматы",
            "convocation": "II состав",
            "year": 2019,
        }
    assert title in text


def test_the_parts_come_in_the_order_of_the_almaty_report(almaty_pdf):
    text = pdf_text(almaty_pdf)
    with translation.override("ru"):
        headings = [f"{n}. {title}" for n, (_key, title) in enumerate(SECTIONS, 1)]
    # After the table of contents, each heading starts its part, in order.
    body = text[text.index(headings[-1]) + len(headings[-1]) :]
    positions = [body.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_kazakh_letters_survive_text_extraction(almaty_pdf):
    text = pdf_text(almaty_pdf)
    assert KAZAKH_TITLE in text
    for letter in KAZAKH_LETTERS.split():
        assert letter in text, letter


def test_the_font_is_embedded_dejavu_sans(almaty_pdf):
    reader = PdfReader(io.BytesIO(almaty_pdf))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert fonts and all("DejaVu" in name for name in fonts), fonts


def test_links_are_clickable_annotations(almaty_pdf):
    links = pdf_links(almaty_pdf)
    assert "http://almatykenes.kz/" in links
    assert "https://www.facebook.com/almatykenes/" in links
    # The printed label is short; the link keeps the whole address.
    assert "https://www.zakon.kz/4977479-zhivotnyh-s-ruk-bez-dokumentov.html?fbclid=IwAR01zYojNsKZg" in links


def test_the_table_of_contents_gives_page_numbers(almaty_pdf):
    text = pdf_text(almaty_pdf)
    with translation.override("ru"):
        heading = f"8. {SECTIONS[7][1]}"
    page = re.search(rf"{re.escape(heading)} \.+ ?(\d+)", text)
    assert page is not None
    reader = PdfReader(io.BytesIO(almaty_pdf))
    assert heading in reader.pages[int(page[1]) - 1].extract_text().replace("\n", " ")


def test_the_same_data_gives_the_same_bytes(almaty):
    council, _expected = almaty
    built_at = dt.datetime(2020, 1, 20, 8, 0, tzinfo=dt.UTC)  # the build's stored time
    first = render_report(council=council, year=2019, language="ru", created=built_at)
    second = render_report(council=council, year=2019, language="ru", created=built_at)
    assert first == second
    reader = PdfReader(io.BytesIO(first[2]))
    assert reader.metadata["/CreationDate"].startswith("D:20200120080000")


def test_the_report_is_translated_into_the_build_language(almaty):
    council, _expected = almaty
    text = pdf_text(render_report(council=council, year=2019, language="en")[2])
    # The council has no English name: the title leaves it out rather than mixing in the Russian one.
    assert "Report on the work of the public council for 2019" in text
    assert "8. Public monitoring" in text
    kazakh = pdf_text(render_report(council=council, year=2019, language="kk")[2])
    with translation.override("kk"):
        assert month_name(4) in kazakh  # «Сәуір»: the monitoring table's months in Kazakh


def test_data_cannot_inject_markup_or_fetch_urls(personas):
    council = personas.council
    make_council_year(council)
    MonitoringEvent.objects.filter(council=council, date__month=4).update(
        topic='<img src="http://127.0.0.1:9/x.png"><script>alert(1)</script>Тема'
    )
    html = render_html(council=council, year=2019, language="ru")
    assert "<script>" not in html and '<img src="http' not in html
    assert "&lt;script&gt;" in html
    assert render_report(council=council, year=2019, language="ru")[2].startswith(b"%PDF-")


def test_gathering_the_data_costs_the_same_queries_for_three_times_the_data(personas):
    small, large = personas.council, personas.other_council
    make_council_year(small)
    make_council_year(large, scale=3)

    def queries(council: Council) -> int:
        with translation.override("ru"), CaptureQueriesContext(connection) as captured:
            annual_report_context(council=council, year=2019)
        return len(captured)

    small_count, large_count = queries(small), queries(large)
    assert small_count == large_count
    # 30 for the Almaty 2019 parts; the work plan's execution (its items in the figures and in part 12) and the
    # memoranda's parties and commitments read six more, the library, consultation and training parts six more,
    # the appeals by category and district, the receptions and the members' attendance (issue 19) ten more, the
    # information requests' table by holder one more; the news and media part five more (the news by kind, their
    # publications in the media and the monitoring events' publicity links in the figures; the year's items and
    # their publications in the list).
    assert small_count <= 58


@pytest.mark.skipif(not DEMO_FILE.exists(), reason="demo/almaty_2019.json is not written yet")
def test_the_almaty_2019_demo_gives_the_almaty_report():
    call_command("load_demo")
    demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    council = Council.objects.get(slug=demo["council"]["slug"])
    _name, content_type, pdf = render_report(council=council, year=2019, language="ru")
    assert content_type == "application/pdf"
    topics = [event["topic"] for event in demo["monitoring"]]
    assert len(topics) == 18
    assert_report_holds(pdf_text(pdf), council, Expected(), topics)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "almaty-2019.pdf").write_bytes(pdf)
    _snapshots(pdf)


def _snapshots(pdf: bytes) -> None:
    """PNGs of the title page, the monitoring table and a chart page, for a person to look at (and, small, for
    the README). Skipped quietly without poppler-utils."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return
    source = ARTIFACTS / "almaty-2019.pdf"
    reader = PdfReader(io.BytesIO(pdf))
    with translation.override("ru"):
        monitoring = f"8. {SECTIONS[7][1]}"
        chart = gettext("Citizens' appeals by category, %(year)s") % {"year": 2019}
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in reader.pages]
    monitoring_page = next(i for i, p in enumerate(pages) if monitoring in p and i > 1) + 1
    chart_page = next(i for i, p in enumerate(pages) if chart in p) + 1

    def png(page: int, name: str, dpi: int) -> Path:
        prefix = ARTIFACTS / name
        subprocess.run(  # noqa: S603 - fixed arguments
            [pdftoppm, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", source, prefix],
            check=True,
        )
        return prefix.with_suffix(".png")

    png(1, "report-page-1", 100)
    png(monitoring_page, "report-monitoring", 100)
    png(monitoring_page + 1, "report-monitoring-2", 100)
    png(chart_page, "report-charts", 100)
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    for page, name in ((1, "report-title"), (chart_page, "report-chart")):
        thumbnail = png(page, f"thumb-{name}", 60)
        if thumbnail.stat().st_size < 200_000:
            shutil.copyfile(thumbnail, DOCS_IMG / f"{name}.png")
