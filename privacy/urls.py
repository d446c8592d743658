"""Public pages on personal data, under the language prefix: /<lang>/privacy/."""

from django.urls import path

from . import requests_views, views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.privacy_notice, name="notice"),
    # Requests about one's data (privacy/requests_views.py): the form, and the one-time links from the mail.
    path("privacy/request/", requests_views.request_new, name="request"),
    path("privacy/request/sent/", requests_views.request_sent, name="request_sent"),
    path("privacy/confirm/<str:token>/", requests_views.request_confirm_view, name="confirm"),
    path("privacy/download/<str:token>/", requests_views.download, name="download"),
]
