"""The portal's URL map plus two benchmark-only views (benchmarks/http_pages.py): a bare view, the ceiling every page is
compared with, and the open API's recommendations list with its response cache off, to show what a miss costs."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns
from monitoring.open_api import RecommendationViewSet


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


class UncachedRecommendationViewSet(RecommendationViewSet):
    @staticmethod
    def _cache_key(request: HttpRequest) -> None:
        return None


# Added to the root list, not included: the portal's pages use i18n_patterns, which only a root URLconf may hold.
urlpatterns = [
    path("bench/ok", ok),
    path("bench/uncached/recommendations/", UncachedRecommendationViewSet.as_view({"get": "list"})),
    *portal_urlpatterns,
]
