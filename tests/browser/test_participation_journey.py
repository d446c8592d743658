"""Issue 18's and 19's journeys in a real browser, on a phone in Kazakh: a citizen comments on an open EIA hearing,
and on a draft act under review; the comment is not on the page until a moderator approves it in the workspace;
then it appears, signed with the pseudonym the citizen chose, without their name or e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from participation.models import CommentStatus, PublicComment
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Карьердің шаңы ауылға жетпеуі үшін жолдарды суару керек."


def test_a_citizen_comments_in_kazakh_a_moderator_approves_it_and_it_appears(personas, browser, live_server, shoot):
    today = timezone.localdate()
    hearing = f.PublicHearingFactory(
        council=personas.council,
        topic="Талғар карьерінің ықтимал әсер ету туралы есебі бойынша қоғамдық тыңдау",
        date=today + dt.timedelta(days=10),
        kind="eia",
        project="Талғар құрылыс тасы карьері",
        operator="«Талғар Тас» ЖШС",
        notice_date=today - dt.timedelta(days=30),
        comments_open=today - dt.timedelta(days=1),
        comments_close=today + dt.timedelta(days=5),
    )
    phone = browser.new_context(
        base_url=live_server.url, locale="kk-KZ", viewport={"width": 390, "height": 844}, is_mobile=True
    ).new_page()
    phone.set_default_timeout(15_000)

    # 1. The citizen opens the hearing's page in Kazakh on a phone and sends a comment.
    phone.goto(f"/kk/councils/almaty/hearings/{hearing.pk}/consultation/")
    assert phone.locator("html").get_attribute("lang") == "kk"
    assert "Ескерту немесе сұрақ жіберу" in phone.inner_text("#comment-form-h")
    phone.fill("#id_text", TEXT)
    phone.fill("#id_name", "Сәрсенбаева Гүлнар")
    phone.fill("#id_email", "gulnar@example.kz")
    phone.fill("#id_pseudonym", "Талғар тұрғыны")
    phone.check("#id_personal_data_consent")
    phone.click("#send-comment")
    phone.wait_for_selector("#comment-sent")
    shoot(phone, "participation-comment-sent-390-kk")

    # 2. Not public yet.
    comment = PublicComment.objects.get()
    assert comment.status == CommentStatus.PENDING and comment.language == "kk"
    assert TEXT not in phone.inner_text("#comments")

    # 3. The moderator approves it in the workspace.
    staff = browser.new_context(base_url=live_server.url, locale="ru-RU").new_page()
    staff.goto("/ru/accounts/login/")
    staff.fill("#id_username", "secretary")
    staff.fill("#id_password", "not-a-real-password")
    staff.click("form.narrow-form button[type=submit]")
    staff.goto("/ru/workspace/almaty/participation/?status=pending")
    staff.click(f"text={TEXT[:40]}")
    staff.check("#moderation-form input[name=decision][value=publish]")
    staff.click("#moderate")
    staff.wait_for_load_state()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED

    # 4. It appears on the public page, signed with the pseudonym; the name and e-mail do not.
    phone.goto(f"/kk/councils/almaty/hearings/{hearing.pk}/consultation/")
    comments = phone.inner_text("#comments")
    assert TEXT in comments and "Талғар тұрғыны" in comments
    body = phone.content()
    assert "Сәрсенбаева" not in body and "gulnar@example.kz" not in body
    shoot(phone, "participation-comment-published-390-kk")


DRAFT_TEXT = "Жобада аулаларды абаттандыру кезінде тұрғындардың пікірін ескеру тәртібі жазылмаған."


def test_a_citizen_comments_on_a_draft_in_kazakh_a_moderator_approves_it_and_it_appears(
    personas, browser, live_server, shoot
):
    today = timezone.localdate()
    draft = f.DraftActReviewFactory(
        council=personas.council,
        title="Алматы қаласын абаттандыру қағидаларына өзгерістер енгізу туралы шешім жобасы",
        discussion_start=today - dt.timedelta(days=3),
        discussion_end=today + dt.timedelta(days=7),
        conclusion="",
        draft_url="https://legalacts.egov.kz/npa/view?id=14900000",
    )
    phone = browser.new_context(
        base_url=live_server.url, locale="kk-KZ", viewport={"width": 390, "height": 844}, is_mobile=True
    ).new_page()
    phone.set_default_timeout(15_000)

    # 1. The citizen opens the draft's page in Kazakh on a phone: the official text's link, and the comment form.
    phone.goto(f"/kk/councils/almaty/draft-reviews/{draft.pk}/consultation/")
    assert phone.locator("html").get_attribute("lang") == "kk"
    assert phone.locator("#draft-link").get_attribute("href") == draft.draft_url
    phone.fill("#id_text", DRAFT_TEXT)
    phone.fill("#id_name", "Омарова Сәуле")
    phone.fill("#id_email", "saule@example.kz")
    phone.fill("#id_pseudonym", "Медеу ауданының тұрғыны")
    phone.check("#id_personal_data_consent")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("#send-comment")
    phone.wait_for_selector("#comment-sent")
    shoot(phone, "participation-draft-comment-sent-390-kk")

    # 2. Waiting for moderation: not on the page.
    comment = PublicComment.objects.get()
    assert comment.draft == draft and comment.status == CommentStatus.PENDING and comment.language == "kk"
    assert DRAFT_TEXT not in phone.inner_text("main")

    # 3. The moderator approves it in the workspace.
    staff = browser.new_context(base_url=live_server.url, locale="ru-RU").new_page()
    staff.set_default_timeout(15_000)
    staff.goto("/ru/accounts/login/")
    staff.fill("#id_username", "secretary")
    staff.fill("#id_password", "not-a-real-password")
    staff.click("form.narrow-form button[type=submit]")
    staff.goto("/ru/workspace/almaty/participation/?status=pending")
    staff.click(f"text={DRAFT_TEXT[:40]}")
    staff.check("#moderation-form input[name=decision][value=publish]")
    staff.click("#moderate")
    staff.wait_for_load_state()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED

    # 4. On the draft's public page, under the pseudonym; the name and e-mail nowhere.
    phone.goto(f"/kk/councils/almaty/draft-reviews/{draft.pk}/consultation/")
    comments = phone.inner_text("#comments")
    assert DRAFT_TEXT in comments and "Медеу ауданының тұрғыны" in comments
    body = phone.content()
    assert "Омарова" not in body and "saule@example.kz" not in body
    shoot(phone, "participation-draft-comment-published-390-kk")
