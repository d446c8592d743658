"""Subscriptions to e-mail alerts: a council's or a state body's news, daily or weekly, after double opt-in.

The subscriber's e-mail is personal data: it is seen by the portal's administrators only, never by a public page
or the API, and it is deleted on unsubscribing (or after a week when the subscription is never confirmed).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core import languages
from core.personal_data import Category as PD
from core.personal_data import Processing, personal
from councils.models import Council, StateBody
from councils.ownership import CouncilOwned


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Subscription(models.Model):
    ownership = CouncilOwned(
        "council", audit=False, page_cache=False, why_not="a subscriber's own record, for the operator; never public"
    )
    # The register of processing (core/personal_data.py).
    personal_data_subject = "email"
    personal_data_processing = Processing(
        basis=_("the subscriber's consent, confirmed by the link sent to the address (Law No. 94-V, art. 7)"),
        retention=_(
            "until the subscriber unsubscribes or withdraws consent (then the address is deleted at once); an "
            "unconfirmed address is deleted after a week"
        ),
        recipients=_("nobody: the address is used only to send the digest"),
    )
    not_personal_data = (
        "council",
        "state_body",
        "frequency",
        "language",
        "token",
        "created_at",
        "confirmed_at",
        "last_digest_on",
        "cursor",
    )

    email = personal(
        models.EmailField(_("e-mail")),
        category=PD.CONTACT,
        subject=_("subscriber"),
        purpose=_("to send the news digest the subscriber asked for"),
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_subscriptions",
        verbose_name=_("council"),
    )
    state_body = models.ForeignKey(
        StateBody,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_subscriptions",
        verbose_name=_("state body"),
    )
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    language = models.CharField(_("language"), max_length=8, choices=languages.choices, default="ru")
    # The secret of the confirmation and unsubscribe links: random, never derived from the e-mail.
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_digest_on = models.DateField(_("last digest sent on"), null=True, blank=True)
    # What the last digest covered (alerts/digest.py, `Cursor`): the next one tells only what came after.
    cursor = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(council__isnull=False, state_body__isnull=True)
                | Q(council__isnull=True, state_body__isnull=False),
                name="alert_subscription_one_target",
            ),
            models.UniqueConstraint(
                Lower("email"), "council", condition=Q(council__isnull=False), name="alert_subscription_unique_council"
            ),
            models.UniqueConstraint(
                Lower("email"),
                "state_body",
                condition=Q(state_body__isnull=False),
                name="alert_subscription_unique_state_body",
            ),
        ]
        indexes = [models.Index(fields=["frequency", "confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.target}"

    @property
    def target(self) -> Council | StateBody:
        return self.council if self.council_id else self.state_body  # type: ignore[return-value]
