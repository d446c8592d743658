"""The applicant's tracking page after issue 14: it shows what was sent (subject, text, documents, downloadable
only with the tracking link), lets the applicant say whether the answer resolved the matter ("not resolved" reopens
the appeal for the council and both are counted), and keeps the message box open for a while after the answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from appeals.models import Appeal, AppealFeedback, AppealStatus
from appeals.notifications import tracking_path
from appeals.selectors import appeal_feedback_counts
from appeals.services import ApplicantData, appeal_answer, appeal_assign, appeal_submit
from councils.models import Body, BodyKind

from .conftest import pdf_file

pytestmark = pytest.mark.django_db

ANSWER = "Вырубка остановлена, виновные привлечены к ответственности."


@pytest.fixture
def appeal(personas) -> Appeal:
    appeal, _created = appeal_submit(
        council=personas.council,
        applicant=ApplicantData(applicant_type="individual", name="Ахметова Динара", email="dinara@example.kz"),
        category="ecology",
        subject="Вырубка деревьев в парке",
        text="В парке Горького вырубают здоровые деревья без разрешения.",
        personal_data_consent=True,
        attachments=[pdf_file("akt-osmotra.pdf")],
    )
    return appeal


@pytest.fixture
def answered(personas, appeal) -> Appeal:
    commission = Body.objects.create(
        council=personas.council,
        convocation=personas.council.convocations.get(),
        key="ecology",
        kind=BodyKind.COMMISSION,
        number=1,
        name="Комиссия по экологии",
    )
    appeal_assign(appeal=appeal, by=personas.secretary, body=commission)
    return appeal_answer(appeal=appeal, by=personas.secretary, text=ANSWER)


def _track(appeal: Appeal) -> str:
    return tracking_path(appeal, "ru")


def test_the_tracking_page_shows_what_the_applicant_sent_and_its_documents_download(client, appeal):
    page = client.get(_track(appeal))
    assert "Вырубка деревьев в парке" in page.text
    assert "вырубают здоровые деревья без разрешения" in page.text
    attachment = appeal.attachments.get()
    link = f"{_track(appeal)}files/{attachment.pk}/"
    assert f'href="{link}"' in page.text and "akt-osmotra.pdf" in page.text
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "akt-osmotra.pdf" in download["Content-Disposition"]


def test_a_document_is_not_given_for_a_wrong_token_or_another_appeals_file(client, personas, appeal):
    attachment = appeal.attachments.get()
    wrong = f"/ru/appeals/track/{appeal.number}/{'x' * 32}/files/{attachment.pk}/"
    assert client.get(wrong).status_code == 404
    other, _created = appeal_submit(
        council=personas.council,
        applicant=ApplicantData(applicant_type="individual", name="Другой заявитель", email="other@example.kz"),
        category="transport",
        subject="Автобус",
        text="Автобус не ходит.",
        personal_data_consent=True,
    )
    # The other appeal's own link does not open this appeal's document.
    assert client.get(f"{_track(other)}files/{attachment.pk}/").status_code == 404


def test_the_message_box_stays_open_after_the_answer_for_the_reply_window(client, answered, settings):
    page = client.get(_track(answered))
    assert 'id="add-message"' in page.text
    response = client.post(_track(answered), {"text": "Спасибо, но деревья на соседней аллее тоже рубят."})
    assert response.status_code == 302
    assert answered.messages.get().text.startswith("Спасибо")
    # Past the window the box is gone and a post is refused.
    Appeal.objects.filter(pk=answered.pk).update(answered_on=timezone.localdate() - dt.timedelta(days=31))
    assert 'id="add-message"' not in client.get(_track(answered)).text
    late = client.post(_track(answered), {"text": "Ещё одно сообщение."})
    assert late.status_code == 400
    assert answered.messages.count() == 1


def test_not_resolved_with_a_reason_reopens_the_appeal_for_the_council(client, personas, answered):
    page = client.get(_track(answered))
    assert 'id="feedback"' in page.text
    url = f"{_track(answered)}feedback/"
    # "Not resolved" without a reason is refused beside the field, and nothing changes.
    refused = client.post(url, {"feedback-resolved": "no", "feedback-reason": ""})
    assert refused.status_code == 400
    assert 'id="id_feedback-reason_error"' in refused.text
    assert Appeal.objects.get(pk=answered.pk).status == AppealStatus.ANSWERED

    response = client.post(url, {"feedback-resolved": "no", "feedback-reason": "Деревья продолжают рубить."})
    assert response.status_code == 302
    appeal = Appeal.objects.get(pk=answered.pk)
    assert appeal.status == AppealStatus.ASSIGNED  # back to its commission
    reopened = appeal.history.order_by("-changed_at", "-id").first()
    assert "Деревья продолжают рубить." in reopened.note and reopened.visible_to_applicant
    # The secretary's inbox lists it among the open appeals again.
    inbox = personas.client_for(personas.secretary).get("/ru/workspace/almaty/appeals/?status=open")
    assert appeal.number in inbox.text
    # The answer was judged once: the form is gone, and a second word is refused.
    assert 'id="feedback"' not in client.get(_track(appeal)).text
    again = client.post(url, {"feedback-resolved": "yes"})
    assert again.status_code == 400
    assert AppealFeedback.objects.count() == 1


def test_resolved_and_not_resolved_are_counted_per_answer(client, personas, answered):
    url = f"{_track(answered)}feedback/"
    client.post(url, {"feedback-resolved": "no", "feedback-reason": "Не решено."})
    # The council answers again; the applicant judges the new answer.
    appeal = appeal_answer(appeal=Appeal.objects.get(pk=answered.pk), by=personas.secretary, text="Повторный ответ.")
    assert client.post(url, {"feedback-resolved": "yes"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ANSWERED
    counts = appeal_feedback_counts(council=personas.council, year=appeal.year)
    assert (counts.resolved, counts.not_resolved, counts.judged) == (1, 1, 2)
    assert appeal_feedback_counts(council=personas.other_council, year=appeal.year).judged == 0


def test_an_unanswered_appeal_cannot_be_judged(client, appeal):
    assert 'id="feedback"' not in client.get(_track(appeal)).text
    response = client.post(f"{_track(appeal)}feedback/", {"feedback-resolved": "yes"})
    assert response.status_code == 400
    assert not AppealFeedback.objects.exists()


def test_the_status_is_a_compact_pill_not_the_whole_row(client, appeal):
    page = client.get(_track(appeal)).text
    assert '<dd><span class="status status-registered" id="appeal-status">' in page


def test_feedback_is_anonymised_with_the_appeal(personas, answered, client):
    from appeals.retention import appeal_anonymise

    client.post(f"{_track(answered)}feedback/", {"feedback-resolved": "no", "feedback-reason": "Деревья рубят."})
    appeal_answer(appeal=Appeal.objects.get(pk=answered.pk), by=get_user_model().objects.first(), text="Ответ.")
    appeal_anonymise(appeal_id=answered.pk)
    assert AppealFeedback.objects.get().reason == ""
