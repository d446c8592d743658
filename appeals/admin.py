from __future__ import annotations

from django.contrib import admin

from councils.admin import CouncilScopedAdmin, CouncilScopedStackedInline, CouncilScopedTabularInline

from .forms import AppealAttachmentAdminForm
from .models import Appeal, AppealAttachment, AppealCategory, AppealMessage, AppealStatusChange, Locality


class AttachmentInline(CouncilScopedTabularInline):
    model = AppealAttachment
    form = AppealAttachmentAdminForm
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "uploaded_at"]


class MessageInline(CouncilScopedStackedInline):
    model = AppealMessage
    extra = 0
    readonly_fields = ["author", "created_at"]


class StatusChangeInline(CouncilScopedTabularInline):
    model = AppealStatusChange
    extra = 0


@admin.register(Appeal)
class AppealAdmin(CouncilScopedAdmin):
    list_display = ["number", "registered_at", "applicant_type", "category", "channel", "status", "due_date"]
    list_filter = ["status", "category", "applicant_type", "channel", "council", "is_demo"]
    search_fields = ["number", "subject", "text", "applicant_name", "organisation"]
    date_hierarchy = "registered_at"
    list_select_related = ["council"]
    readonly_fields = ["number", "year", "sequence", "tracking_token"]
    inlines = [AttachmentInline, MessageInline, StatusChangeInline]


@admin.register(AppealCategory)
class AppealCategoryAdmin(CouncilScopedAdmin):
    list_display = ["name", "code", "council", "position", "is_active"]
    list_filter = ["council", "is_active"]
    search_fields = ["name_ru", "name_kk", "name_en", "code"]


@admin.register(Locality)
class LocalityAdmin(CouncilScopedAdmin):
    list_display = ["name", "kind", "code", "council", "position", "is_active"]
    list_filter = ["council", "kind", "is_active"]
    search_fields = ["name_ru", "name_kk", "name_en", "code"]
