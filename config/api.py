"""The open-data API's URL map (/api/v1/): every app's read-only viewsets on one router.

Mounted next to the older hand-written endpoints (stats, appeals, report builds), whose paths it does not
overlap: published reports are `published-reports/` because `reports/<id>/` is a report build's status.
"""

from __future__ import annotations

from rest_framework import routers
from rest_framework.renderers import JSONRenderer

from councils.open_api import (
    BodyViewSet,
    ConsultativeSeatViewSet,
    CouncilViewSet,
    PersonViewSet,
    StateBodyViewSet,
)
from hearings.open_api import HearingViewSet, MeetingViewSet
from monitoring.open_api import (
    DraftReviewViewSet,
    MonitoringEventViewSet,
    RecommendationViewSet,
)
from reports.open_api import PublishedReportViewSet

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
router.register("councils", CouncilViewSet, basename="council")
router.register("bodies", BodyViewSet, basename="body")
router.register("people", PersonViewSet, basename="person")
router.register("state-bodies", StateBodyViewSet, basename="state-body")
router.register("consultative-seats", ConsultativeSeatViewSet, basename="consultative-seat")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("hearings", HearingViewSet, basename="hearing")
router.register("monitoring-events", MonitoringEventViewSet, basename="monitoring-event")
router.register("draft-reviews", DraftReviewViewSet, basename="draft-review")
router.register("recommendations", RecommendationViewSet, basename="recommendation")
router.register("published-reports", PublishedReportViewSet, basename="published-report")

urlpatterns = router.urls
