"""The staff workspace, mounted at /<lang>/workspace/. Each app adds its pages under workspace/<slug>/; the
dashboard (workspace:dashboard, workspace/<slug>/) is the read side's page and config/urls.py adds it here."""

from django.urls import path

from . import workspace_staff, workspace_views

app_name = "workspace"

urlpatterns = [
    path("", workspace_views.workspace_home, name="home"),
    path("<slug:slug>/staff/", workspace_staff.staff_list, name="staff"),
    path("<slug:slug>/staff/invite/", workspace_staff.StaffInviteView.as_view(), name="staff_invite"),
    path("<slug:slug>/staff/<int:pk>/resend/", workspace_staff.staff_resend, name="staff_resend"),
    path("<slug:slug>/staff/<int:pk>/revoke/", workspace_staff.staff_revoke, name="staff_revoke"),
]
