from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay
from .outbox import OutboxMessage, outbox_flush
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


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """For the operator: what is waiting for the broker, and why. Rows are written by the services only."""

    list_display = ["id", "target", "status", "attempts", "created_at", "updated_at", "done_at"]
    list_filter = ["status", "target"]
    search_fields = ["target", "last_error"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["flush_now"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and obj is None

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    @admin.action(description=_("Hand pending messages to the broker now"))
    def flush_now(self, request, queryset) -> None:
        count = outbox_flush()
        self.message_user(request, gettext("%(count)d message(s) handed over.") % {"count": count})
