"""The NGO monitor's workspace, mounted at workspace/<slug:slug>/deputies/."""

from django.urls import path

from . import workspace_views as views

app_name = "deputies_ws"

urlpatterns = [
    path("", views.SessionListView.as_view(), name="sessions"),
    path("sessions/add/", views.SessionCreateView.as_view(), name="session_add"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session"),
    path("sessions/<int:pk>/attendance/", views.SessionAttendanceView.as_view(), name="session_attendance"),
    path("sessions/<int:pk>/votes/add/", views.VoteCreateView.as_view(), name="vote_add"),
    path("sessions/<int:pk>/publish/", views.SessionPublishView.as_view(), name="session_publish"),
    path("activities/", views.ActivityListView.as_view(), name="activities"),
    path("activities/add/", views.ActivityCreateView.as_view(), name="activity_add"),
    path("activities/<int:pk>/publish/", views.ActivityPublishView.as_view(), name="activity_publish"),
    path("promises/", views.PromiseListView.as_view(), name="promises"),
    path("promises/add/", views.PromiseCreateView.as_view(), name="promise_add"),
    path("promises/<int:pk>/publish/", views.PromisePublishView.as_view(), name="promise_publish"),
    path("questions/", views.QuestionListView.as_view(), name="questions"),
    path("questions/<int:pk>/moderate/", views.QuestionModerateView.as_view(), name="question_moderate"),
    path("answers/<int:pk>/moderate/", views.InboundAnswerModerateView.as_view(), name="inbound_answer"),
    path("import/", views.ImportView.as_view(), name="import"),
]
