"""The public pages of participation (participation/public_views.py), under the language prefix and in the
portal's `reports` namespace (reports/urls.py includes them). Not cached: each carries a form."""

from __future__ import annotations

from django.urls import path

from councils.public_urls import COUNCIL

from . import public_views as views

urlpatterns = [
    path(f"{COUNCIL}consultations/", views.consultations, name="consultations"),
    path(f"{COUNCIL}hearings/<int:pk>/consultation/", views.hearing_consultation, name="hearing_consultation"),
    path(f"{COUNCIL}hearings/<int:pk>/register/", views.hearing_register, name="hearing_register"),
    path(
        f"{COUNCIL}hearings/<int:pk>/documents/<int:document_id>/",
        views.hearing_document,
        name="hearing_document",
    ),
    path(f"{COUNCIL}draft-reviews/<int:pk>/consultation/", views.draft_consultation, name="draft_consultation"),
    path(f"{COUNCIL}draft-reviews/<int:pk>/text/", views.draft_text, name="draft_text"),
]
