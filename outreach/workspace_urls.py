"""The consultation log and trainings in the workspace, mounted at workspace/<slug:slug>/outreach/."""

from django.urls import path

from . import workspace_views as views

app_name = "outreach_ws"

urlpatterns = [
    path("consultations/", views.ConsultationListView.as_view(), name="consultations"),
    path("consultations/add/", views.ConsultationCreateView.as_view(), name="consultation_add"),
    path("consultations/<int:pk>/", views.ConsultationDetailView.as_view(), name="consultation_detail"),
    path("consultations/<int:pk>/edit/", views.ConsultationUpdateView.as_view(), name="consultation_edit"),
    path("trainings/", views.TrainingListView.as_view(), name="trainings"),
    path("trainings/add/", views.TrainingCreateView.as_view(), name="training_add"),
    path("trainings/<int:pk>/", views.TrainingDetailView.as_view(), name="training_detail"),
    path("trainings/<int:pk>/edit/", views.TrainingUpdateView.as_view(), name="training_edit"),
]
