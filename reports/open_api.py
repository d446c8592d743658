"""The open-data API: published annual reports, each with the address of its PDF (the machinery:
`core.open_api`). A build is public once it is finished and published by the council's chair."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core import languages
from core.open_api import CouncilSlugField, OpenDataViewSet, YearFilter, council_filter, register_list

from .models import BuildStatus, ReportBuild


def public_reports() -> QuerySet[ReportBuild]:
    return (
        ReportBuild.objects.filter(status=BuildStatus.DONE, is_published=True, council__is_published=True)
        .select_related("council")
        .only("id", "year", "language", "finished_at", "content_hash", "council__slug", "council__is_published")
        .order_by("council__slug", "-year", "language", "-id")
    )


class PublishedReportSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportBuild
        fields = ["id", "council", "year", "language", "finished_at", "content_hash", "download_url"]

    def get_download_url(self, build: ReportBuild) -> str:
        path = reverse("report_builds:build-download", args=[build.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else settings.SITE_URL.rstrip("/") + path


class PublishedReportFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter()
    language = filters.ChoiceFilter(choices=languages.choices)

    class Meta:
        model = ReportBuild
        fields = ["council", "year", "language"]


@extend_schema_view(
    list=extend_schema(summary="Published annual reports (PDF)", tags=["reports"]),
    retrieve=extend_schema(summary="One published annual report", tags=["reports"]),
)
class PublishedReportViewSet(OpenDataViewSet):
    serializer_class = PublishedReportSerializer
    filterset_class = PublishedReportFilter
    lookup_value_regex = r"[0-9]+"

    csv_columns = ("id", "council", "year", "language", "finished_at", "content_hash", "download_url")

    def get_queryset(self) -> QuerySet[ReportBuild]:
        return public_reports()


register_list("published-reports", PublishedReportViewSet, basename="published-report")
