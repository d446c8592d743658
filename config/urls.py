"""The URL map. Pages live under a language prefix (/ru/, /kk/, /en/; / redirects to the visitor's language,
Russian by default); the API and the language switch do not."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import RateLimitedPasswordResetView
from config.api import router as open_api_router
from core.health import healthz
from core.page_cache import cache_portal_page
from councils import workspace_urls
from councils.workspace_audit import AuditView
from deputies.inbound_views import deputy_answer_webhook
from deputies.popolo import popolo_view as deputies_popolo_view
from interchange import urls as open_data_urls
from interchange import views as open_data_views
from reports.dashboard import dashboard
from reports.seo import SITEMAPS, robots_txt


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Resolved per request, not at import: the hashed static name needs the collected manifest."""
    return HttpResponsePermanentRedirect(static_url("favicon.svg"))


urlpatterns = [
    # For load balancers and container health checks: no language prefix, no sign-in (core/health.py).
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links; send them to the SVG icon instead of a 404.
    path("favicon.ico", favicon, name="favicon"),
    # For search engines: every public page in each language (reports/seo.py), and what not to crawl.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("reports.api")),
    path("api/v1/", include("appeals.api")),
    path("api/v1/", include("reports.report_api")),
    # The open-data API (read-only lists, JSON and CSV), its OpenAPI schema and its documentation page; the page's
    # script is served by the same view (?script), not inline, so it runs under the site's CSP.
    path("api/v1/", include("config.api")),
    # The open-data files (interchange/open_data.py): each council's year, its Popolo view, all of them as a ZIP.
    path("open-data/", include("interchange.urls")),
    path("api/v1/", include((open_data_urls.api_urlpatterns, "open_data_api"))),
    # A representative body as Popolo (deputies/popolo.py).
    path("api/v1/deputies-popolo/<slug:body_slug>.json", deputies_popolo_view, name="deputies_popolo"),
    # A deputy's e-mail reply, POSTed by an inbound-mail service with the shared secret (deputies/inbound_views.py).
    path("inbound/deputy-answers/", deputy_answer_webhook, name="deputy_answer_webhook"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # Before Django's own: the same page, limited per client and per address (accounts/views.py).
    path("accounts/password_reset/", RateLimitedPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    # A staff invitation's one-time link to set a password (councils/invitations.py).
    path("accounts/invitation/", include("councils.invitation_urls")),
    path("accounts/two-factor/", include("accounts.urls")),
    # The workspace's own pages (councils/workspace_urls.py) and a council's dashboard, which shows every app's
    # work and so lives on the read side (reports/dashboard.py), in one namespace: workspace:dashboard.
    path(
        "workspace/",
        include(
            (
                [path("<slug:slug>/", dashboard, name="dashboard"), *workspace_urls.urlpatterns],
                workspace_urls.app_name,
            )
        ),
    ),
    path("workspace/<slug:slug>/appeals/", include("appeals.staff_urls")),
    path("workspace/<slug:slug>/meetings/", include("hearings.workspace_urls")),
    path("workspace/<slug:slug>/council/", include("councils.workspace_member_urls")),
    path("workspace/<slug:slug>/monitoring/", include("monitoring.workspace_urls")),
    path("workspace/<slug:slug>/library/", include("library.workspace_urls")),
    path("workspace/<slug:slug>/news/", include("news.workspace_urls")),
    path("workspace/<slug:slug>/outreach/", include("outreach.workspace_urls")),
    path("workspace/<slug:slug>/receptions/", include("receptions.workspace_urls")),
    path("workspace/<slug:slug>/stakeholders/", include("stakeholders.workspace_urls")),
    path("workspace/<slug:slug>/audit/", AuditView.as_view(), name="workspace_audit"),
    path("workspace/<slug:slug>/reports/", include("reports.workspace_urls")),
    path("workspace/<slug:slug>/privacy/", include("privacy.workspace_urls")),
    path("workspace/<slug:slug>/participation/", include("participation.workspace_urls")),
    path("workspace/<slug:slug>/privacy/", include("privacy.staff_urls")),
    # The page that lists every download, with the open API's lists taken from its router.
    path(
        "open-data/",
        cache_portal_page(open_data_views.open_data_page),
        {"api": open_api_router.registry},
        name="open_data",
    ),
    path("deputies/", include("deputies.public_urls")),
    path("deputy-office/", include("deputies.office_urls")),
    path("workspace/<slug:slug>/deputies/", include("deputies.workspace_urls")),
    path("", include("reports.urls")),
    path("", include("appeals.urls")),
    path("", include("receptions.urls")),
    path("", include("alerts.urls")),
    path("", include("stakeholders.urls")),
    path("", include("privacy.urls")),
    path("", include("participation.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
