"""The stakeholder registry in the workspace, mounted at workspace/<slug:slug>/stakeholders/."""

from django.urls import path

from . import workspace_views as views

app_name = "stakeholders_ws"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="organisations"),
    path("add/", views.OrganisationCreateView.as_view(), name="organisation_add"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("<int:pk>/edit/", views.OrganisationUpdateView.as_view(), name="organisation_edit"),
    path("<int:pk>/contacts/add/", views.ContactCreateView.as_view(), name="contact_add"),
    path("<int:pk>/log/add/", views.LogEntryCreateView.as_view(), name="log_add"),
    path("contacts/", views.ContactListView.as_view(), name="contacts"),
    path("contacts/<int:pk>/edit/", views.ContactUpdateView.as_view(), name="contact_edit"),
    path("log/", views.LogListView.as_view(), name="log"),
    path("groups/", views.GroupListView.as_view(), name="groups"),
    path("groups/add/", views.GroupCreateView.as_view(), name="group_add"),
    path("groups/<int:pk>/edit/", views.GroupUpdateView.as_view(), name="group_edit"),
    path("groups/<int:pk>/delete/", views.GroupDeleteView.as_view(), name="group_delete"),
    path("mail-outs/add/", views.MailOutCreateView.as_view(), name="mail_out_add"),
]
