"""Every public page renders in Russian, Kazakh and English, shows what it is for, and leaks no personal data."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from councils.models import CouncilKind
from hearings.models import Meeting
from monitoring.models import MonitoringEvent
from tests.factories import CouncilFactory, PublicHearingFactory

from .conftest import MEMBER_EMAIL, MEMBER_PHONE, SECRET_EMAIL, SECRET_NAME

pytestmark = pytest.mark.django_db


def _pages(portal) -> dict[str, tuple[str, dict[str, str]]]:
    """name: (path after the language prefix, the heading word each language shows)."""
    council = portal.council
    meeting = Meeting.objects.filter(council=council, is_open=True).first()
    event = MonitoringEvent.objects.filter(council=council).first()
    hearing = council.public_hearings.first()
    body = council.recommendations.first().state_body
    return {
        "overview": ("councils/almaty/", {"ru": "Состав на 31 декабря", "kk": "Комиссиялар", "en": "in figures"}),
        "composition": (
            "councils/almaty/composition/",
            {"ru": "Состав совета", "kk": "Кеңестің құрамы", "en": "Composition of the council"},
        ),
        "meetings": (
            "councils/almaty/meetings/",
            {"ru": "Календарь заседаний", "kk": "Отырыстар күнтізбесі", "en": "Meeting calendar"},
        ),
        "meeting": (
            f"councils/almaty/meetings/{meeting.pk}/",
            {"ru": "Повестка и решения", "kk": "Күн тәртібі және шешімдер", "en": "Agenda and decisions"},
        ),
        "monitoring": (
            "councils/almaty/monitoring/",
            {"ru": "Общественный мониторинг", "kk": "Қоғамдық мониторинг", "en": "Public monitoring"},
        ),
        "monitoring_event": (
            f"councils/almaty/monitoring/{event.pk}/",
            {
                "ru": "Рекомендации, направленные государственным органам",
                "kk": "Мемлекеттік органдарға жіберілген ұсынымдар",
                "en": "Recommendations sent to state bodies",
            },
        ),
        "hearings": (
            "councils/almaty/hearings/",
            {"ru": "Общественные слушания", "kk": "Қоғамдық тыңдаулар", "en": "Public hearings"},
        ),
        "hearing": (f"councils/almaty/hearings/{hearing.pk}/", {"ru": "Резолюция", "kk": "Қарар", "en": "Resolution"}),
        "drafts": (
            "councils/almaty/draft-reviews/",
            {
                "ru": "Общественная экспертиза проектов НПА",
                "kk": "НҚА жобаларының қоғамдық сараптамасы",
                "en": "Public review of draft regulations",
            },
        ),
        "recommendations": (
            "councils/almaty/recommendations/",
            {
                "ru": "Рекомендации государственным органам",
                "kk": "Мемлекеттік органдарға ұсынымдар",
                "en": "Recommendations to state bodies",
            },
        ),
        "reports": (
            "councils/almaty/reports/",
            {"ru": "Годовые отчёты", "kk": "Жылдық есептер", "en": "Annual reports"},
        ),
        "search": ("councils/almaty/search/?q=зоопарк", {"ru": "Поиск", "kk": "Іздеу", "en": "Search"}),
        "council_list": ("councils/", {"ru": "Название содержит", "kk": "Атауында бар", "en": "Name contains"}),
        "state_bodies": (
            "state-bodies/",
            {"ru": "Государственные органы", "kk": "Мемлекеттік органдар", "en": "State bodies"},
        ),
        "state_body": (
            f"state-bodies/{body.slug}/",
            {
                "ru": "Как орган отвечает советам",
                "kk": "Кеңестерге қалай жауап береді",
                "en": "How it answers the councils",
            },
        ),
    }


PAGE_NAMES = [
    "overview",
    "composition",
    "meetings",
    "meeting",
    "monitoring",
    "monitoring_event",
    "hearings",
    "hearing",
    "drafts",
    "recommendations",
    "reports",
    "search",
    "council_list",
    "state_bodies",
    "state_body",
]


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_each_public_page_renders_in_each_language(portal, name, language):
    path, words = _pages(portal)[name]

    response = Client().get(f"/{language}/{path}")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert words[language] in html
    assert html.count("<h1") == 1
    assert "<main" in html and "<nav" in html


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_no_page_shows_personal_data(portal, name):
    path, _words = _pages(portal)[name]

    html = Client().get(f"/ru/{path}").content.decode()

    for secret in (MEMBER_EMAIL, MEMBER_PHONE, SECRET_NAME, SECRET_EMAIL, "+7 777 000 00 00", "Жалоба на зоопарк"):
        assert secret not in html
    assert "@example.kz" not in html


def test_pages_have_no_inline_script_or_style(portal):
    """The site's Content-Security-Policy forbids them: a page that used them would break."""
    for name in PAGE_NAMES:
        path, _words = _pages(portal)[name]
        html = Client().get(f"/ru/{path}").content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), name
        assert "<style" not in html, name
        assert not re.search(r"\sstyle=", html), name


def test_the_council_sections_mark_the_current_one(portal):
    html = Client().get("/ru/councils/almaty/monitoring/").content.decode()

    nav = html.split('class="council-nav"')[1].split("</nav>")[0]
    assert nav.count('aria-current="page"') == 1
    assert 'href="/ru/councils/almaty/monitoring/" aria-current="page"' in nav
    for path in ("composition/", "meetings/", "hearings/", "draft-reviews/", "recommendations/", "reports/"):
        assert f'href="/ru/councils/almaty/{path}"' in nav


@pytest.mark.parametrize(
    "path",
    [
        "composition/",
        "meetings/",
        "monitoring/",
        "hearings/",
        "draft-reviews/",
        "recommendations/",
        "reports/",
        "feed/",
    ],
)
def test_unknown_and_unpublished_councils_are_404(portal, path):
    CouncilFactory(slug="hidden", is_published=False)

    assert Client().get(f"/ru/councils/nowhere/{path}").status_code == 404
    assert Client().get(f"/ru/councils/hidden/{path}").status_code == 404


def test_records_of_another_council_are_404(portal):
    foreign = PublicHearingFactory(council=portal.other)
    event = MonitoringEvent.objects.filter(council=portal.council).first()

    assert Client().get(f"/ru/councils/almaty/hearings/{foreign.pk}/").status_code == 404
    assert Client().get(f"/ru/councils/karaganda/monitoring/{event.pk}/").status_code == 404


# ---- the meeting calendar ----------------------------------------------------------------------------------------


def test_meeting_calendar_groups_by_month_with_agenda_and_decisions(portal):
    html = Client().get("/ru/councils/almaty/meetings/?year=2019").content.decode()

    assert html.index('id="month-5"') < html.index('id="month-10"')
    assert "Заслушивание отчёта об озеленении" in html
    assert "Принять к сведению, направить рекомендации" in html
    assert "Акимат, зал 1; 3-й этаж" in html
    assert "закрытое заседание" in html
    assert 'href="/ru/councils/almaty/meetings.ics"' in html


def test_a_closed_meeting_does_not_publish_its_agenda(portal):
    closed = Meeting.objects.get(council=portal.council, is_open=False)
    closed.agenda_items.create(key="secret", number=1, title="Кадровый вопрос", decision="Секретное решение")

    html = Client().get(f"/ru/councils/almaty/meetings/{closed.pk}/").content.decode()

    assert "Заседание было закрытым" in html
    assert "Секретное решение" not in html
    assert "Секретное решение" not in Client().get("/ru/councils/almaty/meetings/").content.decode()


# ---- monitoring ----------------------------------------------------------------------------------------------------


def test_monitoring_event_shows_participants_links_findings_and_its_recommendations(portal):
    event = MonitoringEvent.objects.get(council=portal.council, topic="Общественный мониторинг зоопарка")

    html = Client().get(f"/ru/councils/almaty/monitoring/{event.pk}/").content.decode()

    assert "Инкарбеков Улан 0" in html  # a member, by the name on file
    assert "Активист Внешний" in html  # an outsider, by the name given
    assert '<a href="https://www.facebook.com/almatykenes/" rel="external noopener">' in html
    assert "&lt;b&gt;не экранировано&lt;/b&gt;" in html  # text is escaped, never rendered as markup
    assert "Управление приняло план ремонта" in html
    assert "Отремонтировать вольеры № 0" in html
    assert "Ремонт вольеров включён в план" in html
    assert "Черновик рекомендации" not in html


def test_monitoring_list_keeps_only_web_links(portal):
    event = MonitoringEvent.objects.filter(council=portal.council).first()
    event.publicity_links.create(url="javascript:alert(1)", position=9)

    html = Client().get("/ru/councils/almaty/monitoring/").content.decode()

    assert "javascript:" not in html
    assert "https://www.facebook.com/almatykenes/" in html


# ---- draft reviews --------------------------------------------------------------------------------------------------


def test_draft_reviews_are_paginated_and_filtered_by_conclusion(portal):
    from tests.factories import DraftActReviewFactory

    DraftActReviewFactory.create_batch(30, council=portal.council)

    first = Client().get("/ru/councils/almaty/draft-reviews/?year=2019")
    second = Client().get("/ru/councils/almaty/draft-reviews/?year=2019&page=2")
    remarks = Client().get("/ru/councils/almaty/draft-reviews/?year=2019&conclusion=approved_with_remarks")

    assert first.status_code == second.status_code == 200
    assert len(first.context["page"]["reviews"].object_list) == 25
    assert len(second.context["page"]["reviews"].object_list) == 33 - 25
    assert 'rel="next"' in first.content.decode()
    assert [r.remarks for r in remarks.context["page"]["reviews"]] == ["Уточнить сроки"]


# ---- composition -----------------------------------------------------------------------------------------------------


def test_composition_lists_members_commission_members_and_experts_by_name(portal):
    html = Client().get("/ru/councils/almaty/composition/?year=2019").content.decode()

    assert "Инкарбеков Улан 0" in html
    assert "Комиссия по экологии 0" in html
    assert "Эксперт Советов 0" in html
    assert html.index("Члены совета") < html.index("Комиссия по экологии 0") < html.index("Эксперт Советов 0")


# ---- the council list ------------------------------------------------------------------------------------------


def test_council_list_searches_by_name_and_filters_by_place_and_kind(portal):
    CouncilFactory(name="Общественный совет Шымкента", city="Шымкент", kind=CouncilKind.CITY)
    CouncilFactory(name="Орхусский центр Атырау", city="Атырау", kind=CouncilKind.AARHUS)
    CouncilFactory(name="Скрытый совет", city="Шымкент", is_published=False)

    def names(query: str) -> list[str]:
        cache.clear()  # the context is read: a rendered page, not the cached one
        response = Client().get(f"/ru/councils/{query}")
        assert response.status_code == 200
        return [c.name for c in response.context["councils"]]

    assert names("?q=шымкент") == ["Общественный совет Шымкента"]
    assert names("?place=Атырау") == ["Орхусский центр Атырау"]
    assert names("?kind=aarhus") == ["Орхусский центр Атырау"]
    assert "Скрытый совет" not in names("")
    assert names("?place=Нигде") == names("")  # an unknown place is ignored, not an error


def test_council_list_is_paginated(portal):
    CouncilFactory.create_batch(25)

    first = Client().get("/ru/councils/")
    last = Client().get("/ru/councils/?page=2")

    assert len(first.context["councils"].object_list) == 20
    assert len(last.context["councils"].object_list) == 27 - 20
    assert 'aria-label="Страница 2"' in first.content.decode()
