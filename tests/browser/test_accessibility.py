"""Issue 14: axe-core (Deque's engine) finds nothing serious or critical on any public page, in Russian and Kazakh,
on a laptop (1366 px) and a phone (390 px), nor on the appeal form in its error state. On the phone, screenshots of
the home page, a council page and the appeal form, blank and in error, go to tests/artifacts/
(citizen-<page>-390-<language>.png).

The pages are every public address the site-wide checkers open (tests/public_pages.py), the HTML ones: the
API's JSON and files, the feeds and the calendars are not pages. One browser context per test, the pages in turn.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from tests.browser.test_citizen_pages import (
    LAPTOP,
    PHONE,
    _context,
    _form_in_error,
    _serious_violations,
    _with_axe,
)
from tests.public_pages import fill, public_pages
from tests.test_privacy import world  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots a person can look at (tests/artifacts/), taken on the phone before axe-core runs.
SHOTS = {"reports:home": "citizen-home", "reports:council": "citizen-council", "appeals:new": "citizen-appeal-form"}
MUST_CHECK = {"reports:home", "reports:council", "reports:meeting", "reports:state_body", "appeals:new", "404"}


def _html_pages(planted, language: str) -> list[tuple[str, str]]:
    """(label, address) of each public HTML page in `language`, asked of Django first: a download would not open
    as a page."""
    client, found = Client(), []
    for label, path, query in public_pages(planted, fill(planted), [language], variants=False):
        cache.clear()  # rate limits
        response = client.get(path, query)
        if response.get("Content-Type", "").startswith("text/html") and not 300 <= response.status_code < 400:
            found.append((label, response.wsgi_request.get_full_path()))
    return list(dict.fromkeys(found))  # two patterns may lead to one page: it is checked once


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_axe_finds_nothing_serious_on_any_public_page(world, browser, live_server, shoot, language):  # noqa: F811
    pages = _html_pages(world, language)
    assert MUST_CHECK <= {label for label, _path in pages}
    found = {}
    for viewport in (PHONE, LAPTOP):
        found.update(_walk(browser, live_server, shoot, pages, viewport, language))
    failing = {where: violations for where, violations in found.items() if violations}
    assert failing == {}, "\n".join(f"{where}\n  " + "\n  ".join(v) for where, v in failing.items())
    assert len(found) == 2 * (len(pages) + 1)


def _walk(browser, live_server, shoot, pages, viewport, language: str) -> dict[str, list[str]]:
    """axe-core's findings on each page at one width, and on the appeal form in error, keyed by where."""
    phone, width = viewport is PHONE, viewport["width"]
    page = _with_axe(_context(browser, live_server, viewport, locale=f"{language}-KZ")).new_page()
    page.set_default_timeout(15_000)
    found = {}
    try:
        for label, path in pages:
            cache.clear()
            page.goto(path)
            if label == "api-docs":
                page.wait_for_selector(".opblock")  # Swagger UI draws the operations after the page loads
            if phone and label in SHOTS:
                assert page.locator("html").get_attribute("lang") == language
                shoot(page, f"{SHOTS[label]}-390-{language}")
            found[f"{width} px, {label}: {path}"] = _serious_violations(page, loaded=True)
        cache.clear()
        _form_in_error(page, language)
        if phone:
            shoot(page, f"citizen-appeal-form-error-390-{language}")
        found[f"{width} px, the appeal form in error"] = _serious_violations(page, loaded=True)
    finally:
        page.context.close()
    return found
