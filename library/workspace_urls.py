"""The library in the workspace, mounted at workspace/<slug:slug>/library/."""

from django.urls import path

from . import workspace_views as views

app_name = "library_ws"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="documents"),
    path("add/", views.DocumentCreateView.as_view(), name="document_add"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("<int:pk>/edit/", views.DocumentUpdateView.as_view(), name="document_edit"),
    path("<int:pk>/delete/", views.DocumentDeleteView.as_view(), name="document_delete"),
    path("<int:pk>/file/", views.DocumentFileView.as_view(), name="document_file"),
]
