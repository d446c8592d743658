"""Issue 19's follow journey in a real browser: a citizen on a phone follows a recommendation from its card on the
tracker, confirms the address by the mail's link; the secretary records the state body's answer in the workspace;
the beat's run tells the follower by mail (through the outbox), with the one-click unsubscribe link; the link
unsubscribes and deletes the address."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from alerts.models import Subscription
from alerts.tasks import send_follow_news
from monitoring.models import RecommendationStatus
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "aigerim.follower@example.kz"
ANSWER = "Освещение на остановках Алатауского района будет установлено до 1 декабря."


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _link(body: str, marker: str) -> str:
    return _path(re.search(rf"https?://\S*{marker}\S*", body).group(0))


def test_a_citizen_follows_a_recommendation_and_receives_the_change_mail(personas, browser, live_server, shoot):
    recommendation = f.RecommendationFactory(
        council=personas.council,
        text="Установить освещение на остановках общественного транспорта Алатауского района.",
        state_body=f.StateBodyFactory(slug="almaty-akimat", name="Акимат города Алматы"),
        status=RecommendationStatus.SENT,
    )
    phone = browser.new_context(
        base_url=live_server.url, locale="ru-RU", viewport={"width": 390, "height": 844}, is_mobile=True
    ).new_page()
    phone.set_default_timeout(15_000)

    # 1. The card on the tracker has a link to follow it; the form asks only for the address and consent.
    phone.goto("/ru/councils/almaty/recommendations/?year=2019")
    phone.click(f"#rec-{recommendation.pk} a.follow-link")
    phone.wait_for_selector("#follow-form")
    assert "Установить освещение" in phone.inner_text("main")
    phone.fill("#id_email", EMAIL)
    phone.check("#id_personal_data_consent")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(phone, "follow-form-390-ru")
    phone.click("#follow-submit")
    phone.wait_for_url("**/alerts/subscribe/sent/")

    # 2. Only the confirmation is sent; its link confirms.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    phone.goto(_link(mail.outbox[0].body, "/alerts/confirm/"))
    assert "Установить освещение" in phone.inner_text("#follow-confirmed")
    assert Subscription.objects.get(email=EMAIL).confirmed_at is not None
    mail.outbox.clear()

    # 3. The secretary records the state body's answer in the workspace.
    staff = browser.new_context(base_url=live_server.url, locale="ru-RU").new_page()
    staff.set_default_timeout(15_000)
    staff.goto("/ru/accounts/login/")
    staff.fill("#id_username", "secretary")
    staff.fill("#id_password", "not-a-real-password")
    staff.click("form.narrow-form button[type=submit]")
    staff.wait_for_load_state()
    with translation.override("ru"):
        detail = reverse("monitoring_ws:recommendation_detail", kwargs={"slug": "almaty", "pk": recommendation.pk})
    staff.goto(detail)
    box = staff.locator("#action-respond")
    box.locator("summary").click()
    box.locator("textarea[name=text]").fill(ANSWER)
    box.locator("button[type=submit]").click()
    staff.wait_for_load_state()
    assert ANSWER in staff.inner_text("#responses")

    # 4. The beat's run tells the follower, once.
    assert send_follow_news() == 1
    assert send_follow_news() == 0
    assert len(mail.outbox) == 1
    news = mail.outbox[0]
    assert news.to == [EMAIL]
    assert "Изменения" in news.subject
    assert "Новых ответов: 1." in news.body and "Статус: Ответ получен." in news.body
    unsubscribe = _link(news.body, "/alerts/unsubscribe/")
    assert news.extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe}>")

    # 5. The follower sees the answer on the tracker, and unsubscribes in one click.
    phone.goto(_link(news.body, "/ru/councils/almaty/recommendations/"))
    assert ANSWER in phone.inner_text(f"#rec-{recommendation.pk}")
    phone.goto(unsubscribe)
    assert not Subscription.objects.filter(email=EMAIL).exists()
    shoot(phone, "follow-unsubscribed-390-ru")


def test_a_citizen_on_a_phone_follows_a_state_body_in_kazakh(personas, browser, live_server, shoot):
    body = f.StateBodyFactory(slug="almaty-police", name="Департамент полиции г. Алматы")
    f.RecommendationFactory(council=personas.council, state_body=body, status=RecommendationStatus.SENT)
    phone = browser.new_context(
        base_url=live_server.url, locale="kk-KZ", viewport={"width": 390, "height": 844}, is_mobile=True
    ).new_page()
    phone.set_default_timeout(15_000)

    phone.goto(f"/kk/state-bodies/{body.slug}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("a.follow-link")
    phone.wait_for_selector("#follow-form")
    assert "Департамент полиции" in phone.inner_text("main")
    assert "осы мемлекеттік органға ұсыным жолдағанда" in phone.inner_text("main")
    phone.fill("#id_email", EMAIL)
    phone.check("#id_personal_data_consent")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(phone, "follow-state-body-390-kk")
    phone.click("#follow-submit")
    phone.wait_for_url("**/alerts/subscribe/sent/")

    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    phone.goto(_link(mail.outbox[0].body, "/alerts/confirm/"))
    assert Subscription.objects.get(email=EMAIL).confirmed_at is not None
