"""Meetings and public hearings in the workspace, mounted at workspace/<slug:slug>/meetings/."""

from django.urls import path

from . import workspace_views as views

app_name = "hearings_ws"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meetings"),
    path("add/", views.MeetingCreateView.as_view(), name="meeting_add"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting_edit"),
    path("<int:pk>/attendance/", views.MeetingAttendanceView.as_view(), name="meeting_attendance"),
    path("<int:pk>/minutes/upload/", views.MeetingMinutesUploadView.as_view(), name="minutes_upload"),
    path("<int:pk>/minutes/signed.pdf", views.MeetingMinutesScanView.as_view(), name="minutes_scan"),
    path("<int:pk>/minutes.pdf", views.MeetingMinutesPdfView.as_view(), name="minutes_pdf"),
    path("hearings/", views.HearingListView.as_view(), name="hearings"),
    path("hearings/add/", views.HearingCreateView.as_view(), name="hearing_add"),
    path("hearings/<int:pk>/", views.HearingDetailView.as_view(), name="hearing_detail"),
    path("hearings/<int:pk>/edit/", views.HearingUpdateView.as_view(), name="hearing_edit"),
]
