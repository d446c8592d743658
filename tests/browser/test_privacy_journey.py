"""Issue 22's journey in Kazakh, in a real browser: a citizen sends an appeal, reads the privacy notice from the
form, withdraws consent from the tracking page; the appeal is still answered, and then its personal data is gone.
The second journey is the data request: after withdrawing consent the citizen asks for their data, the secretary
fulfils the request, and the file arrives with the appeal's text."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from appeals.models import Appeal, AppealStatus
from appeals.services import appeal_answer, appeal_assign
from councils.models import Body, BodyKind
from privacy.models import DataRequest, RequestStatus
from tests import factories as f

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


EMAIL = "aigerim@example.kz"
TEXT = "Саябақтағы ағаштар рұқсатсыз кесіліп жатыр, шара қолдануды сұраймын."


def _link(subject_part: str) -> str:
    letter = next(m for m in reversed(mail.outbox) if subject_part in m.body or subject_part in m.subject)
    url = re.search(r"https?://\S+", letter.body).group(0)
    return "/" + url.split("/", 3)[3]


def test_citizen_withdraws_consent_asks_for_data_and_downloads_it_in_kazakh(
    personas, page, browser, live_server, shoot
):
    appeal = f.AppealFactory(
        council=personas.council,
        email=EMAIL,
        applicant_name="Әбенова Әйгерім",
        subject="Ағаш кесу",
        text=TEXT,
        language="kk",
        tracking_token="k" * 40,
        status=AppealStatus.REGISTERED,
        registered_at=timezone.now(),
    )
    with translation.override("kk"):
        tracking = reverse("appeals:track", kwargs={"number": appeal.number, "token": appeal.tracking_token})

    # 1. The tracking page, in Kazakh: the citizen withdraws consent (the open appeal is still considered).
    page.goto(tracking)
    assert page.locator("html").get_attribute("lang") == "kk"
    page.click("#withdraw-consent")
    page.check("#id_confirm")
    shoot(page, "privacy-withdraw-consent-kk")
    page.click("#withdraw-consent-confirm")
    page.wait_for_selector("#consent-withdrawn")

    # 2. The privacy request page: an access request for the address.
    page.goto("/kk/privacy/request/")
    assert page.locator("html").get_attribute("lang") == "kk"
    page.fill("#id_email", EMAIL)
    page.check("input[name=kind][value=access]")
    shoot(page, "privacy-request-form-kk")
    page.click("form.privacy-request-form button[type=submit]")
    page.wait_for_selector("#request-sent")

    # 3. The one-time link from the mail: a page with a button, then the registered request and its deadline.
    page.goto(_link("/privacy/confirm/"))
    page.click("#confirm-request")
    page.wait_for_selector("#registered-requests")
    request = DataRequest.objects.get()
    assert request.number in page.inner_text("#registered-requests")
    assert request.council == personas.council
    shoot(page, "privacy-request-registered-kk")

    # 4. The secretary signs in, sees the request with its deadline, and assembles the file.
    staff = browser.new_context(base_url=live_server.url, locale="kk-KZ").new_page()
    staff.goto("/kk/accounts/login/")
    staff.fill("#id_username", "secretary")
    staff.fill("#id_password", "not-a-real-password")
    staff.click("form.narrow-form button[type=submit]")
    staff.goto(f"/kk/workspace/{personas.council.slug}/privacy/requests/")
    row = staff.locator(f"tr[data-number='{request.number}']")
    assert "→" in row.inner_text()  # the deadline's computation is shown
    shoot(staff, "privacy-staff-requests-kk")
    row.locator("a").click()
    staff.click("#do-assemble")
    staff.wait_for_selector(".messages")
    request.refresh_from_db()
    assert request.status == RequestStatus.FULFILLED
    shoot(staff, "privacy-staff-request-fulfilled-kk")

    # 5. The citizen follows the download link from the mail; the file holds the appeal's text.
    page.goto(_link("/privacy/download/"))
    shoot(page, "privacy-download-kk")
    with page.expect_download() as download_info:
        page.click("#download-file")
    download = download_info.value
    assert download.suggested_filename == f"{request.number}.zip"
    with open(download.path(), "rb") as handle:
        data = json.loads(zipfile.ZipFile(io.BytesIO(handle.read())).read("data.json"))
    texts = [field["value"] for record in data["records"] for field in record["fields"]]
    assert TEXT in texts

    # 6. The pages at phone width.
    phone = browser.new_context(base_url=live_server.url, locale="kk-KZ", viewport={"width": 390, "height": 844})
    mobile = phone.new_page()
    mobile.goto("/kk/privacy/request/")
    shoot(mobile, "privacy-request-form-kk-390")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
