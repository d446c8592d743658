"""The open-data API of receptions of citizens: the schedule (who receives, when, where, on what topics, how
many slots are still free) and, for receptions held, how many people came. Nothing of a visitor: a booking is
counted, never shown. The video link of an online reception goes only to the booked visitors (receptions/models.py),
so it is not here either; the counts by month, topic, member and outcome are in the statistics API."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core.open_api import CouncilSlugField, OpenDataViewSet, YearFilter, council_filter, register_list

from .models import BookingStatus, Reception, ReceptionFormat


def public_receptions() -> QuerySet[Reception]:
    """Every reception of a published council, newest first, with its booked slots and its recorded visits."""
    return (
        Reception.objects.filter(council__is_published=True)
        .select_related("council", "host")
        .annotate(
            booked=Count("bookings", filter=~Q(bookings__status=BookingStatus.CANCELLED)),
            visited=Count("bookings", filter=Q(bookings__status=BookingStatus.VISITED)),
        )
        .order_by("-starts_at", "-id")
    )


class ReceptionSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    host = serializers.CharField(
        source="host.full_name", help_text="The member who receives (public, as on the council's composition page)."
    )
    host_id = serializers.IntegerField(help_text="The member's id in /api/v1/people/.")
    ends_at = serializers.DateTimeField(read_only=True, help_text="The end of the last slot.")
    place = serializers.SerializerMethodField(help_text="Where, for a reception in person; empty online.")
    free_slots = serializers.SerializerMethodField(
        help_text="Slots nobody holds, for a reception still to come (0 once it has started or was cancelled)."
    )
    visitors = serializers.SerializerMethodField(
        help_text="People received, as the member recorded them; null until the reception has taken place."
    )

    class Meta:
        model = Reception
        fields = [
            "id",
            "council",
            "host",
            "host_id",
            "starts_at",
            "ends_at",
            "slot_minutes",
            "slots",
            "format",
            "place",
            "topics",
            "is_cancelled",
            "free_slots",
            "visitors",
        ]

    def get_place(self, obj: Reception) -> str:
        return obj.place if obj.format == ReceptionFormat.IN_PERSON else ""

    def get_free_slots(self, obj: Reception) -> int:
        if obj.is_cancelled or obj.starts_at <= timezone.now():
            return 0
        return max(obj.slots - int(getattr(obj, "booked", 0)), 0)

    def get_visitors(self, obj: Reception) -> int | None:
        if obj.is_cancelled or obj.starts_at > timezone.now():
            return None
        return int(getattr(obj, "visited", 0))


class ReceptionFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(field_name="starts_at", lookup_expr="year", label="Held in (YYYY)")
    reception_format = filters.ChoiceFilter(
        field_name="format", choices=ReceptionFormat.choices, label="In person or online"
    )
    upcoming = filters.BooleanFilter(method="filter_upcoming", label="Only receptions still to come (true/false)")

    class Meta:
        model = Reception
        fields = ["council", "year", "reception_format", "upcoming"]

    def filter_upcoming(self, queryset: QuerySet[Reception], name: str, value: bool | None) -> QuerySet[Reception]:
        if value is None:
            return queryset
        now = timezone.now()
        return queryset.filter(starts_at__gt=now) if value else queryset.filter(starts_at__lte=now)


@extend_schema_view(
    list=extend_schema(summary="Receptions of citizens held and scheduled by council members", tags=["receptions"]),
    retrieve=extend_schema(summary="One reception of citizens", tags=["receptions"]),
)
class ReceptionViewSet(OpenDataViewSet):
    serializer_class = ReceptionSerializer
    filterset_class = ReceptionFilter
    lookup_value_regex = r"[0-9]+"
    csv_columns = (
        "id",
        "council",
        "host",
        "host_id",
        "starts_at",
        "ends_at",
        "slot_minutes",
        "slots",
        "format",
        "place",
        "topics",
        "is_cancelled",
        "free_slots",
        "visitors",
    )

    def get_queryset(self) -> QuerySet[Reception]:
        return public_receptions()


register_list("receptions", ReceptionViewSet, basename="reception")
