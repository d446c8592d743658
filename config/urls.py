"""The URL map. Pages live under a language prefix (/ru/, /kk/, /en/; / redirects to the visitor's language,
Russian by default); the API and the language switch do not."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from core.health import healthz
from councils.workspace_audit import AuditView

urlpatterns = [
    # For load balancers and container health checks: no language prefix, no sign-in (core/health.py).
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("reports.api")),
    path("api/v1/", include("appeals.api")),
    path("api/v1/", include("reports.report_api")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("workspace/", include("councils.workspace_urls")),
    path("workspace/<slug:slug>/appeals/", include("appeals.staff_urls")),
    path("workspace/<slug:slug>/meetings/", include("hearings.workspace_urls")),
    path("workspace/<slug:slug>/council/", include("councils.workspace_member_urls")),
    path("workspace/<slug:slug>/monitoring/", include("monitoring.workspace_urls")),
    path("workspace/<slug:slug>/audit/", AuditView.as_view(), name="workspace_audit"),
    path("", include("councils.urls")),
    path("", include("reports.urls")),
    path("", include("appeals.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
