"""The appeals a council has of each year are counted by the database as they come and go (AppealYearCount), so
the home page shows them without counting every appeal the portal holds."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client

from appeals.models import Appeal
from appeals.selectors import yearly_totals
from tests import factories as f

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


def _at(year: int) -> dt.datetime:
    return dt.datetime(year, 3, 4, 10, 0, tzinfo=ALMATY)


def test_counts_follow_appeals_added_removed_and_moved(personas):
    council, other = personas.council, personas.other_council
    appeals = [f.AppealFactory(council=council, registered_at=_at(2019)) for _ in range(3)]
    f.AppealFactory(council=other, registered_at=_at(2020))

    assert yearly_totals(council_ids=[council.id, other.id]) == {
        (council.id, 2019): {"appeals": 3},
        (other.id, 2020): {"appeals": 1},
    }

    appeals[0].delete()
    Appeal.objects.filter(pk=appeals[1].pk).update(year=2020)
    Appeal.objects.filter(pk=appeals[2].pk).update(council=other)
    assert yearly_totals(council_ids=[council.id, other.id]) == {
        (council.id, 2020): {"appeals": 1},
        (other.id, 2019): {"appeals": 1},
        (other.id, 2020): {"appeals": 1},
    }


def test_a_bulk_insert_is_counted(personas):
    Appeal.objects.bulk_create(
        f.AppealFactory.build(council=personas.council, registered_at=_at(2021), sequence=n, number=f"B-{n}")
        for n in range(1, 6)
    )

    assert yearly_totals(council_ids=[personas.council.id]) == {(personas.council.id, 2021): {"appeals": 5}}


def test_home_page_shows_each_councils_appeals_of_the_year(personas):
    for _ in range(4):
        f.AppealFactory(council=personas.council, registered_at=_at(2019))
    f.AppealFactory(council=personas.other_council, registered_at=_at(2019))
    cache.clear()

    html = Client().get("/ru/?year=2019").content.decode()

    def appeals_figure(slug: str) -> str:
        card = html[html.index(f'id="council-{slug}"') :]
        return card[card.index("<dt>Обращения</dt>") :].split("<dd>", 1)[1].split("</dd>", 1)[0]

    assert appeals_figure(personas.council.slug) == "4"
    assert appeals_figure(personas.other_council.slug) == "1"
