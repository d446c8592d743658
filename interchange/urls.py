"""The open-data downloads, outside the language prefix (a file is the same in every language); the page that
lists them is wired in config/urls.py, under the prefix, with the open API's router."""

from __future__ import annotations

from django.urls import path

from . import views
from .validation import FORMAT_V2, FORMAT_V3

app_name = "open_data"

urlpatterns = [
    path("all.zip", views.bulk_download, name="bulk"),
    path("council-activity-4.schema.json", views.schema_download, name="schema"),
    # Older versions' schemas stay where files and tools written for them point.
    path("council-activity-3.schema.json", views.schema_download, {"version": FORMAT_V3}, name="schema_v3"),
    path("council-activity-2.schema.json", views.schema_download, {"version": FORMAT_V2}, name="schema_v2"),
    path("<slug:slug>/<int:year>.json", views.council_year_download, name="council_year"),
    path("<slug:slug>/<int:year>.popolo.json", views.council_year_popolo_download, name="council_year_popolo"),
]

# The same Popolo document among the API's addresses: /api/v1/popolo/<council>/<year>.json.
api_urlpatterns = [
    path("popolo/<slug:slug>/<int:year>.json", views.council_year_popolo_download, name="popolo"),
]
