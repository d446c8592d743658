"""A council's news, press releases and statements (issue 20, item 5).

An item is written in Russian and, where the council has them, Kazakh and English (`title_ru`, `title_kk`,
`title_en`, and the same for `body`): the columns carry the language in their name as modeltranslation's do, so
`{% tr_name item "title" %}` and `{% tr_text item "body" %}` show a Kazakh reader the Kazakh text, or the Russian
marked `lang="ru"` where there is none.

Its life: a *draft* the staff alone see; *published* with a moment of publication (`publish_at`), which may lie in
the future (a scheduled publication: nothing of it is public before that moment); *withdrawn*, with the reason,
which leaves a tombstone page at the same address (title, dates and the reason, not the text) so that a link a
newspaper printed does not die silently.

An item links the records it is about (a meeting, a monitoring event, a hearing, a recommendation, a draft review:
the kinds of record the apps register in `councils.plan`, named by kind and id as the work plan's links are, so
this app imports none of them), carries its images (checked by content, re-encoded and resized in
`services.py`; alternative text required) and the publications in the media that took it up.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.models import Council
from councils.ownership import CouncilOwned


class NewsKind(models.TextChoices):
    NEWS = "news", _("News")
    PRESS_RELEASE = "press_release", _("Press release")
    STATEMENT = "statement", _("Statement")


class NewsStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NewsItem(models.Model):
    ownership = CouncilOwned("council")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="news_items")
    key = models.SlugField(_("key"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=NewsKind.choices, default=NewsKind.NEWS)
    status = models.CharField(_("status"), max_length=16, choices=NewsStatus.choices, default=NewsStatus.DRAFT)
    publish_at = models.DateTimeField(
        _("publication"),
        null=True,
        blank=True,
        help_text=_("The moment it becomes public; a later moment schedules the publication."),
    )
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    body_ru = models.TextField(_("text (Russian)"))
    body_kk = models.TextField(_("text (Kazakh)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    # Set once the moment of publication has passed and the council's cached pages were left behind
    # (`services.news_release_due`, every minute): a scheduled item appears without anyone editing anything.
    released = models.BooleanField(_("released"), default=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)
    # Not `auto_now_add`: an imported draft keeps the moment it was written (interchange/spec.py: a draft without a
    # moment of publication is in the council-activity file of the year it was written).
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        constraints = [
            models.UniqueConstraint(fields=["council", "key"], name="news_item_unique_key"),
            # Public (or once public) means a moment of publication.
            models.CheckConstraint(
                condition=Q(status=NewsStatus.DRAFT) | Q(publish_at__isnull=False), name="news_item_published_at"
            ),
            # A tombstone says when and why.
            models.CheckConstraint(
                condition=~Q(status=NewsStatus.WITHDRAWN) | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="news_item_withdrawal_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["council", "status", "-publish_at"], name="news_item_council_public"),
            models.Index(fields=["status", "-publish_at"], name="news_item_portal_public"),
        ]

    def __str__(self) -> str:
        return self.title_ru[:100]

    @property
    def title(self) -> str:
        """The title in Russian, the language every item has (pages use `{% tr_name item "title" %}`)."""
        return self.title_ru


def image_upload_to(instance: Any, filename: str) -> str:
    """A name the portal makes: nothing typed reaches the file system."""
    extension = ".png" if getattr(instance, "content_type", "") == "image/png" else ".jpg"
    return f"news/{uuid.uuid4().hex}{extension}"


class NewsImage(models.Model):
    ownership = CouncilOwned("item__council")

    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    image = models.FileField(_("image"), upload_to=image_upload_to)
    content_type = models.CharField(_("file type"), max_length=32)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("file size"))
    alt_ru = models.CharField(_("description (Russian)"), max_length=300)
    alt_kk = models.CharField(_("description (Kazakh)"), max_length=300, blank=True)
    alt_en = models.CharField(_("description (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("news image")
        verbose_name_plural = _("news images")
        constraints = [models.CheckConstraint(condition=~Q(alt_ru=""), name="news_image_alt_required")]

    def __str__(self) -> str:
        return self.alt_ru[:100]

    @property
    def alt(self) -> str:
        return self.alt_ru


class NewsLink(models.Model):
    """A record the item is about, named by its kind (`councils.plan.plan_record_kinds`) and id."""

    ownership = CouncilOwned("item__council")

    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind of record"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("record"))

    class Meta:
        ordering = ["item", "kind", "object_id"]
        verbose_name = _("news link")
        verbose_name_plural = _("news links")
        constraints = [models.UniqueConstraint(fields=["item", "kind", "object_id"], name="news_link_unique")]

    def __str__(self) -> str:
        return f"{self.item} → {self.kind}:{self.object_id}"


class MediaKind(models.TextChoices):
    SITE = "site", _("News website")
    PRESS = "press", _("Press")
    TV = "tv", _("Television")
    RADIO = "radio", _("Radio")
    SOCIAL = "social", _("Social media")
    OTHER = "other", _("Other")


class MediaPublication(models.Model):
    """A publication in the media that took the item up: the outlet, the day and the address. Counted with the
    monitoring events' publicity links in the annual report's media section and the stats API."""

    ownership = CouncilOwned("item__council")

    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="media_publications")
    outlet = models.CharField(_("outlet"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=MediaKind.choices, default=MediaKind.SITE)
    published_on = models.DateField(_("date"))
    url = models.URLField(_("address"), max_length=1000)

    class Meta:
        ordering = ["item", "published_on", "id"]
        verbose_name = _("publication in the media")
        verbose_name_plural = _("publications in the media")

    def __str__(self) -> str:
        return f"{self.outlet}: {self.url}"
