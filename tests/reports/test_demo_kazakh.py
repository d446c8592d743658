"""The demo council reads in Kazakh on the Kazakh pages: the generator writes the official Kazakh names
(format version 2) and the Russian pages keep the Russian ones."""

from __future__ import annotations

import html

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

COUNCIL_KK = "Алматы қаласының Қоғамдық кеңесі"
COUNCIL_RU = "Общественный совет города Алматы"
COMMISSION_KK = "Экономика және жергілікті мемлекеттік басқару мәселелері жөніндегі комиссия"
COMMISSION_RU = "Комиссия по вопросам экономики и местного государственного управления"


@pytest.fixture
def demo() -> None:
    call_command("load_demo")


def page(language: str) -> str:
    response = Client().get(f"/{language}/councils/almaty/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_kazakh_council_page_of_the_demo_shows_the_kazakh_names(demo):
    text = page("kk")
    assert COUNCIL_KK in text
    assert COMMISSION_KK in text


def test_russian_council_page_of_the_demo_keeps_the_russian_names(demo):
    text = page("ru")
    assert COUNCIL_RU in text
    assert COMMISSION_RU in text
    assert COUNCIL_KK not in text
    assert COMMISSION_KK not in text
