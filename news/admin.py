from __future__ import annotations

from django.contrib import admin

from councils.admin import CouncilScopedAdmin

from .models import NewsItem


@admin.register(NewsItem)
class NewsItemAdmin(CouncilScopedAdmin):
    list_display = ["publish_at", "title_ru", "kind", "status", "council", "is_demo"]
    list_filter = ["kind", "status", "council", "is_demo"]
    search_fields = ["title_ru", "title_kk", "title_en", "body_ru"]
    list_select_related = ["council"]
    # Publication, withdrawal and images go through the workspace (news/services.py), which checks their rules.
    readonly_fields = ["status", "publish_at", "released", "withdrawn_at", "withdrawal_reason"]
