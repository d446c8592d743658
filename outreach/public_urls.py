"""The public pages of trainings and of the consultation figures, in the portal's `reports` namespace
(reports/urls.py includes them), kept whole per council version and year (core/page_cache.py)."""

from __future__ import annotations

from django.urls import path

from core.page_cache import cache_council_page as cached
from councils.public_urls import COUNCIL

from . import public_views as views

urlpatterns = [
    path(f"{COUNCIL}trainings/", cached(views.training_list, "year"), name="trainings"),
    path(f"{COUNCIL}trainings/<int:pk>/", cached(views.training_detail), name="training"),
    path(f"{COUNCIL}legal-advice/", cached(views.consultation_figures, "year"), name="legal_advice"),
]
