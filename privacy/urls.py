"""Public pages on personal data, under the language prefix: /<lang>/privacy/."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.privacy_notice, name="notice"),
]
