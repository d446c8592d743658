"""The deputy's office, /<lang>/deputy-office/: the questions to answer."""

from __future__ import annotations

from django.urls import path

from . import office_views as views

app_name = "deputies_office"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("questions/<int:question_id>/answer/", views.answer, name="answer"),
]
