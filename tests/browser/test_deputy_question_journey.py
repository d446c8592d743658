"""Issue 21's journey in a real browser, at phone width: a citizen finds their deputy from a locality and asks a
question in Kazakh, and confirms the address from the receipt mail; the NGO's moderator publishes it (the deputy is
mailed it with a reply address); the deputy's office answers on the portal; the deputy's page shows the answer and
the response rate, and never the author's name or e-mail; the author is mailed the answer, in Kazakh."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail

from deputies.models import Question, QuestionStatus
from tests.deputies.world import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUTHOR = "Айгерим Сәрсенова"
EMAIL = "aigerim.journey@example.kz"


def _sign_in(browser, live_server, username: str):
    page = browser.new_context(base_url=live_server.url, locale="ru-RU").new_page()
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "x-not-real")
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"
    return page


def _mails_to(address: str, *, containing: str = "", wait: float = 5.0):
    """The mails sent so far to `address` (the outbox runs after each request's commit; give it a moment)."""
    deadline = time.monotonic() + wait
    while True:
        found = [m for m in mail.outbox if m.to == [address] and containing in m.body]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_a_citizen_asks_in_kazakh_the_office_answers_and_the_rate_appears(browser, live_server, shoot):
    world = build()
    citizen = browser.new_context(
        base_url=live_server.url, locale="kk-KZ", viewport={"width": 390, "height": 844}
    ).new_page()

    # 1. From a locality to the constituency's deputy, in Kazakh.
    citizen.goto("/kk/deputies/who/")
    assert citizen.locator("html").get_attribute("lang") == "kk"
    citizen.select_option("#id_locality", str(world.locality.pk))
    citizen.click("#find-deputy")
    citizen.wait_for_selector("#who-result")
    assert "Иванова Анна Петровна" in citizen.inner_text("#who-result")
    citizen.click("#who-result a.deputy-link")
    citizen.wait_for_selector("#ask-question")

    # 2. The question, in Kazakh, with consent and the code of conduct.
    citizen.click("#ask-question")
    citizen.fill("#id_subject", "Көше жарығы")
    citizen.fill("#id_text", "Шығыс шағын ауданындағы көшеге жарық қашан орнатылады?")
    citizen.fill("#id_author_name", AUTHOR)
    citizen.fill("#id_author_email", EMAIL)
    citizen.check("#id_accepts_code")
    citizen.check("#id_personal_data_consent")
    shoot(citizen, "deputy-question-kk-390")
    citizen.click("#send-question")
    citizen.wait_for_selector("#question-received")
    question = Question.objects.get()
    assert (question.language, question.status) == ("kk", QuestionStatus.PENDING)
    assert "Көше жарығы" not in citizen.inner_text("main")  # not public before moderation

    # 2b. The receipt, in Kazakh, asks to confirm the address (double opt-in); the citizen follows the link.
    receipt = _mails_to(EMAIL, containing="/questions/confirm/")
    assert receipt and receipt[0].subject.startswith("Депутатқа қойған сұрағыңыз қабылданды")
    confirm = re.search(r"https?://\S+/questions/confirm/\S+", receipt[0].body).group(0)
    citizen.goto(urlsplit(confirm).path)
    citizen.wait_for_selector("#author-confirmed")

    # 3. The NGO's moderator publishes it.
    moderator = _sign_in(browser, live_server, world.reviewer.username)
    moderator.goto(f"/ru/workspace/{world.ngo.slug}/deputies/questions/{question.pk}/moderate/")
    moderator.check("input[name=decision][value=publish]")
    moderator.click("#save-decision")
    moderator.wait_for_url(f"**/workspace/{world.ngo.slug}/deputies/questions/")
    to_deputy = _mails_to("o@m.kz", containing="Шығыс шағын ауданындағы")
    assert to_deputy and AUTHOR not in to_deputy[0].body and EMAIL not in to_deputy[0].body

    # 4. The deputy's office answers on the portal.
    office = _sign_in(browser, live_server, world.office.username)
    office.goto("/ru/deputy-office/")
    office.click("a.answer-link")
    office.fill("#id_text", "Жарық мамыр айында орнатылады. Освещение установят в мае.")
    office.click("#send-answer")
    office.wait_for_url("**/deputy-office/")

    # 5. The citizen sees the answer and the response rate; the author's name and e-mail are nowhere.
    citizen.goto(f"/kk/deputies/people/{world.ivanova.slug}/")
    text = citizen.inner_text("main")
    assert "Көше жарығы" in text and "Жарық мамыр айында орнатылады." in text
    assert "100%" in citizen.inner_text("#response-rate")
    assert AUTHOR not in citizen.content() and EMAIL not in citizen.content()
    shoot(citizen, "deputy-page-answered-kk-390")

    # 6. The author is told of the answer, in Kazakh, with a one-click unsubscribe.
    answered = _mails_to(EMAIL, containing="Жарық мамыр айында орнатылады.")
    assert answered and answered[0].subject.startswith("Депутат сұрағыңызға жауап берді")
    assert "List-Unsubscribe" in answered[0].extra_headers
