"""The public pages under the language prefix, in one namespace (`reports:`): the read side's own (the home page,
a council's page, its reports, search and feeds) and those each app owns in its `public_urls.py` (councils,
hearings, monitoring), included here so that every name and address stays where templates and links expect it
(tests/portal/test_url_map.py). The pages are kept whole for visitors who are not signed in, a council's under its
version (`cached`), the home page under the list of councils' version and those of the councils whose cards it
shows (`council_list_cached`), each with the query parameters it reads that may make a cached variant
(core/page_cache.py); the search and the feeds are not. The other pages across councils, under every council's
version, are the apps' own (`cache_portal_page`)."""

from __future__ import annotations

from django.urls import include, path

from core.page_cache import cache_council_list_page as council_list_cached
from core.page_cache import cache_council_page as cached
from councils.public_urls import COUNCIL

from . import feeds, views

app_name = "reports"

urlpatterns = [
    path("", council_list_cached(views.home, "year", "page", "place"), name="home"),
    path(COUNCIL, cached(views.council_page, "year"), name="council"),
    path(f"{COUNCIL}meetings.ics", feeds.meetings_ics, name="meetings_ics"),
    path(f"{COUNCIL}reports/", cached(views.council_reports), name="reports"),
    # Members' attendance in the open: the whole composition, and each member's profile.
    path(f"{COUNCIL}attendance/", cached(views.council_attendance, "year"), name="attendance"),
    path(f"{COUNCIL}members/<int:pk>/", cached(views.member_profile, "year"), name="member"),
    path(f"{COUNCIL}search/", views.council_search, name="search"),
    path(f"{COUNCIL}feed/", feeds.news_atom, name="feed"),
    path(f"{COUNCIL}feed.rss", feeds.news_rss, name="feed_rss"),
    path("", include("councils.public_urls")),
    path("", include("hearings.public_urls")),
    path("", include("monitoring.public_urls")),
    path("", include("library.public_urls")),
    path("", include("news.public_urls")),
    path("", include("outreach.public_urls")),
    path("", include("participation.public_urls")),
]
