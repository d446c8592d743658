"""A council's news in public and the portal-wide list, in the portal's `reports` namespace (reports/urls.py
includes them). Pages are cached (core/page_cache.py): a publication saved now leaves them behind at once, and a
scheduled one when its moment comes (`news.tasks.release_scheduled_news`, every minute). The feeds are not cached."""

from __future__ import annotations

from django.urls import path

from core.page_cache import cache_council_page as cached
from core.page_cache import cache_portal_page as portal_cached
from councils.public_urls import COUNCIL

from . import public_views as views

urlpatterns = [
    path("news/", portal_cached(views.portal_news_list, "kind", "page"), name="news_all"),
    path("news/feed/", views.portal_news_atom, name="news_all_feed"),
    path("news/feed.rss", views.portal_news_rss, name="news_all_feed_rss"),
    path(f"{COUNCIL}news/", cached(views.news_list, "kind", "page"), name="news"),
    path(f"{COUNCIL}news/feed/", views.news_atom, name="news_feed"),
    path(f"{COUNCIL}news/feed.rss", views.news_rss, name="news_feed_rss"),
    path(f"{COUNCIL}news/<int:pk>/", cached(views.news_detail), name="news_item"),
    path(f"{COUNCIL}news-images/<int:pk>/", views.news_image, name="news_image"),
]
