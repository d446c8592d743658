"""Receptions of citizens: the schedule in the workspace, booking from the public page (consent, honeypot, rate
limit, one visitor per slot), the mails through the outbox (confirmation, reminder, cancellation), the cancel link,
the outcome of a visit (one click registers an appeal, channel «reception») and the year's counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from appeals.models import Appeal, Channel
from receptions.models import Booking, BookingStatus, Reception
from receptions.selectors import reception_counts
from receptions.services import bookings_erase_expired, reminders_queue
from reports.annual import annual_report_context
from tests.factories import ConvocationFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

LIST = "/ru/councils/almaty/receptions/"
WS = "/ru/workspace/almaty/receptions/"


@pytest.fixture
def member(personas):
    person = PersonFactory(council=personas.council, full_name="Сатпаев Ерлан Маратович")
    MembershipFactory(convocation=personas.council.convocations.get(), person=person)
    return person


@pytest.fixture
def reception(personas, member):
    return Reception.objects.create(
        council=personas.council,
        host=member,
        starts_at=timezone.now() + dt.timedelta(days=3),
        slot_minutes=20,
        slots=3,
        place_ru="ул. Абая, 10, каб. 5",
        topics_ru="Экология и благоустройство",
        topics_kk="Экология және абаттандыру",
    )


def booking_data(**overrides) -> dict:
    data = {
        "slot": "1",
        "name": "Ахметова Динара Сериковна",
        "email": "dinara@example.kz",
        "phone": "+7 701 123 45 67",
        "category": "ecology",
        "question": "Вырубка деревьев во дворе",
        "personal_data_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def _book_url(reception: Reception, language: str = "ru") -> str:
    return f"/{language}/councils/almaty/receptions/{reception.pk}/book/"


# ---- the schedule ------------------------------------------------------------------------------------------


def test_the_secretary_schedules_a_reception_and_the_public_sees_it(personas, member):
    client = personas.client_for(personas.secretary)
    start = (timezone.localtime() + dt.timedelta(days=5)).replace(hour=10, minute=0, second=0, microsecond=0)
    response = client.post(
        WS + "new/",
        {
            "host": member.pk,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "slot_minutes": "15",
            "slots": "4",
            "format": "in_person",
            "place": "ул. Абая, 10",
            "topics_ru": "Жилищные вопросы",
            "topics_kk": "Тұрғын үй мәселелері",
        },
    )
    assert response.status_code == 302
    reception = Reception.objects.get()
    assert (reception.slots, reception.host, reception.topics_kk) == (4, member, "Тұрғын үй мәселелері")
    page = Client().get(LIST)
    assert "Сатпаев Ерлан Маратович" in page.text
    assert "Жилищные вопросы" in page.text
    assert Client().get("/kk/councils/almaty/receptions/").text.count("Тұрғын үй мәселелері") == 1


def test_an_in_person_reception_without_a_place_is_refused_with_what_was_typed(personas, member):
    client = personas.client_for(personas.secretary)
    start = timezone.localtime() + dt.timedelta(days=5)
    response = client.post(
        WS + "new/",
        {
            "host": member.pk,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "slot_minutes": "15",
            "slots": "4",
            "format": "in_person",
            "topics_ru": "Жилищные вопросы",
        },
    )
    assert response.status_code == 400
    assert "Жилищные вопросы" in response.text
    assert not Reception.objects.exists()


def test_a_member_of_another_council_cannot_host(personas):
    stranger = PersonFactory(council=personas.other_council, full_name="Чужой Член")
    ConvocationFactory(council=personas.other_council, number=3)
    client = personas.client_for(personas.secretary)
    response = client.post(
        WS + "new/",
        {
            "host": stranger.pk,
            "starts_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "slot_minutes": "15",
            "slots": "2",
            "format": "online",
            "online_link": "https://meet.example.kz/abc",
        },
    )
    assert response.status_code == 400
    assert not Reception.objects.exists()


def test_scope_other_council_and_members(personas, reception):
    assert personas.client_for(personas.other_secretary).get(f"{WS}{reception.pk}/").status_code == 404
    assert personas.client_for(personas.member).get(f"{WS}{reception.pk}/").status_code == 200
    assert personas.client_for(personas.member).get(WS + "new/").status_code == 403


# ---- booking ----------------------------------------------------------------------------------------------


def test_a_citizen_books_a_slot_and_gets_the_confirmation_with_a_cancel_link(
    personas, reception, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(_book_url(reception), booking_data())
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.slot, booking.status, booking.category) == (1, BookingStatus.BOOKED, "ecology")
    done = Client().get(response["Location"])
    assert 'id="booking-confirmation"' in done.text
    assert "Ахметова" not in done.text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dinara@example.kz"]
    assert booking.cancel_token in mail.outbox[0].body
    assert "ул. Абая, 10, каб. 5" in mail.outbox[0].body
    # The public page counts the booking and never names the visitor.
    page = Client().get(LIST)
    assert "Ахметова" not in page.text and "dinara@" not in page.text


def test_a_booked_slot_is_not_offered_again_and_a_second_booking_of_it_is_refused(personas, reception):
    assert Client().post(_book_url(reception), booking_data()).status_code == 302
    form = Client().get(_book_url(reception))
    assert 'value="1"' not in form.text
    response = Client().post(_book_url(reception), booking_data(email="other@example.kz", name="Другой Гражданин"))
    assert response.status_code == 400
    assert "Другой Гражданин" in response.text  # what was typed stays
    assert Booking.objects.count() == 1


def test_without_consent_nothing_is_booked(personas, reception):
    response = Client().post(_book_url(reception), booking_data(personal_data_consent=""))
    assert response.status_code == 400
    assert "Без вашего согласия" in response.text
    assert not Booking.objects.exists()


def test_the_honeypot_refuses_a_robot(personas, reception):
    response = Client().post(_book_url(reception), booking_data(website="http://spam.example"))
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_bookings_are_rate_limited_per_address(personas, reception, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_RATE_PER_EMAIL": "1/h"}
    assert Client().post(_book_url(reception), booking_data()).status_code == 302
    response = Client().post(_book_url(reception), booking_data(slot="2"))
    assert response.status_code == 429
    assert Booking.objects.count() == 1


def test_a_topic_outside_the_councils_list_is_refused(personas, reception):
    response = Client().post(_book_url(reception), booking_data(category="astrology"))
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_a_past_reception_takes_no_bookings(personas, reception):
    Reception.objects.filter(pk=reception.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    assert Client().post(_book_url(reception), booking_data()).status_code == 404


def test_the_cancel_link_asks_then_cancels_and_frees_the_slot(personas, reception, django_capture_on_commit_callbacks):
    Client().post(_book_url(reception), booking_data())
    booking = Booking.objects.get()
    url = f"/ru/receptions/cancel/{booking.cancel_token}/"
    assert Client().get(url).status_code == 200
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED  # a GET (a mail scanner) cancels nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(url)
    assert 'id="booking-cancelled"' in response.text
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert 'value="1"' in Client().get(_book_url(reception)).text
    assert Client().get("/ru/receptions/cancel/wrong-token/").status_code == 404


def test_the_reminder_goes_once_the_day_before(personas, reception, django_capture_on_commit_callbacks):
    Client().post(_book_url(reception), booking_data())
    mail.outbox.clear()
    assert reminders_queue(now=reception.starts_at - dt.timedelta(days=2)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_queue(now=reception.starts_at - dt.timedelta(hours=20)) == 1
        assert reminders_queue(now=reception.starts_at - dt.timedelta(hours=19)) == 0
    assert len(mail.outbox) == 1
    assert "Напоминание" in mail.outbox[0].subject


# ---- outcomes, figures --------------------------------------------------------------------------------------


def test_one_click_registers_the_visit_as_an_appeal_with_channel_reception(personas, reception):
    Client().post(_book_url(reception), booking_data())
    booking = Booking.objects.get()
    client = personas.client_for(personas.secretary)
    response = client.post(f"{WS}bookings/{booking.pk}/outcome/", {"outcome": "appeal", "note": ""})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.channel, appeal.category, appeal.email) == (Channel.RECEPTION, "ecology", "dinara@example.kz")
    assert appeal.text == "Вырубка деревьев во дворе"
    booking.refresh_from_db()
    assert (booking.status, booking.appeal_number) == (BookingStatus.VISITED, appeal.number)
    # A second click does not register it twice.
    client.post(f"{WS}bookings/{booking.pk}/outcome/", {"outcome": "appeal"})
    assert Appeal.objects.count() == 1
    page = client.get(f"{WS}{reception.pk}/")
    assert appeal.number in page.text


def test_another_councils_secretary_cannot_record_an_outcome(personas, reception):
    Client().post(_book_url(reception), booking_data())
    booking = Booking.objects.get()
    response = personas.client_for(personas.other_secretary).post(
        f"/ru/workspace/karaganda/receptions/bookings/{booking.pk}/outcome/", {"outcome": "advice"}
    )
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.outcome == ""


def test_counts_by_month_topic_member_and_outcome_reach_the_stats_and_the_report(personas, member, reception):
    held = Reception.objects.create(
        council=personas.council,
        host=member,
        starts_at=timezone.make_aware(dt.datetime(2019, 4, 10, 10, 0)),
        slots=3,
        place_ru="ул. Абая, 10",
    )
    for slot, (category, outcome) in enumerate([("ecology", "advice"), ("ecology", "referred"), ("health", "")], 1):
        Booking.objects.create(
            reception=held,
            slot=slot,
            category=category,
            status=BookingStatus.VISITED if outcome else BookingStatus.NO_SHOW,
            outcome=outcome,
            name="Гость",
            email=f"g{slot}@example.kz",
            cancel_token=f"t{slot}",
        )
    counts = reception_counts(council=personas.council, year=2019)
    assert (counts.receptions, counts.visitors) == (1, 2)
    assert counts.by_month["4"] == 2
    assert counts.by_topic == {"ecology": 2}
    assert counts.by_member == {"Сатпаев Ерлан Маратович": 2}
    assert counts.by_outcome == {"advice": 1, "appeal": 0, "referred": 1}
    stats = Client().get("/api/v1/councils/almaty/stats/", {"year": "2019"}).json()
    assert stats["receptions"]["visitors"] == 2
    assert "g1@example.kz" not in str(stats)
    context = annual_report_context(council=personas.council, year=2019, today=dt.date(2020, 2, 1))
    assert context["receptions"].visitors == 2
    assert ("Экология", 2) in context["reception_topics"]


def test_visitors_data_is_erased_after_its_term_and_the_counts_stay(personas, member):
    held = Reception.objects.create(
        council=personas.council, host=member, starts_at=timezone.make_aware(dt.datetime(2019, 4, 10, 10)), slots=1
    )
    Booking.objects.create(
        reception=held,
        slot=1,
        category="ecology",
        status=BookingStatus.VISITED,
        outcome="advice",
        name="Гость",
        email="g@example.kz",
        question="Вопрос",
        cancel_token="t1",
    )
    assert bookings_erase_expired(today=dt.date(2020, 12, 31)) == 0
    assert bookings_erase_expired(today=dt.date(2021, 1, 1)) == 1
    booking = Booking.objects.get()
    assert (booking.name, booking.email, booking.question) == ("", "", "")
    assert reception_counts(council=personas.council, year=2019).visitors == 1
