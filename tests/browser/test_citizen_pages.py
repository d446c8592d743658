"""Issue 14, the pages a citizen meets, in Debian's Chromium on a phone (390 px) and a laptop (1366 px): the appeal
is one tap from the home page and from every council page, above the fold; the form's errors are summarised and
focused; and the tracking page lets the citizen judge the answer. axe-core on these pages and every other public
page, and the screenshots of the home page, a council page and the form, are in test_accessibility.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from appeals.models import Appeal, AppealStatus
from appeals.notifications import tracking_path
from appeals.services import ApplicantData, appeal_answer, appeal_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def _context(browser, live_server, viewport: dict, locale: str = "ru-RU"):
    # bypass_csp: axe-core is injected as a script tag, which the site's CSP would (rightly) refuse.
    return browser.new_context(
        base_url=live_server.url,
        locale=locale,
        viewport=viewport,
        is_mobile=viewport is PHONE,
        has_touch=viewport is PHONE,
        bypass_csp=True,
    )


@pytest.fixture
def phone(browser, live_server):
    context = _context(browser, live_server, PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _serious_violations(page, loaded: bool = False) -> list[str]:
    """axe-core's serious and critical findings on the page; `loaded`: the page's context already loads axe-core
    into every page (`_with_axe`)."""
    if not loaded:
        page.add_script_tag(path=str(_axe()))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _axe() -> Path:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run scripts/setup.sh --test (it installs it with npm)")
    return AXE


def _with_axe(context):
    """The context loads axe-core into every page it opens, once, before the page's own scripts: a walk of many
    pages no longer sends the 0.5 MB script over for each (about a third of a walk's time)."""
    context.add_init_script(path=str(_axe()))
    return context


def _above_the_fold(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] + box["height"] <= page.viewport_size["height"]


def _form_in_error(page, language: str = "ru") -> None:
    page.goto(f"/{language}/councils/almaty/appeals/new/")
    page.check("#id_personal_data_consent")
    page.click("form.appeal-form button[type=submit]")
    page.wait_for_selector("#form-errors")


def test_the_appeal_is_one_tap_from_the_home_page_on_a_phone(personas, phone):
    phone.goto("/ru/")
    assert _above_the_fold(phone, "#home-appeal")
    assert phone.locator("#home-q").is_visible()  # and the search box is there too
    phone.select_option("#appeal-council", "almaty")
    phone.tap("#home-appeal")
    phone.wait_for_url("**/councils/almaty/appeals/new/")
    assert phone.locator("#id_subject").is_visible()


def test_the_home_search_finds_councils_by_name(personas, phone):
    phone.goto("/ru/")
    phone.fill("#home-q", "Караганд")
    phone.press("#home-q", "Enter")
    phone.wait_for_url("**/councils/?q=*")
    assert "Общественный совет Караганды" in phone.inner_text("main")
    assert "Общественный совет города Алматы" not in phone.inner_text("main")


@pytest.mark.parametrize("section", ["", "meetings/", "composition/"])
def test_a_council_page_has_the_appeal_button_above_the_fold_on_a_phone(personas, phone, section):
    phone.goto(f"/ru/councils/almaty/{section}")
    assert _above_the_fold(phone, "#council-appeal")
    # The sections are one row that scrolls sideways, not four rows of tabs.
    first, last = phone.locator(".council-nav li").first, phone.locator(".council-nav li").last
    assert first.bounding_box()["y"] == last.bounding_box()["y"]
    phone.tap("#council-appeal")
    phone.wait_for_url("**/councils/almaty/appeals/new/")


def test_the_form_in_error_focuses_a_summary_that_links_to_each_field(personas, phone):
    _form_in_error(phone)
    assert phone.evaluate("document.activeElement.id") == "form-errors"
    assert "Обнаружена проблема" in phone.inner_text("#form-errors")
    phone.locator("#form-errors a[href='#id_name']").tap()
    assert phone.evaluate("document.activeElement.id") == "id_name"
    assert phone.get_attribute("#id_name", "aria-describedby") == "id_name_helptext id_name_error"
    assert phone.locator("#id_name_error").is_visible()


def test_the_citizen_judges_the_answer_on_a_phone_and_the_appeal_reopens(personas, phone, shoot):
    appeal, _created = appeal_submit(
        council=personas.council,
        applicant=ApplicantData(applicant_type="individual", name="Ахметова Динара", email="dinara@example.kz"),
        category="ecology",
        subject="Вырубка деревьев в парке",
        text="В парке Горького вырубают здоровые деревья без разрешения.",
        personal_data_consent=True,
    )
    from appeals.services import appeal_assign
    from councils.models import Body, BodyKind

    body = Body.objects.create(
        council=personas.council,
        convocation=personas.council.convocations.get(),
        key="eco",
        kind=BodyKind.COMMISSION,
        number=1,
        name="Комиссия по экологии",
    )
    appeal_assign(appeal=appeal, by=personas.secretary, body=body)
    appeal_answer(appeal=appeal, by=personas.secretary, text="Вырубка остановлена.")

    phone.goto(tracking_path(appeal, "ru"))
    assert "Вырубка деревьев в парке" in phone.inner_text("#appeal-sent")
    pill = phone.locator("#appeal-status").bounding_box()
    row = phone.locator("main .facts").first.bounding_box()
    assert pill["width"] < row["width"] * 0.75  # a pill, not a bar across the row
    assert phone.locator("#add-message").is_visible()  # the citizen can still reply
    phone.check("#id_feedback-resolved_1")  # "No, it is not resolved"
    phone.click("#feedback button[type=submit]")
    phone.wait_for_selector("#form-errors")  # a reason is needed
    phone.fill("#id_feedback-reason", "Деревья продолжают рубить на соседней аллее.")
    phone.check("#id_feedback-resolved_1")
    phone.click("#feedback button[type=submit]")
    phone.wait_for_selector("#feedback-result")
    shoot(phone, "citizen-tracking-reopened-390")
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.ASSIGNED
    assert "Деревья продолжают рубить" in phone.inner_text("ol.history")
