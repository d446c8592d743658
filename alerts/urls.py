from __future__ import annotations

from django.urls import path

from core.follow import followables

from . import views

app_name = "alerts"

urlpatterns = [
    path("alerts/subscribe/", views.subscribe, name="subscribe"),
    path("alerts/subscribe/sent/", views.sent, name="sent"),
    # Follow one thing: an address per registered kind (core/follow.py), named like the item's own pages
    # (tests/test_privacy.py reads the segment before the id): alerts:follow_<kind>.
    *(
        path(f"alerts/follow/{kind.segment}/<int:pk>/", views.follow, {"kind": key}, name=f"follow_{key}")
        for key, kind in followables().items()
    ),
    path("alerts/confirm/<str:signed>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
