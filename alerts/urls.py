from __future__ import annotations

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alerts/subscribe/", views.subscribe, name="subscribe"),
    path("alerts/subscribe/sent/", views.sent, name="sent"),
    # Follow one item: an address per kind, named like the item's own pages (tests/test_privacy.py reads the
    # segment before the id).
    path(
        "alerts/follow/recommendations/<int:pk>/",
        views.follow,
        {"kind": "recommendation"},
        name="follow_recommendation",
    ),
    path("alerts/follow/hearings/<int:pk>/", views.follow, {"kind": "hearing"}, name="follow_hearing"),
    path("alerts/follow/draft-reviews/<int:pk>/", views.follow, {"kind": "draft_review"}, name="follow_draft_review"),
    path(
        "alerts/follow/information-requests/<int:pk>/",
        views.follow,
        {"kind": "information_request"},
        name="follow_information_request",
    ),
    path("alerts/confirm/<str:signed>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
