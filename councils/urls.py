from __future__ import annotations

from django.urls import path

from . import views

app_name = "councils"

# A council's own pages (overview, composition, meetings, ...) are wired in reports/urls.py, under reports:.
urlpatterns = [
    path("councils/", views.council_list, name="list"),
]
