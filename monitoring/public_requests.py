"""The public pages of information requests (the Alaveteli anchor): a council's requests with filters (state,
holder, year), one request (what was asked, of whom, when, the limit with its calculation, every answer with
its document, the history of states), a batch's page, an answer's document and the Atom feed of new requests and
answers. Their URLs are in monitoring/public_urls.py, under the portal's `reports` namespace.

The page of a closed year stands on its last day (as the recommendation tracker does): states as they were
then, and an unanswered request reads «no answer recorded (it was due …)», never «2,555 days overdue».
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
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
from councils.views import clean_choice, lazy, page_number, paginate, parse_year, public_council_or_404

from .access_rules import explain_deadline
from .lifecycle import lifecycle_is_overdue
from .models import INFORMATION_REQUEST_LIFECYCLE, InformationRequest, InformationRequestStatus
from .public_views import closed_year_end
from .selectors import (
    information_request_addressees,
    information_request_list,
    information_request_summary,
    information_request_years,
    public_information_request_answers,
    public_information_request_batch_get,
    public_information_request_get,
    public_information_requests_sent,
    public_request_answer_document_get,
)

REQUESTS_PER_PAGE = 20
PUBLIC_STATUSES = [value for value in InformationRequestStatus.values if value != InformationRequestStatus.DRAFT]
STATUS_FILTERS = [*PUBLIC_STATUSES, "overdue"]
FEED_ITEMS = 30


@dataclass
class RequestRow:
    """One request as a list shows it; `timing` as the recommendation tracker's `TrackerRow`."""

    request: InformationRequest
    status: str
    status_label: str
    due: dt.date | None
    timing: str
    days: int | None
    on_time: bool | None


def request_rows(requests: list[InformationRequest], *, today: dt.date) -> list[RequestRow]:
    """The rows of a page, as they stand on `today` (a closed year's last day for a page of that year)."""
    labels = dict(InformationRequestStatus.choices)
    rows = []
    for request in requests:
        status = getattr(request, "status_on", None) or request.status
        due = request.effective_due_date
        first = getattr(request, "first_answer_on", None)
        timing, days, on_time = "", None, None
        if first is not None and request.sent_on is not None:
            timing, days = "answered", (first - request.sent_on).days
            on_time = due is None or first <= due
        elif lifecycle_is_overdue(INFORMATION_REQUEST_LIFECYCLE, request, today):
            timing = "overdue"
            # A count of days only for a request of the year the page stands on: an older one reads «no answer
            # recorded (it was due …)», a fact that does not change with the clock.
            days = (today - due).days if request.sent_on and request.sent_on.year >= today.year else None
        elif status in INFORMATION_REQUEST_LIFECYCLE.settled:
            timing = "closed"
        elif due is not None:
            timing, days = "waiting", (due - today).days
        rows.append(
            RequestRow(
                request=request,
                status=status,
                status_label=str(labels.get(status, status)),
                due=due,
                timing=timing,
                days=days,
                on_time=on_time,
            )
        )
    return rows


def _status_links(summary: dict, status: str) -> list[dict[str, Any]]:
    labels = dict(InformationRequestStatus.choices)
    items = [{"value": value, "label": labels[value], "n": n} for value, n in summary["by_status"].items() if n]
    items.append({"value": "overdue", "label": None, "n": summary["overdue"]})
    for item in items:
        item["current"] = item["value"] == status
    return items


@require_safe
def information_requests(request: HttpRequest, slug: str) -> HttpResponse:
    """The council's public requests, newest sent first, 20 to a page, with the counts by state on top; filters:
    ?status= (a state or "overdue"), ?body= (a holder's slug), ?year= (year sent)."""
    council = public_council_or_404(slug)
    status = clean_choice(request.GET.get("status"), STATUS_FILTERS)
    year = parse_year(request.GET.get("year"))
    body_slug = request.GET.get("body", "").strip()[:100]
    number = page_number(request)
    today = timezone.localdate()
    as_of = closed_year_end(year, today)
    day = as_of or today

    def build() -> dict[str, Any]:
        addressees = information_request_addressees(council=council)
        body = next((b for b in addressees if b.slug == body_slug), None)
        filters = {"council": council, "state_body": body, "year": year, "today": day, "as_of": as_of}
        summary = information_request_summary(**filters)
        page = paginate(information_request_list(status=status, **filters), number, REQUESTS_PER_PAGE)
        return {
            "addressees": addressees,
            "body": body,
            "years": information_request_years(council=council),
            "summary": summary,
            "status_links": _status_links(summary, status),
            "requests": page,
            "rows": request_rows(list(page.object_list), today=day),
        }

    context = {
        "council": council,
        "section": "information_requests",
        "cache_vary": f"status={status}|body={body_slug}|year={year}|page={number}|{day}",
        "status": status,
        "as_of": day,
        "closed_year": as_of is not None,
        "year": year,
        "body_slug": body_slug,
        "statuses": [(value, label) for value, label in InformationRequestStatus.choices if value in PUBLIC_STATUSES],
        "page": lazy(build),
    }
    return render(request, "monitoring/public/information_requests.html", context)


@require_safe
def information_request_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One public request: what was asked, of whom, when, the limit with its calculation, every answer with its
    classification and document, and the history of states."""
    council = public_council_or_404(slug)
    item = public_information_request_get(council=council, pk=pk)
    if item is None:
        raise Http404
    today = timezone.localdate()
    context = {
        "council": council,
        "section": "information_requests",
        "item": item,
        "deadline": explain_deadline(item),
        "row": request_rows([item], today=today)[0],
        "today": today,
        "is_overdue": lifecycle_is_overdue(INFORMATION_REQUEST_LIFECYCLE, item, today),
    }
    return render(request, "monitoring/public/information_request_detail.html", context)


@require_safe
def information_request_batch(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One batch: the request once, and each recipient's request with its state."""
    council = public_council_or_404(slug)
    batch = public_information_request_batch_get(council=council, pk=pk)
    if batch is None:
        raise Http404
    today = timezone.localdate()
    requests = list(information_request_list(council=council, batch_id=batch.pk, today=today))
    context = {
        "council": council,
        "section": "information_requests",
        "batch": batch,
        "summary": information_request_summary(council=council, batch_id=batch.pk, today=today),
        "rows": request_rows(requests, today=today),
        "as_of": today,
    }
    return render(request, "monitoring/public/information_request_batch.html", context)


@require_safe
def information_request_answer_document(request: HttpRequest, slug: str, pk: int, answer_id: int) -> HttpResponse:
    """An answer's document, as recommendation answers are served: only for a public request of a published
    council (otherwise 404, like an unknown one)."""
    council = public_council_or_404(slug)
    answer = public_request_answer_document_get(council=council, request_id=pk, answer_id=answer_id)
    if answer is None:
        raise Http404
    stem = f"{council.slug}-{answer.information_request.key}-answer-{answer.received_on:%Y-%m-%d}"
    return stored_file_download(answer.document, stem=stem, private=False)


# ---- the Atom feed -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    guid: str
    title: str
    description: str
    link: str
    published: dt.datetime
    author: str


def _urn(*parts: object) -> str:
    """A stable Atom id (a name-based UUID of the council's and the record's keys), as reports/feeds.py makes."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'oversight:' + ':'.join(str(p) for p in parts))}"


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)), timezone.get_current_timezone())


def _paragraphs(*texts: str) -> str:
    return "\n".join(linebreaks(text, autoescape=True) for text in texts if text)


def request_feed_items(*, council: Council, limit: int = FEED_ITEMS) -> list[FeedItem]:
    """The council's requests sent and the answers received, newest first: two queries."""
    items = []
    for item in public_information_requests_sent(council=council, limit=limit):
        link = reverse("reports:information_request", args=[council.slug, item.pk])
        items.append(
            FeedItem(
                guid=_urn(council.slug, "request", item.key),
                title=_("Request sent to %(holder)s: %(subject)s")
                % {"holder": item.addressee, "subject": item.subject},
                description=_paragraphs(Truncator(item.text).chars(800)),
                link=link,
                published=_noon(item.sent_on),  # type: ignore[arg-type]  # sent ones only
                author=council.name,
            )
        )
    for answer in public_information_request_answers(council=council, limit=limit):
        req = answer.information_request
        items.append(
            FeedItem(
                guid=_urn(council.slug, "request-answer", req.key, answer.pk),
                title=_("%(holder)s answered: %(subject)s") % {"holder": req.addressee, "subject": req.subject},
                description=_paragraphs(
                    str(answer.get_kind_display()) if answer.kind else "", Truncator(answer.text).chars(800)
                ),
                link=reverse("reports:information_request", args=[council.slug, req.pk]) + f"#answer-{answer.pk}",
                published=_noon(answer.received_on),
                author=req.addressee,
            )
        )
    items.sort(key=lambda i: i.published, reverse=True)
    return items[:limit]


class InformationRequestFeed(Feed):
    """/<lang>/councils/<slug>/information-requests/feed/: Atom 1.0 (RFC 4287)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Council:
        council = published_council_get(slug=slug)
        if council is None:
            raise Http404
        return council

    def title(self, council: Council) -> str:
        return _("%(council)s: information requests") % {"council": council.name}

    def link(self, council: Council) -> str:
        return reverse("reports:information_requests", args=[council.slug])

    def feed_guid(self, council: Council) -> str:
        return _urn(council.slug, "requests-feed", translation.get_language())

    def author_name(self, council: Council) -> str:
        return council.name

    def subtitle(self, council: Council) -> str:
        return _("Information requests the council sent, and the answers of the holders.")

    def items(self, council: Council) -> list[FeedItem]:
        return request_feed_items(council=council)

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_description(self, item: FeedItem) -> str:
        return item.description

    def item_link(self, item: FeedItem) -> str:
        return item.link

    def item_guid(self, item: FeedItem) -> str:
        return item.guid

    item_guid_is_permalink = False

    def item_author_name(self, item: FeedItem) -> str:
        return item.author

    def item_pubdate(self, item: FeedItem) -> dt.datetime:
        return item.published

    def item_updateddate(self, item: FeedItem) -> dt.datetime:
        return item.published


information_requests_atom = require_safe(InformationRequestFeed())
