from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache

from alerts.models import Subscription
from alerts.services import subscription_confirm, subscription_subscribe
from tests import factories as f


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def council(db):
    return f.CouncilFactory(slug="almaty", code="ALM", name="Общественный совет города Алматы")


@pytest.fixture
def police(db):
    return f.StateBodyFactory(slug="almaty-police", name="Департамент полиции г. Алматы")


def link_in(message, marker: str) -> str:
    """The first link of the mail whose path contains `marker`, as a path the test client can open."""
    url = re.search(rf"https?://\S*{marker}\S*", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def confirmed(db, django_capture_on_commit_callbacks):
    """Subscribe and confirm through the services; returns the subscription, with the mail box emptied."""

    def make(email: str = "reader@example.kz", *, frequency: str = "daily", **target) -> Subscription:
        with django_capture_on_commit_callbacks(execute=True):
            subscription = subscription_subscribe(email=email, frequency=frequency, language="ru", **target)
        signed = link_in(mail.outbox[-1], "/alerts/confirm/").rstrip("/").rsplit("/", 1)[1]
        subscription = subscription_confirm(signed=signed)
        mail.outbox.clear()
        return subscription

    return make
