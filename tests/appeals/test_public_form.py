"""A citizen submits an appeal through the public form, gets a number and a private link, and follows it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from appeals.models import Appeal, AppealStatus

from .conftest import appeal_form_data, docx_file, pdf_file, png_file

pytestmark = pytest.mark.django_db

URL = "/ru/councils/almaty/appeals/new/"


def test_form_page_says_anonymous_appeals_are_not_considered(personas, client):
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="personal_data_consent"' in response.text
    assert "94-V" in response.text  # the consent text names the law


def test_valid_appeal_is_registered_with_a_number_and_a_private_link(
    personas, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {**appeal_form_data(), "attachments": [pdf_file(), png_file(), docx_file()]})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.number == f"ALM-{appeal.year}-000001"
    assert appeal.status == AppealStatus.REGISTERED
    assert appeal.due_date is not None
    assert appeal.attachments.count() == 3
    assert appeal.history.get().status == AppealStatus.REGISTERED
    assert appeal.tracking_token in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert appeal.number in page.text
    assert 'id="confirmation"' in page.text
    # The registration mail goes out after commit, with the private link.
    assert len(mail.outbox) == 1
    assert appeal.number in mail.outbox[0].subject
    assert appeal.tracking_token in mail.outbox[0].body


def test_the_same_form_posted_twice_creates_one_appeal(personas, client):
    first = client.post(URL, appeal_form_data())
    second = client.post(URL, appeal_form_data())
    assert Appeal.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_numbers_follow_each_other_within_a_council_and_year(personas, client):
    for key in ("a" * 32, "b" * 32, "c" * 32):
        client.post(URL, appeal_form_data(submission_key=key))
    numbers = sorted(Appeal.objects.values_list("sequence", flat=True))
    assert numbers == [1, 2, 3]


def test_missing_name_is_shown_beside_the_field_and_typed_text_is_kept(personas, client):
    response = client.post(URL, appeal_form_data(name=""))
    assert response.status_code == 400
    assert Appeal.objects.count() == 0
    assert 'id="id_name_error"' in response.text
    assert "В парке Горького вырубают здоровые деревья" in response.text  # nothing typed is lost
    assert "dinara@example.kz" in response.text


def test_errors_are_in_the_users_language(personas, client):
    response = client.post("/en/councils/almaty/appeals/new/", appeal_form_data(name=""))
    assert "anonymous appeals are not considered" in response.text


def test_an_appeal_needs_an_email_or_a_phone(personas, client):
    response = client.post(URL, appeal_form_data(email="", phone=""))
    assert response.status_code == 400
    assert 'id="id_email_error"' in response.text
    assert Appeal.objects.count() == 0


def test_a_legal_entity_names_its_organisation(personas, client):
    response = client.post(URL, appeal_form_data(applicant_type="legal_entity", organisation=""))
    assert response.status_code == 400
    assert 'id="id_organisation_error"' in response.text


def test_bad_bin_and_bad_email_are_refused(personas, client):
    response = client.post(URL, appeal_form_data(bin_iin="12345", email="not-an-email"))
    assert response.status_code == 400
    assert 'id="id_bin_iin_error"' in response.text
    assert 'id="id_email_error"' in response.text


def test_consent_is_required(personas, client):
    data = appeal_form_data()
    del data["personal_data_consent"]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert 'id="id_personal_data_consent_error"' in response.text
    assert Appeal.objects.count() == 0


def test_a_file_that_is_not_what_its_name_says_is_refused_with_the_reason(personas, client):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    response = client.post(URL, {**appeal_form_data(), "attachments": [fake]})
    assert response.status_code == 400
    assert "report.pdf" in response.text
    assert Appeal.objects.count() == 0
    # The browser drops chosen files on an error: the citizen is told to attach them again.
    assert (
        "attach your documents again"
        in client.post("/en/councils/almaty/appeals/new/", {**appeal_form_data(), "attachments": [fake]}).text
    )


def test_a_file_over_ten_megabytes_is_refused(personas, client):
    big = pdf_file("scan.pdf", size=10 * 1024 * 1024 + 1)
    response = client.post("/en/councils/almaty/appeals/new/", {**appeal_form_data(), "attachments": [big]})
    assert response.status_code == 400
    assert "the limit is 10" in response.text
    assert Appeal.objects.count() == 0


def test_at_most_five_files(personas, client):
    files = [pdf_file(f"{i}.pdf") for i in range(6)]
    response = client.post("/en/councils/almaty/appeals/new/", {**appeal_form_data(), "attachments": files})
    assert response.status_code == 400
    assert "at most 5 files" in response.text


def test_the_honeypot_catches_robots(personas, client):
    response = client.post(URL, appeal_form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert Appeal.objects.count() == 0


def test_too_many_appeals_from_one_address_are_refused_with_a_clear_message(personas, client, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_RATE_PER_IP": "2/h"}
    for i in range(2):
        assert (
            client.post(URL, appeal_form_data(submission_key=f"{i}" * 32, email=f"a{i}@example.kz")).status_code == 302
        )
    response = client.post("/en" + URL[3:], appeal_form_data(submission_key="z" * 32, email="z@example.kz"))
    assert response.status_code == 429
    assert "Too many messages were sent from here" in response.text
    assert "В парке Горького" in response.text  # the text is kept for a later try
    assert Appeal.objects.count() == 2


def test_too_many_appeals_from_one_email_are_refused(personas, client, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_RATE_PER_EMAIL": "1/h"}
    assert client.post(URL, appeal_form_data(submission_key="1" * 32)).status_code == 302
    response = client.post(URL, appeal_form_data(submission_key="2" * 32), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert Appeal.objects.count() == 1


def test_an_unknown_council_has_no_form(personas, client):
    assert client.get("/ru/councils/nowhere/appeals/new/").status_code == 404


@pytest.fixture
def appeal(personas, client) -> Appeal:
    client.post(URL, appeal_form_data())
    return Appeal.objects.get()


def test_tracking_with_a_wrong_token_is_404(appeal, client):
    assert client.get(f"/ru/appeals/track/{appeal.number}/wrong-token/").status_code == 404
    assert client.get(f"/ru/appeals/track/ALM-1999-000001/{appeal.tracking_token}/").status_code == 404


def test_tracking_page_shows_status_deadline_and_how_it_was_computed(appeal, client):
    response = client.get(f"/en/appeals/track/{appeal.number}/{appeal.tracking_token}/")
    assert response.status_code == 200
    assert "Registered" in response.text
    assert appeal.due_date.strftime("%d.%m.%Y") in response.text
    assert "How the deadline was computed" in response.text
    assert "noindex" in response.text


def test_citizen_adds_a_message_and_a_document_while_the_appeal_is_open(appeal, client):
    url = f"/ru/appeals/track/{appeal.number}/{appeal.tracking_token}/"
    response = client.post(url, {"text": "Прилагаю фото вырубки.", "attachments": [png_file()]})
    assert response.status_code == 302
    message = appeal.messages.get()
    assert message.text == "Прилагаю фото вырубки."
    assert message.attachments.count() == 1
    assert "Прилагаю фото вырубки." in client.get(url).text


def test_an_empty_message_is_refused(appeal, client):
    url = f"/en/appeals/track/{appeal.number}/{appeal.tracking_token}/"
    response = client.post(url, {"text": "  "})
    assert response.status_code == 400
    assert "Write a message or attach a document" in response.text


def test_the_applicant_sees_the_reason_of_an_extension_but_not_internal_notes(appeal, client, personas):
    import datetime as dt

    from appeals.services import appeal_assign, appeal_extend

    appeal_assign(appeal=appeal, by=personas.secretary, assignee=personas.member)
    appeal.refresh_from_db()
    appeal_extend(
        appeal=appeal,
        by=personas.secretary,
        until=appeal.due_date + dt.timedelta(days=10),
        reason="Нужна выездная проверка",
    )
    page = client.get(f"/ru/appeals/track/{appeal.number}/{appeal.tracking_token}/").text
    assert "Нужна выездная проверка" in page
    assert personas.member.username not in page  # the assignment note stays internal
