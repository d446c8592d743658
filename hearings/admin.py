from __future__ import annotations

from django.contrib import admin

from councils.admin import CouncilScopedAdmin, CouncilScopedStackedInline

from .models import AgendaItem, Meeting, PublicHearing


class AgendaItemInline(CouncilScopedStackedInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["state_body"]


@admin.register(Meeting)
class MeetingAdmin(CouncilScopedAdmin):
    list_display = ["date", "kind", "title", "body", "council", "is_open", "is_demo"]
    list_filter = ["kind", "council", "is_open", "is_extended", "is_demo"]
    search_fields = ["title", "agenda_items__title"]
    date_hierarchy = "date"
    list_select_related = ["body", "council"]
    inlines = [AgendaItemInline]

    def get_readonly_fields(self, request, obj=None):
        # Once names are ticked (the workspace's attendance page), the count is theirs: an edit here would
        # contradict them (and the council-activity export refuses a count that does not match its names).
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.attendees.exists():
            fields.append("attendance")
        return fields


@admin.register(PublicHearing)
class PublicHearingAdmin(CouncilScopedAdmin):
    list_display = ["date", "topic", "organiser", "council"]
    list_filter = ["council"]
    search_fields = ["topic", "resolution"]
    date_hierarchy = "date"
    list_select_related = ["organiser", "council"]
