"""Issue 22's journey in Kazakh, in a real browser: a citizen sends an appeal, reads the privacy notice from the
form, withdraws consent from the tracking page; the appeal is still answered, and then its personal data is gone.
(The data request half of the journey is added with the request form.)"""

from __future__ import annotations

import pytest
from django.core import mail

from appeals.models import Appeal, AppealStatus
from appeals.services import appeal_answer, appeal_assign
from councils.models import Body, BodyKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_withdraws_consent_in_kazakh_and_the_answered_appeal_is_anonymised(personas, page, shoot):
    commission = Body.objects.create(
        council=personas.council,
        convocation=personas.council.convocations.get(),
        key="com-2",
        kind=BodyKind.COMMISSION,
        number=2,
        name="Экология комиссиясы",
    )

    # 1. The form, in Kazakh, links the privacy notice beside the consent box.
    page.goto("/kk/councils/almaty/appeals/new/")
    assert page.locator("html").get_attribute("lang") == "kk"
    notice_link = page.locator("a.privacy-link")
    assert notice_link.inner_text().strip() == "Портал дербес деректерді қалай өңдейді"
    page.fill("#id_name", "Сәрсенбаева Айгерім")
    page.fill("#id_email", "aigerim@example.kz")
    page.select_option("#id_category", "ecology")
    page.fill("#id_subject", "Саябақтағы ағаштарды кесу")
    page.fill("#id_text", "Саябақта сау ағаштарды рұқсатсыз кесіп жатыр.")
    page.check("#id_personal_data_consent")
    page.click("form.appeal-form button[type=submit]")
    page.wait_for_selector("#confirmation")
    appeal = Appeal.objects.get()

    # 2. The notice it links is in Kazakh and says where the data is kept.
    notice = page.context.new_page()
    notice.goto("/kk/privacy/")
    assert "Құпиялылық саясаты" in notice.inner_text("h1")
    assert "Қазақстан Республикасының аумағында" in notice.inner_text("#storage")
    shoot(notice, "privacy-notice-kk")
    notice.close()

    # 3. The tracking page offers the withdrawal; the next page explains it and asks for a confirmation.
    page.click("#withdraw-consent")
    effect = page.inner_text("#withdrawal-effect")
    assert "Әкімшілік рәсімдік-процестік кодекс" in effect  # why the open appeal is still considered
    shoot(page, "consent-withdraw-kk")
    page.click("#withdraw-consent-confirm")  # without the box ticked: refused, nothing withdrawn
    assert "Келісімді кері қайтарып алатыныңызды растау үшін белгі қойыңыз." in page.inner_text("form")
    assert Appeal.objects.get().consent_withdrawn_at is None
    page.check("#id_confirm")
    page.click("#withdraw-consent-confirm")
    page.wait_for_selector("#consent-withdrawn")
    assert "кері қайтарып алдыңыз" in page.inner_text("#consent-withdrawn")
    assert "Дербес деректерді өңдеуге келісім кері қайтарылды." in page.inner_text(".history")
    shoot(page, "consent-withdrawn-kk")

    # 4. The council still answers; the answer reaches the applicant; then the data is erased.
    appeal = Appeal.objects.get()
    appeal_assign(appeal=appeal, by=personas.secretary, body=commission)
    mail.outbox.clear()
    appeal_answer(appeal=Appeal.objects.get(), by=personas.secretary, text="Тексеру тағайындалды.")
    assert [m.to for m in mail.outbox] == [["aigerim@example.kz"]]
    appeal = Appeal.objects.get()
    assert appeal.status == AppealStatus.ANSWERED
    assert (appeal.applicant_name, appeal.email, appeal.text) == ("", "", "")

    page.reload()
    assert "Сәрсенбаева" not in page.content()
    assert "Осы өтініштегі дербес деректеріңіз жойылды." in page.inner_text("#consent-withdrawn")
    shoot(page, "consent-withdrawn-anonymised-kk")
