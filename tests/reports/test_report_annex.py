"""The annual report's bound: long lists move to annexes above the council's threshold (reports/annual.py), in the
PDF and the DOCX alike; a build over its memory budget fails with advice, and the worker lives on."""

from __future__ import annotations

import resource

import pytest
from django.utils import translation
from django.utils.translation import gettext

from core.memory import MEGABYTE
from reports.annual import annual_report_context
from reports.models import BuildStatus, ReportBuild
from reports.rendering import SECTIONS, render_html, render_report
from reports.rendering_docx import render_report_docx
from reports.services import report_build_request
from reports.tasks import build_report
from tests.reports.test_annual_report import pdf_text
from tests.reports.test_report_docx import docx_text, open_docx
from tests.reports.yeardata import MONITORING, make_council_year

pytestmark = [pytest.mark.django_db, pytest.mark.heavy]

TOPICS = [row[1] for row in MONITORING]


@pytest.fixture
def almaty(personas):
    make_council_year(personas.council)  # 18 monitoring events, 17 council meetings, …
    return personas.council


def annex_heading(number: int, title: str) -> str:
    with translation.override("ru"):
        return gettext("Annex %(number)s. %(title)s") % {"number": number, "title": title}


def test_under_the_threshold_every_list_stays_in_its_part(almaty):
    html = render_html(council=almaty, year=2019, language="ru")
    assert 'class="section annex' not in html
    assert all(topic in html for topic in TOPICS)


def test_a_list_over_the_threshold_moves_to_an_annex_with_a_pointer_and_month_table(almaty):
    almaty.report_annex_threshold = 17  # the 18 monitoring events go; shorter lists stay
    almaty.save()
    html = render_html(council=almaty, year=2019, language="ru")
    annex_start = html.index('class="section annex')
    # The monitoring part keeps its figures by month and points to the annex; the events are in the annex only.
    main, annex = html[:annex_start], html[annex_start:]
    assert not any(topic in main for topic in TOPICS)
    assert all(topic in annex for topic in TOPICS)
    assert 'href="#annex-1"' in main and 'id="annex-1"' in annex
    with translation.override("ru"):
        assert gettext("Events") in main


def test_pdf_and_docx_carry_the_same_annexes(almaty):
    almaty.report_annex_threshold = 10
    almaty.save()
    with translation.override("ru"):
        annexes = annual_report_context(council=almaty, year=2019)["annexes"]
        last_part = f"{len(SECTIONS)}. {SECTIONS[-1][1]}"
    assert len(annexes) >= 2 and "monitoring" in [annex.key for annex in annexes]
    headings = [annex_heading(annex.number, annex.title) for annex in annexes]
    pdf = pdf_text(render_report(council=almaty, year=2019, language="ru")[2])
    docx = docx_text(open_docx(render_report_docx(council=almaty, year=2019, language="ru")[2]))
    for text in (pdf, docx):
        # Listed in the table of contents, then each annex after the last part, in order.
        contents = text[: text.rindex(last_part)]
        assert all(heading in contents for heading in headings)
        body = text[text.rindex(last_part) :]
        positions = [body.index(heading) for heading in headings]
        assert positions == sorted(positions)
        monitoring = headings[[annex.key for annex in annexes].index("monitoring")]
        assert all(topic in body[body.index(monitoring) :] for topic in TOPICS[:3])


# ---- the memory budget --------------------------------------------------------------------------------


def greedy(build: ReportBuild):
    """A renderer that needs far more than the budget, as a year too large for one document would."""
    blocks = [bytearray(64 * MEGABYTE) for _ in range(16)]
    return "never.pdf", "application/pdf", bytes(len(blocks))


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_build_over_its_memory_budget_fails_with_advice_and_the_worker_lives_on(
    personas, settings, language, monkeypatch
):
    limit_before = resource.getrlimit(resource.RLIMIT_AS)
    settings.REPORT_BUILD_MEMORY_MB = 64
    monkeypatch.setattr("reports.rendering.render", greedy)
    build = report_build_request(council=personas.council, year=2019, language=language, dispatch=False)
    build_report(build.pk)  # the task itself, in this process, as a worker runs it
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED
    with translation.override(language):
        advice = gettext(
            "The report needs more memory than a build may use (%(mb)s MB). Lower the annex threshold in the "
            "council's settings so that long lists move to the annex, then build it again."
        ) % {"mb": 64}
    assert build.error == advice
    assert ("порог" in advice) if language == "ru" else ("annex threshold" in advice)
    # The process's limit is back and the next build, within its budget, succeeds.
    assert resource.getrlimit(resource.RLIMIT_AS) == limit_before
    monkeypatch.undo()
    settings.REPORT_BUILD_MEMORY_MB = 1536
    after = report_build_request(council=personas.council, year=2019, language=language, dispatch=False)
    build_report(after.pk)
    after.refresh_from_db()
    assert after.status == BuildStatus.DONE and after.file.read().startswith(b"%PDF-")
