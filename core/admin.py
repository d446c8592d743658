from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay
from .workdays import WEEKDAY_NAMES


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The holidays and transfers of the working-day calendar; saving one recomputes open deadlines."""

    list_display = ("date", "weekday", "kind", "name", "source")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)
    ordering = ("date",)

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: CalendarDay) -> str:
        return WEEKDAY_NAMES[obj.date.weekday()]
