"""The open-data API: meetings with their agenda, and public hearings (the machinery: `core.open_api`).

A meeting is shown as the public may know it (`selectors.public_meeting`): a closed meeting by its date, kind,
body and council, with an empty agenda; the filters on the agenda read only the public agenda, so that
`?state_body=` and `?agenda_kind=` cannot tell what a closed meeting discussed."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core.open_api import CouncilSlugField, OpenDataViewSet, YearFilter, council_filter, register_list
from councils.open_api import StateBodyRefSerializer

from .models import AgendaItem, AgendaItemKind, Meeting, MeetingKind, PublicHearing
from .selectors import public_agenda_items, public_meeting, with_public_agenda

CLOSED = (
    "Empty (null for a number) for a closed meeting (`is_open` false): of it only its date, kind, body and "
    "council are public."
)


def public_meetings() -> QuerySet[Meeting]:
    """Meetings of published councils, newest first, with the body and the public agenda in order (a closed
    meeting's is empty): two queries for a page. Show them through `public_meeting`."""
    return with_public_agenda(Meeting.objects.filter(council__is_published=True)).order_by("-date", "-id")


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
        fields = ["key", "number", "title", "kind", "state_body", "speakers", "decision", "links"]


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting, round table or seminar with its agenda. A closed meeting (`is_open` false) is public only as a
    fact: its id, council, kind, body, date and format (`is_open`, `is_extended`); its title, goal, place,
    attendance, links and agenda are withheld (empty strings, null, empty lists), because they tell what it
    discussed."""

    council = CouncilSlugField()
    body = BodyRefSerializer(allow_null=True)
    agenda_items = AgendaItemSerializer(source="agenda", many=True, help_text=f"In order. {CLOSED}")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "key",
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
        extra_kwargs = {name: {"help_text": CLOSED} for name in ("title", "goal", "place", "attendance", "links")}

    def to_representation(self, instance: Meeting) -> dict[str, Any]:
        # The one rule of what of a meeting is public, for the JSON and the CSV alike.
        return super().to_representation(public_meeting(instance))


class MeetingFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(field_name="date", lookup_expr="year")
    kind = filters.ChoiceFilter(choices=MeetingKind.choices)
    state_body = filters.CharFilter(
        method="filter_state_body",
        label="Meetings whose public agenda concerns this state body (slug); a closed meeting's agenda is not public",
    )
    agenda_kind = filters.ChoiceFilter(
        choices=AgendaItemKind.choices,
        method="filter_agenda_kind",
        label="Meetings whose public agenda has an item of this kind; a closed meeting's agenda is not public",
    )
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = ["council", "year", "kind", "state_body", "agenda_kind", "date_from", "date_to"]

    def filter_state_body(self, queryset: QuerySet[Meeting], name: str, value: str) -> QuerySet[Meeting]:
        return queryset.filter(Exists(public_agenda_items().filter(meeting=OuterRef("pk"), state_body__slug=value)))

    def filter_agenda_kind(self, queryset: QuerySet[Meeting], name: str, value: str) -> QuerySet[Meeting]:
        return queryset.filter(Exists(public_agenda_items().filter(meeting=OuterRef("pk"), kind=value)))


@extend_schema_view(
    list=extend_schema(
        summary="Meetings, round tables and seminars, with their agenda",
        description="Every meeting is listed. A closed meeting (`is_open` false) only by its date, kind, body and "
        "council: its title, goal, place, attendance, links and agenda are empty, and the agenda filters "
        "(`state_body`, `agenda_kind`) read only the agenda of open meetings.",
        tags=["meetings"],
    ),
    retrieve=extend_schema(
        summary="One meeting with its agenda",
        description="A closed meeting (`is_open` false) only by its date, kind, body and council: its title, "
        "goal, place, attendance, links and agenda are empty.",
        tags=["meetings"],
    ),
)
class MeetingViewSet(OpenDataViewSet):
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    lookup_value_regex = r"[0-9]+"

    csv_columns = (
        "id",
        "key",
        "council",
        "kind",
        "body.id",
        "body.name",
        "title",
        "goal",
        "date",
        "place",
        "is_open",
        "is_extended",
        "attendance",
        "links",
        "agenda_items.key",
        "agenda_items.number",
        "agenda_items.title",
        "agenda_items.kind",
        "agenda_items.state_body.slug",
        "agenda_items.decision",
    )

    def get_queryset(self) -> QuerySet[Meeting]:
        return public_meetings()


class HearingSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    organiser = BodyRefSerializer(allow_null=True)

    class Meta:
        model = PublicHearing
        fields = ["id", "key", "council", "number", "topic", "date", "organiser", "participants", "resolution", "links"]


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

    csv_columns = (
        "id",
        "key",
        "council",
        "number",
        "topic",
        "date",
        "organiser.id",
        "organiser.name",
        "participants",
        "resolution",
        "links",
    )

    def get_queryset(self) -> QuerySet[PublicHearing]:
        return public_hearings()


register_list("meetings", MeetingViewSet, basename="meeting")
register_list("hearings", HearingViewSet, basename="hearing")
