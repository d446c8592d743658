from __future__ import annotations

from django.contrib import admin

from councils.admin import CouncilScopedAdmin

from .models import Document


@admin.register(Document)
class DocumentAdmin(CouncilScopedAdmin):
    list_display = ["published_on", "title", "kind", "topic", "language", "council", "is_published", "is_demo"]
    list_filter = ["kind", "topic", "language", "is_published", "council", "is_demo"]
    search_fields = ["title", "summary", "source"]
    date_hierarchy = "published_on"
    list_select_related = ["council"]
    # Files are uploaded in the workspace, where their content is checked (services.document_create).
    readonly_fields = ["file", "original_name", "content_type", "size"]
