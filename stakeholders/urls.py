from __future__ import annotations

from django.urls import path

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("mail-outs/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
