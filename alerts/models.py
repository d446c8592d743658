"""Subscriptions to e-mail alerts: a council's or a state body's news, daily or weekly, after double opt-in; or
one thing followed (a recommendation, a public hearing, a draft act review, an information request, a state
body: whatever the apps register in core/follow.py), named by its kind and id and told by mail when what the
public sees of it changes (alerts/follow.py). Both share the double opt-in, the links and the
one-click unsubscribe (alerts/services.py).

The subscriber's e-mail is personal data: it is seen by the portal's administrators only, never by a public page
or the API, and it is deleted on unsubscribing (or after a week when the subscription is never confirmed).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core import languages
from core.follow import followable
from core.personal_data import Category as PD
from core.personal_data import Processing, personal
from councils.models import Council, StateBody
from councils.ownership import CouncilOwned

# A council's or a state body's news, not one thing followed.
NO_ITEM = Q(item_kind="")


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
        recipients=_("nobody: the address is used only to send the digest or the news of the followed item"),
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
        "item_kind",
        "item_id",
        "notified_at",
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
    # One thing followed on its own, by its registered kind (core/follow.py) and id; "" for a council's or a state
    # body's news. The council is then the item's (None for a state body), for the register and data-subject
    # requests. Deleting the item deletes its followers (alerts/apps.py, `core.follow.followable_deleted`).
    item_kind = models.CharField(_("followed kind"), max_length=32, blank=True, default="", editable=False)
    item_id = models.PositiveBigIntegerField(_("followed id"), null=True, blank=True, editable=False)
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    language = models.CharField(_("language"), max_length=8, choices=languages.choices, default="ru")
    # The secret of the confirmation and unsubscribe links: random, never derived from the e-mail.
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_digest_on = models.DateField(_("last digest sent on"), null=True, blank=True)
    # What the last digest covered (alerts/digest.py, `Cursor`): the next one tells only what came after. For a
    # followed item: what the public saw of it when the follower was last told (alerts/follow.py, `public_state`).
    cursor = models.JSONField(default=dict, blank=True, editable=False)
    # When the last news of a followed item was queued: changes closer together than ALERTS_FOLLOW_BATCH_MINUTES
    # go out in one mail.
    notified_at = models.DateTimeField(_("last notified at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        constraints = [
            # A council's news, a state body's news, or one thing followed (of a council, or of none).
            models.CheckConstraint(
                condition=Q(NO_ITEM, item_id__isnull=True, council__isnull=False, state_body__isnull=True)
                | Q(NO_ITEM, item_id__isnull=True, council__isnull=True, state_body__isnull=False)
                | (~NO_ITEM & Q(item_id__isnull=False, state_body__isnull=True)),
                name="alert_subscription_one_target",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "council",
                condition=Q(NO_ITEM, council__isnull=False),
                name="alert_subscription_unique_council",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "item_kind",
                "item_id",
                condition=~NO_ITEM,
                name="alert_subscription_unique_item",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "state_body",
                condition=Q(state_body__isnull=False),
                name="alert_subscription_unique_state_body",
            ),
        ]
        indexes = [
            models.Index(fields=["frequency", "confirmed_at"]),
            models.Index(fields=["item_kind", "item_id"], name="alert_subscription_item"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.target}"

    @property
    def item_field(self) -> str:
        """The followed kind (core/follow.py), or "" for a council's or a state body's news."""
        return self.item_kind

    @property
    def item(self) -> Any | None:
        """The followed object (whether the public sees it now or not), or None."""
        if not self.item_kind:
            return None
        if not hasattr(self, "_item"):
            self._item = followable(self.item_kind).model._default_manager.filter(pk=self.item_id).first()
        return self._item

    @property
    def target_name(self) -> str:
        """The council's or state body's name, or the followed item's title (shortened)."""
        if not self.item_kind:
            return str(self.council.name if self.council_id else self.state_body.name)  # type: ignore[union-attr]
        item = self.item
        text = str(followable(self.item_kind).title(item)) if item is not None else ""
        return text if len(text) <= 160 else text[:159].rstrip() + "…"

    @property
    def target(self) -> Any:
        item = self.item
        if item is not None:
            return item
        return self.council if self.council_id else self.state_body
