"""The council pages' cache (a visitor's second request runs no query; an edit shows at once) and bounded queries
(the same number of queries for small and three times the data)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from councils.models import StateBody
from monitoring.models import MonitoringEvent, Recommendation
from tests.factories import CouncilFactory, MeetingFactory, MonitoringEventFactory, RecommendationResponseFactory

from .conftest import fill_council

pytestmark = pytest.mark.django_db

CACHED_PAGES = [
    "/ru/councils/almaty/",
    "/ru/councils/almaty/composition/",
    "/ru/councils/almaty/meetings/",
    "/ru/councils/almaty/monitoring/",
    "/ru/councils/almaty/hearings/",
    "/ru/councils/almaty/draft-reviews/",
    "/ru/councils/almaty/recommendations/",
    "/ru/councils/almaty/reports/",
]


def _queries(url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


@pytest.mark.parametrize("url", CACHED_PAGES)
def test_a_visitors_second_request_is_served_whole_from_the_cache(portal, url):
    first, html = _queries(url)
    second, again = _queries(url)

    assert first > 1
    assert second == 0
    assert again == html


def test_signed_in_staff_get_a_fresh_page_whose_fragments_are_cached(portal, django_user_model):
    url = "/ru/councils/almaty/recommendations/"
    first, html = _queries(url)
    staff = Client()
    staff.force_login(django_user_model.objects.create_user("staff", password="not-a-real-password"))

    with CaptureQueriesContext(connection) as queries:
        response = staff.get(url)

    assert response.status_code == 200
    assert 0 < len(queries) < first  # the session, the user and the council; the content is a cached fragment
    assert "Пересмотреть генеральный план № 0" in response.content.decode()


def test_unknown_parameters_are_not_cached_whole(portal):
    _queries("/ru/councils/almaty/monitoring/?utm_source=facebook")

    assert _queries("/ru/councils/almaty/monitoring/?utm_source=facebook")[0] == 1  # the council; fragments
    assert _queries("/ru/councils/almaty/monitoring/?year=2019")[0] > 0
    assert _queries("/ru/councils/almaty/monitoring/?year=2019")[0] == 0


def test_an_unpublished_council_is_gone_at_once(portal):
    _queries("/ru/councils/almaty/")
    portal.council.is_published = False
    portal.council.save()

    assert Client().get("/ru/councils/almaty/").status_code == 404
    assert Client().get("/ru/councils/almaty/").status_code == 404


def test_the_cache_is_kept_per_language_and_year(portal):
    _queries("/ru/councils/almaty/monitoring/?year=2019")

    kazakh, html = _queries("/kk/councils/almaty/monitoring/?year=2019")
    other_year, _html = _queries("/ru/councils/almaty/monitoring/?year=2018")

    assert kazakh > 1 and other_year > 1
    assert '<html lang="kk">' in html and "Қоғамдық мониторинг" in html


def test_an_edit_shows_at_once(portal):
    _queries("/ru/councils/almaty/monitoring/")
    event = MonitoringEvent.objects.get(topic="Общественный мониторинг зоопарка")

    event.topic = "Мониторинг зоопарка: повторный"
    event.save()

    count, html = _queries("/ru/councils/almaty/monitoring/")
    assert count > 1
    assert "Мониторинг зоопарка: повторный" in html


def test_a_new_answer_shows_on_the_tracker_and_the_overview_at_once(portal):
    _queries("/ru/councils/almaty/recommendations/")
    _queries("/ru/councils/almaty/")
    rec = Recommendation.objects.get(text="Пересмотреть генеральный план № 0")

    RecommendationResponseFactory(recommendation=rec, text="Генплан будет пересмотрен")

    assert "Генплан будет пересмотрен" in _queries("/ru/councils/almaty/recommendations/")[1]
    assert _queries("/ru/councils/almaty/")[0] > 1


def test_a_deletion_and_a_state_body_rename_show_at_once(portal):
    _queries("/ru/councils/almaty/recommendations/")
    body = StateBody.objects.get(name="Управление зелёной экономики 0")

    body.name = "Управление экологии"
    body.save()
    assert "Управление экологии" in _queries("/ru/councils/almaty/recommendations/")[1]

    Recommendation.objects.get(text="Озеленить дворы № 0").delete()
    assert "Озеленить дворы № 0" not in _queries("/ru/councils/almaty/recommendations/")[1]


def test_an_edit_of_another_council_keeps_this_councils_cache(portal):
    _queries("/ru/councils/almaty/monitoring/")

    MonitoringEventFactory(council=portal.other, topic="Караганда: мониторинг")

    assert _queries("/ru/councils/almaty/monitoring/")[0] == 0


# ---- bounded queries --------------------------------------------------------------------------------------------

LISTS = [
    *CACHED_PAGES,
    "/ru/councils/almaty/recommendations/?status=overdue",
    "/ru/councils/almaty/search/?q=зоопарк",
    "/ru/councils/almaty/meetings.ics",
    "/ru/councils/almaty/feed/",
    "/ru/councils/",
    "/ru/state-bodies/",
]


def _cold_queries(url: str) -> int:
    cache.clear()
    return _queries(url)[0]


@pytest.mark.parametrize("url", LISTS)
def test_lists_run_the_same_queries_for_three_times_the_data(portal, url):
    _cold_queries(url)  # warm the content-type cache
    small = _cold_queries(url)

    fill_council(portal.council, copies=2)  # three sets in all
    CouncilFactory.create_batch(2)

    assert _cold_queries(url) == small


def test_state_body_page_runs_the_same_queries_for_three_times_the_data(portal):
    body = StateBody.objects.get(name="Управление зелёной экономики 0")
    url = f"/ru/state-bodies/{body.slug}/"
    _cold_queries(url)
    small = _cold_queries(url)

    for council in CouncilFactory.create_batch(2):
        fill_council(council)
        for rec in council.recommendations.all():
            rec.state_body = body
            rec.save()

    assert _cold_queries(url) == small


# ---- the pages across councils ----------------------------------------------------------------------------------

# A search (?q=) is rendered afresh each time: free text would make a cache entry per value (tests/security/
# test_cache_keys.py); the filters that take one of a few values are cached.
PORTAL_PAGES = ["/ru/", "/ru/councils/", "/ru/councils/?kind=city", "/ru/state-bodies/"]


@pytest.mark.parametrize("url", PORTAL_PAGES)
def test_a_page_across_councils_is_served_whole_from_the_cache(portal, url):
    first, html = _queries(url)
    second, again = _queries(url)

    assert first > 0
    assert second == 0
    assert again == html


def test_a_councils_edit_shows_on_the_pages_across_councils_at_once(portal):
    _queries("/ru/councils/")
    _queries("/ru/state-bodies/")

    portal.other.name = "Общественный совет области Абай"
    portal.other.save()
    RecommendationResponseFactory(
        recommendation=Recommendation.objects.get(text="Озеленить дворы № 0"), text="Дворы озеленят"
    )

    assert "Общественный совет области Абай" in _queries("/ru/councils/")[1]
    assert _queries("/ru/state-bodies/")[0] > 0


# ---- the home page: kept per council shown ----------------------------------------------------------------------


@pytest.fixture
def one_card_a_page(monkeypatch):
    """The home page with one council card a page: page 1 shows Almaty, page 2 Karaganda (by name)."""
    from reports import views

    monkeypatch.setattr(views, "HOME_PAGE_SIZE", 1)
    cache.clear()


def _card_slug(html: str) -> str:
    return html.split('<h3 id="council-', 1)[1].split('"', 1)[0]


def test_a_councils_edit_leaves_behind_only_the_home_pages_that_show_it(portal, one_card_a_page):
    from hearings.models import Meeting

    first, second = "/ru/?page=1", "/ru/?page=2"
    shows = {_card_slug(_queries(url)[1]): url for url in (first, second)}
    assert set(shows) == {portal.council.slug, portal.other.slug}
    almaty, karaganda = shows[portal.council.slug], shows[portal.other.slug]
    assert _queries(almaty)[0] == 0 and _queries(karaganda)[0] == 0  # both kept

    meeting = Meeting.objects.filter(council=portal.council).first()
    meeting.title = meeting.title + " (уточнено)"
    meeting.save()

    assert _queries(karaganda)[0] == 0  # the other council's page stays in the cache
    queries, html = _queries(almaty)
    assert queries > 0  # the edited council's page renders afresh
    cache.clear()
    assert _queries(almaty)[1] == html  # and is the page a visitor with no cache gets


def test_a_new_record_shows_on_the_home_page_at_once(portal, one_card_a_page, django_capture_on_commit_callbacks):
    url = "/ru/?page=1"
    _queries(url)
    queries, before = _queries(url)
    assert queries == 0
    council = portal.council if _card_slug(before) == portal.council.slug else portal.other
    label = 'class="year-label">'
    year = int(before.split(label, 1)[1][:4]) if label in before else timezone.localdate().year
    with django_capture_on_commit_callbacks(execute=True):
        MeetingFactory(council=council, date=f"{year}-01-02")
    after = _queries(url)[1]
    assert after != before  # the card (and the year's figures) changed at once
    cache.clear()
    assert _queries(url)[1] == after  # what a visitor with no cache gets


def test_a_renamed_council_or_a_new_year_shows_on_every_home_page(
    portal, one_card_a_page, django_capture_on_commit_callbacks
):
    almaty_page = "/ru/?page=1" if _card_slug(_queries("/ru/?page=1")[1]) == portal.council.slug else "/ru/?page=2"
    _queries(almaty_page)
    assert _queries(almaty_page)[0] == 0

    with django_capture_on_commit_callbacks(execute=True):
        portal.other.name_ru = portal.other.name = "Общественный совет области Абай"
        portal.other.save()
    assert "Общественный совет области Абай" in _queries(almaty_page)[1]  # the other council, in the form's list

    assert ">2031</a>" not in _queries(almaty_page)[1]
    with django_capture_on_commit_callbacks(execute=True):
        MeetingFactory(council=portal.other, date="2031-02-03")
    assert ">2031</a>" in _queries(almaty_page)[1]  # the year switcher lists the other council's new year
