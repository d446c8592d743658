"""Mail-outs to a group: one message per contact person through the outbox, each with a one-click unsubscribe
(RFC 8058) that keeps the person out of every later mail-out."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.outbox import OutboxMessage
from stakeholders.models import Contact, DeliveryStatus, MailingGroup, MailOut, MailOutDelivery
from stakeholders.selectors import media_contacts
from stakeholders.services import media_group_get_or_create
from tests import factories as f

pytestmark = pytest.mark.django_db


def _send(client, council, group, subject="Пресс-релиз", capture=None):
    url = reverse("stakeholders_ws:mail_out_add", args=[council.slug])
    data = {"group": group.pk, "language": "ru", "subject": subject, "body": "Совет провёл мониторинг."}
    with capture(execute=True):
        return client.post(url, data)


@pytest.fixture
def group(personas):
    group = f.MailingGroupFactory(council=personas.council, name="Партнёры")
    partner = f.PartnerFactory(council=personas.council)
    group.contacts.add(
        f.ContactFactory(partner=partner, full_name="Айгерим", email="aigerim@example.kz"),
        f.ContactFactory(partner=partner, full_name="Без почты", email=""),
        f.ContactFactory(partner=partner, full_name="Уволилась", email="left@example.kz", is_active=False),
    )
    return group


def test_each_contact_gets_one_message_with_a_one_click_unsubscribe(
    personas, group, django_capture_on_commit_callbacks
):
    client = personas.client_for(personas.secretary)

    response = _send(client, personas.council, group, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert OutboxMessage.objects.filter(target="stakeholders.send_mail_out").count() == 1
    (message,) = mail.outbox
    contact = Contact.objects.get(full_name="Айгерим")
    assert message.to == ["aigerim@example.kz"] and message.subject == "Пресс-релиз"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert contact.unsubscribe_token in link and link in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert MailOutDelivery.objects.get().status == DeliveryStatus.SENT


def test_unsubscribing_keeps_the_person_out_of_later_mail_outs(personas, group, django_capture_on_commit_callbacks):
    client = personas.client_for(personas.secretary)
    _send(client, personas.council, group, capture=django_capture_on_commit_callbacks)
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("://", 1)[1].split("/", 1)[1]
    anonymous = Client()

    # A mail filter that fetches the link does not unsubscribe anybody; the page asks, and names nobody.
    page = anonymous.get(f"/{path}")
    assert page.status_code == 200 and "Айгерим" not in page.content.decode()
    assert Contact.objects.get(full_name="Айгерим").unsubscribed_at is None
    # The mail program's one-click POST (no CSRF token) unsubscribes; a second one changes nothing.
    one_click = Client(enforce_csrf_checks=True).post(f"/{path}", {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    assert anonymous.post(f"/{path}").status_code == 200
    assert Contact.objects.get(full_name="Айгерим").unsubscribed_at is not None

    mail.outbox.clear()
    again = _send(client, personas.council, group, subject="Второй", capture=django_capture_on_commit_callbacks)
    assert again.status_code == 400  # nobody left to mail
    assert "Никому из этой группы" in again.content.decode()
    assert mail.outbox == []
    assert anonymous.post("/ru/mail-outs/unsubscribe/not-a-token/").status_code == 404


def test_a_person_who_unsubscribed_after_queueing_gets_nothing(personas, group, django_capture_on_commit_callbacks):
    client = personas.client_for(personas.secretary)
    url = reverse("stakeholders_ws:mail_out_add", args=[personas.council.slug])
    data = {"group": group.pk, "language": "ru", "subject": "Тема", "body": "Текст"}
    client.post(url, data)  # queued, not handed over yet (no commit in the test)
    Contact.objects.filter(full_name="Айгерим").update(unsubscribed_at="2019-01-01T00:00:00Z")

    from stakeholders.notifications import send_mail_out_message

    assert send_mail_out_message(delivery_id=MailOutDelivery.objects.get().pk) == 0
    assert mail.outbox == [] and MailOutDelivery.objects.get().status == DeliveryStatus.SKIPPED


def test_the_media_group_reaches_the_media_organisations_contacts(personas):
    media = f.PartnerProfileFactory(partner__council=personas.council, category="media").partner
    journalist = f.ContactFactory(partner=media, email="news@example.kz")
    ngo = f.PartnerProfileFactory(partner__council=personas.council, category="ngo").partner
    activist = f.ContactFactory(partner=ngo, email="ngo@example.kz")
    f.ContactFactory(partner=f.PartnerProfileFactory(category="media").partner)  # another council's journalist

    assert list(media_contacts(council=personas.council)) == [journalist]
    group = media_group_get_or_create(council=personas.council)
    group.contacts.add(activist)
    assert media_group_get_or_create(council=personas.council) == group  # one per council
    assert set(media_contacts(council=personas.council)) == {journalist, activist}


def test_a_subject_of_two_lines_and_another_councils_group_are_refused(personas, group):
    client = personas.client_for(personas.secretary)
    url = reverse("stakeholders_ws:mail_out_add", args=[personas.council.slug])
    foreign = f.MailingGroupFactory(council=personas.other_council)

    injected = client.post(url, {"group": group.pk, "language": "ru", "subject": "A\nBcc: x@y.kz", "body": "Текст"})
    other = client.post(url, {"group": foreign.pk, "language": "ru", "subject": "Тема", "body": "Текст"})

    assert injected.status_code == other.status_code == 400
    assert not MailOutDelivery.objects.exists()


def test_a_group_is_deleted_after_a_confirm_page_and_one_with_mail_outs_stays(personas, group):
    client = personas.client_for(personas.secretary)
    url = reverse("stakeholders_ws:group_delete", args=[personas.council.slug, group.pk])
    assert personas.client_for(personas.member).get(url).status_code == 403
    assert personas.client_for(personas.other_secretary).post(url).status_code == 404

    confirm = client.get(url)
    assert confirm.status_code == 200 and "Партнёры" in confirm.content.decode()
    assert MailingGroup.objects.filter(pk=group.pk).exists()  # opening the page deletes nothing

    MailOut.objects.create(council=personas.council, group=group, subject="Тема", body="Текст")
    refused = client.post(url)
    assert refused.status_code == 400 and "рассылки" in refused.content.decode()
    assert "поля" not in refused.content.decode()  # no "correct the fields below" on a page with no fields
    assert MailingGroup.objects.filter(pk=group.pk).exists()

    spare = f.MailingGroupFactory(council=personas.council, name="Лишняя")
    spare.contacts.add(Contact.objects.get(full_name="Айгерим"))
    deleted = client.post(reverse("stakeholders_ws:group_delete", args=[personas.council.slug, spare.pk]))
    assert deleted.status_code == 302
    assert not MailingGroup.objects.filter(pk=spare.pk).exists()
    assert Contact.objects.filter(full_name="Айгерим").exists()  # the people stay
