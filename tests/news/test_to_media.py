"""A public news item goes to the council's media group with one button on its workspace page: its title, text and
public address in the chosen language of the item's, through the outbox with a one-click unsubscribe; once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from news import services
from reports.selectors import council_year_stats
from stakeholders.models import Contact, MailOut
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(personas):
    item = services.news_create(
        council=personas.council,
        data=services.NewsData(
            kind="press_release",
            title_ru="Совет провёл мониторинг полигона",
            body_ru="Члены совета посетили полигон.",
            title_kk="Кеңес полигонға мониторинг жүргізді",
            body_kk="Кеңес мүшелері полигонға барды.",
        ),
    )
    return services.news_publish(item=item, publish_at=timezone.now() - dt.timedelta(minutes=5))


@pytest.fixture
def journalist(personas):
    media = f.PartnerProfileFactory(partner__council=personas.council, category="media").partner
    return f.ContactFactory(partner=media, full_name="Журналист Ержан", email="erzhan@example.kz")


def test_the_item_goes_to_the_media_group_once_in_its_language_with_an_unsubscribe(
    personas, item, journalist, django_capture_on_commit_callbacks
):
    client = personas.client_for(personas.secretary)
    detail = reverse("news_ws:detail", args=[personas.council.slug, item.pk])
    send = reverse("news_ws:send_to_media", args=[personas.council.slug, item.pk])
    assert f'action="{send}"' in client.get(detail).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send, {"language": "kk"})
    assert response.status_code == 302 and response["Location"] == detail

    (message,) = mail.outbox
    assert message.to == ["erzhan@example.kz"]
    assert message.subject == "Кеңес полигонға мониторинг жүргізді"
    assert "Кеңес мүшелері полигонға барды." in message.body
    public = reverse("reports:news_item", args=[personas.council.slug, item.pk]).replace("/ru/", "/kk/")
    assert public.startswith("/kk/") and public in message.body
    assert "Члены совета" not in message.body
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert journalist.unsubscribe_token in link and link in message.body

    # Audited: the mail-out's history names who sent it.
    mail_out = MailOut.objects.get()
    assert mail_out.audit_history.get().history_user == personas.secretary
    page = client.get(detail).content.decode()
    assert f'action="{send}"' not in page and "1" in page

    # Counted in the year's figures (the stats API and the annual report's media section).
    stats = council_year_stats(council=personas.council, year=timezone.localdate().year)
    assert (stats.stakeholders.press_mail_outs, stats.stakeholders.mail_outs) == (1, 1)

    # A second click sends nothing and says it went already.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(send, {"language": "ru"})
    assert again.status_code == 400 and "уже отправлено группе СМИ" in again.content.decode()
    assert mail.outbox == [] and MailOut.objects.count() == 1

    # The journalist's one-click unsubscribe keeps them out of the council's later mail-outs.
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Contact.objects.get(pk=journalist.pk).unsubscribed_at is not None
    other = services.news_publish(
        item=services.news_create(
            council=personas.council, data=services.NewsData(kind="statement", title_ru="Заявление", body_ru="Текст")
        ),
        publish_at=timezone.now() - dt.timedelta(minutes=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(
            reverse("news_ws:send_to_media", args=[personas.council.slug, other.pk]), {"language": "ru"}
        )
    assert refused.status_code == 400 and mail.outbox == []


def test_a_draft_or_a_language_the_item_lacks_is_refused_and_readers_cannot_send(personas, item, journalist):
    client = personas.client_for(personas.secretary)
    send = reverse("news_ws:send_to_media", args=[personas.council.slug, item.pk])
    assert client.post(send, {"language": "en"}).status_code == 400  # no English text
    draft = services.news_create(
        council=personas.council, data=services.NewsData(kind="news", title_ru="Черновик", body_ru="Текст")
    )
    draft_send = reverse("news_ws:send_to_media", args=[personas.council.slug, draft.pk])
    assert client.post(draft_send, {"language": "ru"}).status_code == 400
    personas.council.is_published = False
    personas.council.save()
    hidden = client.post(send, {"language": "ru"})
    assert hidden.status_code == 400 and "ещё не открыты" in hidden.content.decode()
    personas.council.is_published = True
    personas.council.save()
    assert personas.client_for(personas.member).post(send, {"language": "ru"}).status_code == 403
    assert personas.client_for(personas.other_secretary).post(send, {"language": "ru"}).status_code == 404
    assert MailOut.objects.count() == 0 and mail.outbox == []
