"""The council staff's appeal pages, mounted at workspace/<slug:slug>/appeals/ under the language prefix."""

from django.urls import path

from . import staff_views

app_name = "appeals_staff"

urlpatterns = [
    path("", staff_views.inbox, name="inbox"),
    path("export.csv", staff_views.inbox_export, name="export"),
    path("new/", staff_views.appeal_register, name="new"),
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
