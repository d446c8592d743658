from __future__ import annotations

from django.contrib import admin

from councils.admin import CouncilScopedAdmin

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


class ParticipantInline(admin.TabularInline):
    model = MonitoringParticipant
    extra = 0
    autocomplete_fields = ["person"]


class PublicityLinkInline(admin.TabularInline):
    model = PublicityLink
    extra = 0
    formfield_overrides = CouncilScopedAdmin.formfield_overrides


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


class ResponseInline(admin.StackedInline):
    model = RecommendationResponse
    extra = 0


class StatusChangeInline(admin.TabularInline):
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
    inlines = [ResponseInline, StatusChangeInline]


class RequestResponseInline(admin.StackedInline):
    model = InformationRequestResponse
    extra = 0


class RequestStatusChangeInline(admin.TabularInline):
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
