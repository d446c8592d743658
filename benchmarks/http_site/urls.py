"""The portal's URL map plus three benchmark-only views: a bare view, the ceiling every page is compared with, and the
open API's recommendations list with its response cache off, to show what a miss costs (benchmarks/http_pages.py);
a bare INSERT view, the ceiling the appeal API is compared with (benchmarks/load.py)."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as portal_urlpatterns
from monitoring.open_api import RecommendationViewSet


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
def insert(request: HttpRequest) -> JsonResponse:
    """The least a view that stores a posted body can do: one INSERT of the body into `bench_insert` (made by
    benchmarks/load.py), in the same database and through the same middleware as the appeal API."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_insert (body) VALUES (%s) RETURNING id", [request.body.decode()])
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


class UncachedRecommendationViewSet(RecommendationViewSet):
    @staticmethod
    def _cache_key(request: HttpRequest) -> None:
        return None


# Added to the root list, not included: the portal's pages use i18n_patterns, which only a root URLconf may hold.
urlpatterns = [
    path("bench/ok", ok),
    path("bench/insert", insert),
    path("bench/uncached/recommendations/", UncachedRecommendationViewSet.as_view({"get": "list"})),
    *portal_urlpatterns,
]
