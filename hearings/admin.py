from __future__ import annotations

from django.contrib import admin

from councils.admin import CouncilScopedAdmin

from .models import AgendaItem, Meeting, PublicHearing


class AgendaItemInline(admin.StackedInline):
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


@admin.register(PublicHearing)
class PublicHearingAdmin(CouncilScopedAdmin):
    list_display = ["date", "topic", "organiser", "council"]
    list_filter = ["council"]
    search_fields = ["topic", "resolution"]
    date_hierarchy = "date"
    list_select_related = ["organiser", "council"]
