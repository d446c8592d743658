"""The open statistics API: a council's figures for one year, the same dict the council page shows."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from councils.selectors import published_council_get

from .selectors import council_year_stats

MIN_YEAR = 1991  # the first year of independent Kazakhstan: no council record is older


def parse_year(raw: str | None) -> tuple[int | None, str]:
    """The year from a query parameter, or None and the reason it is not acceptable (translated)."""
    if raw is None or not raw.strip():
        return None, _("Give the year, e.g. ?year=2019.")
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        return None, _("The year must be four digits, e.g. ?year=2019.")
    year = int(raw)
    max_year = timezone.localdate().year + 1
    if not MIN_YEAR <= year <= max_year:
        return None, _("The year must be between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": max_year}
    return year, ""


# For the OpenAPI schema only: the view returns `council_year_stats` as it is.
def _counts() -> serializers.DictField:
    return serializers.DictField(child=serializers.IntegerField())


STATS_SCHEMA = inline_serializer(
    "CouncilYearStats",
    {
        "council": serializers.CharField(),
        "year": serializers.IntegerField(),
        "as_of": serializers.DateField(),
        "members": _counts(),
        "commissions": serializers.IntegerField(),
        "meetings": _counts(),
        "hearings": serializers.IntegerField(),
        "monitoring": serializers.JSONField(help_text="total, and by_month: {'1': n, ..., '12': n}"),
        "draft_acts": _counts(),
        "appeals": serializers.JSONField(help_text="total, individuals, legal_entities, by category/channel/month"),
        "recommendations": serializers.JSONField(help_text="total, answered, overdue, by_status"),
        "memoranda": serializers.IntegerField(),
    },
)


@extend_schema(
    summary="A council's figures for one year",
    tags=["councils"],
    parameters=[OpenApiParameter("year", OpenApiTypes.INT, required=True, description="YYYY, from 1991")],
    responses={200: STATS_SCHEMA, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
)
class CouncilStatsView(APIView):
    """GET /api/v1/councils/<slug>/stats/?year=YYYY: public figures only, no personal data."""

    authentication_classes: list = []  # public and read-only: no session needed
    permission_classes: list = []

    def get(self, request: Request, slug: str) -> Response:
        council = published_council_get(slug=slug)
        if council is None:
            raise Http404
        year, error = parse_year(request.query_params.get("year"))
        if year is None:
            return Response({"year": [error]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(council_year_stats(council=council, year=year))


urlpatterns = [
    path("councils/<slug:slug>/stats/", CouncilStatsView.as_view(), name="api-council-stats"),
]
