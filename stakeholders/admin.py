from __future__ import annotations

from django.contrib import admin

from councils.admin import CouncilScopedAdmin, SharedRecordAdmin

from .models import Contact, MailingGroup, Network, PartnerProfile


@admin.register(Network)
class NetworkAdmin(SharedRecordAdmin):
    """Networks join councils across the portal: administrators keep them."""

    list_display = ["name", "key"]
    search_fields = ["name", "key"]
    filter_horizontal = ["councils"]


@admin.register(PartnerProfile)
class PartnerProfileAdmin(CouncilScopedAdmin):
    list_display = ["partner", "category", "sector", "region", "shared"]
    list_filter = ["category", "shared"]
    search_fields = ["partner__name_ru", "sector", "region"]
    list_select_related = ["partner"]


@admin.register(Contact)
class ContactAdmin(CouncilScopedAdmin):
    list_display = ["full_name", "position", "partner", "is_active", "unsubscribed_at"]
    list_filter = ["is_active"]
    search_fields = ["full_name", "position", "partner__name_ru"]
    list_select_related = ["partner"]
    readonly_fields = ["unsubscribed_at", "last_dealt_on", "anonymised_at"]


@admin.register(MailingGroup)
class MailingGroupAdmin(CouncilScopedAdmin):
    list_display = ["name", "kind", "council"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["contacts"]
