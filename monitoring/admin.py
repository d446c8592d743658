from __future__ import annotations

from django.contrib import admin

from councils.admin import CouncilScopedAdmin, CouncilScopedStackedInline, CouncilScopedTabularInline

from .models import (
    DraftActReview,
    InformationRequest,
    InformationRequestResponse,
    InformationRequestStatusChange,
    MonitoringEvent,
    MonitoringParticipant,
    PublicityLink,
    Recommendation,
    RecommendationResponse,
    RecommendationStatusChange,
)


class ParticipantInline(CouncilScopedTabularInline):
    model = MonitoringParticipant
    extra = 0
    autocomplete_fields = ["person"]


class PublicityLinkInline(CouncilScopedTabularInline):
    model = PublicityLink
    extra = 0


@admin.register(MonitoringEvent)
class MonitoringEventAdmin(CouncilScopedAdmin):
    list_display = ["date", "topic", "commission", "council", "is_demo"]
    list_filter = ["council", "date_precision", "is_demo"]
    search_fields = ["topic", "findings", "results"]
    date_hierarchy = "date"
    list_select_related = ["commission", "council"]
    inlines = [ParticipantInline, PublicityLinkInline]


@admin.register(DraftActReview)
class DraftActReviewAdmin(CouncilScopedAdmin):
    list_display = ["title", "developer", "discussion_start", "discussion_end", "conclusion", "council"]
    list_filter = ["conclusion", "council", "is_demo"]
    search_fields = ["title", "remarks"]
    date_hierarchy = "discussion_start"
    list_select_related = ["developer", "council"]


class ResponseInline(CouncilScopedStackedInline):
    model = RecommendationResponse
    extra = 0


class StatusChangeInline(CouncilScopedTabularInline):
    model = RecommendationStatusChange
    extra = 0
    readonly_fields = ["created_at"]


@admin.register(Recommendation)
class RecommendationAdmin(CouncilScopedAdmin):
    list_display = ["text", "state_body", "issued_on", "sent_on", "response_due", "status", "council"]
    list_filter = ["status", "council", "state_body"]
    search_fields = ["text", "state_body__name"]
    date_hierarchy = "issued_on"
    list_select_related = ["state_body", "council"]
    autocomplete_fields = ["state_body"]
    # The source (a meeting, an event, ...) is chosen in the workspace, whose service checks that it is of the
    # same council; a bare content type and id typed here would not be checked.
    readonly_fields = ["source_type", "source_id"]
    inlines = [ResponseInline, StatusChangeInline]


class RequestResponseInline(CouncilScopedStackedInline):
    model = InformationRequestResponse
    extra = 0


class RequestStatusChangeInline(CouncilScopedTabularInline):
    model = InformationRequestStatusChange
    extra = 0


@admin.register(InformationRequest)
class InformationRequestAdmin(CouncilScopedAdmin):
    list_display = ["subject", "state_body", "organisation", "sent_on", "response_due", "status", "council"]
    list_filter = ["status", "council"]
    search_fields = ["subject", "text", "organisation", "state_body__name"]
    list_select_related = ["state_body", "council"]
    autocomplete_fields = ["state_body"]
    inlines = [RequestResponseInline, RequestStatusChangeInline]
