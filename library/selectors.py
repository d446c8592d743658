"""Reads on the library: the workspace's list, the public list with its search and filters, one public
document, and the figures of a year (the stats API, the council page and the annual report read them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from core.search import search_query
from councils.models import Council

from .models import Document, DocumentKind

SEARCH_MAX_CHARS = 200


@dataclass(frozen=True)
class LibraryCounts:
    """The documents the council published in a year (by their date), by kind."""

    total: int
    by_kind: dict[str, int]


def documents_for_workspace(*, council: Council) -> QuerySet[Document]:
    return Document.objects.filter(council=council).order_by("-published_on", "-id")


def public_documents(*, council: Council | None = None) -> QuerySet[Document]:
    """Published documents of published councils, newest first."""
    queryset = Document.objects.filter(is_published=True, council__is_published=True)
    if council is not None:
        queryset = queryset.filter(council=council)
    return queryset.select_related("council").order_by("-published_on", "-id")


def search_documents(queryset: QuerySet[Document], text: str) -> QuerySet[Document]:
    """The documents whose title, summary or source has the words: on PostgreSQL through the stored search
    document (Russian stemming and the words as written, for Kazakh; core/search.py), read off its GIN index; on
    SQLite (local use only) a plain icontains."""
    text = text.strip()[:SEARCH_MAX_CHARS]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(search_document=search_query(text))
    return queryset.filter(Q(title__icontains=text) | Q(summary__icontains=text) | Q(source__icontains=text))


def filter_documents(
    queryset: QuerySet[Document],
    *,
    q: str = "",
    kind: str = "",
    topic: str = "",
    language: str = "",
    year: int | None = None,
) -> QuerySet[Document]:
    """The list's filters; an empty value filters nothing (the caller has checked each against its choices)."""
    if kind:
        queryset = queryset.filter(kind=kind)
    if topic:
        queryset = queryset.filter(topic=topic)
    if language:
        queryset = queryset.filter(language=language)
    if year is not None:
        queryset = queryset.filter(published_on__year=year)
    return search_documents(queryset, q)


def public_document_get(*, council: Council, pk: int) -> Document | None:
    return public_documents(council=council).filter(pk=pk).first()


def document_years(*, council: Council) -> list[int]:
    rows = (
        public_documents(council=council)
        .annotate(y=ExtractYear("published_on"))
        .values_list("y", flat=True)
        .distinct()
        .order_by("-y")
    )
    return [int(y) for y in rows]


def library_counts(*, council: Council, year: int, as_of: dt.date | None = None) -> LibraryCounts:
    """The published documents dated in the year (up to `as_of`), by kind: one query."""
    queryset = Document.objects.filter(council=council, is_published=True, published_on__year=year)
    if as_of is not None:
        queryset = queryset.filter(published_on__lte=as_of)
    rows = queryset.values("kind").annotate(n=Count("id")).order_by()
    by_kind = dict.fromkeys(DocumentKind.values, 0)
    for row in rows:
        by_kind[row["kind"]] = row["n"]
    return LibraryCounts(total=sum(by_kind.values()), by_kind=by_kind)


def documents_for_year(*, council: Council, year: int, as_of: dt.date | None = None) -> list[Document]:
    """The year's published documents in date order, for the annual report: one query."""
    queryset = Document.objects.filter(council=council, is_published=True, published_on__year=year)
    if as_of is not None:
        queryset = queryset.filter(published_on__lte=as_of)
    return list(queryset.order_by("published_on", "id"))


def yearly_totals(*, council_ids: list[int]) -> dict[tuple[int, int], dict[str, int]]:
    """{(council_id, year): {"library": documents published}}: one grouped query for any number of councils."""
    rows = (
        Document.objects.filter(council_id__in=council_ids, is_published=True)
        .annotate(y=ExtractYear("published_on"))
        .values("council_id", "y")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["council_id"], int(row["y"])): {"library": row["n"]} for row in rows}
