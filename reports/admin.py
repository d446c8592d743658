from __future__ import annotations

from django.contrib import admin

from councils.admin import CouncilScopedAdmin

from .models import ReportBuild


@admin.register(ReportBuild)
class ReportBuildAdmin(CouncilScopedAdmin):
    list_display = ["council", "year", "language", "format", "status", "created_at", "finished_at", "is_published"]
    list_filter = ["status", "language", "format", "council", "is_published"]
    readonly_fields = ["status", "started_at", "finished_at", "error", "content_hash"]
