"""The public pages of monitoring, draft act reviews, recommendations and state bodies
(monitoring/public_views.py), under the language prefix and in the portal's `reports` namespace: reports/urls.py
includes them. The pages are kept whole for visitors who are not signed in, with the query parameters each reads
(core/page_cache.py); a state body's page is shared by every council (`portal_cached`); an answer's document, a
file, is not cached."""

from __future__ import annotations

from django.urls import path

from core.page_cache import cache_council_page as cached
from core.page_cache import cache_portal_page as portal_cached
from councils.public_urls import COUNCIL

from . import public_requests as requests
from . import public_views as views

urlpatterns = [
    path(f"{COUNCIL}monitoring/", cached(views.monitoring_list, "year"), name="monitoring"),
    path(f"{COUNCIL}monitoring/<int:pk>/", cached(views.monitoring_detail), name="monitoring_event"),
    path(
        f"{COUNCIL}draft-reviews/",
        cached(views.draft_reviews, "year", "conclusion", "page"),
        name="draft_reviews",
    ),
    path(
        f"{COUNCIL}recommendations/",
        cached(views.recommendation_tracker_page, "status", "year", "page"),
        name="recommendations",
    ),
    path(
        f"{COUNCIL}recommendations/<int:pk>/answers/<int:answer_id>/document/",
        views.recommendation_answer_document,
        name="recommendation_answer_document",
    ),
    path(
        f"{COUNCIL}information-requests/",
        cached(requests.information_requests, "status", "year", "page"),
        name="information_requests",
    ),
    path(f"{COUNCIL}information-requests/feed/", requests.information_requests_atom, name="information_requests_feed"),
    path(
        f"{COUNCIL}information-requests/<int:pk>/",
        requests.information_request_detail,
        name="information_request",
    ),
    path(
        f"{COUNCIL}information-requests/batches/<int:pk>/",
        requests.information_request_batch,
        name="information_request_batch",
    ),
    path(
        f"{COUNCIL}information-requests/<int:pk>/answers/<int:answer_id>/document/",
        requests.information_request_answer_document,
        name="information_request_answer_document",
    ),
    path("state-bodies/", portal_cached(views.state_body_list, "page"), name="state_bodies"),
    path(
        "state-bodies/<slug:slug>/",
        portal_cached(views.state_body_detail, "status", "year", "page"),
        name="state_body",
    ),
]
