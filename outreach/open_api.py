"""The open-data API: trainings, seminars, lectures and information campaigns (the machinery: `core.open_api`).
The consultation log is public only as counts, in the stats API (`/api/v1/councils/<slug>/stats/`)."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core.open_api import CouncilSlugField, OpenDataViewSet, YearFilter, council_filter, register_list

from .models import Audience, Training, TrainingKind
from .selectors import public_trainings


class MaterialSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    title = serializers.CharField()


class PartnerRefSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class TrainingSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    materials = MaterialSerializer(
        many=True, help_text="Published documents of the council's library (`/library-documents/`)."
    )
    partners = PartnerRefSerializer(many=True)

    class Meta:
        model = Training
        fields = [
            "id",
            "key",
            "council",
            "kind",
            "title",
            "date",
            "end_date",
            "place",
            "audience",
            "participants",
            "description",
            "materials",
            "partners",
        ]


class TrainingFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(field_name="date", lookup_expr="year")
    kind = filters.ChoiceFilter(choices=TrainingKind.choices)
    audience = filters.ChoiceFilter(choices=Audience.choices)

    class Meta:
        model = Training
        fields = ["council", "year", "kind", "audience"]


@extend_schema_view(
    list=extend_schema(
        summary="Trainings, seminars, lectures and information campaigns",
        description="With their audience, number of participants, materials (library documents) and partners.",
        tags=["education"],
    ),
    retrieve=extend_schema(summary="One training or campaign", tags=["education"]),
)
class TrainingViewSet(OpenDataViewSet):
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilter
    lookup_value_regex = r"[0-9]+"
    csv_columns = (
        "id",
        "key",
        "council",
        "kind",
        "title",
        "date",
        "end_date",
        "place",
        "audience",
        "participants",
        "description",
        "materials.key",
        "partners.name",
    )

    def get_queryset(self) -> QuerySet[Training]:
        return public_trainings()


register_list("trainings", TrainingViewSet, basename="training")
