"""The open-data API of the deputies app (the machinery: `core.open_api`): representative bodies, deputies with
their official contacts (public by law), mandates (memberships), published sessions with attendance, and roll-call
votes with their tallies. Questions' authors are never a field here."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core.open_api import IdFilter, OpenDataViewSet, YearFilter, register_list

from .models import BodyLevel, Deputy, Mandate, RepresentativeBody, Session, VoteEvent
from .selectors import mandates_on, published_sessions, vote_tally


class RepresentativeBodySerializer(serializers.ModelSerializer):
    class Meta:
        model = RepresentativeBody
        fields = [
            "id",
            "slug",
            "level",
            "name",
            "name_ru",
            "name_kk",
            "name_en",
            "city",
            "region",
            "seats",
            "website",
            "sessions_per_year",
            "inquiry_answer_days",
            "is_demo",
        ]


MONITOR = "Monitored by this NGO monitor (its slug)"


class BodyFilter(filters.FilterSet):
    council = filters.CharFilter(field_name="monitors__council__slug", label=MONITOR, distinct=True)
    level = filters.ChoiceFilter(choices=BodyLevel.choices)
    city = filters.CharFilter()

    class Meta:
        model = RepresentativeBody
        fields = ["council", "level", "city"]


@extend_schema_view(
    list=extend_schema(summary="Representative bodies: maslikhats and the Mazhilis", tags=["deputies"]),
    retrieve=extend_schema(summary="One representative body", tags=["deputies"]),
)
class RepresentativeBodyViewSet(OpenDataViewSet):
    serializer_class = RepresentativeBodySerializer
    filterset_class = BodyFilter
    lookup_value_regex = r"[0-9]+"
    csv_columns = ("id", "slug", "level", "name_ru", "name_kk", "name_en", "city", "seats", "website", "is_demo")

    def get_queryset(self) -> QuerySet[RepresentativeBody]:
        return RepresentativeBody.objects.order_by("id")


class MandateSerializer(serializers.ModelSerializer):
    deputy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    body = serializers.SlugRelatedField(source="convocation.body", slug_field="slug", read_only=True)
    convocation = serializers.IntegerField(source="convocation.number")
    constituency = serializers.IntegerField(source="constituency.number", allow_null=True, default=None)
    party = serializers.CharField(source="party.name", allow_null=True, default=None)
    committees = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Mandate
        fields = [
            "id",
            "deputy",
            "body",
            "convocation",
            "constituency",
            "party",
            "post",
            "committees",
            "elected_by",
            "start_date",
            "end_date",
            "end_reason",
            "end_decision",
        ]


class MandateFilter(filters.FilterSet):
    council = filters.CharFilter(field_name="convocation__body__monitors__council__slug", label=MONITOR, distinct=True)
    body = filters.CharFilter(field_name="convocation__body__slug", label="Body (slug)")
    deputy = filters.CharFilter(field_name="deputy__slug", label="Deputy (slug)")
    on = filters.DateFilter(method="filter_on", label="The composition on this date (YYYY-MM-DD)")

    class Meta:
        model = Mandate
        fields = ["council", "body", "deputy", "on"]

    def filter_on(self, queryset: QuerySet[Mandate], name: str, value: Any) -> QuerySet[Mandate]:
        return queryset.filter(pk__in=mandates_on(value).values("pk"))


@extend_schema_view(
    list=extend_schema(
        summary="Mandates (memberships): who sat in which body, when, elected how, and why a mandate ended",
        tags=["deputies"],
    ),
    retrieve=extend_schema(summary="One mandate", tags=["deputies"]),
)
class MandateViewSet(OpenDataViewSet):
    serializer_class = MandateSerializer
    filterset_class = MandateFilter
    lookup_value_regex = r"[0-9]+"
    csv_columns = (
        "id",
        "deputy",
        "body",
        "convocation",
        "constituency",
        "party",
        "post",
        "committees",
        "start_date",
        "end_date",
        "end_reason",
        # Last, a column never empty: a spreadsheet reader drops a row's empty trailing cells.
        "elected_by",
    )

    def get_queryset(self) -> QuerySet[Mandate]:
        return (
            Mandate.objects.select_related("deputy", "convocation__body", "constituency", "party")
            .prefetch_related("committees")
            .order_by("id")
        )


class DeputySerializer(serializers.ModelSerializer):
    """A deputy with the official contacts of their office, which the law makes public."""

    mandates = MandateSerializer(many=True, read_only=True)

    class Meta:
        model = Deputy
        fields = [
            "id",
            "slug",
            "full_name",
            "full_name_ru",
            "full_name_kk",
            "full_name_en",
            "biography",
            "office_email",
            "office_phone",
            "office_address",
            "is_demo",
            "mandates",
        ]


class DeputyFilter(filters.FilterSet):
    council = filters.CharFilter(
        field_name="mandates__convocation__body__monitors__council__slug", label=MONITOR, distinct=True
    )
    body = filters.CharFilter(field_name="mandates__convocation__body__slug", label="Body (slug)", distinct=True)

    class Meta:
        model = Deputy
        fields = ["council", "body"]


@extend_schema_view(
    list=extend_schema(summary="Deputies with their mandates and official contacts", tags=["deputies"]),
    retrieve=extend_schema(summary="One deputy", tags=["deputies"]),
)
class DeputyViewSet(OpenDataViewSet):
    serializer_class = DeputySerializer
    filterset_class = DeputyFilter
    lookup_value_regex = r"[0-9]+"
    csv_columns = (
        "id",
        "slug",
        "full_name_ru",
        "full_name_kk",
        "full_name_en",
        "office_email",
        "office_phone",
        "office_address",
        "mandates.body",
        "mandates.constituency",
        "mandates.start_date",
        "mandates.end_date",
        "is_demo",
    )

    def get_queryset(self) -> QuerySet[Deputy]:
        return Deputy.objects.prefetch_related(
            "mandates__convocation__body", "mandates__constituency", "mandates__party", "mandates__committees"
        ).order_by("id")


class AttendanceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    deputy = serializers.CharField(source="deputy.slug")
    presence = serializers.CharField()


class SessionSerializer(serializers.ModelSerializer):
    body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True)
    agenda = serializers.ListField(source="agenda_items", child=serializers.CharField())

    class Meta:
        model = Session
        fields = ["id", "body", "number", "kind", "date", "agenda", "source_url", "attendance", "published_at"]


class SessionFilter(filters.FilterSet):
    council = filters.CharFilter(field_name="council__slug", label="Recorded by this NGO monitor (its slug)")
    body = filters.CharFilter(field_name="body__slug", label="Body (slug)")
    year = YearFilter(field_name="date", lookup_expr="year")

    class Meta:
        model = Session
        fields = ["council", "body", "year"]


@extend_schema_view(
    list=extend_schema(summary="Sessions of representative bodies, with attendance", tags=["deputies"]),
    retrieve=extend_schema(summary="One session", tags=["deputies"]),
)
class SessionViewSet(OpenDataViewSet):
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    lookup_value_regex = r"[0-9]+"
    csv_columns = ("id", "body", "number", "kind", "date", "agenda", "source_url", "attendance.deputy")

    def get_queryset(self) -> QuerySet[Session]:
        return published_sessions().order_by("-date", "-id")


class BallotSerializer(serializers.Serializer):  # type: ignore[type-arg]
    deputy = serializers.CharField(source="deputy.slug")
    option = serializers.CharField()


class VoteSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="session.id")
    body = serializers.CharField(source="session.body.slug")
    date = serializers.DateField(source="session.date")
    ballots = BallotSerializer(many=True, read_only=True)
    counts = serializers.SerializerMethodField(help_text="Counted from the ballots: yes, no, abstain, absent.")

    class Meta:
        model = VoteEvent
        fields = ["id", "session", "body", "date", "motion", "counts", "ballots"]

    def get_counts(self, vote: VoteEvent) -> dict[str, int]:
        tally = vote_tally(vote)
        return {"yes": tally.yes, "no": tally.no, "abstain": tally.abstain, "absent": tally.absent}


class VoteFilter(filters.FilterSet):
    council = filters.CharFilter(field_name="session__council__slug", label="Recorded by this NGO monitor (its slug)")
    body = filters.CharFilter(field_name="session__body__slug", label="Body (slug)")
    session = IdFilter(field_name="session_id")

    class Meta:
        model = VoteEvent
        fields = ["council", "body", "session"]


@extend_schema_view(
    list=extend_schema(summary="Roll-call votes where the body published them, with tallies", tags=["deputies"]),
    retrieve=extend_schema(summary="One roll-call vote", tags=["deputies"]),
)
class VoteViewSet(OpenDataViewSet):
    serializer_class = VoteSerializer
    filterset_class = VoteFilter
    lookup_value_regex = r"[0-9]+"
    csv_columns = ("id", "session", "body", "date", "motion", "ballots.deputy", "ballots.option")

    def get_queryset(self) -> QuerySet[VoteEvent]:
        return (
            VoteEvent.objects.filter(session__in=published_sessions().values("pk"))
            .select_related("session__body")
            .prefetch_related("ballots__deputy")
            .order_by("id")
        )


register_list("representative-bodies", RepresentativeBodyViewSet, basename="representative-body")
register_list("deputies", DeputyViewSet, basename="deputy")
register_list("mandates", MandateViewSet, basename="mandate")
register_list("deputy-sessions", SessionViewSet, basename="deputy-session")
register_list("deputy-votes", VoteViewSet, basename="deputy-vote")
