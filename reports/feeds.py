"""A council's feeds: the iCalendar feed of its meetings and the Atom (and RSS) feed of its news.

The calendar is built with the `icalendar` package: since meetings may carry a start time, the feed needs a
VTIMEZONE for Asia/Almaty (which changed its offset on 1 March 2024), and the package writes one from
zoneinfo's data, besides the escaping and the folding of RFC 5545 that were hand-written here before. Public
hearings are in the same calendar. UIDs come from the council's key and the record's key, SEQUENCE and
LAST-MODIFIED from the records' audit history (hearings/selectors.py), so a subscriber's calendar updates
an event in place rather than duplicating it when the site's address changes.

The news are the answers state bodies gave to the council's recommendations and the annual reports its chair
published, newest first (`django.contrib.syndication`).

Both answer conditional requests: the ETag and Last-Modified come from the council's cache version
(core/page_cache.py), which every edit of the council's records bumps, so a feed reader that already has the
current feed gets 304 Not Modified for one query.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import linebreaks
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from core import languages
from core.page_cache import CouncilCacheState, council_cache_state, http_date_of
from core.templatetags.names import pick
from councils.models import Council
from councils.selectors import published_council_get
from councils.views import parse_year, public_council_or_404
from hearings.models import PublicHearing
from hearings.selectors import (
    PublicMeeting,
    Revision,
    hearing_revisions,
    meeting_revisions,
    public_hearings_for_calendar,
    public_meetings_for_calendar,
)
from monitoring.selectors import public_recommendation_answers
from news.selectors import public_news

from .selectors import published_reports

NEWS_ITEMS = 30


# ---- conditional requests ----------------------------------------------------------------------------------------


def _state(request: HttpRequest, slug: str) -> CouncilCacheState | None:
    """The council's cache state, looked up once per request (ETag and Last-Modified both ask)."""
    cached = getattr(request, "_portal_feed_state", None)
    if cached is None or cached[0] != slug:
        council = published_council_get(slug=slug)
        cached = (slug, council_cache_state(council.pk) if council is not None else None)
        request._portal_feed_state = cached  # type: ignore[attr-defined]
    return cached[1]


def _etag(kind: str):
    def etag(request: HttpRequest, slug: str, **kwargs: Any) -> str | None:
        state = _state(request, slug)
        if state is None:
            return None
        # Only the validated year goes into the header: the raw parameter could carry a quote (a malformed ETag)
        # or a line break (a header Django refuses, a 500). The feed shows the same for any unusable value.
        year = parse_year(request.GET.get("year")) or ""
        return f"{kind}-{translation.get_language()}-{year}-{state.key}"

    return etag


def _last_modified(request: HttpRequest, slug: str, **kwargs: Any) -> dt.datetime | None:
    state = _state(request, slug)
    return http_date_of(state) if state is not None else None


def conditional(kind: str):
    """ETag and Last-Modified from the council's cache version (one query to find the council)."""
    return condition(etag_func=_etag(kind), last_modified_func=_last_modified)


# ---- iCalendar (RFC 5545) ----------------------------------------------------------------------------------------

# Kazakhstan's zone data comes from zoneinfo (tzdata), not from here: the country moved to a single UTC+5
# zone on 1 March 2024, and the VTIMEZONE must say when.
MAX_CALENDAR_YEARS = 2


def event_uid(*, council: Council, kind: str, key: str) -> str:
    """A UID that survives a change of the site's address and a re-import into another database: the record's
    stable key within the council's key (`meeting-<key>@<council>.oversight`). RFC 5545 (3.8.4.7) asks for a
    globally unique value; the council's key is unique on the portal, and the `.oversight` suffix keeps it
    apart from real host names."""
    return f"{kind}-{key}@{council.slug}.oversight"


def _local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _event_times(event: icalendar.Event, *, day: dt.date, start: dt.time | None, minutes: int | None) -> None:
    """With a start time: DTSTART (and DTEND, given a duration) at the local wall-clock time with its TZID;
    without one: an all-day event (DTEND the next day, RFC 5545 3.6.1)."""
    if start is None:
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        return
    begins = dt.datetime.combine(day, start, tzinfo=_local_zone())
    event.add("dtstart", begins)
    if minutes:
        event.add("dtend", begins + dt.timedelta(minutes=minutes))


def _revision(event: icalendar.Event, revision: Revision | None) -> None:
    event.add("sequence", revision.sequence if revision else 0)
    if revision is not None and revision.modified is not None:
        event.add("last-modified", revision.modified.astimezone(dt.UTC))


def meetings_ical(
    *,
    council: Council,
    meetings: list[PublicMeeting],
    hearings: Sequence[PublicHearing] = (),
    stamp: dt.datetime,
    url_for: Any,
    hearing_url_for: Any = None,
) -> bytes:
    """The VCALENDAR: one VEVENT per meeting as the public may know it (`public_meeting`: kind and title,
    time, place, the agenda with decisions of an open meeting; a closed one by its kind, body and date, a
    whole day) and one per public hearing. Built with `icalendar`, which escapes and folds the text and
    writes the VTIMEZONE of the zone the timed events use from zoneinfo's data."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Oversight//Public councils of Kazakhstan//{language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", str(council))
    meeting_revision = meeting_revisions(meetings)
    for meeting in meetings:
        summary = meeting.get_kind_display() + (f": {meeting.title}" if meeting.title else "")
        description = []
        if meeting.body is not None:
            description.append(meeting.body.name)
        for item in meeting.agenda:
            description.append(f"{item.number}. {item.title}")
            if item.decision:
                description.append(_("Decision: %(decision)s") % {"decision": item.decision})
        if not meeting.is_open:
            description.append(_("Closed meeting: its agenda is not published."))
        event = icalendar.Event()
        event.add("uid", event_uid(council=council, kind="meeting", key=meeting.key))
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        _event_times(event, day=meeting.date, start=meeting.start_time, minutes=meeting.duration_minutes)
        _revision(event, meeting_revision.get(meeting.id))
        event.add("summary", summary)
        if meeting.place:
            event.add("location", meeting.place)
        if description:
            event.add("description", "\n".join(description))
        event.add("categories", [meeting.get_kind_display()])
        event.add("class", "PUBLIC" if meeting.is_open else "CONFIDENTIAL")
        event.add("url", url_for(meeting))
        calendar.add_component(event)
    hearing_revision = hearing_revisions(hearings)
    for hearing in hearings:
        description = []
        if hearing.organiser is not None:
            description.append(_("Organised by: %(body)s") % {"body": hearing.organiser.name})
        if hearing.resolution:
            description.append(_("Resolution: %(text)s") % {"text": Truncator(hearing.resolution).chars(1000)})
        event = icalendar.Event()
        event.add("uid", event_uid(council=council, kind="hearing", key=hearing.key))
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        _event_times(event, day=hearing.date, start=None, minutes=None)
        _revision(event, hearing_revision.get(hearing.pk))
        event.add("summary", _("Public hearing: %(topic)s") % {"topic": Truncator(hearing.topic).chars(200)})
        if description:
            event.add("description", "\n".join(description))
        event.add("categories", [str(_("Public hearing"))])
        event.add("class", "PUBLIC")
        if hearing_url_for is not None:
            event.add("url", hearing_url_for(hearing))
        calendar.add_component(event)
    timed = [m.date for m in meetings if m.start_time is not None]
    if timed:
        # The zone's rules from a day before the first timed meeting to a year after the last.
        calendar.add_missing_timezones(
            first_date=min(timed) - dt.timedelta(days=1),
            last_date=max(timed) + dt.timedelta(days=366),
        )
    return calendar.to_ical()


@require_safe
@conditional("ics")
def meetings_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """/<lang>/councils/<slug>/meetings.ics: every meeting and public hearing of the council (?year= for one
    year)."""
    council = public_council_or_404(slug)
    state = _state(request, slug)
    stamp = http_date_of(state) if state is not None else timezone.now()
    year = parse_year(request.GET.get("year"))
    text = meetings_ical(
        council=council,
        meetings=public_meetings_for_calendar(council=council, year=year),
        hearings=public_hearings_for_calendar(council=council, year=year),
        stamp=stamp,
        url_for=lambda m: request.build_absolute_uri(reverse("reports:meeting", args=[council.slug, m.pk])),
        hearing_url_for=lambda h: request.build_absolute_uri(reverse("reports:hearing", args=[council.slug, h.pk])),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{council.slug}-meetings.ics"'
    return response


# ---- news: Atom and RSS ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewsItem:
    guid: str
    title: str
    description: str
    link: str
    published: dt.datetime
    author: str


def _noon(day: dt.date) -> dt.datetime:
    """A date-only event as a moment: noon local time, so no time zone moves it to another day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)), timezone.get_current_timezone())


def stable_urn(*parts: object) -> str:
    """An Atom id that never changes with the site's address or a database id: a name-based UUID (RFC 9562,
    version 5) of the council's key and the record's own key. `urn:uuid:` is the one URN namespace every feed
    reader and validator knows."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'oversight:' + ':'.join(str(p) for p in parts))}"


def _paragraphs(*texts: str) -> str:
    """Plain texts as HTML: each text escaped and split into paragraphs at blank lines (single line breaks kept
    as <br>). The feed writer escapes the HTML once more for `type="html"`, as RFC 4287 (3.1.1.2) wants."""
    return "\n".join(linebreaks(text, autoescape=True) for text in texts if text)


def council_news(*, council: Council, limit: int = NEWS_ITEMS) -> list[NewsItem]:
    """The council's own news, press releases and statements (news/), the answers to its recommendations and its
    published reports, newest first: three queries (four with the news' images)."""
    tracker = reverse("reports:recommendations", args=[council.slug])
    items = []
    for item in public_news(council=council)[:limit]:
        items.append(
            NewsItem(
                guid=stable_urn(council.slug, "news-item", item.key),
                title=pick(item, "title")[0],
                description=_paragraphs(str(item.get_kind_display()), Truncator(pick(item, "body")[0]).chars(1500)),
                author=council.name,
                link=reverse("reports:news_item", args=[council.slug, item.pk]),
                published=item.publish_at or item.updated_at,  # public means a moment of publication
            )
        )
    for answer in public_recommendation_answers(council=council, limit=limit):
        recommendation = answer.recommendation
        body = recommendation.state_body.name if recommendation.state_body else _("A state body")
        query = f"?year={recommendation.issued_on.year}"
        if recommendation.state_body:
            query += f"&body={recommendation.state_body.slug}"
        items.append(
            NewsItem(
                guid=stable_urn(council.slug, "answer", recommendation.key, answer.received_on.isoformat(), answer.pk),
                title=_("%(body)s answered a recommendation") % {"body": body},
                description=_paragraphs(
                    _("Recommendation: %(text)s") % {"text": Truncator(recommendation.text).chars(400)},
                    _("Answer: %(text)s") % {"text": Truncator(answer.text).chars(800)},
                ),
                author=body,
                link=f"{tracker}{query}#rec-{recommendation.pk}",
                published=_noon(answer.received_on),
            )
        )
    language_names = dict(languages.choices())
    for build in published_reports(council=council)[:limit]:
        moment = build.finished_at or build.created_at
        items.append(
            NewsItem(
                guid=stable_urn(council.slug, "report", build.year, build.language, build.pk),
                title=_("Annual report for %(year)s published") % {"year": build.year},
                description=_paragraphs(
                    _("The council's report on its work in %(year)s (%(language)s), as a PDF.")
                    % {"year": build.year, "language": language_names.get(build.language, build.language)}
                ),
                author=council.name,
                link=reverse("report_builds:build-download", args=[build.pk]),
                published=moment,
            )
        )
    items.sort(key=lambda item: item.published, reverse=True)
    return items[:limit]


class CouncilNewsFeed(Feed):
    """/<lang>/councils/<slug>/feed/: Atom 1.0 (RFC 4287): the council is the feed's author, each entry names
    its own (the state body that answered, or the council), ids are stable URNs, summaries are HTML."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Council:
        council = published_council_get(slug=slug)
        if council is None:
            raise Http404
        return council

    def title(self, council: Council) -> str:
        return _("%(council)s: news") % {"council": council.name}

    def link(self, council: Council) -> str:
        return reverse("reports:council", args=[council.slug])

    def feed_guid(self, council: Council) -> str:
        return stable_urn(council.slug, "news", translation.get_language())

    def author_name(self, council: Council) -> str:
        return council.name

    def subtitle(self, council: Council) -> str:
        return _(
            "The council's news and statements, answers of state bodies to its recommendations, and its published "
            "annual reports."
        )

    description = subtitle

    def items(self, council: Council) -> list[NewsItem]:
        return council_news(council=council)

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.description

    def item_link(self, item: NewsItem) -> str:
        return item.link

    def item_guid(self, item: NewsItem) -> str:
        return item.guid

    item_guid_is_permalink = False

    def item_author_name(self, item: NewsItem) -> str:
        return item.author

    def item_pubdate(self, item: NewsItem) -> dt.datetime:
        return item.published

    def item_updateddate(self, item: NewsItem) -> dt.datetime:
        return item.published

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        # Django's feed view sets Last-Modified to its newest entry's date, while `conditional` compares
        # If-Modified-Since with the council's change time: a reader echoing the advertised date never got a
        # 304. Dropped here, the header is the one `conditional` checks.
        del response.headers["Last-Modified"]
        return response


class CouncilNewsRssFeed(CouncilNewsFeed):
    """/<lang>/councils/<slug>/feed.rss: RSS 2.0, for readers without Atom."""

    feed_type = Rss201rev2Feed


news_atom = require_safe(conditional("atom")(CouncilNewsFeed()))
news_rss = require_safe(conditional("rss")(CouncilNewsRssFeed()))
