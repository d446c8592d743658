"""Writes of the alerts app: subscribe (double opt-in), confirm, unsubscribe, and the clean-up of unconfirmed
subscriptions. Nothing is ever mailed to an address before its owner confirmed it, except the one confirmation
message (and the request form is rate-limited, alerts/views.py)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.outbox import outbox_enqueue
from councils.models import Council, StateBody

from .models import Subscription

CONFIRM_SALT = "alerts.confirm"
# A confirmation link works for a week; an unconfirmed subscription (and its e-mail) is then deleted.
CONFIRM_MAX_AGE = dt.timedelta(days=7)
CONFIRMATION_TARGET = "alerts.send_confirmation"


class InvalidLink(Exception):
    """The link was altered or has expired."""


class LinkUsed(Exception):
    """The link is genuine but there is nothing (left) to do with it: already used, or the subscription is gone."""


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def confirm_url(subscription: Subscription) -> str:
    signed = signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscription.token)
    with translation.override(subscription.language):
        return _site(reverse("alerts:confirm", kwargs={"signed": signed}))


def unsubscribe_url(subscription: Subscription) -> str:
    with translation.override(subscription.language):
        return _site(reverse("alerts:unsubscribe", kwargs={"token": subscription.token}))


def normalise_email(email: str) -> str:
    return BaseUserManager.normalize_email(email.strip())


@transaction.atomic
def subscription_subscribe(
    *,
    email: str,
    council: Council | None = None,
    state_body: StateBody | None = None,
    frequency: str,
    language: str,
) -> Subscription:
    """Ask for alerts about a council or a state body: a confirmation mail goes out after commit.

    1. A confirmed subscription for the same address and target stays as it is and nothing is sent (the page
       says the same either way, so the form does not tell who is subscribed).
    2. An unconfirmed one takes the new frequency and language, and its confirmation is sent again.
    3. Otherwise a new, unconfirmed subscription is made, with a random token for its links.
    """
    if (council is None) == (state_body is None):
        raise ValueError("subscribe to exactly one council or state body")
    email = normalise_email(email)
    target = {"council": council} if council is not None else {"state_body": state_body}
    subscription = Subscription.objects.select_for_update().filter(email__iexact=email, **target).first()
    if subscription is not None and subscription.confirmed_at is not None:
        return subscription
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    email=email, frequency=frequency, language=language, token=secrets.token_urlsafe(32), **target
                )
        except IntegrityError:  # the same form posted twice at once: the other request made it
            return Subscription.objects.get(email__iexact=email, **target)
    else:
        subscription.frequency = frequency
        subscription.language = language
        subscription.save(update_fields=["frequency", "language"])
    outbox_enqueue(handler=CONFIRMATION_TARGET, kwargs={"subscription_id": subscription.pk})
    return subscription


@transaction.atomic
def subscription_confirm(*, signed: str, today: dt.date | None = None) -> Subscription:
    """Confirm by the signed link of the confirmation mail. The link works once.

    Raises InvalidLink for an altered or expired link, LinkUsed when it was used already or the subscription
    no longer exists.
    """
    from .digest import cursor_now  # the digest reads the services' links; imported here to avoid a cycle

    try:
        token = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(signed, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature too
        raise InvalidLink from exc
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("council", "state_body")
        .filter(token=token, confirmed_at__isnull=True)
        .first()
    )
    if subscription is None:
        raise LinkUsed
    today = today or timezone.localdate()
    subscription.confirmed_at = timezone.now()
    # The first digest tells what happens from now on, not the council's whole past.
    subscription.cursor = cursor_now(subscription, today=today)
    subscription.save(update_fields=["confirmed_at", "cursor"])
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, token: str) -> Subscription | None:
    """Delete the subscription (and with it the e-mail address); returns it as it was, or None if unknown."""
    subscription = Subscription.objects.select_related("council", "state_body").filter(token=token).first()
    if subscription is None:
        return None
    subscription.delete()
    return subscription


def subscriptions_purge_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """Delete the subscriptions never confirmed within the link's life: their addresses were never proven."""
    now = now or timezone.now()
    deleted, _ = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=now - CONFIRM_MAX_AGE).delete()
    return deleted
