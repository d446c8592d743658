from __future__ import annotations

from django.contrib import admin

from councils.admin import CouncilScopedAdmin

from .models import Consultation, Training


@admin.register(Consultation)
class ConsultationAdmin(CouncilScopedAdmin):
    list_display = ["date", "kind", "channel", "topic", "outcome", "council", "is_demo"]
    list_filter = ["kind", "channel", "topic", "outcome", "council", "is_demo"]
    date_hierarchy = "date"
    list_select_related = ["council"]
    readonly_fields = ["anonymised_at"]


@admin.register(Training)
class TrainingAdmin(CouncilScopedAdmin):
    list_display = ["date", "kind", "title", "audience", "participants", "council", "is_demo"]
    list_filter = ["kind", "audience", "council", "is_demo"]
    search_fields = ["title", "description"]
    date_hierarchy = "date"
    list_select_related = ["council"]
    filter_horizontal = ["materials", "partners"]
