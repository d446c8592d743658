"""A council's news in public: the list, an item (or the tombstone of a withdrawn one), its images, and the
feeds (Atom 1.0 and RSS 2.0, docs/feeds-and-calendar.md); the portal-wide list and feeds of every council's news.

Only published items whose moment has come, of published councils, exist here (`selectors.public_news`): a draft
and a scheduled item before its moment are 404 like an unknown id. A withdrawn item keeps its address with its
title, dates and the reason, never its text or images."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import linebreaks
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.files import stored_file_download
from core.page_cache import note_correction
from core.templatetags.names import pick
from councils.models import Council
from councils.selectors import published_council_get
from councils.views import page_number, paginate, public_council_or_404

from .forms import PublicFilterForm
from .models import NewsItem, NewsStatus
from .selectors import item_about, public_image_get, public_news, public_news_get

PER_PAGE = 20
FEED_ITEMS = 30


def _kind_filter(request: HttpRequest) -> tuple[PublicFilterForm, str]:
    form = PublicFilterForm(request.GET or None)
    kind = ""
    if form.is_bound:
        if form.is_valid():
            kind = form.cleaned_data["kind"]
        else:
            note_correction("kind")  # an unknown kind shows every item, and is not cached under its address
    return form, kind


@require_safe
def news_list(request: HttpRequest, slug: str) -> HttpResponse:
    """?kind= (news, press releases, statements), ?page=."""
    council = public_council_or_404(slug)
    form, kind = _kind_filter(request)
    page = paginate(public_news(council=council, kind=kind), page_number(request), PER_PAGE)
    context = {
        "council": council,
        "section": "news",
        "form": form,
        "kind": kind,
        "page_obj": page,
        "items": page.object_list,
    }
    return render(request, "news/public/news_list.html", context)


@require_safe
def news_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = public_council_or_404(slug)
    item = public_news_get(council=council, pk=pk)
    if item is None:
        raise Http404
    if item.status == NewsStatus.WITHDRAWN:
        return render(request, "news/public/news_withdrawn.html", {"council": council, "section": "news", "item": item})
    context = {
        "council": council,
        "section": "news",
        "item": item,
        "images": list(item.images.all()),
        "about": item_about(item=item, public_only=True),
        "media": list(item.media_publications.all()),
    }
    return render(request, "news/public/news_detail.html", context)


@require_safe
def news_image(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = public_council_or_404(slug)
    image = public_image_get(council=council, pk=pk)
    if image is None:
        raise Http404
    return stored_file_download(image.image, stem=f"{council.slug}-{image.item.key}-{image.pk}", private=False)


@require_safe
def portal_news_list(request: HttpRequest) -> HttpResponse:
    """Every published council's news, newest first: ?kind=, ?page=."""
    form, kind = _kind_filter(request)
    page = paginate(public_news(kind=kind), page_number(request), PER_PAGE)
    context = {"form": form, "kind": kind, "page_obj": page, "items": page.object_list}
    return render(request, "news/public/portal_news_list.html", context)


# ---- feeds ------------------------------------------------------------------------------------------------------


def stable_urn(*parts: object) -> str:
    """An id that does not change with the site's address (the council's key and the item's own key), as the
    council feed's (docs/feeds-and-calendar.md): a name-based UUID."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'oversight:' + ':'.join(str(p) for p in parts))}"


class CouncilNewsItemsFeed(Feed):
    """/<lang>/councils/<slug>/news/feed/: the council's news, press releases and statements as Atom 1.0, in the
    reader's language (the Russian where an item has no translation)."""

    feed_type: type[Any] = Atom1Feed
    item_guid_is_permalink = False

    def get_object(self, request: HttpRequest, slug: str) -> Council:
        council = published_council_get(slug=slug)
        if council is None:
            raise Http404
        return council

    def title(self, council: Council) -> str:
        return _("%(council)s: news and statements") % {"council": council.name}

    def link(self, council: Council) -> str:
        return reverse("reports:news", args=[council.slug])

    def feed_guid(self, council: Council) -> str:
        return stable_urn(council.slug, "news-items", translation.get_language())

    def author_name(self, council: Council) -> str:
        return council.name

    def subtitle(self, council: Council) -> str:
        return _("The council's news, press releases and statements.")

    description = subtitle

    def items(self, council: Council) -> list[NewsItem]:
        return list(public_news(council=council)[:FEED_ITEMS])

    def item_title(self, item: NewsItem) -> str:
        return pick(item, "title")[0]

    def item_description(self, item: NewsItem) -> str:
        body = Truncator(pick(item, "body")[0]).chars(1500)
        return "\n".join(linebreaks(part, autoescape=True) for part in (str(item.get_kind_display()), body))

    def item_link(self, item: NewsItem) -> str:
        return reverse("reports:news_item", args=[item.council.slug, item.pk])

    def item_guid(self, item: NewsItem) -> str:
        return stable_urn(item.council.slug, "news-item", item.key)

    def item_author_name(self, item: NewsItem) -> str:
        return item.council.name

    def item_pubdate(self, item: NewsItem) -> dt.datetime | None:
        return item.publish_at

    def item_updateddate(self, item: NewsItem) -> dt.datetime | None:
        return max(item.publish_at, item.updated_at) if item.publish_at else item.updated_at

    def item_categories(self, item: NewsItem) -> list[str]:
        return [str(item.get_kind_display())]


class CouncilNewsItemsRssFeed(CouncilNewsItemsFeed):
    """/<lang>/councils/<slug>/news/feed.rss: RSS 2.0, for readers without Atom."""

    feed_type = Rss201rev2Feed


class PortalNewsFeed(CouncilNewsItemsFeed):
    """/<lang>/news/feed/: every published council's news as Atom 1.0."""

    def get_object(self, request: HttpRequest) -> None:  # type: ignore[override]
        return None

    def title(self) -> str:  # type: ignore[override]
        return _("News and statements of the public councils")

    def link(self) -> str:  # type: ignore[override]
        return reverse("reports:news_all")

    def feed_guid(self) -> str:  # type: ignore[override]
        return stable_urn("portal", "news-items", translation.get_language())

    def author_name(self) -> str:  # type: ignore[override]
        return _("Public councils of Kazakhstan")

    def subtitle(self) -> str:  # type: ignore[override]
        return _("News, press releases and statements of every public council on the portal.")

    description = subtitle

    def items(self) -> list[NewsItem]:  # type: ignore[override]
        return list(public_news()[:FEED_ITEMS])


class PortalNewsRssFeed(PortalNewsFeed):
    feed_type = Rss201rev2Feed


news_atom = require_safe(CouncilNewsItemsFeed())
news_rss = require_safe(CouncilNewsItemsRssFeed())
portal_news_atom = require_safe(PortalNewsFeed())
portal_news_rss = require_safe(PortalNewsRssFeed())
