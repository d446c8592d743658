from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests import factories as f


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def open_hearing(personas, today):
    """An EIA hearing a week ahead whose comment window is open today."""
    return f.PublicHearingFactory(
        council=personas.council,
        topic="Общественные слушания по проекту отчёта о возможных воздействиях карьера",
        date=today + dt.timedelta(days=7),
        kind="eia",
        project="Карьер строительного камня «Талгар»",
        operator="ТОО «Талгар Тас»",
        notice_date=today - dt.timedelta(days=30),
        comments_open=today - dt.timedelta(days=3),
        comments_close=today + dt.timedelta(days=3),
    )


@pytest.fixture
def open_draft(personas, today):
    return f.DraftActReviewFactory(
        council=personas.council,
        discussion_start=today - dt.timedelta(days=2),
        discussion_end=today + dt.timedelta(days=8),
        conclusion="",
        draft_url="https://legalacts.egov.kz/npa/view?id=1",
    )


def comment_post(**overrides) -> dict[str, str]:
    data = {
        "kind": "comment",
        "text": "Прошу предусмотреть полив дорог, чтобы не было пыли в посёлке.",
        "name": "Ахметова Динара Сериковна",
        "email": "dinara@example.kz",
        "pseudonym": "",
        "personal_data_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data
