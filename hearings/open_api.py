"""The open-data API: meetings with their agenda, and public hearings (the machinery: `councils.open_api`)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from councils.open_api import (
    CouncilSlugField,
    OpenDataViewSet,
    StateBodyRefSerializer,
    YearFilter,
    council_filter,
)

from .models import AgendaItem, AgendaItemKind, Meeting, MeetingKind, PublicHearing


def public_meetings() -> QuerySet[Meeting]:
    """Meetings of published councils, newest first, with the body and the agenda in order (`agenda`, with the
    state body each item concerns): two queries for a page."""
    items = AgendaItem.objects.select_related("state_body").order_by("number", "id")
    return (
        Meeting.objects.filter(council__is_published=True)
        .select_related("council", "body")
        .prefetch_related(Prefetch("agenda_items", queryset=items, to_attr="agenda"))
        .order_by("-date", "-id")
    )


def public_hearings() -> QuerySet[PublicHearing]:
    return (
        PublicHearing.objects.filter(council__is_published=True)
        .select_related("council", "organiser")
        .order_by("-date", "-id")
    )


class BodyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AgendaItemSerializer(serializers.ModelSerializer):
    state_body = StateBodyRefSerializer(allow_null=True)

    class Meta:
        model = AgendaItem
        fields = ["number", "title", "kind", "state_body", "speakers", "decision", "links"]


class MeetingSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    body = BodyRefSerializer(allow_null=True)
    agenda_items = AgendaItemSerializer(source="agenda", many=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "council",
            "kind",
            "body",
            "title",
            "goal",
            "date",
            "place",
            "is_open",
            "is_extended",
            "attendance",
            "links",
            "agenda_items",
        ]


class MeetingFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(field_name="date", lookup_expr="year")
    kind = filters.ChoiceFilter(choices=MeetingKind.choices)
    state_body = filters.CharFilter(method="filter_state_body", label="Meetings that heard this state body (slug)")
    agenda_kind = filters.ChoiceFilter(choices=AgendaItemKind.choices, method="filter_agenda_kind")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = ["council", "year", "kind", "state_body", "agenda_kind", "date_from", "date_to"]

    def filter_state_body(self, queryset: QuerySet[Meeting], name: str, value: str) -> QuerySet[Meeting]:
        return queryset.filter(Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"), state_body__slug=value)))

    def filter_agenda_kind(self, queryset: QuerySet[Meeting], name: str, value: str) -> QuerySet[Meeting]:
        return queryset.filter(Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"), kind=value)))


@extend_schema_view(
    list=extend_schema(summary="Meetings, round tables and seminars, with their agenda", tags=["meetings"]),
    retrieve=extend_schema(summary="One meeting with its agenda", tags=["meetings"]),
)
class MeetingViewSet(OpenDataViewSet):
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Meeting]:
        return public_meetings()


class HearingSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    organiser = BodyRefSerializer(allow_null=True)

    class Meta:
        model = PublicHearing
        fields = ["id", "council", "number", "topic", "date", "organiser", "participants", "resolution", "links"]


class HearingFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(field_name="date", lookup_expr="year")

    class Meta:
        model = PublicHearing
        fields = ["council", "year"]


@extend_schema_view(
    list=extend_schema(summary="Public hearings", tags=["public control"]),
    retrieve=extend_schema(summary="One public hearing", tags=["public control"]),
)
class HearingViewSet(OpenDataViewSet):
    serializer_class = HearingSerializer
    filterset_class = HearingFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[PublicHearing]:
        return public_hearings()
