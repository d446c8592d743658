"""The public pages of meetings and public hearings (hearings/public_views.py), under the language prefix and in
the portal's `reports` namespace: reports/urls.py includes them. The pages are kept whole for visitors who are not
signed in, with the query parameters each reads (core/page_cache.py); the minutes, a file, are not."""

from __future__ import annotations

from django.urls import path

from core.page_cache import cache_council_page as cached
from councils.public_urls import COUNCIL

from . import public_views as views

urlpatterns = [
    path(f"{COUNCIL}meetings/", cached(views.meeting_calendar, "year"), name="meetings"),
    path(f"{COUNCIL}meetings/<int:pk>/", cached(views.meeting_detail), name="meeting"),
    path(f"{COUNCIL}meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path(f"{COUNCIL}hearings/", cached(views.hearing_list, "year"), name="hearings"),
    path(f"{COUNCIL}hearings/<int:pk>/", cached(views.hearing_detail), name="hearing"),
]
