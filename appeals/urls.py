from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    path("councils/<slug:slug>/appeals/new/", views.appeal_new, name="new"),
    path("appeals/track/<str:number>/<str:token>/", views.appeal_track, name="track"),
]
