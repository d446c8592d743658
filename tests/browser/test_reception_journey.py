"""Issue 19's reception journey on a phone (390 px wide): a citizen opens the council's receptions, books a time,
sees the confirmation, and the confirmation mail with the cancel link leaves through the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from receptions.models import Booking, BookingStatus, Reception
from tests.factories import MembershipFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_books_a_reception_on_a_phone_and_gets_the_confirmation_mail(personas, browser, live_server, shoot):
    host = PersonFactory(council=personas.council, full_name="Сатпаев Ерлан Маратович")
    MembershipFactory(convocation=personas.council.convocations.get(), person=host)
    reception = Reception.objects.create(
        council=personas.council,
        host=host,
        starts_at=timezone.now() + dt.timedelta(days=4),
        slot_minutes=20,
        slots=3,
        place_ru="ул. Абая, 10, каб. 5",
        topics_ru="Экология и благоустройство",
    )
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)

    # 1. The council's receptions: the one scheduled, with a button to book.
    page.goto("/ru/councils/almaty/receptions/")
    assert "Сатпаев Ерлан Маратович" in page.inner_text(f"#reception-{reception.pk}")
    # Phone-first: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click(f"#reception-{reception.pk} a.button")

    # 2. The form: a time, name, e-mail, topic, consent.
    page.select_option("#id_slot", "2")
    page.fill("#id_name", "Ахметова Динара Сериковна")
    page.fill("#id_email", "dinara@example.kz")
    page.select_option("#id_category", "ecology")
    page.fill("#id_question", "Вырубка деревьев во дворе")
    page.check("#id_personal_data_consent")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "reception-booking-phone")
    page.click("#book-submit")

    # 3. The confirmation page, and the mail in the outbox with the cancel link.
    page.wait_for_selector("#booking-confirmation")
    booking = Booking.objects.get()
    assert (booking.slot, booking.status) == (2, BookingStatus.BOOKED)
    shoot(page, "reception-booked-phone")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dinara@example.kz"]
    assert "Вы записаны на приём" in mail.outbox[0].subject
    assert f"/ru/receptions/cancel/{booking.cancel_token}/" in mail.outbox[0].body
    context.close()
