"""Subscriptions to e-mail alerts: a council's or a state body's news, daily or weekly, after double opt-in; or
one item followed (a recommendation, a public hearing, a draft act review, an information request), told by mail
when what the public sees of it changes (alerts/follow.py). Both share the double opt-in, the links and the
one-click unsubscribe (alerts/services.py).

The subscriber's e-mail is personal data: it is seen by the portal's administrators only, never by a public page
or the API, and it is deleted on unsubscribing (or after a week when the subscription is never confirmed).
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core import languages
from core.personal_data import Category as PD
from core.personal_data import Processing, personal
from councils.models import Council, StateBody
from councils.ownership import CouncilOwned
from hearings.models import PublicHearing
from monitoring.models import DraftActReview, InformationRequest, Recommendation

# The kinds of item a citizen may follow one by one: the subscription's foreign key to each.
ITEM_FIELDS = ("recommendation", "hearing", "draft_review", "information_request")
NO_ITEM = Q(**{f"{name}__isnull": True for name in ITEM_FIELDS})
# What names each kind of item in a mail or on a page.
ITEM_TITLES = {"recommendation": "text", "hearing": "topic", "draft_review": "title", "information_request": "subject"}
# Exactly one of them set.
ONE_ITEM = reduce(or_, (Q(**{f"{other}__isnull": other != name for other in ITEM_FIELDS}) for name in ITEM_FIELDS))


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
        *ITEM_FIELDS,
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
    # An item followed on its own (the council is then the item's, for the register and data-subject requests).
    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("recommendation"),
    )
    hearing = models.ForeignKey(
        PublicHearing,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("public hearing"),
    )
    draft_review = models.ForeignKey(
        DraftActReview,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("draft act review"),
    )
    information_request = models.ForeignKey(
        InformationRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("information request"),
    )
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
            # A council's news, a state body's news, or one item of a council.
            models.CheckConstraint(
                condition=Q(NO_ITEM, council__isnull=False, state_body__isnull=True)
                | Q(NO_ITEM, council__isnull=True, state_body__isnull=False)
                | Q(ONE_ITEM, council__isnull=False, state_body__isnull=True),
                name="alert_subscription_one_target",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "council",
                condition=Q(NO_ITEM, council__isnull=False),
                name="alert_subscription_unique_council",
            ),
            *(
                models.UniqueConstraint(
                    Lower("email"),
                    name,
                    condition=Q(**{f"{name}__isnull": False}),
                    name=f"alert_subscription_unique_{name}",
                )
                for name in ITEM_FIELDS
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
    def item_field(self) -> str:
        """The name of the followed item's foreign key, or "" for a council's or a state body's news."""
        return next((name for name in ITEM_FIELDS if getattr(self, f"{name}_id")), "")

    @property
    def item(self) -> Recommendation | PublicHearing | DraftActReview | InformationRequest | None:
        return getattr(self, self.item_field) if self.item_field else None

    @property
    def target_name(self) -> str:
        """The council's or state body's name, or the followed item's title (shortened)."""
        if not self.item_field:
            return str(self.council.name if self.council_id else self.state_body.name)  # type: ignore[union-attr]
        text = str(getattr(self.item, ITEM_TITLES[self.item_field]))
        return text if len(text) <= 160 else text[:159].rstrip() + "…"

    @property
    def target(self) -> Council | StateBody | Recommendation | PublicHearing | DraftActReview | InformationRequest:
        item = self.item
        if item is not None:
            return item
        return self.council if self.council_id else self.state_body  # type: ignore[return-value]
