"""Subscribing to e-mail alerts: double opt-in, one-click unsubscribe, rate limits, the admin only for
administrators, and the subscriber's address never shown back."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.contrib.admin.sites import site
from django.core import mail, signing
from django.test import Client, RequestFactory
from django.utils import timezone

from alerts.admin import SubscriptionAdmin
from alerts.models import Subscription
from alerts.services import CONFIRM_SALT, subscriptions_purge_unconfirmed
from alerts.tasks import send_digests
from tests import factories as f

from .conftest import link_in

pytestmark = pytest.mark.django_db

URL = "/ru/alerts/subscribe/"


def form(**overrides) -> dict:
    return {
        "email": "reader@example.kz",
        "frequency": "daily",
        "personal_data_consent": "on",
        "website": "",
        **overrides,
    }


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def _post(query: str = "?council=almaty", client: Client | None = None, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return (client or Client()).post(URL + query, form(**overrides))

    return _post


def test_the_form_names_the_council(council):
    response = Client().get(URL, {"council": "almaty"})

    assert response.status_code == 200
    assert "Общественный совет города Алматы" in response.content.decode()


def test_the_form_takes_a_state_body(police):
    response = Client().get(URL, {"state_body": "almaty-police"})

    assert response.status_code == 200
    assert "Департамент полиции" in response.content.decode()


@pytest.mark.parametrize("query", ["", "?council=nowhere", "?council=almaty&state_body=almaty-police", "?council=hid"])
def test_an_unknown_or_ambiguous_target_is_a_404(council, police, query):
    f.CouncilFactory(slug="hid", is_published=False)

    assert Client().get(URL + query).status_code == 404


def test_subscribing_sends_only_a_confirmation(council, post):
    response = post()

    assert response.status_code == 302
    assert response["Location"] == "/ru/alerts/subscribe/sent/"
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    assert subscription.language == "ru"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.kz"]
    assert "/ru/alerts/confirm/" in message.body
    assert "List-Unsubscribe" not in message.extra_headers


def test_nothing_but_the_confirmation_is_sent_before_confirming(council, post):
    post()
    mail.outbox.clear()
    f.MeetingFactory(council=council, date=timezone.localdate())
    f.MonitoringEventFactory(council=council, date=timezone.localdate())

    assert send_digests("daily") == 0
    assert mail.outbox == []


def test_the_confirmation_link_works_once(council, post):
    post()
    link = link_in(mail.outbox[0], "/alerts/confirm/")

    first = Client().get(link)
    assert first.status_code == 200
    assert "Подписка подтверждена" in first.content.decode() or "Subscription confirmed" in first.content.decode()
    assert Subscription.objects.get().confirmed_at is not None

    again = Client().get(link)
    assert again.status_code == 404
    assert "already been used" in again.content.decode() or "уже" in again.content.decode()


def test_a_tampered_confirmation_link_is_a_friendly_400(council, post):
    post()
    link = link_in(mail.outbox[0], "/alerts/confirm/")

    response = Client().get(link[:-3] + "xx/")
    assert response.status_code == 400
    assert "<h1>" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_an_expired_confirmation_link_is_a_400(council, post):
    post()
    subscription = Subscription.objects.get()
    eight_days_ago = timezone.now().timestamp() - 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        signed = signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscription.token)

    assert Client().get(f"/ru/alerts/confirm/{signed}/").status_code == 400


def test_a_link_signed_for_another_purpose_does_not_confirm(council, post):
    post()
    subscription = Subscription.objects.get()
    signed = signing.TimestampSigner(salt="something.else").sign(subscription.token)

    assert Client().get(f"/ru/alerts/confirm/{signed}/").status_code == 400


def test_consent_is_required(council, post):
    response = post(personal_data_consent="")

    assert response.status_code == 400
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_the_honeypot_refuses_robots(council, post):
    assert post(website="http://spam").status_code == 400
    assert not Subscription.objects.exists()


def test_asking_again_before_confirming_resends_and_updates(council, post):
    post(frequency="daily")
    post(email="Reader@EXAMPLE.kz", frequency="weekly")

    subscription = Subscription.objects.get()
    assert subscription.frequency == "weekly"
    assert len(mail.outbox) == 2


def test_asking_again_when_confirmed_sends_nothing_and_looks_the_same(council, confirmed, post):
    confirmed(council=council)

    response = post()
    assert response.status_code == 302
    assert response["Location"] == "/ru/alerts/subscribe/sent/"
    assert mail.outbox == []
    assert Subscription.objects.count() == 1


def test_the_form_is_rate_limited_per_email(council, post):
    statuses = [post().status_code for _ in range(4)]

    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3


def test_the_form_is_rate_limited_per_address(council, police, post):
    statuses = [post(email=f"r{i}@example.kz").status_code for i in range(11)]

    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429


def test_unsubscribe_in_one_click(council, confirmed):
    subscription = confirmed(council=council)

    response = Client().get(f"/ru/alerts/unsubscribe/{subscription.token}/")
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert "?council=almaty" in response.content.decode()  # to subscribe again
    assert Client().get(f"/ru/alerts/unsubscribe/{subscription.token}/").status_code == 404


def test_mail_programs_unsubscribe_with_a_post_and_no_csrf_token(council, confirmed):
    subscription = confirmed(state_body=f.StateBodyFactory())

    response = Client(enforce_csrf_checks=True).post(
        f"/ru/alerts/unsubscribe/{subscription.token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_a_wrong_unsubscribe_token_is_a_friendly_404(council, confirmed):
    confirmed(council=council)

    response = Client().get("/ru/alerts/unsubscribe/not-a-token/")
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()
    assert Subscription.objects.count() == 1


def test_pages_never_show_the_address(council, post):
    post(email="very.private.reader@example.kz")
    confirm = link_in(mail.outbox[0], "/alerts/confirm/")
    token = Subscription.objects.get().token

    for path in ("/ru/alerts/subscribe/sent/", confirm, f"/ru/alerts/unsubscribe/{token}/"):
        assert "very.private.reader" not in Client().get(path).content.decode()


def test_unconfirmed_subscriptions_are_deleted_after_a_week(council, post):
    post()
    now = timezone.now()

    assert subscriptions_purge_unconfirmed(now=now + dt.timedelta(days=6)) == 0
    assert subscriptions_purge_unconfirmed(now=now + dt.timedelta(days=8)) == 1
    assert not Subscription.objects.exists()


def test_only_portal_administrators_see_subscriptions_in_the_admin(council, confirmed):
    confirmed(council=council)
    secretary = f.CouncilStaffFactory(council=council).user
    secretary.user_permissions.set([])
    root = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    admin = SubscriptionAdmin(Subscription, site)

    for user, allowed in ((secretary, False), (root, True)):
        request = RequestFactory().get("/")
        request.user = user
        assert admin.has_module_permission(request) is allowed
        assert admin.has_view_permission(request) is allowed
        assert admin.has_add_permission(request) is False

    client = Client()
    client.force_login(secretary)
    assert client.get("/ru/admin/alerts/subscription/").status_code in (302, 403)
