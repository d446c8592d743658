"""The library's public pages, in the portal's `reports` namespace (reports/urls.py includes them). The list
takes free text (a search) and is not cached, like the council's search; a document's page is."""

from __future__ import annotations

from django.urls import path

from core.page_cache import cache_council_page as cached
from councils.public_urls import COUNCIL

from . import public_views as views

urlpatterns = [
    path(f"{COUNCIL}library/", views.document_list, name="library"),
    path(f"{COUNCIL}library/feed/", views.library_atom, name="library_feed"),
    path(f"{COUNCIL}library/<int:pk>/", cached(views.document_detail), name="library_document"),
    path(f"{COUNCIL}library/<int:pk>/file/", views.document_file, name="library_document_file"),
]
