"""The council staff's appeal pages, mounted at workspace/<slug:slug>/appeals/ under the language prefix."""

from django.urls import path

from . import category_views, staff_views

app_name = "appeals_staff"

urlpatterns = [
    path("", staff_views.inbox, name="inbox"),
    path("export.csv", staff_views.inbox_export, name="export"),
    # A large XLSX export, built by a task: its page (refreshing while prepared) and its file.
    path("exports/<int:pk>/", staff_views.inbox_export_status, name="export_status"),
    path("exports/<int:pk>/download/", staff_views.inbox_export_download, name="export_download"),
    path("new/", staff_views.appeal_register, name="new"),
    # The council's lists (before "<number>/", which would take these words for a number).
    path("categories/", category_views.CategoryListView.as_view(), name="categories"),
    path("categories/new/", category_views.CategoryCreateView.as_view(), name="category_add"),
    path("categories/<int:pk>/", category_views.CategoryEditView.as_view(), name="category_edit"),
    path("localities/new/", category_views.LocalityCreateView.as_view(), name="locality_add"),
    path("localities/<int:pk>/", category_views.LocalityEditView.as_view(), name="locality_edit"),
    path("<str:number>/", staff_views.appeal_detail, name="detail"),
    path(
        "<str:number>/attachments/<int:attachment_id>/",
        staff_views.attachment_download,
        name="attachment",
    ),
] + [
    # One address per workflow action (…/<number>/assign/, …/<number>/extend/ …); unknown actions are 404.
    path(f"<str:number>/{name}/", staff_views.appeal_action, {"action": name}, name=name)
    for name in staff_views.ACTIONS
]
