"""Pages in Kazakh and English show a record's name in that language where the record has it, mark the text kept
only in Russian with lang="ru" and say once that it is kept in Russian; deadline explanations name weekdays and
holidays in the page's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from tests import factories as f

pytestmark = pytest.mark.django_db

KK_NAME = "Алматы қаласының Қоғамдық кеңесі"
EN_NAME = "Public Council of Almaty"


@pytest.fixture
def council(personas):
    council = personas.council
    council.name_kk = KK_NAME
    council.name_en = EN_NAME
    council.save(update_fields=["name_kk", "name_en"])
    body = f.StateBodyFactory(name="Управление парков", name_kk="Саябақтар басқармасы", slug="parks")
    meeting = f.MeetingFactory(council=council, title="О благоустройстве скверов", date=dt.date(2019, 5, 15))
    f.AgendaItemFactory(meeting=meeting, title="Отчёт управления парков", state_body=body)
    f.RecommendationFactory(council=council, state_body=body, text="Отремонтировать скамейки в сквере")
    return council


@pytest.mark.parametrize(("language", "name"), [("kk", KK_NAME), ("en", EN_NAME)])
def test_council_pages_show_the_name_in_the_pages_language(council, language, name):
    for path in ("", "meetings/", "recommendations/", "composition/"):
        html = Client().get(f"/{language}/councils/almaty/{path}").content.decode()
        assert name in html, path
        assert "Общественный совет города Алматы" not in html.split("<main", 1)[1], path


def test_home_page_names_the_council_in_kazakh(council):
    html = Client().get("/kk/").content.decode()

    assert f">{KK_NAME}</a>" in html


@pytest.mark.parametrize("language", ["kk", "en"])
def test_russian_only_records_are_marked_and_noted_once(council, language):
    meeting = council.meetings.get()
    html = Client().get(f"/{language}/councils/almaty/meetings/{meeting.pk}/").content.decode()

    assert '<p class="lead" lang="ru">О благоустройстве скверов</p>' in html
    assert html.count('class="note kept-ru"') == 1
    tracker = Client().get(f"/{language}/councils/almaty/recommendations/").content.decode()
    assert '<p class="rec-text" lang="ru">Отремонтировать скамейки в сквере</p>' in tracker
    assert tracker.count('class="note kept-ru"') == 1


def test_state_body_without_an_english_name_is_marked_russian(council):
    kk = Client().get("/kk/state-bodies/parks/").content.decode()
    en = Client().get("/en/state-bodies/parks/").content.decode()

    assert "<h1>Саябақтар басқармасы</h1>" in kk
    assert '<h1><span lang="ru">Управление парков</span></h1>' in en


def test_russian_pages_carry_no_marks(council):
    meeting = council.meetings.get()
    html = Client().get(f"/ru/councils/almaty/meetings/{meeting.pk}/").content.decode()

    assert 'lang="ru">' not in html.split("<main", 1)[1]
    assert "kept-ru" not in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", ["сенбі", "Тәуелсіздік күні", "Демалыс күні ауыстырылды"]),
        ("en", ["saturday", "Independence Day", "Day off moved: 8 March → 9 March (Government decree)"]),
        ("ru", ["суббота", "День Независимости", "Перенос: 8 марта → 9 марта (постановление Правительства)"]),
    ],
)
def test_days_not_counted_are_named_in_the_pages_language(language, expected):
    template = Template("{% load names %}{% for r in reasons %}{% day_reason r %};{% endfor %}")
    reasons = [
        "суббота",
        "День Независимости",
        "Перенос: 8 марта → 9 марта (постановление Правительства)",
        "Особый день отдыха",
    ]
    with translation.override(language):
        text = template.render(Context({"reasons": reasons}))

    for word in expected:
        assert word in text
    # A name the calendar does not know in other languages stays as entered, marked as Russian.
    if language == "ru":
        assert text.endswith("Особый день отдыха;")
    else:
        assert text.endswith('<span lang="ru">Особый день отдыха</span>;')
