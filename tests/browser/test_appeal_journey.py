"""Issue 4's journey in a real browser: a citizen submits an appeal in Russian with a PDF, follows it; the
secretary assigns, forwards and answers it; the citizen's tracking page shows the answer."""

from __future__ import annotations

import pytest
from django.utils import translation

from appeals.models import Appeal, AppealStatus
from councils.models import Body, BodyKind, StateBody

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _ru(status: str) -> str:
    with translation.override("ru"):
        return str(AppealStatus(status).label)


def test_citizen_submits_and_follows_an_appeal_the_secretary_answers_it(personas, page, browser, live_server, shoot):
    commission = Body.objects.create(
        council=personas.council,
        convocation=personas.council.convocations.get(),
        key="com-2",
        kind=BodyKind.COMMISSION,
        number=2,
        name="Комиссия по вопросам комфортной городской среды",
    )
    state_body = StateBody.objects.create(slug="almaty-green-economy", name="Управление зеленой экономики г. Алматы")

    # 1. The citizen fills the form in Russian and attaches a PDF.
    page.goto("/ru/councils/almaty/appeals/new/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.fill("#id_name", "Ахметова Динара Сериковна")
    page.fill("#id_email", "dinara@example.kz")
    page.select_option("#id_category", "ecology")
    page.fill("#id_subject", "Вырубка деревьев в парке")
    page.fill("#id_text", "В парке Горького вырубают здоровые деревья без разрешения.")
    page.set_input_files("#id_attachments", files=[{"name": "akt.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.check("#id_personal_data_consent")
    shoot(page, "appeal-form-filled")
    page.click("form.appeal-form button[type=submit]")

    # 2. The confirmation shows the number and the private tracking link.
    page.wait_for_selector("#confirmation")
    appeal = Appeal.objects.get()
    assert appeal.number in page.inner_text("#confirmation")
    tracking_link = page.inner_text(".tracking-link").strip()
    assert appeal.tracking_token in tracking_link
    assert page.inner_text("#appeal-status").strip() == _ru(AppealStatus.REGISTERED)
    assert appeal.attachments.get().original_name == "akt.pdf"
    shoot(page, "appeal-confirmation")

    # 3. The secretary signs in and works the appeal.
    staff = browser.new_context(base_url=live_server.url, locale="ru-RU").new_page()
    staff.goto("/ru/accounts/login/")
    staff.fill("#id_username", "secretary")
    staff.fill("#id_password", "not-a-real-password")
    staff.click("form.narrow-form button[type=submit]")
    staff.goto(f"/ru/workspace/almaty/appeals/{appeal.number}/")
    assert appeal.number in staff.inner_text("h1")

    def act(action: str, fill) -> None:
        box = staff.locator(f"#action-{action}")
        box.locator("summary").click()
        fill(box)
        box.locator("button[type=submit]").click()
        staff.wait_for_load_state()

    act("assign", lambda box: box.locator("select[name=assign-body]").select_option(str(commission.pk)))
    act(
        "forward",
        lambda box: (
            box.locator("select[name=forward-state_body]").select_option(str(state_body.pk)),
            box.locator("textarea[name=forward-letter]").fill("Направляем обращение по компетенции."),
        ),
    )
    act(
        "body-answer",
        lambda box: box.locator("textarea[name=body-answer-text]").fill("Проверка проведена, вырубка остановлена."),
    )
    answer = "Управление зеленой экономики остановило вырубку; виновные привлечены к ответственности."
    act("answer", lambda box: box.locator("textarea[name=answer-text]").fill(answer))
    shoot(staff, "appeal-staff-answered")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ANSWERED
    assert [h.status for h in appeal.history.all()] == [
        AppealStatus.REGISTERED,
        AppealStatus.ASSIGNED,
        AppealStatus.FORWARDED,
        AppealStatus.ANSWER_RECEIVED,
        AppealStatus.ANSWERED,
    ]

    # 4. The citizen's tracking page shows the answer.
    page.goto(tracking_link)
    assert page.inner_text("#appeal-status").strip() == _ru(AppealStatus.ANSWERED)
    assert answer in page.inner_text("#appeal-answer")
    shoot(page, "appeal-tracking-answered")
