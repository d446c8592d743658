"""The open API of the expert registry: /api/v1/experts/ lists approved experts who consent to be published
(`councils.expert_selectors.public_experts`), with their areas in every language, languages and region; never a
candidate, a contact or an unpublished CV. Imported by councils/open_api.py, which config/api.py discovers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from core import languages
from core.open_api import CouncilSlugField, OpenDataViewSet, council_filter, register_list

from .expert_selectors import public_experts
from .models import ExpertAppointment, ExpertiseArea


class ExpertiseAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExpertiseArea
        fields = ["key", "name", *languages.columns("name")]


class PublicExpertSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    full_name = serializers.CharField(source="person.full_name")
    areas = ExpertiseAreaSerializer(many=True)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=["ru", "kk", "en", "other"]), help_text="ru, kk, en, other"
    )
    cv_url = serializers.SerializerMethodField()

    class Meta:
        model = ExpertAppointment
        fields = [
            "id",
            "council",
            "full_name",
            "areas",
            "field",
            "languages",
            "other_languages",
            "region",
            "start_date",
            "cv_url",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_cv_url(self, expert: ExpertAppointment) -> str | None:
        """The CV's address where the expert agreed to publish it; null otherwise."""
        if not (expert.cv_public and expert.cv):
            return None
        path = reverse("reports:expert_cv", kwargs={"slug": expert.council.slug, "pk": expert.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ExpertFilter(filters.FilterSet):
    council = council_filter()
    area = filters.CharFilter(field_name="areas__key", label="Area of expertise (key)", distinct=True)
    language = filters.ChoiceFilter(
        choices=[("ru", "ru"), ("kk", "kk"), ("en", "en")], method="filter_language", label="Speaks (ru, kk, en)"
    )
    # No free-text filter: the answers are cached per filter value (core/open_api.py), and words would make an
    # entry per value; the public search page (reports:expert_search) takes words.

    class Meta:
        model = ExpertAppointment
        fields = ["council", "area", "language"]

    def filter_language(self, queryset: QuerySet[ExpertAppointment], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(**{f"speaks_{value}": True})


@extend_schema_view(
    list=extend_schema(
        summary="Experts of the councils: approved, and only those who consent to be published", tags=["councils"]
    ),
    retrieve=extend_schema(summary="One expert (public fields only)", tags=["councils"]),
)
class ExpertViewSet(OpenDataViewSet):
    serializer_class = PublicExpertSerializer
    filterset_class = ExpertFilter
    lookup_value_regex = r"[0-9]+"

    csv_columns = (
        "id",
        "council",
        "full_name",
        "areas.key",
        "areas.name",
        "field",
        "languages",
        "other_languages",
        "region",
        "start_date",
        "cv_url",
    )

    def get_queryset(self) -> QuerySet[ExpertAppointment]:
        return public_experts()


register_list("experts", ExpertViewSet, basename="expert")
