"""The workspace on a 390 px phone (an iPhone 12-15 is 390 CSS px wide): the secretary's dashboard, appeal inbox,
meeting form and audit log fit the screen in Russian and Kazakh, so the page never scrolls sideways; a wide table
scrolls inside its own keyboard-reachable region instead, and the dashboard's hidden caption does not sit over the
table's rows. The sections' menu is folded under the current section's name; the audit log is one block per change."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "not-a-real-password"  # the personas' password (tests/conftest.py)
PHONE = {"width": 390, "height": 844}


def _ru_url(name: str, **kwargs) -> str:
    with translation.override("ru"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _sign_in(page, username: str) -> None:
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow-form button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_secretary_workspace_fits_a_390px_phone_without_sideways_scrolling(personas, phone, shoot):
    for n in range(3):
        f.AppealFactory(
            council=personas.council,
            subject="Вырубка деревьев в сквере у кинотеатра «Сары-Арка» и восстановление газонов",
            applicant_name=f"Заявитель {n}",
        )
    _sign_in(phone, "secretary")

    pages = {
        "dashboard": _ru_url("workspace:dashboard", slug="almaty"),
        "inbox": _ru_url("appeals_staff:inbox", slug="almaty"),
        "meeting-form": _ru_url("hearings_ws:meeting_add", slug="almaty"),
        "audit": _ru_url("workspace_audit", slug="almaty"),
    }
    widths = {}
    for name, url in pages.items():
        for language in ("ru", "kk"):  # Kazakh words are longer: the dashboard's table was 3 px too wide
            phone.goto(url.replace("/ru/", f"/{language}/", 1))
            shoot(phone, f"phone-{name}" if language == "ru" else f"phone-{name}-{language}")
            widths[f"{name} ({language})"] = _page_width(phone)
    assert widths == {name: min(width, 390) for name, width in widths.items()}, widths

    # The inbox's table scrolls inside its region, which a keyboard user can reach (axe scrollable-region-focusable).
    phone.goto(pages["inbox"])
    region = phone.locator(".table-scroll:has(table.inbox)")
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label")


def test_dashboard_comparison_table_header_does_not_cover_its_rows(personas, phone):
    _sign_in(phone, "secretary")
    phone.goto(_ru_url("workspace:dashboard", slug="almaty"))
    table = phone.locator("#year-figures table")
    head = table.locator("thead").bounding_box()
    first_row = table.locator("tbody tr").first.bounding_box()
    assert head["y"] + head["height"] <= first_row["y"] + 0.5, (head, first_row)
    # The caption stays in the accessibility tree: a screen reader still hears what the table compares.
    assert table.locator("caption").count() == 1


def test_on_a_phone_the_sections_menu_is_folded_under_the_current_section_and_the_audit_shows_each_change(
    personas, phone, browser, live_server
):
    # Twenty-seven sections filled the first screen of every workspace page on a phone, and the audit's changes
    # were in a fourth column off the screen, beside rows made tall by the first three.
    appeal = f.AppealFactory(council=personas.council)
    appeal.subject = "Новая тема обращения"
    appeal.save()
    _sign_in(phone, "secretary")
    phone.goto(_ru_url("workspace_audit", slug="almaty").replace("/ru/", "/kk/", 1))

    menu = phone.locator("nav.workspace-nav details.workspace-menu")
    assert menu.evaluate("menu => menu.open") is False
    assert phone.locator("nav.workspace-nav summary").inner_text() == "Бөлімдер: Өзгерістер журналы"
    assert phone.locator("h1").bounding_box()["y"] < 844 / 2  # the page's own heading on the first half-screen
    change = phone.locator("#audit .audit-changes li").first
    box = change.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert "Новая тема обращения" in change.inner_text()

    phone.locator("nav.workspace-nav summary").click()  # one tap opens it
    assert phone.locator("nav.workspace-nav a[aria-current=page]").inner_text() == "Өзгерістер журналы"

    laptop = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": 1366, "height": 900})
    try:
        page = laptop.new_page()
        _sign_in(page, "secretary")
        page.goto(_ru_url("appeals_staff:inbox", slug="almaty"))
        assert page.locator("details.workspace-menu").evaluate("menu => menu.open") is True
        assert not page.locator("nav.workspace-nav summary").is_visible()
        assert page.locator("nav.workspace-nav a[aria-current=page]").inner_text() == "Обращения"
    finally:
        laptop.close()
