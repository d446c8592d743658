"""The staff's privacy pages, mounted at workspace/<slug:slug>/privacy/ under the language prefix."""

from django.urls import path

from . import staff_views

app_name = "privacy_staff"

urlpatterns = [
    path("requests/", staff_views.request_list, name="requests"),
    path("requests/<int:request_id>/", staff_views.request_detail, name="detail"),
    path("access-log/", staff_views.access_log, name="access_log"),
] + [
    path(f"requests/<int:request_id>/{name}/", staff_views.request_action, {"action": name}, name=name)
    for name in staff_views.ACTIONS
]
