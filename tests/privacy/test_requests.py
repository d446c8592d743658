"""Requests about one's personal data (issue 22, item 3): the one-time link, routing, deadlines on the working-day
calendar, the access file built from the register, erasure and refusal on a legal ground."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import Subscription
from appeals.models import (
    Appeal,
    AppealAttachment,
    AppealFeedback,
    AppealMessage,
    AppealStatus,
    AppealStatusChange,
)
from core.models import CalendarDay, CalendarKind
from core.personal_data import fields_of, records_of, subject_models
from participation.models import HearingRegistration, PublicComment
from privacy import services
from privacy.models import DataRequest, RefusalGround, RequestConfirmation, RequestKind, RequestStatus
from privacy.requests_selectors import request_deadlines
from tests import factories as f

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
EMAIL = "aigerim@example.kz"


def at(year: int, month: int, day: int, hour: int = 11) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour), TZ)


def link_from_mail(message) -> str:
    return (
        re.search(r"https?://\S+", message.body)
        .group(0)
        .split("testserver", 1)[-1]
        .replace("http://127.0.0.1:8000", "")
    )


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks):
    """The outbox hands mail over on commit: inside a test's transaction, run those hand-overs at each `committed`."""
    global committed
    committed = lambda: django_capture_on_commit_callbacks(execute=True)  # noqa: E731
    yield


committed = None


def confirmed(email: str = EMAIL, kind: str = RequestKind.ACCESS, council=None, when=None, details: str = ""):
    with committed():
        confirmation = services.request_submit(email=email, kind=kind, council=council, details=details)
    if when is not None:  # asked shortly before it was confirmed
        RequestConfirmation.objects.filter(pk=confirmation.pk).update(created_at=when - dt.timedelta(minutes=5))
    with committed():
        return services.request_confirm(token=services.confirmation_token(confirmation), now=when)


# ---- the deadline, on the working-day calendar ------------------------------------------------------------------


def test_access_deadline_is_three_working_days_after_a_friday():
    council = f.CouncilFactory()
    f.AppealFactory(council=council, email=EMAIL)
    [request] = confirmed(when=at(2026, 12, 4))  # Friday 4 December 2026

    deadline = request_deadlines([request], today=dt.date(2026, 12, 4))[request.pk]

    assert (deadline.received_on, deadline.end) == (dt.date(2026, 12, 4), dt.date(2026, 12, 9))  # Wed 9 Dec


def test_a_request_confirmed_on_a_saturday_counts_from_monday():
    f.AppealFactory(email=EMAIL)
    [request] = confirmed(when=at(2026, 12, 5))  # Saturday

    deadline = request_deadlines([request], today=dt.date(2026, 12, 5))[request.pk]

    assert deadline.registered_on == dt.date(2026, 12, 7)
    assert deadline.end == dt.date(2026, 12, 10)


def test_the_deadline_skips_independence_day_and_follows_a_calendar_edit():
    f.AppealFactory(email=EMAIL)
    [request] = confirmed(when=at(2026, 12, 15))  # Tuesday; 16 December is a public holiday

    # Thu 17, Fri 18, (the weekend), Mon 21.
    assert request_deadlines([request], today=dt.date(2026, 12, 15))[request.pk].end == dt.date(2026, 12, 21)

    # A decree makes Thursday 17 December a day off: the open request's deadline moves with the calendar.
    CalendarDay.objects.create(date=dt.date(2026, 12, 17), kind=CalendarKind.DAY_OFF, name="Перенос")
    assert request_deadlines([request], today=dt.date(2026, 12, 15))[request.pk].end == dt.date(2026, 12, 22)


def test_correction_and_erasure_are_due_in_one_working_day(settings):
    f.AppealFactory(email=EMAIL)
    [correction] = confirmed(kind=RequestKind.CORRECTION, when=at(2026, 12, 4), details="Фамилия: Абенова")
    [erasure] = confirmed(kind=RequestKind.ERASURE, when=at(2026, 12, 4))
    deadlines = request_deadlines([correction, erasure], today=dt.date(2026, 12, 4))

    assert deadlines[correction.pk].end == deadlines[erasure.pk].end == dt.date(2026, 12, 7)  # Monday
    settings.OVERSIGHT = {**settings.OVERSIGHT, "PRIVACY_ERASURE_WORKING_DAYS": 3}
    assert request_deadlines([erasure], today=dt.date(2026, 12, 4))[erasure.pk].end == dt.date(2026, 12, 9)


def test_an_open_request_past_its_deadline_is_overdue_and_highlighted(personas):
    f.AppealFactory(council=personas.council, email=EMAIL)
    [request] = confirmed(when=at(2020, 3, 2))

    page = personas.client_for(personas.secretary).get(
        reverse("privacy_staff:requests", kwargs={"slug": personas.council.slug})
    )

    assert request_deadlines([request])[request.pk].overdue
    assert re.search(rf'class="request-row row-overdue" data-number="{request.number}"', page.content.decode())


# ---- the one-time link --------------------------------------------------------------------------------------------


def test_the_public_form_mails_a_link_that_registers_the_request_once(client: Client, personas):
    appeal = f.AppealFactory(council=personas.council, email=EMAIL)
    with committed():
        response = client.post(reverse("privacy:request"), {"email": EMAIL.upper(), "kind": "access"})
    assert response.status_code == 302
    assert DataRequest.objects.count() == 0  # nothing before the address is proven

    [letter] = mail.outbox
    path = link_from_mail(letter)
    assert client.get(path).status_code == 200
    with committed():
        page = client.post(path)
    [request] = DataRequest.objects.all()
    assert (request.council, request.kind, request.status) == (appeal.council, RequestKind.ACCESS, RequestStatus.OPEN)
    assert request.number in page.content.decode()

    again = client.post(path)
    assert again.status_code == 404
    assert DataRequest.objects.count() == 1


def test_an_expired_or_forged_link_registers_nothing(client: Client):
    f.AppealFactory(email=EMAIL)
    confirmation = services.request_submit(email=EMAIL, kind=RequestKind.ACCESS)
    token = services.confirmation_token(confirmation)
    RequestConfirmation.objects.filter(pk=confirmation.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))

    assert client.post(reverse("privacy:confirm", kwargs={"token": token})).status_code == 404
    forged = signing.dumps(confirmation.pk, salt="another-salt")
    assert client.post(reverse("privacy:confirm", kwargs={"token": forged})).status_code == 404
    assert client.get(reverse("privacy:confirm", kwargs={"token": "x" * 5000})).status_code == 404
    assert DataRequest.objects.count() == 0


def test_a_request_goes_to_each_council_holding_data_and_only_there():
    almaty, karaganda, astana = f.CouncilFactory(), f.CouncilFactory(), f.CouncilFactory()
    f.AppealFactory(council=almaty, email=EMAIL)
    f.AppealFactory(council=karaganda, email=EMAIL.upper())
    f.AppealFactory(council=astana, email="someone-else@example.kz")

    requests = confirmed()

    assert {r.council for r in requests} == {almaty, karaganda}
    assert len({r.number for r in requests}) == 2
    assert confirmed(council=karaganda)[0].council == karaganda


def test_a_request_matching_nothing_is_registered_and_answered_nothing_held():
    [request] = confirmed(email="nobody@example.kz")

    assert request.council is None
    assert request.status == RequestStatus.FULFILLED
    assert request.number.startswith("PD-")
    [letter] = [m for m in mail.outbox if request.number in m.subject]
    assert letter.to == ["nobody@example.kz"]
    assert "Портал не хранит персональных данных" in letter.body  # the request was in Russian


def test_the_purge_deletes_unconfirmed_requests_past_their_link():
    fresh = services.request_submit(email="fresh@example.kz", kind=RequestKind.ACCESS)
    stale = services.request_submit(email="stale@example.kz", kind=RequestKind.ACCESS)
    RequestConfirmation.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))

    assert services.privacy_purge() == 1
    assert list(RequestConfirmation.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_a_subscription_to_a_state_body_is_answered_by_the_portal_at_once():
    state_body = f.StateBodyFactory()
    Subscription.objects.create(email=EMAIL, state_body=state_body, token="t" * 43)

    [request] = confirmed()

    assert request.council is None and request.status == RequestStatus.FULFILLED
    data = json.loads(zipfile.ZipFile(request.export_file.open("rb")).read("data.json"))
    assert [r["model"] for r in data["records"]] == ["alerts.subscription"]


# ---- the access file, complete against the register -----------------------------------------------------------


def _plant(model: type[models.Model], obj: models.Model, marker: str) -> dict[str, str]:
    """Put a distinct value into every declared personal field of `obj`; return {label: value as exported}."""
    expected = {}
    for entry in fields_of(model):
        field = entry.field
        name = f"{model._meta.model_name}-{field.name}"
        if isinstance(field, models.FileField):
            getattr(obj, field.name).save(
                f"{name}.pdf", SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 " + name.encode()), save=False
            )
            expected[entry.label] = ("file", b"%PDF-1.4 " + name.encode())
        elif isinstance(field, models.DecimalField):
            value = Decimal("43.111111") if "lat" in field.name else Decimal("76.222222")
            setattr(obj, field.name, value)
            expected[entry.label] = ("value", str(value))
        elif isinstance(field, models.EmailField):
            expected[entry.label] = ("value", getattr(obj, field.name))
        else:
            value = f"{marker}-{name}"[: field.max_length or 200]
            setattr(obj, field.name, value)
            expected[entry.label] = ("value", value)
    obj.save()
    return expected


def test_the_access_file_holds_every_register_field_of_every_subject_model(personas):
    council = personas.council
    appeal = f.AppealFactory(council=council, email=EMAIL, bin_iin="", phone="")
    message = AppealMessage.objects.create(appeal=appeal, author=AppealMessage.Author.CITIZEN)
    attachment = AppealAttachment(appeal=appeal, original_name="x", content_type="application/pdf", size=1)
    change = AppealStatusChange.objects.create(appeal=appeal, status=AppealStatus.REGISTERED, changed_at=timezone.now())
    subscription = Subscription(email=EMAIL, council=council, token="s" * 43)
    # The answer the feedback judges is a second history entry: it carries the same planted note as the first.
    answer = AppealStatusChange.objects.create(
        appeal=appeal, status=AppealStatus.ANSWERED, changed_at=timezone.now(), note="PLANT-appealstatuschange-note"
    )
    feedback = AppealFeedback(appeal=appeal, answer=answer, resolved=False)
    hearing = f.PublicHearingFactory(council=council)
    comment = PublicComment(council=council, hearing=hearing, number=1, email=EMAIL)
    registration = HearingRegistration(hearing=hearing, email=EMAIL, token="r" * 43)
    # A public question to a deputy (deputies/), moderated here by the same council: the author's name and e-mail.
    from deputies.models import Question
    from tests.deputies.world import build

    deputies = build()
    question = Question(
        council=council, deputy=deputies.ivanova, author_email=EMAIL, asked_at=timezone.now(), language="ru"
    )
    # A booking for a member's reception (receptions/): the visitor's name, contacts, question and the visit's notes.
    from receptions.models import Booking, Reception

    reception = Reception.objects.create(
        council=council,
        host=f.PersonFactory(council=council),
        starts_at=timezone.now() + dt.timedelta(days=2),
        place_ru="ул. Абая, 10",
    )
    booking = Booking(reception=reception, slot=1, category="ecology", email=EMAIL, cancel_token="b" * 43)
    # A contact person of the stakeholder registry (stakeholders/): found by their e-mail, as the portal mails them.
    from stakeholders.models import Contact

    contact = Contact(partner=f.PartnerFactory(council=council), email=EMAIL, unsubscribe_token="u" * 43)
    planted = {
        Contact: contact,
        Booking: booking,
        Question: question,
        Appeal: appeal,
        AppealMessage: message,
        AppealAttachment: attachment,
        AppealStatusChange: change,
        Subscription: subscription,
        AppealFeedback: feedback,
        PublicComment: comment,
        HearingRegistration: registration,
    }
    # Every subject model of the register is planted: a new one fails here until the test plants it too.
    assert set(subject_models()) == set(planted)
    expected = {}
    for model, obj in planted.items():
        expected.update(_plant(model, obj, "PLANT"))
    appeal.refresh_from_db()
    appeal.bin_iin, appeal.phone = "770101300123", "+7 701 111 22 33"
    appeal.save()
    expected["appeals.Appeal.bin_iin"] = ("value", "770101300123")
    expected["appeals.Appeal.phone"] = ("value", "+7 701 111 22 33")
    assert all(qs.exists() for qs in records_of(EMAIL).values())

    [request] = confirmed(email=EMAIL)
    services.request_assemble(request=request, by=personas.secretary)
    request.refresh_from_db()
    archive = zipfile.ZipFile(io.BytesIO(request.export_file.read()))
    data = json.loads(archive.read("data.json"))

    found = {}
    for record in data["records"]:
        model_label = next(m._meta.label for m in planted if m._meta.label_lower == record["model"])
        for field in record["fields"]:
            found[f"{model_label}.{field['field']}"] = field["value"]
    for label, (how, value) in expected.items():
        assert label in found, f"{label} is missing from the access file"
        if how == "file":
            assert archive.read(found[label]) == value, label
        else:
            assert found[label] == value, label


def test_the_access_file_of_one_council_holds_none_of_another_councils_records(personas):
    mine = f.AppealFactory(council=personas.council, email=EMAIL, text="Текст для Алматы")
    f.AppealFactory(council=personas.other_council, email=EMAIL, text="Текст для Караганды")
    request = next(r for r in confirmed() if r.council == personas.council)

    services.request_assemble(request=request, by=personas.secretary)
    request.refresh_from_db()
    data = zipfile.ZipFile(request.export_file.open("rb")).read("data.json").decode()

    assert mine.text in data and "Караганды" not in data


def test_the_person_downloads_the_file_once_through_the_mailed_link(client: Client, personas):
    appeal = f.AppealFactory(council=personas.council, email=EMAIL, text="Вырубка в сквере у дома 5")
    [request] = confirmed()
    mail.outbox.clear()
    staff = personas.client_for(personas.secretary)
    url = reverse("privacy_staff:assemble", kwargs={"slug": personas.council.slug, "request_id": request.pk})
    with committed():
        assert staff.post(url).status_code == 302

    [letter] = mail.outbox
    path = link_from_mail(letter)
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert appeal.text in zipfile.ZipFile(io.BytesIO(body)).read("data.json").decode()
    assert client.post(path).status_code == 404  # spent


def test_an_expired_download_link_gives_nothing(client: Client, personas):
    f.AppealFactory(council=personas.council, email=EMAIL)
    [request] = confirmed()
    services.request_assemble(request=request, by=personas.secretary)
    token = services.download_token(request)
    DataRequest.objects.filter(pk=request.pk).update(export_expires_at=timezone.now() - dt.timedelta(minutes=1))

    assert client.post(reverse("privacy:download", kwargs={"token": token})).status_code == 404
    assert services.privacy_purge() >= 1
    request.refresh_from_db()
    assert not request.export_file


# ---- erasure, correction and refusal ------------------------------------------------------------------------------


def test_erasure_anonymises_ended_appeals_keeps_open_ones_and_deletes_subscriptions(personas):
    ended = f.AppealFactory(council=personas.council, email=EMAIL, status=AppealStatus.CLOSED, text="Закрытое")
    still_open = f.AppealFactory(council=personas.council, email=EMAIL, status=AppealStatus.ASSIGNED)
    Subscription.objects.create(email=EMAIL, council=personas.council, token="e" * 43)
    [request] = confirmed(kind=RequestKind.ERASURE)

    result = services.request_erase(request=request, by=personas.secretary)

    ended.refresh_from_db()
    still_open.refresh_from_db()
    assert (ended.email, ended.text, ended.number) == ("", "", ended.number)
    assert still_open.email == EMAIL
    assert still_open.number in result.kept
    assert not Subscription.objects.filter(email=EMAIL).exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.FULFILLED
    assert str(RefusalGround.APPEAL_OPEN.label) in request.answer


def test_erasure_of_only_open_appeals_is_refused_with_the_procedural_code_ground(personas):
    f.AppealFactory(council=personas.council, email=EMAIL, status=AppealStatus.REGISTERED)
    [request] = confirmed(kind=RequestKind.ERASURE)
    mail.outbox.clear()

    with committed():
        services.request_erase(request=request, by=personas.secretary)

    request.refresh_from_db()
    assert (request.status, request.refusal_ground) == (RequestStatus.REFUSED, RefusalGround.APPEAL_OPEN)
    [letter] = mail.outbox
    assert letter.to == [EMAIL]


def test_a_refusal_needs_a_ground_from_the_list_and_tells_it(personas):
    f.AppealFactory(council=personas.council, email=EMAIL)
    [request] = confirmed(kind=RequestKind.CORRECTION, details="Адрес неверный")
    staff = personas.client_for(personas.secretary)
    url = reverse("privacy_staff:refuse", kwargs={"slug": personas.council.slug, "request_id": request.pk})

    assert staff.post(url, {"refuse-ground": "because-i-said-so"}).status_code == 400
    assert staff.post(url, {}).status_code == 400
    with pytest.raises(ValidationError):
        services.request_refuse(request=request, by=personas.secretary, ground="")
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN

    mail.outbox.clear()
    with committed():
        assert staff.post(url, {"refuse-ground": RefusalGround.IDENTITY_NOT_PROVEN}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.refusal_ground) == (RequestStatus.REFUSED, RefusalGround.IDENTITY_NOT_PROVEN)
    [letter] = mail.outbox
    assert "identity" in letter.body or str(RefusalGround.IDENTITY_NOT_PROVEN.label)[:20] in letter.body


def test_a_correction_is_marked_done_with_the_note_sent_to_the_person(personas):
    f.AppealFactory(council=personas.council, email=EMAIL)
    [request] = confirmed(kind=RequestKind.CORRECTION, details="Фамилия: Абенова, не Абеновa")
    mail.outbox.clear()
    staff = personas.client_for(personas.secretary)
    url = reverse("privacy_staff:corrected", kwargs={"slug": personas.council.slug, "request_id": request.pk})

    with committed():
        assert staff.post(url, {"corrected-note": "Фамилия исправлена в обращении"}).status_code == 302

    request.refresh_from_db()
    assert request.status == RequestStatus.FULFILLED
    assert "Фамилия исправлена" in mail.outbox[0].body
    # Answered once: a second answer is refused with a message, not a 500.
    assert staff.post(url, {"corrected-note": "ещё раз"}).status_code == 400


# ---- who may see requests ---------------------------------------------------------------------------------------


def test_members_and_other_councils_never_see_a_request(personas):
    f.AppealFactory(council=personas.council, email=EMAIL)
    [request] = confirmed()
    detail = reverse("privacy_staff:detail", kwargs={"slug": personas.council.slug, "request_id": request.pk})
    theirs = reverse("privacy_staff:detail", kwargs={"slug": personas.other_council.slug, "request_id": request.pk})

    assert personas.client_for(personas.secretary).get(detail).status_code == 200
    assert personas.client_for(personas.member).get(detail).status_code == 403
    assert personas.client_for(personas.other_secretary).get(detail).status_code == 404
    assert personas.client_for(personas.other_secretary).get(theirs).status_code == 404
