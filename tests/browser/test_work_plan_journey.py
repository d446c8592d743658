"""A secretary marks a work plan item done by linking the monitoring event that did it, in a real browser; the
public work plan then shows the item done on the event's day, with a link to the event's public page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from councils.models import WorkPlanLink
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "not-a-real-password"  # the personas' password (tests/conftest.py)


def _ru_url(name: str, **kwargs) -> str:
    with translation.override("ru"):
        return reverse(name, kwargs=kwargs)


def test_a_secretary_marks_a_plan_item_done_by_linking_a_monitoring_event(personas, page, shoot):
    item = f.WorkPlanItemFactory(
        council=personas.council, year=2019, number=4, activity="Мониторинг состояния детских площадок"
    )
    event = f.MonitoringEventFactory(
        council=personas.council, date=dt.date(2019, 6, 18), topic="Детские площадки Медеуского района"
    )

    page.goto("/ru/accounts/login/")
    page.fill("#id_username", "secretary")
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow-form button[type=submit]")
    page.wait_for_load_state()

    page.goto(_ru_url("councils_ws:workplan", slug="almaty") + "?year=2019")
    page.click(f"text={item.activity}")
    page.wait_for_load_state()
    assert "Запланировано" in page.inner_text("dl.facts") or "Planned" in page.inner_text("dl.facts")
    page.select_option("#id_record", f"monitoring_event:{event.pk}")
    page.click("form.workspace-form button[type=submit]")
    page.wait_for_load_state()

    assert WorkPlanLink.objects.filter(item=item, object_id=event.pk).exists()
    facts = page.inner_text("dl.facts")
    assert "18.06.2019" in facts
    assert "Детские площадки Медеуского района" in page.inner_text("ul.plan-records")
    shoot(page, "work-plan-item-done")

    page.goto(_ru_url("reports:work_plan", slug="almaty") + "?year=2019")
    row = page.locator("table.plan tbody tr").filter(has_text="Мониторинг состояния детских площадок")
    assert "18.06.2019" in row.inner_text()
    href = row.locator("a").first.get_attribute("href")
    assert href == _ru_url("reports:monitoring_event", slug="almaty", pk=event.pk)
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "work-plan-public-phone")
