"""The confirmation mail of a new subscription. Run by the outbox after commit, never inline."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from core.follow import followable
from core.outbox import handler

from .models import Subscription
from .services import CONFIRM_MAX_AGE, CONFIRMATION_TARGET, confirm_url


@handler(CONFIRMATION_TARGET)
def send_confirmation_mail(*, subscription_id: int) -> int:
    subscription = (
        Subscription.objects.select_related("council", "state_body")
        .filter(pk=subscription_id, confirmed_at__isnull=True)
        .first()
    )
    if subscription is None:
        return 0  # confirmed or deleted meanwhile
    with translation.override(subscription.language):
        context = {
            "target": subscription.target,
            "target_name": subscription.target_name,
            "kind": followable(subscription.item_kind).label if subscription.item_kind else "",
            "subscription": subscription,
            "confirm_url": confirm_url(subscription),
            "days": CONFIRM_MAX_AGE.days,
        }
        subject = render_to_string("alerts/email/confirm_subject.txt", context).strip()
        body = render_to_string("alerts/email/confirm_body.txt", context)
    mail = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [subscription.email], headers={"Auto-Submitted": "auto-generated"}
    )
    return mail.send()
