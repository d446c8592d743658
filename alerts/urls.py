from __future__ import annotations

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alerts/subscribe/", views.subscribe, name="subscribe"),
    path("alerts/subscribe/sent/", views.sent, name="sent"),
    path("alerts/confirm/<str:signed>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
