"""What search engines read besides the pages: /sitemap.xml and /robots.txt.

The sitemap (django.contrib.sitemaps) lists every public page in Russian, Kazakh and English, each with its
alternates in the other two and x-default (the Russian page), at the site's public address (SITE_URL), not the
host a request came in by: the portal's pages across councils, each published council's sections, and the
detail page of each public record (open meetings; a closed meeting's page says only that it was held, and is
left out; public hearings; monitoring events; news items; state bodies that received a public recommendation). A new
public page is added here (the open-data page, when it lands, too).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core import languages
from councils.selectors import published_councils
from hearings.models import Meeting, PublicHearing
from hearings.selectors import meetings_with_public_content
from monitoring.models import InformationRequest, MonitoringEvent
from monitoring.selectors import public_information_requests, public_state_bodies
from news.models import NewsItem
from news.selectors import public_news


class PortalSitemap(Sitemap):
    """Every page in each language with its alternates, at SITE_URL's scheme and host."""

    i18n = True
    alternates = True
    x_default = True

    @property
    def protocol(self) -> str:  # type: ignore[override]
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class PortalPagesSitemap(PortalSitemap):
    """The pages across councils."""

    changefreq = "daily"

    def items(self) -> list[str]:
        # The open-data page is the way in for people who reuse the data: a search engine should find it too.
        return ["reports:home", "reports:councils", "reports:state_bodies", "reports:news_all", "open_data"]

    def location(self, item: str) -> str:
        return reverse(item)


COUNCIL_SECTIONS = (
    "reports:council",
    "reports:composition",
    "reports:meetings",
    "reports:hearings",
    "reports:monitoring",
    "reports:draft_reviews",
    "reports:recommendations",
    "reports:library",
    "reports:news",
    "reports:trainings",
    "reports:consultations",
    "reports:legal_advice",
    "reports:information_requests",
    "reports:reports",
)


class CouncilSectionsSitemap(PortalSitemap):
    """Each published council's pages."""

    changefreq = "weekly"

    def items(self) -> list[tuple[str, str]]:
        slugs = published_councils().values_list("slug", flat=True)
        return [(slug, section) for slug in slugs for section in COUNCIL_SECTIONS]

    def location(self, item: tuple[str, str]) -> str:
        slug, section = item
        return reverse(section, args=[slug])


class CouncilRecordSitemap(PortalSitemap):
    """The detail pages of one kind of a published council's records."""

    url_name = ""

    def records(self) -> QuerySet[Any]:
        raise NotImplementedError

    def items(self) -> list[tuple[str, int]]:
        return list(
            self.records()
            .filter(council__is_published=True)
            .order_by("council__slug", "pk")
            .values_list("council__slug", "pk")
        )

    def location(self, item: tuple[str, int]) -> str:
        return reverse(self.url_name, args=list(item))


class MeetingSitemap(CouncilRecordSitemap):
    url_name = "reports:meeting"

    def records(self) -> QuerySet[Meeting]:
        # The same rule as the pages: only a meeting whose content is public has a page worth finding.
        return Meeting.objects.filter(meetings_with_public_content())


class HearingSitemap(CouncilRecordSitemap):
    url_name = "reports:hearing"

    def records(self) -> QuerySet[PublicHearing]:
        return PublicHearing.objects.all()


class MonitoringSitemap(CouncilRecordSitemap):
    url_name = "reports:monitoring_event"

    def records(self) -> QuerySet[MonitoringEvent]:
        return MonitoringEvent.objects.all()


class InformationRequestSitemap(CouncilRecordSitemap):
    url_name = "reports:information_request"

    def records(self) -> QuerySet[InformationRequest]:
        return public_information_requests()


class NewsSitemap(CouncilRecordSitemap):
    url_name = "reports:news_item"

    def records(self) -> QuerySet[NewsItem]:
        # Published items whose moment has come; a withdrawn item's tombstone is not worth finding.
        return public_news().prefetch_related(None)


class StateBodySitemap(PortalSitemap):
    def items(self) -> list[str]:
        return list(public_state_bodies().values_list("slug", flat=True))

    def location(self, item: str) -> str:
        return reverse("reports:state_body", args=[item])


SITEMAPS = {
    "portal": PortalPagesSitemap,
    "councils": CouncilSectionsSitemap,
    "meetings": MeetingSitemap,
    "hearings": HearingSitemap,
    "monitoring": MonitoringSitemap,
    "information-requests": InformationRequestSitemap,
    "news": NewsSitemap,
    "state-bodies": StateBodySitemap,
}


# Under each language prefix: what no search engine should read. The staff's workspace, the admin and sign-in,
# the language switch, a council's search results (noindex anyway), and the one-time and secret links of
# appeals, privacy requests and alerts (a crawler that found one in a referrer must not fetch it).
DISALLOWED_IN_LANGUAGE = (
    "workspace/",
    "admin/",
    "accounts/",
    "appeals/track/",
    "privacy/confirm/",
    "privacy/download/",
    "alerts/confirm/",
    "alerts/unsubscribe/",
)
# The API is for programs (its documentation page is for people); published annual reports are downloaded from
# it and stay findable. The longest matching rule wins (RFC 9309, 2.2.2).
DISALLOWED = ("/i18n/", "/api/")
ALLOWED = ("/api/docs/", "/api/v1/reports/")


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """/robots.txt (RFC 9309): public pages allowed, the staff's and the private links not, and the sitemap."""
    lines = ["User-agent: *", "Allow: /"]
    for code in languages.codes():
        lines += [f"Disallow: /{code}/{path}" for path in DISALLOWED_IN_LANGUAGE]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += [f"Allow: {path}" for path in ALLOWED]
    lines += ["", f"Sitemap: {settings.SITE_URL.rstrip('/')}{reverse('sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
