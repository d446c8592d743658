"""Issue 14, item 8: a secretary records a held meeting (5 agenda items, 30 of 37 members present, the signed
minutes uploaded) in a real browser on a 1366 px desktop, and the clicks it takes are counted: at most 15.

Counting: a click on a link, a button or a tick box is one; choosing from a list is one; attaching a file is one
(the file chooser's own dialog is the browser's); typing into a field is none. The count starts on the dashboard,
right after signing in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from hearings.models import Meeting
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "not-a-real-password"  # the personas' password (tests/conftest.py)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Clicks:
    """The page's actions that a person does with the mouse, counted."""

    def __init__(self, page) -> None:
        self.page = page
        self.count = 0

    def click(self, selector: str) -> None:
        self.count += 1
        self.page.click(selector)

    def uncheck(self, selector: str) -> None:
        self.count += 1
        self.page.uncheck(selector)

    def attach(self, selector: str, files) -> None:
        self.count += 1
        self.page.set_input_files(selector, files)

    def type(self, selector: str, text: str) -> None:  # typing is not a click
        self.page.fill(selector, text)


def _ru_url(name: str, **kwargs) -> str:
    with translation.override("ru"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def desktop(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_secretary_records_a_held_meeting_in_at_most_15_clicks(personas, desktop, shoot, tmp_path):
    page = desktop
    convocation = personas.council.convocations.get()
    roll = [f.MembershipFactory(convocation=convocation).person for _ in range(37)]
    absent = roll[3:10]
    scan = tmp_path / "protocol-signed.pdf"
    scan.write_bytes(PDF)
    held_on = timezone.localdate() - dt.timedelta(days=1)

    page.goto("/ru/accounts/login/")
    page.fill("#id_username", "secretary")
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow-form button[type=submit]")
    page.wait_for_load_state()
    page.goto(_ru_url("workspace:dashboard", slug="almaty"))

    clicks = Clicks(page)
    # 1. The meeting, from the dashboard: its date, title and five questions (two blank rows, three added in place).
    clicks.click("#record-meeting")
    page.wait_for_load_state()
    clicks.type("#id_date", held_on.isoformat())
    clicks.type("#id_title", "Очередное заседание")
    for i in range(5):
        if not page.locator(f"#id_agenda-{i}-title").count():
            clicks.click("#agenda-formset .formset-add")
        clicks.type(f"#id_agenda-{i}-title", f"Вопрос {i + 1}")
    shoot(page, "secretary-meeting-form")
    clicks.click("form.workspace-form button[type=submit]")
    page.wait_for_load_state()

    # 2. Straight on to attendance and the minutes: everyone present, then the seven absent unticked.
    meeting = Meeting.objects.get(council=personas.council)
    assert page.url.endswith(_ru_url("hearings_ws:meeting_attendance", slug="almaty", pk=meeting.pk))
    clicks.click("#attendance-all")
    for person in absent:
        clicks.uncheck(f"input[name=present][value='{person.pk}']")
    assert page.inner_text("#attendance-count").strip().startswith("Отмечено: 30 из 37")
    clicks.attach("#id_minutes", str(scan))
    shoot(page, "secretary-meeting-attendance")
    clicks.click("form.workspace-form button[type=submit]")
    page.wait_for_load_state()

    assert clicks.count <= 15, f"recording the meeting took {clicks.count} clicks"
    meeting.refresh_from_db()
    assert [i.title for i in meeting.agenda_items.order_by("number")] == [f"Вопрос {n}" for n in range(1, 6)]
    assert meeting.attendance == 30
    assert set(meeting.attendees.values_list("person_id", flat=True)) == {p.pk for p in roll} - {p.pk for p in absent}
    assert meeting.minutes
    assert "30 из 37" in page.inner_text("#attendance")
    shoot(page, "secretary-meeting-recorded")


def test_rows_added_and_removed_in_place_are_what_is_saved(personas, desktop):
    page = desktop
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", "secretary")
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow-form button[type=submit]")
    page.wait_for_load_state()
    page.goto(_ru_url("hearings_ws:meeting_add", slug="almaty"))
    page.fill("#id_date", "2019-05-15")
    for i in range(4):
        if not page.locator(f"#id_agenda-{i}-title").count():
            page.click("#agenda-formset .formset-add")
        page.fill(f"#id_agenda-{i}-title", f"Вопрос {i + 1}")
    # The second question (a blank row given with the page) and the fourth (added in place) are removed again.
    page.locator("#id_agenda-1-title").locator("xpath=ancestor::tr").locator(".formset-remove").click()
    page.locator("#id_agenda-3-title").locator("xpath=ancestor::tr").locator(".formset-remove").click()
    assert not page.locator("#id_agenda-1-title").is_visible()
    page.click("form.workspace-form button[type=submit]")
    page.wait_for_load_state()
    meeting = Meeting.objects.get(council=personas.council)
    assert [(i.number, i.title) for i in meeting.agenda_items.order_by("number")] == [(1, "Вопрос 1"), (2, "Вопрос 3")]
