"""The public request form (/<lang>/privacy/request/): hostile input and the rate limits, per address and per IP."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from privacy.models import RequestConfirmation
from tests.security import hostile as h

pytestmark = pytest.mark.django_db

URL = "privacy:request"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _post(client: Client, **data):
    return client.post(reverse(URL), {"email": "a@example.kz", "kind": "access", **data})


@pytest.mark.parametrize(
    "overrides",
    [
        {"email": h.SCRIPT},
        {"email": h.SQL_OR},
        {"email": "a@example.kz\x00"},
        {"email": "a" * 300 + "@example.kz"},
        {"kind": h.SCRIPT},
        {"kind": "delete-everything"},
        {"details": h.MEGABYTE},
        {"details": h.NUL},
        {"council": h.SQL_DROP},
        {"council": h.HUGE_NUMBER},
        {"kind": "correction", "details": "   "},
        {"website": "http://spam.example"},
    ],
    ids=[
        "email-script",
        "email-sql",
        "email-nul",
        "email-long",
        "kind-script",
        "kind-unknown",
        "details-megabyte",
        "details-nul",
        "council-sql",
        "council-huge",
        "correction-without-details",
        "honeypot",
    ],
)
def test_hostile_input_is_refused_with_a_message_and_stores_nothing(client: Client, overrides):
    response = _post(client, **overrides)

    assert response.status_code == 400
    assert RequestConfirmation.objects.count() == 0
    h.assert_nothing_raw(response.content, where=str(overrides)[:60])
    assert 'role="alert"' in response.content.decode()


def test_markup_in_the_details_is_kept_as_text_and_shown_escaped(client: Client):
    response = _post(client, kind="correction", details=h.SCRIPT)

    assert response.status_code == 302
    assert RequestConfirmation.objects.get().details == h.SCRIPT


def test_one_address_is_limited_whatever_the_client(settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "PRIVACY_RATE_PER_EMAIL": "3/h", "PRIVACY_RATE_PER_IP": "100/h"}
    statuses = [_post(Client(REMOTE_ADDR=f"10.0.0.{i}"), email="Victim@Example.kz").status_code for i in range(5)]

    assert statuses == [302, 302, 302, 429, 429]
    assert RequestConfirmation.objects.count() == 3


def test_one_client_is_limited_whatever_the_address(settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "PRIVACY_RATE_PER_EMAIL": "100/h", "PRIVACY_RATE_PER_IP": "4/h"}
    client = Client(REMOTE_ADDR="10.0.0.9")
    statuses = [_post(client, email=f"p{i}@example.kz").status_code for i in range(6)]

    assert statuses == [302, 302, 302, 302, 429, 429]
    page = _post(client, email="late@example.kz")
    assert page.status_code == 429
    assert 'id="notice"' in page.content.decode()
