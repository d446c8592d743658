"""The public pages: home and a council's page, in Russian by default and in Kazakh and English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.views.defaults import server_error

from councils.models import Affiliation, BodyKind, BodyRole, MemberRole
from hearings.models import MeetingKind
from tests.factories import (
    AppealFactory,
    BodyFactory,
    BodyMembershipFactory,
    ConvocationFactory,
    CouncilFactory,
    ExpertAppointmentFactory,
    MeetingFactory,
    MembershipFactory,
    MonitoringEventFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

# The word for "Members" as each language's page shows it.
MEMBERS_WORD = {"ru": "Члены совета", "kk": "Мүшелер", "en": "Members"}


@pytest.fixture
def almaty():
    council = CouncilFactory(
        slug="almaty",
        code="ALM",
        name="Общественный совет города Алматы",
        city="Алматы",
        website="https://oc-almaty.kz/",
        social_links=["https://www.facebook.com/ocalmaty", "javascript:alert(1)"],
    )
    convocation = ConvocationFactory(council=council, number=2, name="II состав", start_date=dt.date(2019, 3, 1))
    chair = PersonFactory(
        council=council,
        full_name="Инкарбеков Улан Абылкасымович",
        email="chair.private@example.kz",
        phone="+7 701 555 12 34",
    )
    MembershipFactory(convocation=convocation, person=chair, role=MemberRole.CHAIR)
    MembershipFactory.create_batch(2, convocation=convocation, affiliation=Affiliation.STATE_BODY)
    ExpertAppointmentFactory(council=convocation.council, person__full_name="Эксперт Не Член")
    commission = BodyFactory(convocation=convocation, kind=BodyKind.COMMISSION, name="Комиссия по экологии")
    BodyMembershipFactory(body=commission, person=chair, role=BodyRole.CHAIR)
    BodyMembershipFactory.create_batch(2, body=commission)
    MeetingFactory.create_batch(3, council=council, kind=MeetingKind.COUNCIL, date=dt.date(2019, 5, 1))
    MonitoringEventFactory(council=council, date=dt.date(2019, 4, 1))
    AppealFactory(council=council, year=2019)
    MeetingFactory(council=council, kind=MeetingKind.COUNCIL, date=dt.date(2018, 5, 1))
    return council


def test_root_redirects_to_russian():
    response = Client().get("/")

    assert response.status_code == 302
    assert response["Location"] == "/ru/"


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_home_lists_published_councils_with_their_latest_figures(almaty, language):
    CouncilFactory(name="Скрытый совет", is_published=False)

    response = Client().get(f"/{language}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "Общественный совет города Алматы" in html
    assert "Скрытый совет" not in html
    assert MEMBERS_WORD[language] in html
    assert "/councils/almaty/" in html


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_council_page_renders_in_each_language(almaty, language):
    response = Client().get(f"/{language}/councils/almaty/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert MEMBERS_WORD[language] in html
    assert "Общественный совет города Алматы" in html


def test_council_page_is_in_russian_by_default(almaty):
    html = Client().get("/ru/councils/almaty/").content.decode()

    assert "Состав на 31 декабря 2019" in html
    assert "Заседания совета" in html
    assert "Общественный мониторинг" in html


def test_council_page_in_kazakh_uses_kazakh_terms(almaty):
    html = Client().get("/kk/councils/almaty/").content.decode()

    assert "Комиссиялар" in html
    assert "Өтініштер" in html


def test_council_page_shows_composition_on_31_december_of_the_latest_year(almaty):
    response = Client().get("/ru/councils/almaty/")

    assert response.context["year"] == 2019
    assert response.context["stats"].members == {"total": 3, "state_body": 2, "civil_society": 1}
    html = response.content.decode()
    assert "Инкарбеков Улан Абылкасымович" in html
    assert "Комиссия по экологии" in html
    assert "Эксперт Не Член" not in html
    (commission,) = response.context["composition"].commissions
    assert commission.member_count == 3
    assert [seat.person.full_name for seat in commission.chairs] == ["Инкарбеков Улан Абылкасымович"]


def test_council_page_gives_no_member_contacts(almaty):
    html = Client().get("/ru/councils/almaty/").content.decode()

    assert "chair.private@example.kz" not in html
    assert "+7 701 555 12 34" not in html
    assert "@example.kz" not in html


def test_council_page_shows_only_safe_social_links(almaty):
    html = Client().get("/ru/councils/almaty/").content.decode()

    assert 'href="https://www.facebook.com/ocalmaty"' in html
    assert "javascript:" not in html


def test_year_switcher_picks_the_year(almaty):
    response = Client().get("/ru/councils/almaty/", {"year": "2018"})

    assert response.status_code == 200
    assert response.context["year"] == 2018
    assert response.context["stats"].meetings["council"] == 1
    assert response.context["years"] == [2019, 2018]
    assert '<a href="?year=2018" aria-current="page">2018</a>' in response.content.decode()


def test_a_bad_year_falls_back_to_the_latest(almaty):
    response = Client().get("/ru/councils/almaty/", {"year": "abc"})

    assert response.status_code == 200
    assert response.context["year"] == 2019


# The council page shows appeals by month, category and channel, not their outcomes (the stats API has those), so
# it does not count them (`appeal_counts(outcomes=False)`).
APPEAL_OUTCOMES = ("by_status", "answered", "answered_on_time", "on_time_share", "open", "overdue", "outcomes_counted")


def _shown_on_the_page(stats: dict) -> dict:
    appeals = {
        key: {k: v for k, v in value.items() if v} if isinstance(value, dict) else value
        for key, value in stats["appeals"].items()
        if key not in APPEAL_OUTCOMES
    }
    return {**stats, "appeals": appeals}


def test_the_page_and_the_api_give_the_same_figures(almaty):
    page_stats = Client().get("/ru/councils/almaty/", {"year": "2019"}).context["stats"].as_dict()
    api_stats = Client().get("/api/v1/councils/almaty/stats/", {"year": "2019"}).json()

    assert api_stats["appeals"]["outcomes_counted"] is True
    assert _shown_on_the_page(page_stats) == _shown_on_the_page(api_stats)


def test_unknown_and_unpublished_councils_give_a_friendly_404(almaty):
    CouncilFactory(slug="hidden", is_published=False)

    for path in ("/ru/councils/nowhere/", "/ru/councils/hidden/"):
        response = Client().get(path)
        assert response.status_code == 404
        assert "Страница не найдена" in response.content.decode()


def test_council_list_shows_published_councils(almaty):
    response = Client().get("/kk/councils/")

    assert response.status_code == 200
    assert "Общественный совет города Алматы" in response.content.decode()


def test_language_switch_keeps_the_page_and_its_query(almaty):
    html = Client().get("/ru/councils/almaty/?year=2018").content.decode()

    assert '<a href="/kk/councils/almaty/?year=2018" hreflang="kk" lang="kk">Қазақша</a>' in html
    assert '<a href="/en/councils/almaty/?year=2018" hreflang="en" lang="en">English</a>' in html
    # The alternates are absolute (SITE_URL), as search engines want them (tests/portal/test_seo.py).
    site = settings.SITE_URL.rstrip("/")
    assert f'<link rel="alternate" hreflang="kk" href="{site}/kk/councils/almaty/?year=2018">' in html
    kazakh = Client().get("/kk/councils/almaty/?year=2018")
    assert kazakh.status_code == 200 and '<html lang="kk">' in kazakh.content.decode()


def test_base_layout_is_accessible(almaty):
    html = Client().get("/ru/").content.decode()

    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert '<nav class="lang-switch" aria-label="Язык">' in html
    assert 'lang="ru" aria-current="true">Русский</a>' in html
    assert ">Қазақша</a>" in html
    assert "csrfmiddlewaretoken" not in html  # nothing on a public page is per visitor: it can be cached whole
    assert "<header" in html and "<footer" in html and "<nav" in html
    assert "https://" not in html.split("</head>")[0]  # no CDN, fonts or scripts from elsewhere


def test_server_error_page_is_friendly_and_needs_no_context(rf):
    with translation.override("kk"):
        response = server_error(rf.get("/kk/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="kk">' in html
    assert "Біз жақта қате орын алды" in html
    assert 'href="/kk/"' in html
