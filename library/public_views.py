"""The library's public pages: the list with full-text search and filters, one document, its file, and an Atom
feed of the newest documents. Only published documents of published councils exist here
(`selectors.public_documents`); a draft is 404 like an unknown id."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.files import stored_file_download
from councils.models import Council
from councils.selectors import published_council_get
from councils.views import is_web_url, page_number, paginate, parse_year, public_council_or_404

from .forms import PublicFilterForm
from .models import Document
from .selectors import document_years, filter_documents, public_document_get, public_documents

PER_PAGE = 20
FEED_ITEMS = 30


@require_safe
def document_list(request: HttpRequest, slug: str) -> HttpResponse:
    """?q= words (Russian stemming and Kazakh words as written), ?kind=, ?topic=, ?language=, ?year=, ?page=.
    An unknown filter value is ignored (the form says so beside the field)."""
    council = public_council_or_404(slug)
    form = PublicFilterForm(request.GET or None)
    values: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        values = {name: value for name, value in form.cleaned_data.items() if value}
    year = parse_year(request.GET.get("year"))
    documents = filter_documents(public_documents(council=council), year=year, **values)
    page = paginate(documents, page_number(request), PER_PAGE)
    context = {
        "council": council,
        "section": "library",
        "form": form,
        "year": year,
        "years": document_years(council=council),
        "page_obj": page,
        "documents": page.object_list,
        "searching": bool(values) or year is not None,
    }
    return render(request, "library/public/document_list.html", context)


@require_safe
def document_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = public_council_or_404(slug)
    document = public_document_get(council=council, pk=pk)
    if document is None:
        raise Http404
    context = {
        "council": council,
        "section": "library",
        "document": document,
        "link": document.url if is_web_url(document.url) else "",
    }
    return render(request, "library/public/document_detail.html", context)


@require_safe
def document_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = public_council_or_404(slug)
    document = public_document_get(council=council, pk=pk)
    if document is None:
        raise Http404
    return stored_file_download(document.file, stem=f"{council.slug}-{document.key}", private=False)


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)), timezone.get_current_timezone())


class LibraryFeed(Feed):
    """/<lang>/councils/<slug>/library/feed/: the newest published documents as Atom 1.0."""

    feed_type = Atom1Feed
    item_guid_is_permalink = False

    def get_object(self, request: HttpRequest, slug: str) -> Council:
        council = published_council_get(slug=slug)
        if council is None:
            raise Http404
        return council

    def title(self, council: Council) -> str:
        return _("%(council)s: library") % {"council": council.name}

    def link(self, council: Council) -> str:
        return reverse("reports:library", args=[council.slug])

    def feed_guid(self, council: Council) -> str:
        return f"urn:oversight:{council.slug}:library:{translation.get_language()}"

    def author_name(self, council: Council) -> str:
        return council.name

    def subtitle(self, council: Council) -> str:
        return _("Reports, manuals, monitoring data, EIA materials, laws and the council's own publications.")

    def items(self, council: Council) -> list[Document]:
        return list(public_documents(council=council)[:FEED_ITEMS])

    def item_title(self, item: Document) -> str:
        return item.title

    def item_description(self, item: Document) -> str:
        parts = [f"{item.get_kind_display()} · {item.get_topic_display()} · {item.get_language_display()}"]
        if item.source:
            parts.append(item.source)
        if item.summary:
            parts.append(Truncator(item.summary).chars(800))
        return "\n".join(linebreaks(part, autoescape=True) for part in parts)

    def item_link(self, item: Document) -> str:
        return reverse("reports:library_document", args=[item.council.slug, item.pk])

    def item_guid(self, item: Document) -> str:
        return f"urn:oversight:{item.council.slug}:library:{item.key}"

    def item_author_name(self, item: Document) -> str:
        return item.source or item.council.name

    def item_pubdate(self, item: Document) -> dt.datetime:
        return _noon(item.published_on)

    def item_updateddate(self, item: Document) -> dt.datetime:
        return _noon(item.published_on)


library_atom = require_safe(LibraryFeed())
