"""The open-data API of participation: the comments from the public that a moderator published, with the
council's answer once it is public (a hearing's record, a draft's conclusion). No personal data: the author is
«a participant» or the pseudonym they chose to publish; the name and e-mail never leave the workspace. The counts
are in the statistics API (reports: `participation`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from core.open_api import CouncilSlugField, IdFilter, OpenDataViewSet, YearFilter, council_filter, register_list

from .models import CommentKind, CommentOutcome, CommentStatus, PublicComment
from .selectors import answers_public


def public_comments() -> QuerySet[PublicComment]:
    return (
        PublicComment.objects.filter(council__is_published=True, status=CommentStatus.PUBLISHED)
        .select_related("council", "hearing", "draft")
        .annotate(submitted_on=TruncDate("submitted_at"))  # the day in the portal's time zone
        .order_by("-submitted_at", "-id")
    )


class PublicCommentSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    target = serializers.SerializerMethodField(help_text="`hearing` or `draft_review`.")
    target_id = serializers.SerializerMethodField(help_text="The id in /api/v1/hearings/ or /api/v1/draft-reviews/.")
    signature = serializers.SerializerMethodField(help_text="The pseudonym its author chose to publish, or empty.")
    submitted_on = serializers.DateField(read_only=True, help_text="The day it was received.")
    outcome = serializers.SerializerMethodField(
        help_text="How the council treated it (accepted, partly, rejected); null until the hearing's record or the "
        "draft's conclusion is published."
    )
    answer = serializers.SerializerMethodField(help_text="The council's answer; null until public.")

    class Meta:
        model = PublicComment
        fields = [
            "id",
            "number",
            "council",
            "target",
            "target_id",
            "kind",
            "text",
            "signature",
            "submitted_on",
            "outcome",
            "answer",
        ]

    def get_target(self, obj: PublicComment) -> str:
        return "hearing" if obj.hearing_id else "draft_review"

    def get_target_id(self, obj: PublicComment) -> int:
        return int(obj.hearing_id or obj.draft_id or 0)

    def get_signature(self, obj: PublicComment) -> str:
        return obj.pseudonym

    @extend_schema_field(serializers.ChoiceField(choices=CommentOutcome.choices, allow_null=True))
    def get_outcome(self, obj: PublicComment) -> Any:
        return (obj.outcome or None) if answers_public(obj.target) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_answer(self, obj: PublicComment) -> Any:
        return obj.answer if answers_public(obj.target) and obj.outcome else None


class PublicCommentFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(field_name="submitted_at", lookup_expr="year", label="Received in (YYYY)")
    kind = filters.ChoiceFilter(choices=CommentKind.choices)
    hearing = IdFilter(field_name="hearing_id", label="Hearing id")
    draft_review = IdFilter(field_name="draft_id", label="Draft review id")

    class Meta:
        model = PublicComment
        fields = ["council", "year", "kind", "hearing", "draft_review"]


@extend_schema_view(
    list=extend_schema(
        summary="Published comments from the public on hearings and drafts, with the council's answers",
        tags=["public participation"],
    ),
    retrieve=extend_schema(summary="One published comment", tags=["public participation"]),
)
class PublicCommentViewSet(OpenDataViewSet):
    serializer_class = PublicCommentSerializer
    filterset_class = PublicCommentFilter
    lookup_value_regex = r"[0-9]+"
    csv_columns = (
        "id",
        "number",
        "council",
        "target",
        "target_id",
        "kind",
        "text",
        "signature",
        "submitted_on",
        "outcome",
        "answer",
    )

    def get_queryset(self) -> QuerySet[PublicComment]:
        return public_comments()


register_list("public-comments", PublicCommentViewSet, basename="public-comment")
