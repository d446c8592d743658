"""The report's wording as a council would want it printed: where the council works, who the presidium counts,
the housing category by its current name, and no column that repeats the council's name on every row."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from appeals.models import Category
from councils.models import BodyKind, BodyRole, CouncilKind
from reports.rendering import render_html
from tests.factories import (
    BodyFactory,
    BodyMembershipFactory,
    ConvocationFactory,
    CouncilFactory,
    MembershipFactory,
    MonitoringEventFactory,
)

pytestmark = pytest.mark.django_db


def _title_page(html: str) -> str:
    return re.search(r'<section class="title-page">(.*?)</section>', html, flags=re.DOTALL).group(1)


def test_a_regional_councils_cover_names_its_region_not_a_city():
    council = CouncilFactory(
        slug="karaganda-region",
        name="Общественный совет Карагандинской области",
        kind=CouncilKind.REGIONAL,
        city="Караганда",
        region="Карагандинская область",
    )
    cover = _title_page(render_html(council=council, year=2019, language="ru"))

    assert "Регион" in cover and "Карагандинская область" in cover
    assert "Город" not in cover


def test_a_city_councils_cover_names_its_city():
    council = CouncilFactory(slug="almaty-city", kind=CouncilKind.CITY, city="Алматы", region="")
    cover = _title_page(render_html(council=council, year=2019, language="ru"))

    assert "Город" in cover and "Алматы" in cover


def test_the_presidium_line_says_the_chair_is_counted():
    council = CouncilFactory(slug="almaty-presidium")
    convocation = ConvocationFactory(council=council, start_date=dt.date(2019, 1, 1))
    presidium = BodyFactory(council=council, convocation=convocation, kind=BodyKind.PRESIDIUM, name="Президиум")
    chair = MembershipFactory(convocation=convocation, person__council=council).person
    BodyMembershipFactory(body=presidium, person=chair, role=BodyRole.CHAIR)
    for _ in range(7):
        BodyMembershipFactory(body=presidium, person=MembershipFactory(convocation=convocation).person)

    html = render_html(council=council, year=2019, language="ru")

    assert f"Президиум: председатель {chair.full_name}; всего членов (с председателем): 8." in html


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("ru", "Жилищно-коммунальное хозяйство (ОСИ, КСК)"),
        ("kk", "Тұрғын үй-коммуналдық шаруашылық (МИБ, ПИК)"),
        ("en", "Housing and utilities (OSI, KSK)"),
    ],
)
def test_the_housing_category_is_housing_and_utilities(language, label):
    with translation.override(language):
        assert str(Category.HOUSING.label) == label


def test_one_councils_monitoring_table_has_no_council_column():
    council = CouncilFactory(slug="almaty-monitoring", name="Общественный совет города Алматы")
    for month in (4, 4, 5):
        MonitoringEventFactory(council=council, date=dt.date(2019, month, 10))

    html = render_html(council=council, year=2019, language="ru")
    table = re.search(r'<table class="monitoring">(.*?)</table>', html, flags=re.DOTALL).group(1)

    assert "<th>Совет</th>" not in table
    assert council.name not in table
    assert table.count('colspan="7"') == 1 + 12  # the total and every month's heading span the 7 columns
