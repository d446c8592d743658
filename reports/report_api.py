"""The report build API: request a build, follow it, download it, publish it.

    POST /api/v1/councils/<slug>/reports/      {"year": 2019, "language": "ru", "format": "pdf"} → 202, the
                                               build's status URL ("format": "pdf" by default, or "docx")
    GET  /api/v1/reports/<id>/                 status, for the council's staff
    GET  /api/v1/reports/<id>/download/        the PDF or DOCX: the council's staff, or anyone once published
    POST /api/v1/reports/<id>/publish/         the council's chair (a PDF build only)
    POST /api/v1/reports/<id>/retry/           a failed build, again; the council's secretary or chair

Every view asks the tenant gate (`council_for_user`): outsiders get 404 (they must not learn that a private
build exists), read-only staff get 403 where a write is asked.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.languages import LanguageField
from councils.access import council_for_user

from .models import BuildStatus, ReportBuild, ReportFormat
from .rendering import CONTENT_TYPES, report_filename
from .services import can_publish, report_build_request, report_build_retry, report_publish

app_name = "report_builds"


class BuildRequestSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    language = LanguageField(default="ru")
    format = serializers.ChoiceField(
        choices=ReportFormat.choices,
        default=ReportFormat.PDF,
        help_text="pdf (the default; the one that is published) or docx (a Word document to edit before sending)",
    )


class BuildStatusSerializer(serializers.Serializer):
    """For the OpenAPI schema only: what `_status_payload` returns."""

    id = serializers.IntegerField()
    council = serializers.CharField()
    year = serializers.IntegerField()
    language = serializers.CharField()
    format = serializers.ChoiceField(choices=ReportFormat.choices)
    status = serializers.ChoiceField(choices=BuildStatus.choices)
    requested_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField(allow_blank=True)
    content_hash = serializers.CharField(allow_blank=True)
    is_published = serializers.BooleanField()
    url = serializers.URLField()
    download_url = serializers.URLField(allow_null=True)


_REFUSED = {403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}
# The council's staff only, signed in: the session cookie (core/openapi.py), never anonymous.
STAFF_SESSION = [{"cookieAuth": []}]


def _build_for_staff(request: Request, build_id: int, *, write: bool = False) -> ReportBuild:
    build = get_object_or_404(ReportBuild.objects.select_related("council"), pk=build_id)
    council_for_user(request.user, build.council.slug, write=write)  # 404 outsiders, 403 read-only staff
    return build


def _status_payload(request: Request, build: ReportBuild) -> dict:
    done = build.status == BuildStatus.DONE
    return {
        "id": build.pk,
        "council": build.council.slug,
        "year": build.year,
        "language": build.language,
        "format": build.format,
        "status": build.status,
        "requested_at": build.created_at,
        "started_at": build.started_at,
        "finished_at": build.finished_at,
        "error": build.error.split("\n", 1)[0] if build.status == BuildStatus.FAILED else "",
        "content_hash": build.content_hash if done else "",
        "is_published": build.is_published,
        "url": request.build_absolute_uri(reverse("report_builds:build-detail", args=[build.pk])),
        "download_url": request.build_absolute_uri(reverse("report_builds:build-download", args=[build.pk]))
        if done
        else None,
    }


@extend_schema(
    summary="Request a report build (the council's secretary or chair)",
    auth=STAFF_SESSION,
    tags=["reports"],
    request=BuildRequestSerializer,
    responses={202: BuildStatusSerializer, 400: OpenApiTypes.OBJECT, **_REFUSED},
)
class CouncilReportsView(APIView):
    def post(self, request: Request, slug: str) -> Response:
        council = council_for_user(request.user, slug, write=True)
        serializer = BuildRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            build = report_build_request(
                council=council,
                year=serializer.validated_data["year"],
                language=serializer.validated_data["language"],
                format=serializer.validated_data["format"],
                by=request.user,
            )
        except ValidationError as exc:
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        payload = _status_payload(request, build)
        return Response(payload, status=status.HTTP_202_ACCEPTED, headers={"Location": payload["url"]})


@extend_schema(
    summary="A report build's status (the council's staff)",
    auth=STAFF_SESSION,
    tags=["reports"],
    responses={200: BuildStatusSerializer, **_REFUSED},
)
class BuildDetailView(APIView):
    def get(self, request: Request, build_id: int) -> Response:
        return Response(_status_payload(request, _build_for_staff(request, build_id)))


@extend_schema(
    summary="The report's file (PDF, or DOCX for a Word build): anyone once published, the council's staff before",
    tags=["reports"],
    responses={
        (200, CONTENT_TYPES[ReportFormat.PDF]): OpenApiResponse(OpenApiTypes.BINARY, description="A PDF build"),
        (200, CONTENT_TYPES[ReportFormat.DOCX]): OpenApiResponse(
            OpenApiTypes.BINARY, description="A Word build (never published: for the council's staff)"
        ),
        409: OpenApiTypes.OBJECT,
        **_REFUSED,
    },
)
class BuildDownloadView(APIView):
    def get(self, request: Request, build_id: int) -> FileResponse | Response:
        build = get_object_or_404(ReportBuild.objects.select_related("council"), pk=build_id)
        public = build.is_published and build.status == BuildStatus.DONE and build.council.is_published
        if not public:
            council_for_user(request.user, build.council.slug)
        if build.status != BuildStatus.DONE or not build.file:
            return Response(
                {"status": build.status, "detail": _("The report is not built yet.")}, status=status.HTTP_409_CONFLICT
            )
        try:
            handle = build.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(
            handle,
            content_type=CONTENT_TYPES[build.format],
            filename=report_filename(
                council=build.council, year=build.year, language=build.language, format=build.format
            ),
        )


@extend_schema(
    summary="Publish a finished build (the council's chair)",
    auth=STAFF_SESSION,
    tags=["reports"],
    request=None,
    responses={200: BuildStatusSerializer, 409: OpenApiTypes.OBJECT, **_REFUSED},
)
class BuildPublishView(APIView):
    def post(self, request: Request, build_id: int) -> Response:
        build = _build_for_staff(request, build_id)
        if not can_publish(user=request.user, council=build.council):
            return Response({"detail": _("Only the council's chair publishes its report.")}, status=403)
        try:
            build = report_publish(build=build, by=request.user)
        except ValidationError as exc:
            return Response({"detail": exc.messages}, status=status.HTTP_409_CONFLICT)
        return Response(_status_payload(request, build))


@extend_schema(
    summary="Build a failed report again (the council's secretary or chair)",
    auth=STAFF_SESSION,
    tags=["reports"],
    request=None,
    responses={202: BuildStatusSerializer, 409: OpenApiTypes.OBJECT, **_REFUSED},
)
class BuildRetryView(APIView):
    def post(self, request: Request, build_id: int) -> Response:
        build = _build_for_staff(request, build_id, write=True)
        try:
            build = report_build_retry(build=build, by=request.user)
        except ValidationError as exc:
            return Response({"detail": exc.messages}, status=status.HTTP_409_CONFLICT)
        return Response(_status_payload(request, build), status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path("councils/<slug:slug>/reports/", CouncilReportsView.as_view(), name="council-reports"),
    path("reports/<int:build_id>/", BuildDetailView.as_view(), name="build-detail"),
    path("reports/<int:build_id>/download/", BuildDownloadView.as_view(), name="build-download"),
    path("reports/<int:build_id>/publish/", BuildPublishView.as_view(), name="build-publish"),
    path("reports/<int:build_id>/retry/", BuildRetryView.as_view(), name="build-retry"),
]
