"""The open-data API's URL map (/api/v1/): every app's read-only viewsets on one router, each app registering
its own lists in its open_api module (core.open_api.register_list).

Mounted next to the older hand-written endpoints (stats, appeals, report builds), whose paths it does not
overlap: published reports are `published-reports/` because `reports/<id>/` is a report build's status.
"""

from __future__ import annotations

from django.utils.module_loading import autodiscover_modules
from rest_framework import routers
from rest_framework.renderers import JSONRenderer

from core.open_api import registered_lists

app_name = "open_api"


class APIRootView(routers.APIRootView):
    """The open data of the public councils of Kazakhstan; the documentation is at /api/docs/."""

    authentication_classes: list = []
    permission_classes: list = []
    renderer_classes = [JSONRenderer]  # the browsable API needs inline script, which the site's CSP forbids


class Router(routers.DefaultRouter):
    APIRootView = APIRootView
    include_format_suffixes = False  # the format is a query parameter: ?format=csv


router = Router()
# Every app's open_api module registers its lists (core.open_api.register_list), as admin.py modules do.
autodiscover_modules("open_api")
for prefix, viewset, basename in registered_lists():
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
