"""The pages of participation outside a council's pages: a registrant's cancel link."""

from __future__ import annotations

from django.urls import path

from . import public_views as views

app_name = "participation"

urlpatterns = [
    path("hearing-registrations/<str:token>/cancel/", views.registration_cancel, name="cancel"),
]
