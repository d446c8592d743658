from django.urls import path

from . import consent_views, views

app_name = "appeals"

urlpatterns = [
    path("appeals/new/", views.appeal_start, name="start"),
    path("councils/<slug:slug>/appeals/new/", views.appeal_new, name="new"),
    path("appeals/track/<str:number>/<str:token>/", views.appeal_track, name="track"),
    path("appeals/track/<str:number>/<str:token>/feedback/", views.appeal_feedback, name="feedback"),
    path(
        "appeals/track/<str:number>/<str:token>/files/<int:attachment_id>/",
        views.appeal_attachment,
        name="attachment",
    ),
    path(
        "appeals/track/<str:number>/<str:token>/withdraw-consent/",
        consent_views.appeal_consent_withdraw_view,
        name="withdraw_consent",
    ),
]
