"""The demo, as `make run` shows it, looks like a council: real-looking names, no «(демо)» placeholders in what a
visitor reads. The demo records are still marked, in the data (`is_demo`)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from councils.models import Person

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"демо\b|\(демо|\bdemo\b|демо-запись", re.IGNORECASE)


class _VisibleText(HTMLParser):
    """The text a visitor reads: everything outside <script>, <style> and tags' attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.fixture
def demo() -> str:
    call_command("load_demo")
    return "almaty"


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_no_public_page_of_the_demo_shows_a_demo_placeholder(demo, language):
    client = Client()
    pages = [reverse("reports:home")] + [
        reverse(f"reports:{name}", kwargs={"slug": demo})
        for name in ("council", "composition", "monitoring", "draft_reviews", "recommendations", "reports")
    ]
    pages = [page.replace("/ru/", f"/{language}/", 1) for page in pages]
    for url in pages:
        for query in ("", "?year=2019"):
            response = client.get(url + query)
            assert response.status_code == 200, url
            text = visible_text(response.content.decode())
            found = PLACEHOLDER.findall(text)
            assert not found, f"{url}{query} shows {found}"


def test_demo_people_have_real_looking_names_and_keep_the_demo_flag(demo):
    people = Person.objects.filter(council__slug=demo, is_demo=True)
    assert people.count() == 24  # 21 invented members and 3 experts, where the report gives only counts
    for person in people:
        assert not PLACEHOLDER.search(person.full_name), person.full_name
        assert len(person.full_name.split()) >= 3, person.full_name  # surname, name, patronymic
    chair = Person.objects.get(council__slug=demo, key="p-demo-01")
    assert chair.full_name == "Ахметова Динара Сериковна"
