"""Issue 22's journey in a real browser, in Kazakh: a citizen withdraws consent from the tracking page and asks
for their data; the secretary fulfils the request; the citizen downloads the file and finds the appeal's text."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from appeals.models import AppealStatus
from privacy.models import DataRequest, RequestStatus
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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
