"""The public pages of deputies and representative bodies, under the language prefix: /<lang>/deputies/…"""

from __future__ import annotations

from django.urls import path

from . import public_views as views

app_name = "deputies"

urlpatterns = [
    path("", views.index, name="index"),
    path("who/", views.who, name="who"),
    path("compare/", views.compare, name="compare"),
    path("code-of-conduct/", views.code_of_conduct, name="code_of_conduct"),
    path("bodies/<slug:body_slug>/", views.body_page, name="body"),
    path("bodies/<slug:body_slug>/report/<int:year>.pdf", views.body_report, name="body_report"),
    path("people/<slug:deputy_slug>/", views.deputy_page, name="deputy"),
    path("people/<slug:deputy_slug>/ask/", views.ask, name="ask"),
    path("sessions/<int:session_id>/", views.session_page, name="session"),
    path("questions/confirm/<str:token>/", views.author_confirm, name="author_confirm"),
    path("questions/unsubscribe/<str:token>/", views.author_unsubscribe, name="author_unsubscribe"),
    path("national/<int:year>.pdf", views.national_summary, name="national_summary"),
]
