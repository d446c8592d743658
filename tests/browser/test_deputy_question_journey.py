"""Issue 21's journey in a real browser, at phone width: a citizen finds their deputy from a locality and asks a
question in Kazakh; the NGO's moderator publishes it; the deputy's office answers on the portal; the deputy's page
shows the answer and the response rate, and never the author's name or e-mail."""

from __future__ import annotations

import pytest

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

    # 3. The NGO's moderator publishes it.
    moderator = _sign_in(browser, live_server, world.reviewer.username)
    moderator.goto(f"/ru/workspace/{world.ngo.slug}/deputies/questions/{question.pk}/moderate/")
    moderator.check("input[name=decision][value=publish]")
    moderator.click("#save-decision")
    moderator.wait_for_url(f"**/workspace/{world.ngo.slug}/deputies/questions/")

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
