"""The home page at national scale: the council cards come a page at a time with their own figures; the appeal
form's list and the year switcher still name every council and year."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client

from reports.views import HOME_PAGE_SIZE
from tests import factories as f

pytestmark = pytest.mark.django_db


def _cards(html: str) -> list[str]:
    return re.findall(r'<h3 id="council-([\w-]+)">', html)


def test_home_page_shows_the_councils_a_page_at_a_time_and_offers_every_one_to_write_to(personas):
    councils = [f.CouncilFactory(name=f"Совет {n:03d}") for n in range(HOME_PAGE_SIZE + 3)]
    quiet = councils[-1]
    registered = dt.datetime(2019, 3, 4, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    for _ in range(2):
        f.AppealFactory(council=quiet, registered_at=registered)
    cache.clear()
    published = HOME_PAGE_SIZE + 3 + 2  # with the personas' two councils

    first = Client().get("/ru/").content.decode()
    second = Client().get("/ru/?page=2&year=2019").content.decode()

    assert len(_cards(first)) == HOME_PAGE_SIZE
    assert len(_cards(second)) == published - HOME_PAGE_SIZE
    assert not set(_cards(first)) & set(_cards(second))
    appeal_form = re.search(r'<select id="appeal-council".*?</select>', first, re.S).group(0)
    assert appeal_form.count('<option value="') == published  # the appeal form lists them all
    assert 'href="?page=2"' in first
    card = second[second.index(f'id="council-{quiet.slug}"') :]
    assert card[card.index("<dt>Обращения</dt>") :].split("<dd>", 1)[1].startswith("2</dd>")


def test_home_page_narrows_the_cards_to_a_region_and_a_name(personas):
    f.CouncilFactory(name="Общественный совет Тараза", slug="taraz", city="Тараз", region="Жамбылская область")
    f.CouncilFactory(name="Общественный совет района Байзак", slug="baizak", city="", region="Жамбылская область")
    f.CouncilFactory(name="Общественный совет Актау", slug="aktau", city="Актау", region="Мангистауская область")
    cache.clear()

    region = Client().get("/ru/", {"place": "Жамбылская область"}).content.decode()
    named = Client().get("/ru/", {"q": "актау"}).content.decode()
    nothing = Client().get("/ru/", {"q": "Шымкент"}).content.decode()
    unknown = Client().get("/ru/", {"place": "<script>"})

    assert sorted(_cards(region)) == ["baizak", "taraz"]
    assert '<option value="Жамбылская область" selected>' in region
    assert _cards(named) == ["aktau"]
    assert _cards(nothing) == [] and "Нет советов, отвечающих этим условиям." in nothing
    assert unknown.status_code == 200 and "aktau" in _cards(unknown.content.decode())
    # The appeal form still names every council, whatever the filter.
    assert 'value="aktau"' in region
