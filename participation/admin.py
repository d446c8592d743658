from __future__ import annotations

from django.contrib import admin

from councils.admin import CouncilScopedAdmin

from .models import HearingDocument, HearingRegistration, PublicComment


@admin.register(PublicComment)
class PublicCommentAdmin(CouncilScopedAdmin):
    list_display = ["number", "council", "kind", "status", "outcome", "submitted_at"]
    list_filter = ["status", "outcome", "kind", "council"]
    search_fields = ["text"]
    list_select_related = ["council"]
    readonly_fields = ["submitted_at", "moderated_at", "moderated_by", "answered_at"]


@admin.register(HearingRegistration)
class HearingRegistrationAdmin(CouncilScopedAdmin):
    list_display = ["hearing", "created_at", "cancelled_at"]
    list_select_related = ["hearing"]
    readonly_fields = ["token", "created_at", "reminded_at", "record_sent_at"]


@admin.register(HearingDocument)
class HearingDocumentAdmin(CouncilScopedAdmin):
    list_display = ["title", "hearing", "added_at"]
    list_select_related = ["hearing"]
