"""The public portal in a real browser, on the Almaty 2019 demo: the council page, the switch to Kazakh, the
recommendation tracker and a monitoring event; under the site's Content-Security-Policy, by keyboard too."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command

from monitoring.models import MonitoringEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_reads_the_almaty_council_in_kazakh(page, shoot):
    call_command("load_demo")
    cache.clear()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    # 1. The council's overview, in Russian by default, with its charts drawn on the server.
    page.goto("/ru/councils/almaty/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.inner_text("h1") == "Общественный совет города Алматы"
    assert page.locator("svg.chart").count() == 4

    # 2. The language switcher: Kazakh, on the same page.
    page.click(".lang-switch a[hreflang=kk]")
    page.wait_for_url("**/kk/councils/almaty/")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert "Комиссиялар" in page.inner_text("main")
    assert page.locator('.council-nav a[aria-current="page"]').inner_text() == "Шолу"
    shoot(page, "portal-council-kk")

    # 3. The recommendation tracker, from the council's sections: answers and the days they took.
    page.click(".council-nav >> text=Ұсынымдар")
    page.wait_for_url("**/kk/councils/almaty/recommendations/")
    assert page.inner_text("h1") == "Мемлекеттік органдарға ұсынымдар"
    assert page.locator(".recommendations > li").count() == 20
    assert page.locator(".answer").count() >= 1
    assert "күнде жауап берілді" in page.inner_text("main")
    summary = page.inner_text(".status-summary")
    assert "35" in summary
    shoot(page, "portal-tracker")

    # 4. Filter by status with the keyboard: choose, then press the button with Enter.
    page.select_option("#id_status", "answered")
    page.focus("form.filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**status=answered**")
    statuses = page.locator(".recommendations .status").all_inner_texts()
    assert statuses and all(status == statuses[0] for status in statuses)

    # 5. A monitoring event, from the month-by-month list.
    page.click(".council-nav >> text=Мониторинг")
    page.wait_for_url("**/kk/councils/almaty/monitoring/")
    zoo = MonitoringEvent.objects.get(council__slug="almaty", topic="Общественный мониторинг зоопарка")
    page.click(f'a[href="/kk/councils/almaty/monitoring/{zoo.pk}/"]')
    page.wait_for_url(f"**/kk/councils/almaty/monitoring/{zoo.pk}/")
    assert page.inner_text("h1") == "Общественный мониторинг зоопарка"
    links = page.locator("dl.facts a[rel~=noopener]")
    assert links.count() >= 1
    shoot(page, "portal-monitoring-event")

    # 6. The skip link is the first stop of the keyboard, and visible when focused.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0

    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
