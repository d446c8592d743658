"""The open statistics API: a council's figures for one year, the same figures the council page shows, as of one
day (by default the year's last day once it is over, so a closed year's figures never change)."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.http import Http404
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.page_cache import council_cache_state
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


def parse_as_of(raw: str | None, *, year: int) -> tuple[dt.date | None, str]:
    """The day to compute the figures on (None and "" when not asked: the default applies), or None and the reason
    it is not acceptable (translated). Any day from 1 January of the year to today: the figures of the year's
    records as they stood then; a day in the future would be a forecast."""
    if raw is None or not raw.strip():
        return None, ""
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None, _("Give the date as YYYY-MM-DD, e.g. ?as_of=2019-12-31.")
    today = timezone.localdate()
    first = dt.date(year, 1, 1)
    if not first <= day <= today:
        return None, _("The date must be between %(first)s and today (%(today)s).") % {
            "first": first.isoformat(),
            "today": today.isoformat(),
        }
    return day, ""


# For the OpenAPI schema only: the view returns `council_year_stats(...).as_dict()`.
def _counts(help_text: str = "") -> serializers.DictField:
    return serializers.DictField(child=serializers.IntegerField(), help_text=help_text or None)


STATS_SCHEMA = inline_serializer(
    "CouncilYearStats",
    {
        "council": serializers.CharField(),
        "year": serializers.IntegerField(),
        "as_of": serializers.DateField(help_text="the day the figures stand on"),
        "members": _counts(),
        "experts": _counts(
            help_text="experts of the council, never counted among the members: on_day (on as_of), approved_in_year "
            "and engaged_in_year (in a monitoring event, draft review or hearing carried out in the year)"
        ),
        "commissions": serializers.IntegerField(),
        "meetings": _counts(),
        "hearings": serializers.IntegerField(),
        "monitoring": serializers.JSONField(help_text="total, and by_month: {'1': n, ..., '12': n}"),
        "draft_acts": _counts(),
        "appeals": serializers.JSONField(
            help_text="total, individuals, legal_entities, by category/channel/month/status, answered, "
            "answered_on_time, on_time_share, open, overdue (as of as_of)"
        ),
        "appeal_places": serializers.JSONField(
            help_text="the year's appeals by_category (the council's category codes, in its order) and by_locality "
            "(its district/town codes), and without_locality"
        ),
        "receptions": serializers.JSONField(
            help_text="receptions of citizens held in the year: receptions, visitors, and visitors by_month, by_topic "
            "(appeal category codes), by_member (the member's name) and by_outcome (advice, appeal, referred)"
        ),
        "recommendations": serializers.JSONField(help_text="total, answered, overdue, by_status, as of as_of"),
        "information_requests": serializers.JSONField(
            help_text="sent in the year: total, answered, answered_on_time (the first answer by the request's limit), "
            "overdue, by_status, refused_by_ground, as of as_of"
        ),
        "memoranda": serializers.IntegerField(),
        "library": serializers.JSONField(help_text="documents published in the library: total, by_kind"),
        "consultations": serializers.JSONField(
            help_text="consultations given (counts only, never a person): total, by_month, by_kind, by_channel, "
            "by_topic, by_outcome"
        ),
        "trainings": serializers.JSONField(
            help_text="trainings, seminars, lectures and campaigns: total, participants, by_kind, by_audience, "
            "participants_by_audience"
        ),
        "participation": _counts(),
        "stakeholders": serializers.JSONField(
            help_text="the year's work with stakeholders (counts only, never a contact person): organisations dealt "
            "with (a contact log entry in the year), by_category and by_sector (the registry's own words), "
            "log_entries and log_by_kind (met, wrote, called, invited, signed), mail_outs and messages_sent, "
            "press_mail_outs (news items sent to the media group)"
        ),
        "news": serializers.JSONField(
            help_text="news, press releases and statements made public in the year (withdrawn ones included): total, "
            "by_kind (news, press_release, statement), media_publications (recorded on the news)"
        ),
        "media": serializers.JSONField(
            help_text="publications in the media in the year: total, news (recorded on the council's news), "
            "monitoring (the publicity links of its monitoring events)"
        ),
        "attendance": serializers.ListField(
            child=inline_serializer(
                "MemberAttendance",
                {
                    "person": serializers.IntegerField(help_text="the person's id in /api/v1/people/"),
                    "name": serializers.CharField(),
                    "meetings_due": serializers.IntegerField(
                        help_text="open council, presidium and commission meetings held by as_of, with attendance "
                        "taken by name, that the member was due at (the council's while a member, a body's while "
                        "holding a seat in it)"
                    ),
                    "attended": serializers.IntegerField(),
                    "share": serializers.FloatField(allow_null=True, help_text="attended / meetings_due, 0 to 1"),
                },
            ),
            help_text="each member's attendance in the year as of as_of, sorted by name (members with no meeting "
            "due are left out)",
        ),
    },
)


@extend_schema(
    summary="A council's figures for one year",
    tags=["councils"],
    parameters=[
        OpenApiParameter("year", OpenApiTypes.INT, required=True, description="YYYY, from 1991"),
        OpenApiParameter(
            "as_of",
            OpenApiTypes.DATE,
            required=False,
            description="YYYY-MM-DD, from 1 January of the year to today: the state of the year's records on that "
            "day. Default: 31 December of a past year, today for the current year.",
        ),
    ],
    responses={200: STATS_SCHEMA, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
)
class CouncilStatsView(APIView):
    """GET /api/v1/councils/<slug>/stats/?year=YYYY[&as_of=YYYY-MM-DD]: public figures only, no personal data."""

    authentication_classes: list = []  # public and read-only: no session needed
    permission_classes: list = []

    def get(self, request: Request, slug: str) -> Response:
        council = published_council_get(slug=slug)
        if council is None:
            raise Http404
        year, error = parse_year(request.query_params.get("year"))
        if year is None:
            return Response({"year": [error]}, status=status.HTTP_400_BAD_REQUEST)
        as_of, error = parse_as_of(request.query_params.get("as_of"), year=year)
        if error:
            return Response({"as_of": [error]}, status=status.HTTP_400_BAD_REQUEST)
        # Cached like the council's pages (core/page_cache.py): under its version, which any edit of its records
        # bumps, for PORTAL_CACHE_SECONDS at most (appeals reach the figures within that time, by design); the
        # current year's figures stand on today, so today is in the key.
        today = timezone.localdate()
        state = council_cache_state(council.pk)
        key = ":".join(
            (
                "api:stats",
                state.key,
                translation.get_language() or "",
                str(year),
                as_of.isoformat() if as_of else "",
                today.isoformat() if year >= today.year else "",
            )
        )
        figures = cache.get(key)
        if figures is None:
            figures = council_year_stats(council=council, year=year, as_of=as_of).as_dict()
            cache.set(key, figures, state.ttl)
        return Response(figures)


urlpatterns = [
    path("councils/<slug:slug>/stats/", CouncilStatsView.as_view(), name="api-council-stats"),
]
