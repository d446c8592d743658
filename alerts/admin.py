"""Subscriptions in the admin: the portal's administrators only (the e-mails are personal data; a council's
staff do not see who follows their council)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.admin import PortalOnlyAdmin
from councils.admin import ScopedFieldsMixin

from .models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(ScopedFieldsMixin, PortalOnlyAdmin):
    list_display = [
        "email",
        "council",
        "state_body",
        "item_kind",
        "target_name",
        "frequency",
        "language",
        "confirmed_at",
    ]
    list_filter = ["frequency", "language", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    list_select_related = ["council", "state_body"]
    readonly_fields = ["item_kind", "item_id", "created_at", "confirmed_at", "last_digest_on", "notified_at"]
    raw_id_fields = ["council", "state_body"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # only through the double opt-in
