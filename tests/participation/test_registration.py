"""Registration to attend a hearing: the organiser's list and its export, and the mails through the outbox (the
confirmation, the reminder the day before from the beat task, the record when published)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from core.outbox import OutboxMessage
from participation.models import HearingRegistration
from participation.tasks import send_hearing_reminders
from tests import factories as f

pytestmark = pytest.mark.django_db


def _register_url(hearing, language="ru"):
    with translation.override(language):
        return reverse("reports:hearing_register", kwargs={"slug": hearing.council.slug, "pk": hearing.pk})


def _form(**overrides):
    data = {
        "name": "Серикбаев Нурлан",
        "email": "nurlan@example.kz",
        "organisation": "ОО «Таза Талгар»",
        "questions": "Где будут отвалы породы?",
        "personal_data_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_a_registrant_gets_the_confirmation_through_the_outbox(
    client, open_hearing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_register_url(open_hearing, "kk"), _form())

    assert response.status_code == 302
    registration = HearingRegistration.objects.get()
    assert registration.language == "kk"
    assert OutboxMessage.objects.filter(target="participation.send_registration_confirmation").count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nurlan@example.kz"]
    assert open_hearing.topic in message.body
    assert f"/hearing-registrations/{registration.token}/cancel/" in message.body


def test_the_same_address_cannot_register_twice(client, open_hearing):
    client.post(_register_url(open_hearing), _form())

    response = client.post(_register_url(open_hearing, "en"), _form(name="Другой"))

    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    assert HearingRegistration.objects.count() == 1


def test_registration_after_the_hearing_is_refused(client, personas, today):
    past = f.PublicHearingFactory(council=personas.council, date=today - dt.timedelta(days=1))

    response = client.post(_register_url(past, "en"), _form())

    assert response.status_code == 400
    assert "Registration for this hearing is closed." in response.content.decode()
    assert HearingRegistration.objects.count() == 0


def test_the_reminder_goes_once_the_day_before(client, personas, today, django_capture_on_commit_callbacks):
    tomorrow = f.PublicHearingFactory(council=personas.council, date=today + dt.timedelta(days=1))
    later = f.PublicHearingFactory(council=personas.council, date=today + dt.timedelta(days=5))
    client.post(_register_url(tomorrow), _form())
    client.post(_register_url(later), _form(email="later@example.kz"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = send_hearing_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        second = send_hearing_reminders()

    assert (first, second) == (1, 0)
    assert [m.to for m in mail.outbox] == [["nurlan@example.kz"]]


def test_a_cancelled_registration_gets_no_reminder(client, personas, today, django_capture_on_commit_callbacks):
    tomorrow = f.PublicHearingFactory(council=personas.council, date=today + dt.timedelta(days=1))
    client.post(_register_url(tomorrow), _form())
    registration = HearingRegistration.objects.get()
    cancel = reverse("participation:cancel", kwargs={"token": registration.token})

    assert client.get(cancel).status_code == 200
    client.post(cancel)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_hearing_reminders() == 0

    assert mail.outbox == []


def test_registrants_receive_the_record_when_it_is_published(
    client, personas, open_hearing, django_capture_on_commit_callbacks
):
    client.post(_register_url(open_hearing, "en"), _form())
    mail.outbox.clear()
    url = reverse("participation_ws:record", kwargs={"slug": personas.council.slug, "pk": open_hearing.pk})

    with django_capture_on_commit_callbacks(execute=True):
        personas.client_for(personas.secretary).post(url)
    with django_capture_on_commit_callbacks(execute=True):
        personas.client_for(personas.secretary).post(url)  # a second press sends nothing twice

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("The record of the public hearing of")


def test_the_organiser_sees_and_exports_the_list(client, personas, open_hearing):
    client.post(_register_url(open_hearing), _form())
    secretary = personas.client_for(personas.secretary)
    url = reverse("participation_ws:registrations", kwargs={"slug": personas.council.slug, "pk": open_hearing.pk})

    page = secretary.get(url).content.decode()
    csv = b"".join(secretary.get(url, {"format": "csv"}).streaming_content).decode()
    xlsx = secretary.get(url, {"format": "xlsx"})

    assert "Серикбаев Нурлан" in page and "Где будут отвалы породы?" in page
    assert "nurlan@example.kz" in csv and "ОО «Таза Талгар»" in csv
    assert xlsx.status_code == 200
    assert (
        personas.client_for(personas.other_secretary)
        .get(
            reverse(
                "participation_ws:registrations", kwargs={"slug": personas.other_council.slug, "pk": open_hearing.pk}
            )
        )
        .status_code
        == 404
    )


def test_the_public_never_sees_who_registered(client, open_hearing):
    client.post(_register_url(open_hearing), _form())

    page = client.get(
        reverse("reports:hearing_consultation", kwargs={"slug": open_hearing.council.slug, "pk": open_hearing.pk})
    ).content.decode()

    assert "Серикбаев" not in page and "nurlan@example.kz" not in page and "отвалы" not in page
