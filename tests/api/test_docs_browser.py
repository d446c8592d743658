"""The documentation page in a real browser under the site's CSP: Swagger UI renders, nothing is refused."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(live_server):
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"], headless=True
        )
        context = browser.new_context(base_url=live_server.url)
        # Nothing outside this machine: a request to another host fails the test.
        outside: list[str] = []
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(live_server.url)
                else (outside.append(route.request.url), route.abort())
            ),
        )
        page = context.new_page()
        page.outside = outside  # type: ignore[attr-defined]
        yield page
        browser.close()


def test_swagger_ui_renders_under_the_csp(page):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    page.wait_for_selector("text=/api/v1/recommendations/")

    assert "open data" in page.inner_text(".swagger-ui .info .title")
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert page.outside == []  # type: ignore[attr-defined]
