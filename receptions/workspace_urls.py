"""The council's receptions in the workspace, mounted at workspace/<slug:slug>/receptions/."""

from __future__ import annotations

from django.urls import path

from . import workspace_views as views

app_name = "receptions_ws"

urlpatterns = [
    path("", views.ReceptionListView.as_view(), name="list"),
    path("new/", views.ReceptionCreateView.as_view(), name="add"),
    path("<int:pk>/", views.ReceptionDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ReceptionEditView.as_view(), name="edit"),
    path("bookings/<int:pk>/outcome/", views.BookingOutcomeView.as_view(), name="outcome"),
]
