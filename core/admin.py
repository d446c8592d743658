from __future__ import annotations

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay
from .outbox import OutboxMessage, outbox_flush, outbox_retry
from .workdays import WEEKDAY_NAMES


class PortalRecordAdmin(admin.ModelAdmin[Model]):
    """Admin for records of the whole portal (the national calendar, state bodies): one edit changes every
    council's pages, so only portal administrators add, change or delete them; staff with the view permission
    may look. Council-owned records use `councils.admin.CouncilScopedAdmin` instead."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_active and request.user.is_superuser


class PortalOnlyAdmin(PortalRecordAdmin):
    """Admin for the operator's records (the outbox, subscribers' e-mails): portal administrators only."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(CalendarDay)
class CalendarDayAdmin(PortalRecordAdmin):
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
class OutboxMessageAdmin(PortalOnlyAdmin):
    """For the operator: what is waiting for the broker, what failed and why. Rows are written by the services
    only; an administrator may hand pending ones over now, or try failed ones again."""

    list_display = ["id", "target", "status", "attempts", "next_attempt_at", "error_excerpt", "created_at", "done_at"]
    list_filter = ["status", "target"]
    search_fields = ["target", "last_error"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["flush_now", "retry_failed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser and obj is None

    @admin.display(description=_("last error"))
    def error_excerpt(self, obj: OutboxMessage) -> str:
        return obj.last_error[:120]

    @admin.action(description=_("Hand pending messages to the broker now"))
    def flush_now(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = outbox_flush()
        self.message_user(request, gettext("%(count)d message(s) handed over.") % {"count": count})

    @admin.action(description=_("Try the selected failed messages again"))
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = outbox_retry(message_ids=list(queryset.values_list("id", flat=True)))
        flushed = outbox_flush()
        self.message_user(
            request,
            gettext("%(count)d failed message(s) will be tried again; %(flushed)d handed over.")
            % {"count": count, "flushed": flushed},
        )


# The admin's own titles read "Django administration" (in Russian, "Администрирование Django"): the portal's name
# instead, in the visitor's language.
admin.site.site_header = _("Public councils of Kazakhstan: administration")
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Portal administration")
