"""The public pages of receptions, under the language prefix (config/urls.py). Not in the page cache: the free
times change with every booking."""

from __future__ import annotations

from django.urls import path

from . import public_views as views

app_name = "receptions"

urlpatterns = [
    path("councils/<slug:slug>/receptions/", views.reception_list, name="list"),
    path("councils/<slug:slug>/receptions/<int:pk>/book/", views.reception_book_view, name="book"),
    path("receptions/booked/<str:cancel_token>/", views.booking_done, name="booked"),
    path("receptions/cancel/<str:cancel_token>/", views.booking_cancel_view, name="cancel"),
]
