"""Reads on a council's news: the workspace's list, what the public may see as of a moment (a scheduled item is
not public before its moment; a withdrawn one is a tombstone), the records an item is about, and the year's
figures for the stats API, the council page and the annual report's media section."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise

from councils.models import Council
from councils.ownership import council_path
from councils.plan import plan_record_kinds

from .models import MediaKind, MediaPublication, NewsImage, NewsItem, NewsKind, NewsLink, NewsStatus

RECORD_CHOICES_PER_KIND = 200


@dataclass(frozen=True)
class NewsCounts:
    """Items made public in a year (by their moment of publication, withdrawn ones included: they were
    published), by kind, and the publications in the media that took them up."""

    total: int
    by_kind: dict[str, int]
    media_publications: int


@dataclass(frozen=True)
class AboutRecord:
    link_id: int
    kind: str
    kind_label: str | Promise
    object_id: int
    title: str
    day: dt.date | None
    public_url: str | None


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def news_for_workspace(*, council: Council) -> QuerySet[NewsItem]:
    return NewsItem.objects.filter(council=council).order_by("-created_at", "-id")


def _public_base(now: dt.datetime | None) -> QuerySet[NewsItem]:
    return NewsItem.objects.filter(council__is_published=True, publish_at__lte=_now(now))


def public_news(
    *, council: Council | None = None, kind: str = "", now: dt.datetime | None = None
) -> QuerySet[NewsItem]:
    """Published items whose moment has come, of published councils, newest first; withdrawn ones are not listed."""
    queryset = _public_base(now).filter(status=NewsStatus.PUBLISHED)
    if council is not None:
        queryset = queryset.filter(council=council)
    if kind:
        queryset = queryset.filter(kind=kind)
    return (
        queryset.select_related("council")
        .prefetch_related(Prefetch("images", queryset=NewsImage.objects.order_by("position", "id")))
        .order_by("-publish_at", "-id")
    )


def public_news_get(*, council: Council, pk: int, now: dt.datetime | None = None) -> NewsItem | None:
    """A public item or a withdrawn one's tombstone; None for a draft, a scheduled item before its moment and
    another council's item."""
    return (
        _public_base(now)
        .filter(council=council, pk=pk, status__in=[NewsStatus.PUBLISHED, NewsStatus.WITHDRAWN])
        .select_related("council")
        .prefetch_related(
            Prefetch("images", queryset=NewsImage.objects.order_by("position", "id")),
            Prefetch("media_publications", queryset=MediaPublication.objects.order_by("published_on", "id")),
        )
        .first()
    )


def public_image_get(*, council: Council, pk: int, now: dt.datetime | None = None) -> NewsImage | None:
    """An image of a public item (never of a draft, a scheduled item or a withdrawn one)."""
    return (
        NewsImage.objects.filter(
            pk=pk,
            item__council=council,
            item__council__is_published=True,
            item__status=NewsStatus.PUBLISHED,
            item__publish_at__lte=_now(now),
        )
        .select_related("item")
        .first()
    )


def news_years(*, council: Council, now: dt.datetime | None = None) -> list[int]:
    rows = (
        public_news(council=council, now=now)
        .annotate(y=ExtractYear("publish_at"))
        .values_list("y", flat=True)
        .distinct()
        .order_by("-y")
    )
    return [int(y) for y in rows]


def about_records(links: list[NewsLink], council: Council, *, public_only: bool) -> list[AboutRecord]:
    """The records the links name, inside the council only: one query per kind of record (two where the kind has
    a public page). With `public_only`, a record without a public page (a closed meeting's, a draft review) is
    listed by its kind and day alone, never by its title."""
    kinds = plan_record_kinds()
    by_kind: dict[str, list[NewsLink]] = defaultdict(list)
    for link in links:
        by_kind[link.kind].append(link)
    found: list[AboutRecord] = []
    for key, kind_links in by_kind.items():
        kind = kinds.get(key)
        path = council_path(kind.model) if kind is not None else None
        if kind is None or path is None:
            continue  # an app no longer installed: the link is kept, not shown
        rows = kind.model._default_manager.filter(**{path: council}, pk__in=[link.object_id for link in kind_links])
        public_ids: set[int] = set()
        if kind.public_url_name:
            public_ids = set(rows.filter(Q(*kind.public_filter)).values_list("pk", flat=True))
        values = {pk: (title, day) for pk, title, day in rows.values_list("pk", kind.title_path, kind.date_path)}
        for link in kind_links:
            if link.object_id not in values:
                continue
            title, day = values[link.object_id]
            url = None
            if link.object_id in public_ids:
                try:
                    url = reverse(kind.public_url_name, kwargs={"slug": council.slug, "pk": link.object_id})
                except NoReverseMatch:
                    url = None
            if public_only and url is None:
                title = ""  # a record without a public page (a closed meeting, a request): its kind and day only
            found.append(AboutRecord(link.pk, key, kind.label, link.object_id, str(title or ""), day, url))
    found.sort(key=lambda record: (record.day or dt.date.max, record.kind, record.object_id))
    return found


def item_about(*, item: NewsItem, public_only: bool) -> list[AboutRecord]:
    return about_records(list(item.links.all()), item.council, public_only=public_only)


def record_choices(*, council: Council) -> list[tuple[str, list[tuple[str, str]]]]:
    """The council's records an item may be about, grouped by kind, newest first: `kind:id` values for a select."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for key, kind in plan_record_kinds().items():
        path = council_path(kind.model)
        if path is None:
            continue
        rows = (
            kind.model._default_manager.filter(**{path: council})
            .order_by(f"-{kind.date_path}", "-pk")
            .values_list("pk", kind.title_path, kind.date_path)[:RECORD_CHOICES_PER_KIND]
        )
        options = [
            (f"{key}:{pk}", f"{day:%d.%m.%Y} · {str(title or '')[:120]}" if day else str(title or "")[:120])
            for pk, title, day in rows
        ]
        if options:
            groups.append((str(kind.label), options))
    return groups


def _year_items(*, council: Council, year: int, as_of: dt.date | None) -> QuerySet[NewsItem]:
    queryset = NewsItem.objects.filter(
        council=council,
        status__in=[NewsStatus.PUBLISHED, NewsStatus.WITHDRAWN],
        publish_at__year=year,
    )
    if as_of is not None:
        queryset = queryset.filter(publish_at__date__lte=as_of)
    return queryset


def news_counts(*, council: Council, year: int, as_of: dt.date | None = None) -> NewsCounts:
    """Two queries: the items by kind, and the publications in the media dated in the year (up to `as_of`)."""
    rows = _year_items(council=council, year=year, as_of=as_of).values("kind").annotate(n=Count("id")).order_by()
    by_kind = dict.fromkeys(NewsKind.values, 0)
    for row in rows:
        by_kind[row["kind"]] = row["n"]
    media = MediaPublication.objects.filter(item__council=council, published_on__year=year)
    if as_of is not None:
        media = media.filter(published_on__lte=as_of)
    return NewsCounts(total=sum(by_kind.values()), by_kind=by_kind, media_publications=media.count())


def news_for_year(*, council: Council, year: int, as_of: dt.date | None = None) -> list[NewsItem]:
    """The year's published items (not those withdrawn) in date order, with their publications in the media, for
    the annual report: two queries."""
    return list(
        _year_items(council=council, year=year, as_of=as_of)
        .filter(status=NewsStatus.PUBLISHED)
        .prefetch_related(Prefetch("media_publications", queryset=MediaPublication.objects.order_by("published_on")))
        .order_by("publish_at", "id")
    )


def media_publications_for_year(*, council: Council, year: int, as_of: dt.date | None = None) -> list[MediaPublication]:
    queryset = MediaPublication.objects.filter(item__council=council, published_on__year=year)
    if as_of is not None:
        queryset = queryset.filter(published_on__lte=as_of)
    return list(queryset.select_related("item").order_by("published_on", "id"))


def media_kind_label(kind: str) -> str:
    return str(MediaKind(kind).label) if kind in MediaKind.values else kind
