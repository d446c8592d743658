"""Part 7 of the annual report: the members' seats in consultative bodies held during the year, with a count by
level, or the sentence that none are recorded."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

from councils.models import ConsultativeLevel, ConsultativeSeat
from reports.annual import annual_report_context
from reports.rendering import render_html
from tests import factories as f
from tests.reports.yeardata import CONSULTATIVE_BODIES, make_council_year

pytestmark = pytest.mark.django_db


def section_7(council) -> str:
    page = render_html(council=council, year=2019, language="ru")
    start = page.index('id="section-7"')
    text = re.sub(r"<[^>]+>", " ", page[start : page.index('id="section-8"')])
    return re.sub(r"\s+", " ", html.unescape(text))


def test_the_section_lists_the_years_seats_with_person_body_level_and_a_count_by_level(personas):
    make_council_year(personas.council)
    # A seat that ended in 2018 is not part of the 2019 report.
    ConsultativeSeat.objects.create(
        council=personas.council,
        key="cs-old",
        person=ConsultativeSeat.objects.first().person,
        body_name="Совет, закончивший работу в 2018 году",
        level=ConsultativeLevel.LOCAL,
        start_date=dt.date(2017, 3, 1),
        end_date=dt.date(2018, 12, 31),
    )

    text = section_7(personas.council)

    with translation.override("ru"):
        lead = ngettext(
            "In %(year)s members of the council held %(counter)s seat in consultative and advisory bodies of state "
            "bodies:",
            "In %(year)s members of the council held %(counter)s seats in consultative and advisory bodies of state "
            "bodies:",
            3,
        ) % {"year": 2019, "counter": 3}
        local, republican = str(ConsultativeLevel.LOCAL.label), str(ConsultativeLevel.REPUBLICAN.label)
    assert lead in text
    assert f"{local}: 2" in text and f"{republican}: 1" in text
    for name, _level in CONSULTATIVE_BODIES:
        assert name in text
    assert "Демо Член 10 — Комиссия по вопросам благоустройства" in text
    assert "2018 году" not in text


def test_without_seats_the_section_says_none_are_recorded(personas):
    f.MeetingFactory(council=personas.council, date=dt.date(2019, 5, 15))

    text = section_7(personas.council)

    with translation.override("ru"):
        sentence = gettext(
            "No seats of council members in consultative and advisory bodies are recorded for %(year)s."
        ) % {"year": 2019}
    assert sentence in text


def test_the_context_gives_the_seats_and_every_level_even_without_seats(personas):
    with translation.override("ru"):
        context = annual_report_context(council=personas.council, year=2019)

    assert context["consultative_seats"] == []
    assert [n for _label, n in context["consultative_levels"]] == [0, 0]
