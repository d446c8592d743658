"""Withdrawing consent from the tracking page (Law No. 94-V, art. 8): what stops at once, what the law keeps,
and the anonymisation as soon as the appeal has ended."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import Subscription
from appeals.models import Appeal, AppealAttachment, AppealMessage, AppealStatus
from appeals.services import (
    ApplicantData,
    appeal_answer,
    appeal_assign,
    appeal_close,
    appeal_consent_withdraw,
    appeal_forward,
    appeal_submit,
)
from core.outbox import OutboxMessage, outbox_run
from councils.models import BodyKind
from tests import factories as f

pytestmark = pytest.mark.django_db

WHEN = timezone.make_aware(dt.datetime(2025, 4, 2, 15, 30))


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def council():
    return f.CouncilFactory(slug="almaty", code="ALM")


@pytest.fixture
def secretary(council):
    return User.objects.create_user(username="secretary", password="x", is_staff=True)


def submit(council, django_capture_on_commit_callbacks, *, run_mail: bool = True) -> Appeal:
    with django_capture_on_commit_callbacks(execute=run_mail):
        appeal, _ = appeal_submit(
            council=council,
            applicant=ApplicantData(
                applicant_type="individual", name="Ахметова Динара", email="dinara@example.kz", phone="+7 701 000 00 00"
            ),
            category="ecology",
            subject="Вырубка деревьев",
            text="В парке вырубают деревья.",
            place="парк Горького",
            personal_data_consent=True,
            attachments=[SimpleUploadedFile("Ахметова_акт.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
        )
    return appeal


def track(appeal: Appeal, suffix: str = "") -> str:
    return reverse("appeals:track", kwargs={"number": appeal.number, "token": appeal.tracking_token}) + suffix


def withdraw_url(appeal: Appeal, token: str | None = None) -> str:
    return reverse(
        "appeals:withdraw_consent", kwargs={"number": appeal.number, "token": token or appeal.tracking_token}
    )


def test_withdrawal_is_recorded_with_its_date_in_the_history_the_applicant_sees(
    council, django_capture_on_commit_callbacks
):
    appeal = submit(council, django_capture_on_commit_callbacks)

    appeal, withdrawn = appeal_consent_withdraw(appeal_id=appeal.pk, at=WHEN)

    assert withdrawn and appeal.consent_withdrawn_at == WHEN
    entry = appeal.history.get(changed_at=WHEN)
    assert entry.visible_to_applicant and entry.status == AppealStatus.REGISTERED
    page = Client().get(track(appeal)).content.decode()
    assert "02.04.2025" in page and "Согласие на обработку персональных данных отозвано" in page


def test_an_open_appeal_is_kept_and_still_considered(council, secretary, django_capture_on_commit_callbacks):
    appeal = submit(council, django_capture_on_commit_callbacks)

    appeal_consent_withdraw(appeal_id=appeal.pk, at=WHEN)

    appeal.refresh_from_db()
    assert appeal.applicant_name == "Ахметова Динара" and appeal.text and appeal.attachments.count() == 1
    body = f.BodyFactory(convocation=f.ConvocationFactory(council=council), kind=BodyKind.COMMISSION)
    appeal_assign(appeal=appeal, by=secretary, body=body)  # the workflow goes on
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.ASSIGNED


def test_withdrawal_stops_optional_mail_at_once_even_when_already_queued(council, django_capture_on_commit_callbacks):
    # The receipt of registration is queued but not yet sent when the applicant withdraws.
    appeal = submit(council, django_capture_on_commit_callbacks, run_mail=False)
    queued = OutboxMessage.objects.get(kwargs__event="registered")

    appeal_consent_withdraw(appeal_id=appeal.pk, at=WHEN)
    outbox_run(message_id=queued.pk)

    assert mail.outbox == []


def test_the_mail_the_law_requires_still_goes_out(council, secretary, django_capture_on_commit_callbacks):
    appeal = submit(council, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    appeal_consent_withdraw(appeal_id=appeal.pk, at=WHEN)
    state_body = f.StateBodyFactory()

    with django_capture_on_commit_callbacks(execute=True):
        appeal_forward(appeal=Appeal.objects.get(pk=appeal.pk), by=secretary, state_body=state_body)

    assert [m.to for m in mail.outbox] == [["dinara@example.kz"]]


def test_an_open_appeal_is_anonymised_when_it_ends_after_the_answer_is_sent(
    council, secretary, django_capture_on_commit_callbacks
):
    appeal = submit(council, django_capture_on_commit_callbacks)
    AppealMessage.objects.create(appeal=appeal, author=AppealMessage.Author.CITIZEN, text="Дополнение Ахметовой")
    appeal_consent_withdraw(appeal_id=appeal.pk, at=WHEN)
    body = f.BodyFactory(convocation=f.ConvocationFactory(council=council), kind=BodyKind.COMMISSION)
    appeal_assign(appeal=Appeal.objects.get(pk=appeal.pk), by=secretary, body=body)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        appeal_answer(appeal=Appeal.objects.get(pk=appeal.pk), by=secretary, text="Ответ: проверка назначена.")

    # The answer reached the applicant first ...
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dinara@example.kz"]
    # ... then everything the register declares personal went.
    appeal.refresh_from_db()
    assert (appeal.applicant_name, appeal.email, appeal.phone, appeal.text, appeal.answer_text) == ("",) * 5
    assert appeal.status == AppealStatus.ANSWERED and appeal.number  # the record stays for statistics
    assert not AppealAttachment.objects.filter(appeal=appeal).exists()
    assert list(appeal.messages.values_list("text", flat=True)) == [""]


def test_an_ended_appeal_is_anonymised_at_once(council, secretary, django_capture_on_commit_callbacks):
    appeal = submit(council, django_capture_on_commit_callbacks)
    body = f.BodyFactory(convocation=f.ConvocationFactory(council=council), kind=BodyKind.COMMISSION)
    appeal_assign(appeal=appeal, by=secretary, body=body)
    with django_capture_on_commit_callbacks(execute=True):
        appeal_answer(appeal=Appeal.objects.get(pk=appeal.pk), by=secretary, text="Ответ Ахметовой")
        appeal_close(appeal=Appeal.objects.get(pk=appeal.pk), by=secretary)

    with django_capture_on_commit_callbacks(execute=True):
        appeal, _ = appeal_consent_withdraw(appeal_id=appeal.pk, at=WHEN)

    assert (appeal.applicant_name, appeal.email, appeal.text, appeal.answer_text, appeal.place) == ("",) * 5
    assert appeal.consent_withdrawn_at == WHEN
    assert not AppealAttachment.objects.filter(appeal=appeal).exists()
    assert not appeal.audit_history.exclude(email="").exists()  # the audit copies too
    page = Client().get(track(appeal)).content.decode()
    assert "Ахметов" not in page and "02.04.2025" in page


def test_withdrawing_twice_changes_nothing(council, django_capture_on_commit_callbacks):
    appeal = submit(council, django_capture_on_commit_callbacks)
    appeal_consent_withdraw(appeal_id=appeal.pk, at=WHEN)
    entries = appeal.history.count()

    appeal, withdrawn = appeal_consent_withdraw(appeal_id=appeal.pk, at=WHEN + dt.timedelta(days=1))

    assert not withdrawn and appeal.consent_withdrawn_at == WHEN
    assert appeal.history.count() == entries


# ---- the pages ---------------------------------------------------------------------------------------------


def test_the_tracking_page_offers_withdrawal_and_explains_it(council, django_capture_on_commit_callbacks):
    appeal = submit(council, django_capture_on_commit_callbacks)
    client = Client()

    page = client.get(track(appeal)).content.decode()
    confirm = client.get(withdraw_url(appeal))

    assert withdraw_url(appeal) in page and reverse("privacy:notice") in page
    text = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Административный процедурно-процессуальный кодекс" in text  # why an open appeal stays
    assert "статья 8" in text


def test_withdrawal_needs_the_confirmation_box(council, django_capture_on_commit_callbacks):
    appeal = submit(council, django_capture_on_commit_callbacks)

    response = Client().post(withdraw_url(appeal), {})

    assert response.status_code == 400
    assert "Отметьте" in response.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).consent_withdrawn_at is None


def test_withdrawal_through_the_page(council, django_capture_on_commit_callbacks):
    appeal = submit(council, django_capture_on_commit_callbacks)

    response = Client().post(withdraw_url(appeal), {"confirm": "on"})

    assert response.status_code == 302 and response["Location"] == track(appeal, "?withdrawn=1")
    assert Appeal.objects.get(pk=appeal.pk).consent_withdrawn_at is not None
    again = Client().get(withdraw_url(appeal))
    assert again.status_code == 302  # nothing more to confirm


@pytest.mark.parametrize("method", ["get", "post"])
def test_wrong_token_gives_404(council, django_capture_on_commit_callbacks, method):
    appeal = submit(council, django_capture_on_commit_callbacks)

    response = getattr(Client(), method)(
        withdraw_url(appeal, token="x" * len(appeal.tracking_token)), {"confirm": "on"}
    )

    assert response.status_code == 404
    assert Appeal.objects.get(pk=appeal.pk).consent_withdrawn_at is None


@pytest.mark.parametrize(
    "payload",
    [
        {"confirm": ["on", "on"]},
        {"confirm": "<script>alert(1)</script>"},
        {"confirm": "' OR 1=1 --"},
        {"confirm": "\x00"},
        {"confirm": "on" * 10000},
    ],
)
def test_hostile_input_never_gives_a_500(council, django_capture_on_commit_callbacks, payload):
    appeal = submit(council, django_capture_on_commit_callbacks)

    response = Client().post(withdraw_url(appeal), payload)

    assert response.status_code in (302, 400)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_withdrawal_is_csrf_protected(council, django_capture_on_commit_callbacks):
    appeal = submit(council, django_capture_on_commit_callbacks)

    response = Client(enforce_csrf_checks=True).post(withdraw_url(appeal), {"confirm": "on"})

    assert response.status_code == 403
    assert Appeal.objects.get(pk=appeal.pk).consent_withdrawn_at is None


def test_unsubscribing_erases_the_address_and_says_so(council):
    subscription = Subscription.objects.create(
        email="reader@example.kz", council=council, token="t" * 43, confirmed_at=timezone.now()
    )

    page = Client().get(reverse("alerts:unsubscribe", kwargs={"token": subscription.token})).content.decode()

    assert not Subscription.objects.filter(email__iexact="reader@example.kz").exists()
    assert "стёрт" in page and reverse("privacy:notice") in page
