"""The open-data API: the councils' own records (the machinery every open list shares: `core/open_api.py`).

The records: published councils, their bodies, people (public fields only: never e-mail or phone), the
state bodies and the members' seats in consultative bodies. Each public queryset is a function
(`public_people()`, ...) that the API and the e-mail alerts share, so "public" is defined once.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from core import languages
from core.open_api import CouncilSlugField, OpenDataViewSet, YearFilter, council_filter, register_list
from core.workdays import year_bounds

from .memoranda import COMMITMENT_STATES, MEMORANDUM_STATES, commitment_state, memorandum_state
from .models import (
    Affiliation,
    Body,
    BodyKind,
    BodyMembership,
    ConsultativeLevel,
    ConsultativeSeat,
    Council,
    CouncilKind,
    MemberRole,
    Membership,
    Memorandum,
    MemorandumCommitment,
    Partner,
    Person,
    StateBody,
    StateBodyKind,
    WorkPlanItem,
    WorkPlanStatus,
)
from .plan import LinkedRecord, PlanItemResult, results_for_items
from .selectors import held_in_year, unpublished_expert

# `name` is in the reader's language (?lang= or Accept-Language), falling back to Russian; the official names in
# each language are given as they are on file (null where the council has not entered one).
NAMES = languages.columns("name")


class StateBodyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = StateBody
        fields = ["slug", "name", *NAMES]


# ---- 2. Councils ---------------------------------------------------------------------------------------------


def public_councils() -> QuerySet[Council]:
    return Council.objects.filter(is_published=True).order_by("name", "id")


class CouncilSerializer(serializers.ModelSerializer):
    class Meta:
        model = Council
        fields = [
            "slug",
            "code",
            "name",
            *NAMES,
            "short_name",
            "kind",
            "city",
            "region",
            "legal_basis",
            "description",
            "website",
            "social_links",
            "recommendation_send_days",
            "recommendation_answer_days",
        ]


class CouncilFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=CouncilKind.choices)
    city = filters.CharFilter()

    class Meta:
        model = Council
        fields = ["kind", "city"]


@extend_schema_view(
    list=extend_schema(summary="Published councils", tags=["councils"]),
    retrieve=extend_schema(summary="One published council", tags=["councils"]),
)
class CouncilViewSet(OpenDataViewSet):
    serializer_class = CouncilSerializer
    filterset_class = CouncilFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    # The official names in each language too: a journalist's spreadsheet needs the Kazakh name as much as the page.
    csv_columns = (
        "slug",
        "code",
        "name",
        *NAMES,
        "short_name",
        "kind",
        "city",
        "region",
        "legal_basis",
        "description",
        "website",
        "social_links",
        "recommendation_send_days",
        "recommendation_answer_days",
    )

    def get_queryset(self) -> QuerySet[Council]:
        return public_councils()


# ---- 3. Bodies: the presidium, commissions and working groups ---------------------------------------------------


def public_bodies() -> QuerySet[Body]:
    """Bodies of published councils with their convocation and seats (with the person's name only): two
    queries for a page."""
    seats = (
        # A seat names one of the body's own council's people: a link to another council's person (the admin once
        # accepted one) is never followed, so an unpublished council's member is never published through it.
        BodyMembership.objects.filter(person__council=F("body__council"))
        .exclude(unpublished_expert("person"))  # an expert who withdrew consent is named nowhere public
        .select_related("person")
        .only("id", "body_id", "role", "start_date", "end_date", "person__id", "person__full_name")
        .order_by("-role", "person__full_name", "id")
    )
    return (
        Body.objects.filter(council__is_published=True)
        .select_related("council", "convocation")
        .prefetch_related(Prefetch("seats", queryset=seats, to_attr="seat_list"))
        .order_by("council__slug", "-convocation__number", "kind", "number", "name", "id")
    )


class ConvocationRefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)


class SeatSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(source="person.id")
    full_name = serializers.CharField(source="person.full_name")

    class Meta:
        model = BodyMembership
        fields = ["person_id", "full_name", "role", "start_date", "end_date"]


class BodySerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    convocation = ConvocationRefSerializer()
    members = SeatSerializer(source="seat_list", many=True)

    class Meta:
        model = Body
        fields = ["id", "council", "convocation", "key", "kind", "number", "name", *NAMES, "description", "members"]


def _convocation_in_year(prefix: str, year: int) -> Q:
    start, end = year_bounds(year)
    return Q(**{f"{prefix}start_date__lte": end}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": start})
    )


class BodyFilter(filters.FilterSet):
    council = council_filter()
    kind = filters.ChoiceFilter(choices=BodyKind.choices)
    year = YearFilter(method="filter_year", label="Bodies of a convocation that sat in the year (YYYY)")

    class Meta:
        model = Body
        fields = ["council", "kind", "year"]

    def filter_year(self, queryset: QuerySet[Body], name: str, value: int) -> QuerySet[Body]:
        return queryset.filter(_convocation_in_year("convocation__", int(value)))


@extend_schema_view(
    list=extend_schema(summary="Bodies: presidium, commissions, working groups", tags=["councils"]),
    retrieve=extend_schema(summary="One body with its members", tags=["councils"]),
)
class BodyViewSet(OpenDataViewSet):
    serializer_class = BodySerializer
    filterset_class = BodyFilter
    lookup_value_regex = r"[0-9]+"

    csv_columns = (
        "id",
        "council",
        "convocation.number",
        "convocation.name",
        "convocation.start_date",
        "convocation.end_date",
        "key",
        "kind",
        "number",
        "name",
        "description",
        "members.person_id",
        "members.full_name",
        "members.role",
    )

    def get_queryset(self) -> QuerySet[Body]:
        return public_bodies()


# ---- 4. People: public fields only ---------------------------------------------------------------------------

# The only columns of a person ever loaded for the public: the contacts (email, phone) are not even read.
PERSON_PUBLIC_FIELDS = ("id", "key", "council_id", "full_name", "organisation", "position")


def public_people() -> QuerySet[Person]:
    """People of published councils with their memberships and seats: three queries for a page."""
    # Only the person's own council's convocations and bodies: another council's (perhaps unpublished) are not
    # the person's public record.
    memberships = (
        Membership.objects.filter(convocation__council=F("person__council"))
        .select_related("convocation")
        .order_by("-convocation__number", "id")
    )
    seats = (
        BodyMembership.objects.filter(body__council=F("person__council"))
        .select_related("body")
        .order_by("body__kind", "body__number", "body__name", "id")
    )
    return (
        Person.objects.filter(council__is_published=True)
        .exclude(unpublished_expert())
        .select_related("council")
        .only(*PERSON_PUBLIC_FIELDS, "council__slug")
        .prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="membership_list"),
            Prefetch("body_seats", queryset=seats, to_attr="seat_list"),
        )
        .order_by("full_name", "id")
    )


class MembershipSerializer(serializers.ModelSerializer):
    convocation = ConvocationRefSerializer()

    class Meta:
        model = Membership
        fields = ["convocation", "affiliation", "role", "start_date", "end_date"]


class PersonSeatSerializer(serializers.ModelSerializer):
    body_id = serializers.IntegerField(source="body.id")
    body = serializers.CharField(source="body.name")
    kind = serializers.CharField(source="body.kind")

    class Meta:
        model = BodyMembership
        fields = ["body_id", "body", "kind", "role", "start_date", "end_date"]


class PersonSerializer(serializers.ModelSerializer):
    """Public fields only. E-mail and phone are for the council's staff and are not fields here."""

    council = CouncilSlugField()
    memberships = MembershipSerializer(source="membership_list", many=True)
    commissions = PersonSeatSerializer(source="seat_list", many=True)

    class Meta:
        model = Person
        fields = ["id", "key", "council", "full_name", "organisation", "position", "memberships", "commissions"]


class PersonFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(method="filter_year", label="Members during the year (YYYY)")
    affiliation = filters.ChoiceFilter(choices=Affiliation.choices, method="filter_membership")
    role = filters.ChoiceFilter(choices=MemberRole.choices, method="filter_membership")

    class Meta:
        model = Person
        fields = ["council", "year", "affiliation", "role"]

    def filter_year(self, queryset: QuerySet[Person], name: str, value: int) -> QuerySet[Person]:
        memberships = Membership.objects.filter(_convocation_in_year("", int(value)), person=OuterRef("pk"))
        return queryset.filter(Exists(memberships))

    def filter_membership(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.filter(Exists(Membership.objects.filter(person=OuterRef("pk"), **{name: value})))


@extend_schema_view(
    list=extend_schema(summary="People: members, experts, participants (public fields only)", tags=["councils"]),
    retrieve=extend_schema(summary="One person (public fields only)", tags=["councils"]),
)
class PersonViewSet(OpenDataViewSet):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    lookup_value_regex = r"[0-9]+"

    csv_columns = (
        "id",
        "key",
        "council",
        "full_name",
        "organisation",
        "position",
        "memberships.convocation.number",
        "memberships.affiliation",
        "memberships.role",
        "memberships.start_date",
        "memberships.end_date",
        "commissions.body_id",
        "commissions.body",
        "commissions.role",
    )

    def get_queryset(self) -> QuerySet[Person]:
        return public_people()


# ---- 5. State bodies -----------------------------------------------------------------------------------------


def public_state_bodies() -> QuerySet[StateBody]:
    return StateBody.objects.order_by("name", "id")


class StateBodySerializer(serializers.ModelSerializer):
    class Meta:
        model = StateBody
        fields = ["slug", "name", *NAMES, "kind", "city", "website"]


class StateBodyFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=StateBodyKind.choices)
    city = filters.CharFilter()

    class Meta:
        model = StateBody
        fields = ["kind", "city"]


@extend_schema_view(
    list=extend_schema(summary="State bodies", tags=["state bodies"]),
    retrieve=extend_schema(summary="One state body", tags=["state bodies"]),
)
class StateBodyViewSet(OpenDataViewSet):
    serializer_class = StateBodySerializer
    filterset_class = StateBodyFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    csv_columns = ("slug", "name", *NAMES, "kind", "city", "website")

    def get_queryset(self) -> QuerySet[StateBody]:
        return public_state_bodies()


# ---- 6. Seats in consultative bodies -------------------------------------------------------------------------


def public_consultative_seats() -> QuerySet[ConsultativeSeat]:
    """Seats of published councils' members in consultative bodies, with the person's name (never the contacts,
    which are not even loaded) and the state body: one query for a page."""
    return (
        ConsultativeSeat.objects.filter(council__is_published=True, person__council=F("council"))
        .exclude(unpublished_expert("person"))
        .select_related("council", "person", "state_body")
        .only(
            "id",
            "key",
            "body_name",
            "level",
            "start_date",
            "end_date",
            "link",
            "is_demo",
            "council__id",
            "council__slug",
            "person__id",
            "person__full_name",
            "state_body__id",
            "state_body__slug",
            # The name in every language: modeltranslation's `name` reads the column of the active language (and
            # the API gives all three), so a deferred one would cost a query per row.
            "state_body__name",
            *(f"state_body__{column}" for column in languages.columns("name")),
        )
        .order_by("council__slug", "-start_date", "person__full_name", "body_name", "id")
    )


class PersonRefSerializer(serializers.ModelSerializer):
    """A person's id and name: nothing else of a person is public here."""

    class Meta:
        model = Person
        fields = ["id", "full_name"]


class ConsultativeSeatSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    person = PersonRefSerializer()
    state_body = StateBodyRefSerializer(allow_null=True)

    class Meta:
        model = ConsultativeSeat
        fields = [
            "id",
            "key",
            "council",
            "person",
            "body_name",
            "state_body",
            "level",
            "start_date",
            "end_date",
            "link",
            "is_demo",
        ]


class ConsultativeSeatFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(method="filter_year", label="Seats held on at least one day of the year (YYYY)")
    level = filters.ChoiceFilter(choices=ConsultativeLevel.choices)
    state_body = filters.CharFilter(field_name="state_body__slug", label="State body the body works under (slug)")

    class Meta:
        model = ConsultativeSeat
        fields = ["council", "year", "level", "state_body"]

    def filter_year(self, queryset: QuerySet[ConsultativeSeat], name: str, value: int) -> QuerySet[ConsultativeSeat]:
        return queryset.filter(held_in_year(int(value)))


@extend_schema_view(
    list=extend_schema(summary="Members' seats in consultative bodies of akimats and ministries", tags=["councils"]),
    retrieve=extend_schema(summary="One seat in a consultative body", tags=["councils"]),
)
class ConsultativeSeatViewSet(OpenDataViewSet):
    serializer_class = ConsultativeSeatSerializer
    filterset_class = ConsultativeSeatFilter
    lookup_value_regex = r"[0-9]+"

    csv_columns = (
        "id",
        "key",
        "council",
        "person.id",
        "person.full_name",
        "body_name",
        "state_body.slug",
        "state_body.name",
        "level",
        "start_date",
        "end_date",
        "link",
        "is_demo",
    )

    def get_queryset(self) -> QuerySet[ConsultativeSeat]:
        return public_consultative_seats()


register_list("councils", CouncilViewSet, basename="council")
register_list("bodies", BodyViewSet, basename="body")
register_list("people", PersonViewSet, basename="person")
register_list("state-bodies", StateBodyViewSet, basename="state-body")
register_list("consultative-seats", ConsultativeSeatViewSet, basename="consultative-seat")


# ---- 7. Work plans and memoranda -----------------------------------------------------------------------------


def public_work_plan_items() -> QuerySet[WorkPlanItem]:
    return (
        WorkPlanItem.objects.filter(council__is_published=True)
        .select_related("council")
        .order_by("council__slug", "-year", "number", "id")
    )


class WorkPlanRecordSerializer(serializers.Serializer[LinkedRecord]):
    kind = serializers.CharField()
    id = serializers.IntegerField(source="object_id")
    day = serializers.DateField(allow_null=True)
    public_url = serializers.CharField(allow_null=True)


class WorkPlanItemSerializer(serializers.ModelSerializer):
    """An item with its status as of 31 December of its year (today while the year runs: councils/plan.py) and
    the records that fulfil it, by kind and id (a record without a public page is given without its title)."""

    council = CouncilSlugField()
    # Read from the item's execution, worked out for the page at once (`to_representation`).
    status = serializers.ChoiceField(choices=WorkPlanStatus.choices, source="_plan_result.status", read_only=True)
    done_on = serializers.DateField(source="_plan_result.done_on", read_only=True, allow_null=True)
    late = serializers.BooleanField(source="_plan_result.late", read_only=True)
    records = WorkPlanRecordSerializer(source="_plan_result.records", many=True, read_only=True)

    class Meta:
        model = WorkPlanItem
        fields = [
            "id",
            "council",
            "year",
            "number",
            "activity",
            "period",
            "due_date",
            "expected_result",
            "responsible",
            "status",
            "status_reason",
            "done_on",
            "late",
            "records",
        ]

    def to_representation(self, instance: WorkPlanItem) -> dict[str, Any]:
        instance._plan_result = self._result(instance)  # type: ignore[attr-defined]  # read by the fields above
        return super().to_representation(instance)

    def _result(self, item: WorkPlanItem) -> PlanItemResult:
        """The item's status, worked out for the whole page (or download chunk) at once on the first item: one
        query for the links and one per council and kind of record, whatever the number of rows."""
        cache: dict[int, PlanItemResult] = self.context.setdefault("plan_results", {})
        if item.pk not in cache:
            siblings = self.parent.instance if self.parent is not None else None
            items = list(siblings) if isinstance(siblings, list | tuple) else [item]
            by_council: dict[int, list[WorkPlanItem]] = {}
            for each in items:
                by_council.setdefault(each.council_id, []).append(each)
            today = timezone.localdate()
            for group in by_council.values():
                for result in results_for_items(group, council=group[0].council, today=today):
                    cache[result.item.pk] = result
            if item.pk not in cache:  # not among its siblings (a single record)
                cache[item.pk] = results_for_items([item], council=item.council, today=today)[0]
        return cache[item.pk]


class WorkPlanFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(field_name="year")

    class Meta:
        model = WorkPlanItem
        fields = ["council", "year"]


@extend_schema_view(
    list=extend_schema(summary="Work plan items with their execution", tags=["councils"]),
    retrieve=extend_schema(summary="One work plan item", tags=["councils"]),
)
class WorkPlanItemViewSet(OpenDataViewSet):
    serializer_class = WorkPlanItemSerializer
    filterset_class = WorkPlanFilter
    lookup_value_regex = r"[0-9]+"
    csv_columns = (
        "id",
        "council",
        "year",
        "number",
        "activity",
        "period",
        "due_date",
        "expected_result",
        "responsible",
        "status",
        "status_reason",
        "done_on",
        "late",
        "records.kind",
        "records.id",
        "records.day",
    )

    def get_queryset(self) -> QuerySet[WorkPlanItem]:
        return public_work_plan_items()


def public_memoranda() -> QuerySet[Memorandum]:
    return (
        Memorandum.objects.filter(council__is_published=True)
        .select_related("council", "partner")
        .prefetch_related("other_parties", "commitments")
        .order_by("council__slug", "-signed_on", "id")
    )


class MemorandumPartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["key", "name", *NAMES, "kind"]


class CommitmentSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()

    class Meta:
        model = MemorandumCommitment
        fields = ["id", "text", "owner", "due_date", "done_on", "result", "state"]

    @extend_schema_field(serializers.ChoiceField(choices=list(COMMITMENT_STATES)))
    def get_state(self, commitment: MemorandumCommitment) -> str:
        return commitment_state(commitment, timezone.localdate())


class MemorandumSerializer(serializers.ModelSerializer):
    """A memorandum with its parties, its state today (in force, expired, terminated) and its commitments."""

    council = CouncilSlugField()
    partner = MemorandumPartySerializer(allow_null=True)
    other_parties = MemorandumPartySerializer(many=True)
    commitments = CommitmentSerializer(many=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Memorandum
        fields = [
            "id",
            "key",
            "council",
            "title",
            "partner",
            "other_parties",
            "signed_on",
            "valid_until",
            "terminated_on",
            "termination_reason",
            "state",
            "description",
            "commitments",
            "is_demo",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=list(MEMORANDUM_STATES)))
    def get_state(self, memorandum: Memorandum) -> str:
        return memorandum_state(memorandum, timezone.localdate())


class MemorandumFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(field_name="signed_on", lookup_expr="year", label="Signed in the year (YYYY)")

    class Meta:
        model = Memorandum
        fields = ["council", "year"]


@extend_schema_view(
    list=extend_schema(summary="Memoranda with their parties, state and commitments", tags=["councils"]),
    retrieve=extend_schema(summary="One memorandum", tags=["councils"]),
)
class MemorandumViewSet(OpenDataViewSet):
    serializer_class = MemorandumSerializer
    filterset_class = MemorandumFilter
    lookup_value_regex = r"[0-9]+"
    csv_columns = (
        "id",
        "key",
        "council",
        "title",
        "partner.name",
        "other_parties.name",
        "signed_on",
        "valid_until",
        "terminated_on",
        "state",
        "commitments.text",
        "commitments.state",
        "is_demo",
    )

    def get_queryset(self) -> QuerySet[Memorandum]:
        return public_memoranda()


register_list("work-plan-items", WorkPlanItemViewSet, basename="work-plan-item")
register_list("memoranda", MemorandumViewSet, basename="memorandum")

# The expert registry's list (councils/expert_api.py registers itself on import).
from . import expert_api  # noqa: E402, F401
