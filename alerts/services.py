"""Writes of the alerts app: subscribe to a council's or a state body's news, or follow one thing (double opt-in
both), confirm, unsubscribe, and the clean-up of unconfirmed subscriptions.

Nothing is ever mailed to an address before its owner confirmed it, except the one confirmation
message (and the request form is rate-limited, alerts/views.py)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone, translation

from core.follow import followables
from core.outbox import outbox_enqueue
from councils.models import Council, StateBody

from .models import NO_ITEM, Subscription

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
    target: dict[str, object] = {"council": council} if council is not None else {"state_body": state_body}
    # A council's news is the subscription of that council that follows no item.
    match = Q(NO_ITEM, **target)
    return _opt_in(email=email, target=target, match=match, frequency=frequency, language=language)


def followed_kind(item: Model) -> str:
    """The registered kind (core/follow.py) of an object that can be followed; ValueError for any other."""
    for key, kind in followables().items():
        if type(item) is kind.model:
            return key
    raise ValueError(f"{type(item).__name__} cannot be followed")


@transaction.atomic
def follow_subscribe(*, email: str, item: Model, language: str) -> Subscription:
    """Follow one item of a registered kind (a recommendation, a hearing, a draft review, an information request,
    a state body): the same double opt-in as a council's alerts (`subscription_subscribe`), the same confirmation
    mail and links. The council is the item's (none for a state body), so the register and data-subject requests
    find the address under that council."""
    key = followed_kind(item)
    item_target = {"item_kind": key, "item_id": item.pk}
    target: dict[str, object] = {**item_target, "council": followables()[key].council(item)}
    return _opt_in(email=email, target=target, match=Q(**item_target), frequency="", language=language)


def _opt_in(*, email: str, target: dict[str, object], match: Q, frequency: str, language: str) -> Subscription:
    """The double opt-in shared by subscriptions and follows (steps in `subscription_subscribe`)."""
    email = normalise_email(email)
    queryset = Subscription.objects.select_for_update().filter(match, email__iexact=email)
    subscription = queryset.first()
    if subscription is not None and subscription.confirmed_at is not None:
        return subscription
    changes = {"language": language, **({"frequency": frequency} if frequency else {})}
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    email=email, token=secrets.token_urlsafe(32), **changes, **target
                )
        except IntegrityError:  # the same form posted twice at once: the other request made it
            return queryset.get()
    else:
        for key, value in changes.items():
            setattr(subscription, key, value)
        subscription.save(update_fields=list(changes))
    outbox_enqueue(handler=CONFIRMATION_TARGET, kwargs={"subscription_id": subscription.pk})
    return subscription


@transaction.atomic
def subscription_confirm(*, signed: str, today: dt.date | None = None) -> Subscription:
    """Confirm by the signed link of the confirmation mail. The link works once.

    Raises InvalidLink for an altered or expired link, LinkUsed when it was used already or the subscription
    no longer exists.
    """
    from .digest import cursor_now  # the digest reads the services' links; imported here to avoid a cycle
    from .follow import public_state

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
    # The first digest tells what happens from now on, not the council's whole past; a followed item's first
    # news is what changes after this moment.
    if subscription.item_kind:
        subscription.cursor = public_state(subscription) or {}
    else:
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


def followers_delete(*, kind: str, pk: int, **kwargs: object) -> int:
    """Delete the follows of an item that was deleted (the receiver of `core.follow.followable_deleted`)."""
    deleted, _ = Subscription.objects.filter(item_kind=kind, item_id=pk).delete()
    return deleted
