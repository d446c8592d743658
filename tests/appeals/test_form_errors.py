"""How a form tells its errors (the GOV.UK error summary pattern), on the public appeal form and on the workspace
forms, which share the field partial (templates/forms/): one summary at the top, announced once and focused,
linking each error to its field; each field names its error in aria-describedby, and that id exists."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from .conftest import appeal_form_data

pytestmark = pytest.mark.django_db

PUBLIC = "/ru/councils/almaty/appeals/new/"
STAFF = "/ru/workspace/almaty/appeals/new/"


class _Page(HTMLParser):
    """The ids on a page, every aria-describedby, every role="alert" and the summary's links."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described_by: list[tuple[str, str]] = []
        self.alerts: list[dict] = []
        self.summary_links: list[str] = []
        self._in_summary = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if a.get("aria-describedby"):
            for ref in a["aria-describedby"].split():
                self.described_by.append((a.get("id") or a.get("name") or tag, ref))
        if a.get("role") == "alert":
            self.alerts.append(a)
        if a.get("id") == "form-errors":
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        if self._in_summary and tag == "a":
            self.summary_links.append(a.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if self._in_summary and tag == "div":
            self._in_summary -= 1


def _dangling(page: _Page) -> list[tuple[str, str]]:
    return [(owner, ref) for owner, ref in page.described_by if ref not in page.ids]


def test_every_error_a_field_points_at_exists_on_the_public_form(personas, client):
    response = client.post(PUBLIC, appeal_form_data(name="", email="", phone="12", bin_iin="1"))
    assert response.status_code == 400
    page = _Page(response.text)
    assert ("id_name", "id_name_error") in page.described_by
    assert _dangling(page) == []


def test_every_error_a_field_points_at_exists_on_the_workspace_forms(personas):
    secretary = personas.client_for(personas.secretary)
    response = secretary.post(STAFF, {**appeal_form_data(name="", channel="email"), "personal_data_consent": ""})
    assert response.status_code == 400
    assert _dangling(_Page(response.text)) == []
    # A form built from the workspace's own partials (templates/workspace/_form_page.html).
    review = secretary.post(
        reverse("monitoring_ws:draft_add", kwargs={"slug": "almaty"}),
        {"title": "", "discussion_start": "2019-03-01", "discussion_end": "2019-03-02", "conclusion": "approved"},
    )
    assert review.status_code == 400
    page = _Page(review.text)
    assert ("id_title", "id_title_error") in page.described_by
    assert _dangling(page) == []


def test_the_error_summary_is_announced_once_focused_and_links_every_error_to_its_field(personas, client):
    response = client.post(PUBLIC, appeal_form_data(name="", subject="", email="", phone=""))
    page = _Page(response.text)
    # One live region: the summary. The lists beside the fields are read with their fields, not all at once.
    assert [alert.get("id") for alert in page.alerts] == ["form-errors"]
    summary = page.alerts[0]
    assert summary.get("tabindex") == "-1" and "autofocus" in summary
    assert "Обнаружена проблема" in response.text  # "There is a problem"
    assert page.summary_links == ["#id_name", "#id_email", "#id_subject"]  # in the order of the form
    assert all(link[1:] in page.ids for link in page.summary_links)


def test_fields_required_only_in_some_cases_say_so_before_sending(personas, client):
    html = client.get(PUBLIC).text
    for field in ("name", "email", "phone"):
        label = re.search(rf'<label for="id_{field}">(.*?)</label>', html, re.S)
        assert label and 'class="req"' in label.group(1), field
    assert "Поля, отмеченные *, обязательны." in html


def test_the_phone_opens_the_phone_keypad_and_the_browser_can_fill_in_the_applicant(personas, client):
    html = client.get(PUBLIC).text
    phone = re.search(r"<input[^>]*name=\"phone\"[^>]*>", html).group(0)
    assert 'type="tel"' in phone and 'autocomplete="tel"' in phone
    for name, token in (("name", "name"), ("email", "email"), ("organisation", "organization")):
        field = re.search(rf"<input[^>]*name=\"{name}\"[^>]*>", html).group(0)
        assert f'autocomplete="{token}"' in field, name
