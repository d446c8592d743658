"""The staff workspace, mounted at /<lang>/workspace/. Each app adds its pages under workspace/<slug>/."""

from django.urls import path

from . import workspace_views

app_name = "workspace"

urlpatterns = [
    path("", workspace_views.workspace_home, name="home"),
    path("<slug:slug>/", workspace_views.dashboard, name="dashboard"),
]
