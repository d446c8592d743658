"""Writes on a council's news: an item written, published (now or at a later moment), taken back to a draft
before it went public, withdrawn with its reason; its images, the records it is about and the publications in the
media that took it up. Keyword-only, typed, one transaction each; a rule is a ValidationError keyed by the form
field it concerns.

An image is checked by its content, never its name: JPEG or PNG by its first bytes (`core.files`), then decoded
by Pillow within a pixel limit (a decompression bomb is refused), turned upright by its EXIF orientation, made at
most `MAX_IMAGE_SIDE` pixels on its longer side and encoded again. The stored file is the portal's own encoding:
the camera's metadata (EXIF, with the place a photo was taken) never reaches the public.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.files import JPEG, PNG, sniff_content_type
from core.page_cache import bump_council
from core.press import PressRelease, PressSent, press_office
from core.retention import storage_delete_on_commit
from councils.member_services import unique_key
from councils.models import Council
from councils.ownership import council_path
from councils.plan import plan_record_kinds

from .models import MediaKind, MediaPublication, NewsImage, NewsItem, NewsKind, NewsLink, NewsStatus

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo; anything larger is refused before it is decoded
MAX_IMAGE_SIDE = 1600
MAX_IMAGES = 10
JPEG_QUALITY = 85


@dataclass(frozen=True)
class NewsData:
    kind: str
    title_ru: str
    body_ru: str
    title_kk: str = ""
    title_en: str = ""
    body_kk: str = ""
    body_en: str = ""


@dataclass(frozen=True)
class ImageData:
    image: UploadedFile[bytes]
    alt_ru: str
    alt_kk: str = ""
    alt_en: str = ""


@dataclass(frozen=True)
class MediaPublicationData:
    outlet: str
    kind: str
    published_on: dt.date
    url: str


def _apply(item: NewsItem, data: NewsData) -> None:
    if data.kind not in NewsKind.values:
        raise ValidationError({"kind": _("Choose one of the options.")})
    if not data.title_ru.strip():
        raise ValidationError({"title_ru": _("Give the title in Russian.")})
    if not data.body_ru.strip():
        raise ValidationError({"body_ru": _("Give the text in Russian.")})
    for language in ("kk", "en"):
        title, body = getattr(data, f"title_{language}").strip(), getattr(data, f"body_{language}").strip()
        if bool(title) != bool(body):
            field = f"body_{language}" if title else f"title_{language}"
            raise ValidationError({field: _("A translation needs both its title and its text.")})
    item.kind = data.kind
    for field in ("title_ru", "title_kk", "title_en", "body_ru", "body_kk", "body_en"):
        setattr(item, field, getattr(data, field).strip())


def _not_withdrawn(item: NewsItem) -> None:
    if item.status == NewsStatus.WITHDRAWN:
        raise ValidationError(_("The item was withdrawn: it can no longer be changed."))


@transaction.atomic
def news_create(*, council: Council, data: NewsData) -> NewsItem:
    """A new item, a draft until it is published."""
    item = NewsItem(council=council)
    _apply(item, data)
    item.key = unique_key(NewsItem.objects.filter(council=council), f"news-{timezone.localdate():%Y-%m-%d}")
    item.save()
    return item


@transaction.atomic
def news_update(*, item: NewsItem, data: NewsData) -> NewsItem:
    _not_withdrawn(item)
    _apply(item, data)
    item.save()
    return item


@transaction.atomic
def news_publish(*, item: NewsItem, publish_at: dt.datetime) -> NewsItem:
    """Publish at `publish_at`: now or earlier makes it public at once, a later moment schedules it (nothing of it
    is public before then). A published item may be given another moment while it is not yet public."""
    _not_withdrawn(item)
    now = timezone.now()
    if item.status == NewsStatus.PUBLISHED and item.publish_at is not None and item.publish_at <= now:
        if publish_at != item.publish_at:
            raise ValidationError({"publish_at": _("The item is already public: its publication stays as it was.")})
        return item
    moment = publish_at.replace(microsecond=0)  # a whole second: the pages' datetime attributes take no more
    item.status = NewsStatus.PUBLISHED
    item.publish_at = moment
    item.released = moment <= now  # the save leaves the council's cached pages behind (councils.ownership)
    item.save()
    return item


@transaction.atomic
def news_unschedule(*, item: NewsItem) -> NewsItem:
    """A scheduled item back to a draft: only before it has gone public (what was public is withdrawn instead)."""
    if item.status != NewsStatus.PUBLISHED or item.publish_at is None or item.publish_at <= timezone.now():
        raise ValidationError(_("Only an item scheduled for later can go back to a draft; withdraw a public one."))
    item.status = NewsStatus.DRAFT
    item.publish_at = None
    item.released = False
    item.save()
    return item


@transaction.atomic
def news_withdraw(*, item: NewsItem, reason: str) -> NewsItem:
    """Withdrawn with the reason: the text, images and links leave the public pages, feeds and API; the address
    keeps a tombstone with the title, the dates and the reason."""
    if item.status != NewsStatus.PUBLISHED or item.publish_at is None or item.publish_at > timezone.now():
        raise ValidationError(_("Only a public item can be withdrawn; a draft can be deleted."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the item is withdrawn: the public page will show it.")})
    item.status = NewsStatus.WITHDRAWN
    item.withdrawn_at = timezone.now().replace(microsecond=0)
    item.withdrawal_reason = reason.strip()
    item.save()
    return item


@transaction.atomic
def news_delete(*, item: NewsItem) -> None:
    """A draft (or an item scheduled but never public) deleted with its images; a public one is withdrawn."""
    if item.status == NewsStatus.WITHDRAWN or (
        item.status == NewsStatus.PUBLISHED and item.publish_at is not None and item.publish_at <= timezone.now()
    ):
        raise ValidationError(_("A public item is withdrawn, not deleted: its address keeps saying why."))
    files = [(image.image.storage, image.image.name) for image in item.images.all() if image.image.name]
    item.delete()
    for storage, name in files:
        storage_delete_on_commit(storage=storage, names=[name] if name else [])


def news_release_due(*, now: dt.datetime | None = None) -> int:
    """Scheduled items whose moment has come: each marked released, and its council's cached pages and feeds left
    behind (a bulk update sends no signal, so the version is bumped here). Compare-and-swap per item, so two
    workers running at once bump each council once; returns how many items went public.

    The public selectors judge by `publish_at` alone: this only makes the cached pages catch up at once rather
    than within PORTAL_CACHE_SECONDS."""
    now = now or timezone.now()
    due = NewsItem.objects.filter(status=NewsStatus.PUBLISHED, released=False, publish_at__lte=now)
    released = 0
    councils: set[int] = set()
    for pk, council_id in due.values_list("pk", "council_id"):
        if NewsItem.objects.filter(pk=pk, status=NewsStatus.PUBLISHED, released=False).update(released=True):
            released += 1
            councils.add(council_id)
    for council_id in councils:
        transaction.on_commit(functools.partial(bump_council, council_id))
    return released


def _encode(upload: UploadedFile[bytes]) -> tuple[bytes, str, int, int]:
    """The image decoded and encoded again (module docstring): (content, type, width, height)."""
    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            {
                "image": _("The image is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_IMAGE_BYTES)}
            }
        )
    content_type = sniff_content_type(upload)
    if content_type not in (JPEG, PNG):
        raise ValidationError({"image": _("Upload a JPEG or PNG image (its content was checked, not its name).")})
    unreadable = ValidationError({"image": _("The image cannot be read: it is damaged or not an image.")})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError({"image": _("The image is too large in pixels; make it smaller.")})
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            image = ImageOps.exif_transpose(opened)
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise unreadable from None
    finally:
        upload.seek(0)
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if content_type == JPEG:
        image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    return out.getvalue(), content_type, image.width, image.height


@transaction.atomic
def news_image_add(*, item: NewsItem, data: ImageData) -> NewsImage:
    _not_withdrawn(item)
    if not data.alt_ru.strip():
        raise ValidationError({"alt_ru": _("Describe the image in Russian for readers who cannot see it.")})
    if item.images.count() >= MAX_IMAGES:
        raise ValidationError(_("An item holds at most %(n)s images.") % {"n": MAX_IMAGES})
    content, content_type, width, height = _encode(data.image)
    position = (item.images.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    image = NewsImage(
        item=item,
        position=position,
        content_type=content_type,
        width=width,
        height=height,
        size=len(content),
        alt_ru=data.alt_ru.strip(),
        alt_kk=data.alt_kk.strip(),
        alt_en=data.alt_en.strip(),
    )
    image.image.save("image", ContentFile(content), save=False)
    image.save()
    return image


@transaction.atomic
def news_image_delete(*, image: NewsImage) -> None:
    name, storage = image.image.name, image.image.storage
    image.delete()
    storage_delete_on_commit(storage=storage, names=[name] if name else [])


@transaction.atomic
def news_link_add(*, item: NewsItem, kind: str, object_id: int) -> NewsLink:
    """Link a record of the item's own council (a kind registered in `councils.plan`)."""
    _not_withdrawn(item)
    record_kind = plan_record_kinds().get(kind)
    if record_kind is None:
        raise ValidationError({"record": _("Choose one of the options.")})
    path = council_path(record_kind.model)
    if path is None or not record_kind.model._default_manager.filter(pk=object_id, **{path: item.council}).exists():
        raise ValidationError({"record": _("Choose a record of this council.")})
    link, _created = NewsLink.objects.get_or_create(item=item, kind=kind, object_id=object_id)
    return link


@transaction.atomic
def news_link_remove(*, link: NewsLink) -> None:
    link.delete()


@transaction.atomic
def media_publication_add(*, item: NewsItem, data: MediaPublicationData) -> MediaPublication:
    if not data.outlet.strip():
        raise ValidationError({"outlet": _("Name the outlet.")})
    if data.kind not in MediaKind.values:
        raise ValidationError({"kind": _("Choose one of the options.")})
    if not data.url.startswith(("http://", "https://")):
        raise ValidationError({"url": _("Give a web address (http:// or https://).")})
    return MediaPublication.objects.create(
        item=item, outlet=data.outlet.strip(), kind=data.kind, published_on=data.published_on, url=data.url
    )


@transaction.atomic
def media_publication_delete(*, publication: MediaPublication) -> None:
    publication.delete()


# ---- to the media ----------------------------------------------------------------------------------------------


def news_languages(item: NewsItem) -> list[str]:
    """The languages the item is written in: Russian always, Kazakh and English where it has them."""
    return ["ru"] + [language for language in ("kk", "en") if getattr(item, f"title_{language}").strip()]


def news_press_source(item: NewsItem) -> str:
    return f"news:{item.pk}"


def news_public_url(item: NewsItem, language: str) -> str:
    with translation.override(language):
        path = reverse("reports:news_item", kwargs={"slug": item.council.slug, "pk": item.pk})
    return settings.SITE_URL.rstrip("/") + path


def news_sent_to_media(*, item: NewsItem) -> PressSent | None:
    office = press_office()
    return office.sent(council=item.council, source=news_press_source(item)) if office is not None else None


@transaction.atomic
def news_send_to_media(*, item: NewsItem, language: str, by: object, now: dt.datetime | None = None) -> PressSent:
    """Send a public item to the council's media group (the stakeholder registry's office, core/press.py): its
    title, text and public address in one of its languages, through the outbox, each message with its one-click
    unsubscribe link. Once per item: a second time is refused with the day it went."""
    now = now or timezone.now()
    office = press_office()
    if office is None:
        raise ValidationError(_("The council has no media group to send it to."))
    if item.status != NewsStatus.PUBLISHED or item.publish_at is None or item.publish_at > now:
        raise ValidationError(_("Only an item that is public can be sent to the media."))
    if not item.council.is_published:
        # The mail's link would lead to a page nobody may open yet.
        raise ValidationError(_("The council's pages are not public yet: the item's link would not open."))
    if language not in news_languages(item):
        raise ValidationError({"language": _("The item is not written in this language.")})
    title, body = getattr(item, f"title_{language}").strip(), getattr(item, f"body_{language}").strip()
    release = PressRelease(
        source=news_press_source(item),
        subject=" ".join(title.split())[:200],
        body=f"{title}\n\n{body}\n\n{news_public_url(item, language)}",
        language=language,
    )
    return office.send(council=item.council, release=release, by=by)
