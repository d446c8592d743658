"""Celery tasks of the alerts app: thin, they load and call the digest and the services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .digest import subscription_digest_queue
from .follow import State, confirmed_follows, follow_news_queue
from .models import NO_ITEM, Frequency, Subscription
from .services import subscriptions_purge_unconfirmed


@shared_task
def send_digests(frequency: str = Frequency.DAILY) -> int:
    """Queue the digest of every confirmed subscription of this frequency that has news; returns how many.

    Run by beat (daily every morning, weekly on Mondays). Safe to run twice: a subscription got its digest
    for the period already, or nothing changed since. Unconfirmed subscriptions past their link's life are
    deleted on the way.
    """
    if frequency == Frequency.DAILY:
        subscriptions_purge_unconfirmed()
    today = timezone.localdate()
    ids = (
        Subscription.objects.filter(NO_ITEM, frequency=frequency, confirmed_at__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)
    )
    return sum(subscription_digest_queue(subscription_id=pk, today=today) for pk in ids)


@shared_task
def send_follow_news() -> int:
    """Queue the news of every confirmed follow whose item changed in public; returns how many mails.

    Run by beat every few minutes (OVERSIGHT_ALERTS_FOLLOW_EVERY_MINUTES). Safe to run twice or at once: each
    follow is compared and moved on its locked row (alerts/follow.py)."""
    now = timezone.now()
    states: dict[tuple[str, int], State | None] = {}
    ids = confirmed_follows().order_by("id").values_list("id", flat=True)
    return sum(follow_news_queue(subscription_id=pk, now=now, states=states) for pk in ids)
