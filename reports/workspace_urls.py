"""Annual reports in the workspace, mounted at workspace/<slug:slug>/reports/."""

from django.urls import path

from . import workspace_views as views

app_name = "reports_ws"

urlpatterns = [
    path("", views.ReportBuildListView.as_view(), name="builds"),
    path("request/", views.ReportBuildRequestView.as_view(), name="build_request"),
    path("<int:pk>/publish/", views.ReportBuildPublishView.as_view(), name="build_publish"),
    # The state of one build as JSON, polled by static/js/report-builds.js while the build is queued or running.
    path("<int:pk>/status.json", views.ReportBuildStatusView.as_view(), name="build_status"),
    path("<int:pk>/retry/", views.ReportBuildRetryView.as_view(), name="build_retry"),
]
