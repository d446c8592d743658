from __future__ import annotations

from django.contrib import admin

from councils.admin import CouncilScopedAdmin, CouncilScopedTabularInline

from .models import Booking, Reception


class BookingInline(CouncilScopedTabularInline):
    model = Booking
    extra = 0
    fields = ["slot", "category", "status", "outcome", "appeal_number"]
    readonly_fields = ["appeal_number"]


@admin.register(Reception)
class ReceptionAdmin(CouncilScopedAdmin):
    list_display = ["starts_at", "host", "format", "slots", "council", "is_cancelled"]
    list_filter = ["council", "format", "is_cancelled"]
    list_select_related = ["host", "council"]
    inlines = [BookingInline]
