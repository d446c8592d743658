"""The open-data API: public monitoring, draft act reviews and recommendations (the machinery:
`core.open_api`).

Recommendations still in draft are the council's working papers and are never listed. A recommendation made on
a citizen's appeal names its source kind only: the appeal itself is not public.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from core.open_api import CouncilSlugField, IdFilter, OpenDataViewSet, YearFilter, council_filter, register_list
from councils.open_api import StateBodyRefSerializer

from .access_rules import AccessRule
from .lifecycle import lifecycle_annotate, lifecycle_is_overdue
from .models import (
    INFORMATION_REQUEST_LIFECYCLE,
    RECOMMENDATION_SOURCES,
    DraftActReview,
    DraftConclusion,
    InformationRequest,
    InformationRequestResponse,
    InformationRequestStatus,
    InformationRequestStatusChange,
    MonitoringEvent,
    MonitoringParticipant,
    PublicityLink,
    Recommendation,
    RecommendationResponse,
    RecommendationStatus,
    RecommendationStatusChange,
)

# Sources whose records are not public: the kind is shown, the record is not.
PRIVATE_SOURCES = frozenset({"appeal"})
PUBLIC_RECOMMENDATION_STATUSES = [s for s in RecommendationStatus.values if s != RecommendationStatus.DRAFT]

# ---- Monitoring events ---------------------------------------------------------------------------------------


def public_monitoring_events() -> QuerySet[MonitoringEvent]:
    """Events of published councils, newest first, with the commission, the participants' names
    (`participant_list`; a person on file by full name only) and the publicity links (`link_list`): three
    queries for a page."""
    participants = (
        # A participant on file is one of the event's own council's people: a link to another council's person
        # (the admin once accepted one) is not followed, so an unpublished council's member is never published.
        MonitoringParticipant.objects.filter(Q(person__isnull=True) | Q(person__council=F("event__council")))
        .select_related("person")
        .only("id", "event_id", "position", "name", "kind", "person__id", "person__full_name")
        .order_by("position", "id")
    )
    return (
        MonitoringEvent.objects.filter(council__is_published=True)
        .select_related("council", "commission")
        .prefetch_related(
            Prefetch("participants", queryset=participants, to_attr="participant_list"),
            Prefetch("publicity_links", queryset=PublicityLink.objects.order_by("position", "id"), to_attr="link_list"),
        )
        .order_by("-date", "-id")
    )


class CommissionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ParticipantSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    person_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = MonitoringParticipant
        fields = ["name", "kind", "person_id"]

    def get_name(self, participant: MonitoringParticipant) -> str:
        return participant.person.full_name if participant.person_id else participant.name


class PublicityLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublicityLink
        fields = ["url", "kind"]


class MonitoringEventSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    commission = CommissionRefSerializer(allow_null=True)
    participants = ParticipantSerializer(source="participant_list", many=True)
    publicity_links = PublicityLinkSerializer(source="link_list", many=True)

    class Meta:
        model = MonitoringEvent
        fields = [
            "id",
            "key",
            "council",
            "topic",
            "date",
            "date_precision",
            "commission",
            "findings",
            "recommendations_summary",
            "publicity_note",
            "results",
            "participants",
            "publicity_links",
        ]


class MonitoringEventFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(field_name="date", lookup_expr="year")
    month = filters.NumberFilter(field_name="date", lookup_expr="month", min_value=1, max_value=12)
    commission = filters.NumberFilter(field_name="commission_id", min_value=1, max_value=2**53)

    class Meta:
        model = MonitoringEvent
        fields = ["council", "year", "month", "commission"]


@extend_schema_view(
    list=extend_schema(summary="Public monitoring events", tags=["public control"]),
    retrieve=extend_schema(summary="One public monitoring event", tags=["public control"]),
)
class MonitoringEventViewSet(OpenDataViewSet):
    serializer_class = MonitoringEventSerializer
    filterset_class = MonitoringEventFilter
    lookup_value_regex = r"[0-9]+"

    csv_columns = (
        "id",
        "key",
        "council",
        "topic",
        "date",
        "date_precision",
        "commission.id",
        "commission.name",
        "findings",
        "recommendations_summary",
        "publicity_note",
        "results",
        "participants.name",
        "participants.kind",
        "participants.person_id",
        "publicity_links.url",
        "publicity_links.kind",
    )

    def get_queryset(self) -> QuerySet[MonitoringEvent]:
        return public_monitoring_events()


# ---- Draft act reviews ---------------------------------------------------------------------------------------


def public_draft_reviews() -> QuerySet[DraftActReview]:
    return (
        DraftActReview.objects.filter(council__is_published=True)
        .select_related("council", "developer")
        .order_by("-discussion_start", "-id")
    )


class DraftReviewSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    developer = StateBodyRefSerializer(allow_null=True)

    class Meta:
        model = DraftActReview
        fields = [
            "id",
            "key",
            "council",
            "title",
            "developer",
            "discussion_start",
            "discussion_end",
            "conclusion",
            "remarks",
        ]


class DraftReviewFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(field_name="discussion_start", lookup_expr="year", label="Discussion started in (YYYY)")
    state_body = filters.CharFilter(field_name="developer__slug", label="Developer state body (slug)")
    conclusion = filters.ChoiceFilter(choices=DraftConclusion.choices)

    class Meta:
        model = DraftActReview
        fields = ["council", "year", "state_body", "conclusion"]


@extend_schema_view(
    list=extend_schema(summary="Public reviews of draft regulations", tags=["public control"]),
    retrieve=extend_schema(summary="One draft act review", tags=["public control"]),
)
class DraftReviewViewSet(OpenDataViewSet):
    serializer_class = DraftReviewSerializer
    filterset_class = DraftReviewFilter
    lookup_value_regex = r"[0-9]+"

    csv_columns = (
        "id",
        "key",
        "council",
        "title",
        "developer.slug",
        "developer.name",
        "discussion_start",
        "discussion_end",
        "conclusion",
        "remarks",
    )

    def get_queryset(self) -> QuerySet[DraftActReview]:
        return public_draft_reviews()


# ---- Recommendations -----------------------------------------------------------------------------------------


def public_recommendations() -> QuerySet[Recommendation]:
    """Recommendations of published councils that left the draft stage, newest first, with the state body,
    the answers (`response_list`) and the status history (`history_list`: dates and statuses only): three
    queries for a page. The prefetches go to lists (`to_attr`), which spares a queryset per row."""
    responses = RecommendationResponse.objects.only("id", "recommendation_id", "received_on", "text", "document")
    history = RecommendationStatusChange.objects.only("id", "recommendation_id", "status", "changed_on")
    return (
        Recommendation.objects.filter(council__is_published=True)
        .exclude(status=RecommendationStatus.DRAFT)
        .select_related("council", "state_body")
        .prefetch_related(
            Prefetch("responses", queryset=responses.order_by("received_on", "id"), to_attr="response_list"),
            Prefetch("history", queryset=history.order_by("changed_on", "id"), to_attr="history_list"),
        )
        .order_by("-issued_on", "-id")
    )


def source_kind(recommendation: Recommendation) -> str | None:
    """The key of the recommendation's source kind ("monitoring", "hearing", ...), without a query (content
    types are cached)."""
    if recommendation.source_type_id is None:
        return None
    model = ContentType.objects.get_for_id(recommendation.source_type_id).model_class()
    for kind in RECOMMENDATION_SOURCES.values():
        if kind.model is model:
            return kind.key
    return None


class ResponseSerializer(serializers.ModelSerializer):
    has_document = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField(
        help_text="Where the document of the answer downloads (the tracker's link), or null when there is none."
    )

    class Meta:
        model = RecommendationResponse
        fields = ["received_on", "text", "has_document", "document_url"]

    def get_has_document(self, response: RecommendationResponse) -> bool:
        return bool(response.document)

    def get_document_url(self, response: RecommendationResponse) -> str | None:
        if not response.document:
            return None
        recommendation = response.recommendation  # set by the prefetch, with its council: no query
        # The page's address in the default language, so that the same answer names the same file in any language.
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse(
                "reports:recommendation_answer_document",
                args=[recommendation.council.slug, recommendation.pk, response.pk],
            )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else settings.SITE_URL.rstrip("/") + path


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecommendationStatusChange
        fields = ["status", "changed_on"]


class SourceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(RECOMMENDATION_SOURCES))
    id = serializers.IntegerField(allow_null=True, help_text="Empty for a source that is not public (an appeal).")


class RecommendationSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    state_body = StateBodyRefSerializer(allow_null=True)
    source = serializers.SerializerMethodField()
    responses = ResponseSerializer(source="response_list", many=True)
    history = StatusChangeSerializer(source="history_list", many=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "key",
            "council",
            "text",
            "state_body",
            "source",
            "issued_on",
            "sent_on",
            "response_due",
            "status",
            "responses",
            "history",
        ]

    @extend_schema_field(SourceSerializer(allow_null=True))
    def get_source(self, recommendation: Recommendation) -> dict[str, Any] | None:
        kind = source_kind(recommendation)
        if kind is None:
            return None
        return {"kind": kind, "id": None if kind in PRIVATE_SOURCES else recommendation.source_id}


class RecommendationFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(field_name="issued_on", lookup_expr="year", label="Issued in (YYYY)")
    status = filters.ChoiceFilter(choices=[(s, RecommendationStatus(s).label) for s in PUBLIC_RECOMMENDATION_STATUSES])
    state_body = filters.CharFilter(field_name="state_body__slug", label="Addressed state body (slug)")
    source = filters.ChoiceFilter(
        choices=[(key, kind.label) for key, kind in RECOMMENDATION_SOURCES.items()], method="filter_source"
    )

    class Meta:
        model = Recommendation
        fields = ["council", "year", "status", "state_body", "source"]

    def filter_source(self, queryset: QuerySet[Recommendation], name: str, value: str) -> QuerySet[Recommendation]:
        model = RECOMMENDATION_SOURCES[value].model
        return queryset.filter(source_type=ContentType.objects.get_for_model(model))


@extend_schema_view(
    list=extend_schema(
        summary="Recommendations to state bodies, with answers and status history", tags=["public control"]
    ),
    retrieve=extend_schema(summary="One recommendation", tags=["public control"]),
)
class RecommendationViewSet(OpenDataViewSet):
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    lookup_value_regex = r"[0-9]+"

    csv_columns = (
        "id",
        "key",
        "council",
        "text",
        "state_body.slug",
        "state_body.name",
        "source.kind",
        "source.id",
        "issued_on",
        "sent_on",
        "response_due",
        "status",
        "responses.received_on",
        "responses.text",
        "responses.document_url",
        "history.status",
        "history.changed_on",
    )

    def get_queryset(self) -> QuerySet[Recommendation]:
        return public_recommendations()


# ---- Information requests ------------------------------------------------------------------------------------

# The states the public sees (every one but the draft): the serializer's and the filter's one enum in the schema
# (config/settings.py, ENUM_NAME_OVERRIDES).
PUBLIC_REQUEST_STATUS_CHOICES = [
    (s, InformationRequestStatus(s).label) for s in InformationRequestStatus.values if s != "draft"
]


def public_information_requests() -> QuerySet[InformationRequest]:
    """Requests of published councils that left the draft, newest first, with the holder, the batch, the
    answers (`response_list`, classified) and the history (`history_list`: dates and states only), annotated for
    the overdue rule: three queries for a page."""
    responses = InformationRequestResponse.objects.select_related("transferred_to").order_by("received_on", "id")
    history = InformationRequestStatusChange.objects.only("id", "information_request_id", "status", "changed_on")
    return (
        lifecycle_annotate(
            INFORMATION_REQUEST_LIFECYCLE,
            InformationRequest.objects.filter(council__is_published=True).exclude(
                status=InformationRequestStatus.DRAFT
            ),
        )
        .select_related("council", "state_body", "batch")
        .prefetch_related(
            Prefetch("responses", queryset=responses, to_attr="response_list"),
            Prefetch("history", queryset=history.order_by("changed_on", "id"), to_attr="history_list"),
        )
        .order_by("-created_at", "-id")
    )


class RequestAnswerSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="answered, partial, refused, not_held, transferred; empty: not classified")
    refusal_ground = serializers.CharField(help_text="For a refusal: its legal ground; empty otherwise.")
    transferred_to = serializers.SerializerMethodField(help_text="For a transfer: the new holder's name.")
    document_url = serializers.SerializerMethodField(
        help_text="Where the document of the answer downloads (the request page's link), or null when there is none."
    )

    class Meta:
        model = InformationRequestResponse
        fields = ["received_on", "text", "kind", "refusal_ground", "transferred_to", "document_url"]

    def get_transferred_to(self, response: InformationRequestResponse) -> str:
        return response.transferred_to_label

    def get_document_url(self, response: InformationRequestResponse) -> str | None:
        if not response.document:
            return None
        request_id = response.information_request_id
        slug = self.context["council_slugs"].get(request_id) if "council_slugs" in self.context else None
        if slug is None:
            slug = response.information_request.council.slug
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("reports:information_request_answer_document", args=[slug, request_id, response.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else settings.SITE_URL.rstrip("/") + path


class RequestStatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = InformationRequestStatusChange
        fields = ["status", "changed_on"]


class InformationRequestSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    state_body = StateBodyRefSerializer(allow_null=True)
    organisation = serializers.CharField(help_text="The holder's name when it is not on file; empty otherwise.")
    batch = serializers.SerializerMethodField(help_text="The batch's id when sent to several holders at once.")
    due = serializers.DateField(source="effective_due_date", allow_null=True, help_text="The limit, extended or not.")
    overdue = serializers.SerializerMethodField(help_text="Past the limit with no answer on file, as of today.")
    status = serializers.ChoiceField(choices=PUBLIC_REQUEST_STATUS_CHOICES, read_only=True)
    responses = RequestAnswerSerializer(source="response_list", many=True)
    history = RequestStatusChangeSerializer(source="history_list", many=True)

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "key",
            "council",
            "subject",
            "text",
            "state_body",
            "organisation",
            "rule",
            "batch",
            "sent_on",
            "response_due",
            "extended_until",
            "due",
            "status",
            "overdue",
            "responses",
            "history",
        ]

    def get_batch(self, item: InformationRequest) -> int | None:
        return item.batch_id

    def get_overdue(self, item: InformationRequest) -> bool:
        return lifecycle_is_overdue(INFORMATION_REQUEST_LIFECYCLE, item, timezone.localdate())

    def to_representation(self, instance: InformationRequest) -> dict[str, Any]:
        # The answers' document links name the request's council, already selected: no query per answer.
        self.context.setdefault("council_slugs", {})[instance.pk] = instance.council.slug
        return super().to_representation(instance)


class InformationRequestFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(field_name="sent_on", lookup_expr="year", label="Sent in (YYYY)")
    status = filters.ChoiceFilter(choices=PUBLIC_REQUEST_STATUS_CHOICES)
    state_body = filters.CharFilter(field_name="state_body__slug", label="Holder on file (slug)")
    rule = filters.ChoiceFilter(choices=AccessRule.choices)
    batch = IdFilter(field_name="batch_id", label="Batch id")

    class Meta:
        model = InformationRequest
        fields = ["council", "year", "status", "state_body", "rule", "batch"]


@extend_schema_view(
    list=extend_schema(
        summary="Information requests to state bodies, quasi-state companies and operators, with answers",
        tags=["public control"],
    ),
    retrieve=extend_schema(summary="One information request", tags=["public control"]),
)
class InformationRequestViewSet(OpenDataViewSet):
    serializer_class = InformationRequestSerializer
    filterset_class = InformationRequestFilter
    lookup_value_regex = r"[0-9]+"

    csv_columns = (
        "id",
        "key",
        "council",
        "subject",
        "text",
        "state_body.slug",
        "state_body.name",
        "organisation",
        "rule",
        "batch",
        "sent_on",
        "response_due",
        "extended_until",
        "due",
        "status",
        "overdue",
        "responses.received_on",
        "responses.kind",
        "responses.refusal_ground",
        "responses.transferred_to",
        "responses.text",
        "responses.document_url",
        "history.status",
        "history.changed_on",
    )

    def get_queryset(self) -> QuerySet[InformationRequest]:
        return public_information_requests()


register_list("monitoring-events", MonitoringEventViewSet, basename="monitoring-event")
register_list("draft-reviews", DraftReviewViewSet, basename="draft-review")
register_list("recommendations", RecommendationViewSet, basename="recommendation")
register_list("information-requests", InformationRequestViewSet, basename="information-request")
