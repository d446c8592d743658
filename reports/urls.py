"""The public pages under the language prefix: the home page, each council's pages and feeds, and the state
bodies across councils. The views live with the app whose records they show (hearings' and monitoring's
`public_views`); this module wires them, since `reports` may read every app. The council's pages are kept whole
for visitors who are not signed in (`cached`: reports/cache.py), and so are the pages across councils
(`portal_cached`), each with the query parameters it reads that may make a cached variant (reports/cache.py);
the search and the feeds are not."""

from __future__ import annotations

from django.urls import path

from councils import views as council_views
from hearings import public_views as hearing_views
from monitoring import public_views as monitoring_views

from . import feeds, views
from .cache import cache_council_page as cached
from .cache import cache_portal_page as portal_cached

app_name = "reports"

council = "councils/<slug:slug>/"

urlpatterns = [
    path("", portal_cached(views.home, "year", "page"), name="home"),
    path("councils/", portal_cached(council_views.council_list, "place", "kind", "page"), name="councils"),
    path(council, cached(views.council_page, "year"), name="council"),
    path(f"{council}composition/", cached(council_views.council_composition, "year"), name="composition"),
    path(f"{council}meetings/", cached(hearing_views.meeting_calendar, "year"), name="meetings"),
    path(f"{council}meetings/<int:pk>/", cached(hearing_views.meeting_detail), name="meeting"),
    path(f"{council}meetings/<int:pk>/minutes/", hearing_views.meeting_minutes, name="meeting_minutes"),
    path(f"{council}meetings.ics", feeds.meetings_ics, name="meetings_ics"),
    path(f"{council}hearings/", cached(hearing_views.hearing_list, "year"), name="hearings"),
    path(f"{council}hearings/<int:pk>/", cached(hearing_views.hearing_detail), name="hearing"),
    path(f"{council}monitoring/", cached(monitoring_views.monitoring_list, "year"), name="monitoring"),
    path(f"{council}monitoring/<int:pk>/", cached(monitoring_views.monitoring_detail), name="monitoring_event"),
    path(
        f"{council}draft-reviews/",
        cached(monitoring_views.draft_reviews, "year", "conclusion", "page"),
        name="draft_reviews",
    ),
    path(
        f"{council}recommendations/",
        cached(monitoring_views.recommendation_tracker_page, "status", "year", "page"),
        name="recommendations",
    ),
    path(
        f"{council}recommendations/<int:pk>/answers/<int:answer_id>/document/",
        monitoring_views.recommendation_answer_document,
        name="recommendation_answer_document",
    ),
    path(f"{council}reports/", cached(views.council_reports), name="reports"),
    path(f"{council}search/", views.council_search, name="search"),
    path(f"{council}feed/", feeds.news_atom, name="feed"),
    path(f"{council}feed.rss", feeds.news_rss, name="feed_rss"),
    path("state-bodies/", portal_cached(monitoring_views.state_body_list, "page"), name="state_bodies"),
    path(
        "state-bodies/<slug:slug>/",
        portal_cached(monitoring_views.state_body_detail, "status", "year", "page"),
        name="state_body",
    ),
]
