"""Participation in the workspace, mounted at workspace/<slug:slug>/participation/."""

from django.urls import path

from . import workspace_views as views

app_name = "participation_ws"

urlpatterns = [
    path("", views.CommentListView.as_view(), name="comments"),
    path("comments/<int:pk>/", views.CommentDetailView.as_view(), name="comment"),
    path("hearings/<int:pk>/", views.HearingConsultationView.as_view(), name="hearing"),
    path("hearings/<int:pk>/documents/add/", views.DocumentAddView.as_view(), name="document_add"),
    path(
        "hearings/<int:pk>/documents/<int:document_id>/delete/",
        views.DocumentDeleteView.as_view(),
        name="document_delete",
    ),
    path("hearings/<int:pk>/registrations/", views.RegistrationListView.as_view(), name="registrations"),
    path("hearings/<int:pk>/record/", views.RecordPublishView.as_view(), name="record"),
    path("drafts/<int:pk>/", views.DraftTextView.as_view(), name="draft"),
]
