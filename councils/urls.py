from __future__ import annotations

from django.urls import path

from . import views

app_name = "councils"

urlpatterns = [
    path("councils/", views.council_list, name="list"),
]
