"""The report PDF is tagged for screen readers and carries its own metadata, read back with pikepdf (qpdf's
library) and checked with `qpdf --check`: a structure tree with headings and tables, the document's language,
the title shown by the viewer, XMP metadata, the build's time as its date, and a title in one language."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from collections import Counter

import pikepdf
import pytest
from django.utils import timezone

from councils.models import Convocation, Council
from reports.models import ReportBuild
from reports.rendering import render, render_report
from reports.services import report_build_request, report_build_run
from tests.reports.yeardata import make_council_year

pytestmark = [pytest.mark.django_db, pytest.mark.heavy]

BUILT_AT = dt.datetime(2020, 2, 14, 9, 30, 15, tzinfo=dt.UTC)
XMP_DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture
def council(personas) -> Council:
    make_council_year(personas.council)
    return personas.council


def structure_elements(pdf: pikepdf.Pdf, kind: str | None = None) -> list[pikepdf.Dictionary]:
    """The structure tree's elements in reading order (of one type, e.g. "/Figure", when `kind` is given)."""
    found: list[pikepdf.Dictionary] = []
    seen: set[tuple[int, int]] = set()

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
            return
        if not isinstance(node, pikepdf.Dictionary):
            return  # a marked-content id (an integer) on a page
        if node.is_indirect:
            if node.objgen in seen:
                return
            seen.add(node.objgen)
        if "/S" in node and (kind is None or str(node.S) == kind):
            found.append(node)
        if "/K" in node:
            walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return found


def _structure_types(pdf: pikepdf.Pdf) -> Counter[str]:
    """How many structure elements of each type (/H1, /Table, /TD…) the structure tree holds."""
    return Counter(str(element.S) for element in structure_elements(pdf))


def _open(content: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(content))


def test_the_report_has_a_structure_tree_with_headings_and_tables(council):
    content = render_report(council=council, year=2019, language="ru", created=BUILT_AT)[2]
    with _open(content) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked is True
        types = _structure_types(pdf)
    assert types["/H1"] == 1  # the title
    assert types["/H2"] >= 11  # the contents and the eleven parts
    assert types["/Table"] >= 3 and types["/TR"] > types["/Table"]
    assert types["/TH"] and types["/TD"]
    assert types["/P"] and types["/L"] and types["/LI"]
    assert types["/Figure"]  # the charts


@pytest.mark.parametrize(("language", "lang"), [("ru", "ru"), ("kk", "kk"), ("en", "en")])
def test_the_catalogue_has_the_language_and_the_viewer_shows_the_title(council, language, lang):
    content = render_report(council=council, year=2019, language=language, created=BUILT_AT)[2]
    with _open(content) as pdf:
        assert str(pdf.Root.Lang) == lang
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        title = str(pdf.docinfo.Title)
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == title
            assert xmp["dc:language"] == {lang}
            assert xmp["dc:creator"]
            assert xmp["xmp:CreatorTool"] == "Oversight"
            assert xmp["xmp:CreateDate"] == "2020-02-14T09:30:15+00:00"
    assert "2019" in title


def test_the_english_title_uses_the_english_names_and_no_russian(council):
    Council.objects.filter(pk=council.pk).update(name_en="Public Council of Almaty")
    Convocation.objects.filter(council=council).update(name_en="2nd convocation")
    council.refresh_from_db()
    with _open(render_report(council=council, year=2019, language="en", created=BUILT_AT)[2]) as pdf:
        assert str(pdf.docinfo.Title) == "Report on the work of Public Council of Almaty (2nd convocation) for 2019"
    with _open(render_report(council=council, year=2019, language="ru", created=BUILT_AT)[2]) as pdf:
        assert str(pdf.docinfo.Title) == "Отчёт о работе Общественного совета города Алматы (II состав) за 2019 г."


def test_an_english_title_leaves_out_a_name_given_only_in_russian(council):
    with _open(render_report(council=council, year=2019, language="en", created=BUILT_AT)[2]) as pdf:
        title = str(pdf.docinfo.Title)
    assert title == "Report on the work of the public council for 2019"
    assert not any("а" <= letter.lower() <= "я" for letter in title)


def test_the_creation_date_is_the_builds_time_and_the_same_build_gives_the_same_bytes(council):
    build = report_build_request(council=council, year=2019, language="ru", dispatch=False)
    ReportBuild.objects.filter(pk=build.pk).update(created_at=BUILT_AT)
    assert report_build_run(build_id=build.pk)
    build.refresh_from_db()
    stored = build.file.read()
    with _open(stored) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20200214093015+00'00"
        assert str(pdf.docinfo.ModDate) == "D:20200214093015+00'00"
    assert render(build)[2] == stored  # rendering the same build again: the same bytes


def test_a_build_is_dated_when_it_was_requested_not_at_the_end_of_the_year(council):
    before = timezone.now().replace(microsecond=0)
    build = report_build_request(council=council, year=2019, language="ru", dispatch=False)
    assert report_build_run(build_id=build.pk)
    build.refresh_from_db()
    with _open(build.file.read()) as pdf:
        created = str(pdf.docinfo.CreationDate)
    assert not created.startswith("D:20191231")
    assert created[2:16] >= before.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S")


@pytest.mark.parametrize("language", ["ru", "en"])
def test_qpdf_finds_the_report_sound(council, tmp_path, language):
    assert shutil.which("qpdf"), "qpdf is missing: scripts/setup.sh --test installs it (Debian package qpdf)"
    path = tmp_path / "report.pdf"
    path.write_bytes(render_report(council=council, year=2019, language=language, created=BUILT_AT)[2])
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, check=False)  # noqa: S603, S607
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout
