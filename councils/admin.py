from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from .access import councils_for_user
from .models import (
    Body,
    BodyMembership,
    ConsultativeSeat,
    Convocation,
    Council,
    CouncilStaff,
    Membership,
    Memorandum,
    Partner,
    Person,
    StateBody,
    WorkPlanItem,
)
from .services import council_staff_grant, council_staff_revoke


class CouncilScopedAdmin(admin.ModelAdmin):
    """Admin for a model that belongs to a council: non-superusers see and edit only their councils' rows.

    `council_path` is the lookup from the model to its council ("council", "meeting__council", ...).
    """

    council_path = "council"
    # A web address typed without a scheme is taken as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.council_path}__in": councils_for_user(request.user)})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if request.user.is_superuser or field is None:
            return field
        model = db_field.remote_field.model
        if model is Council:
            field.queryset = councils_for_user(request.user, write=True)
        elif any(f.name == "council" for f in model._meta.get_fields()):
            field.queryset = field.queryset.filter(council__in=councils_for_user(request.user, write=True))
        return field

    def _may_write(self, request: HttpRequest, obj: Any | None) -> bool:
        if request.user.is_superuser or obj is None:
            return True
        writable = councils_for_user(request.user, write=True)
        return type(obj).objects.filter(pk=obj.pk, **{f"{self.council_path}__in": writable}).exists()

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_write(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_write(request, obj)


class ConvocationInline(admin.TabularInline):
    model = Convocation
    extra = 0


@admin.register(Council)
class CouncilAdmin(CouncilScopedAdmin):
    council_path = "id"
    list_display = ["name", "slug", "code", "kind", "city", "is_published"]
    list_filter = ["kind", "is_published", "region"]
    search_fields = ["name", "short_name", "city", "slug", "code"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [ConvocationInline]


@admin.register(Convocation)
class ConvocationAdmin(CouncilScopedAdmin):
    list_display = ["name", "council", "number", "start_date", "end_date"]
    list_filter = ["council"]
    search_fields = ["name", "council__name"]


class BodyMembershipInline(admin.TabularInline):
    model = BodyMembership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Body)
class BodyAdmin(CouncilScopedAdmin):
    list_display = ["name", "kind", "number", "council", "convocation"]
    list_filter = ["kind", "council"]
    search_fields = ["name", "key"]
    inlines = [BodyMembershipInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Person)
class PersonAdmin(CouncilScopedAdmin):
    list_display = ["full_name", "organisation", "position", "council", "is_demo"]
    list_filter = ["council", "is_demo"]
    search_fields = ["full_name", "organisation", "key"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(CouncilScopedAdmin):
    council_path = "convocation__council"
    list_display = ["person", "convocation", "role", "affiliation", "start_date", "end_date"]
    list_filter = ["role", "affiliation", "convocation__council"]
    search_fields = ["person__full_name"]
    list_select_related = ["person", "convocation__council"]
    autocomplete_fields = ["person"]


@admin.register(StateBody)
class StateBodyAdmin(admin.ModelAdmin):
    formfield_overrides = CouncilScopedAdmin.formfield_overrides
    list_display = ["name", "kind", "city", "slug"]
    list_filter = ["kind", "city"]
    search_fields = ["name", "slug"]


@admin.register(Partner)
class PartnerAdmin(CouncilScopedAdmin):
    list_display = ["name", "kind", "council"]
    list_filter = ["kind", "council"]
    search_fields = ["name"]


@admin.register(Memorandum)
class MemorandumAdmin(CouncilScopedAdmin):
    list_display = ["title", "partner", "signed_on", "council"]
    list_filter = ["council"]
    search_fields = ["title", "partner__name"]
    date_hierarchy = "signed_on"


@admin.register(ConsultativeSeat)
class ConsultativeSeatAdmin(CouncilScopedAdmin):
    list_display = ["person", "body_name", "level", "start_date", "end_date", "council"]
    list_filter = ["level", "council"]
    search_fields = ["body_name", "person__full_name", "key"]
    list_select_related = ["person", "council"]
    autocomplete_fields = ["person"]
    date_hierarchy = "start_date"


@admin.register(WorkPlanItem)
class WorkPlanItemAdmin(CouncilScopedAdmin):
    list_display = ["year", "number", "activity", "period", "status", "council"]
    list_filter = ["year", "status", "council"]
    search_fields = ["activity", "responsible"]


@admin.register(CouncilStaff)
class CouncilStaffAdmin(CouncilScopedAdmin):
    """Roles are written through `council_staff_grant` and `council_staff_revoke`, as everywhere else, so that the
    account's role groups and `is_staff` follow its roles. A row is a (user, council) pair: its change form changes
    the role only; another person or council is another row (delete this one, add that one)."""

    list_display = ["user", "council", "role"]
    list_filter = ["role", "council"]
    search_fields = ["user__username", "user__email"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any | None = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), *(["user", "council"] if obj is not None else [])]

    def save_model(self, request: HttpRequest, obj: CouncilStaff, form: Any, change: bool) -> None:
        staff = council_staff_grant(user=obj.user, council=obj.council, role=obj.role)
        obj.pk = staff.pk  # the admin's log entry and redirect name the row the service wrote

    def delete_model(self, request: HttpRequest, obj: CouncilStaff) -> None:
        council_staff_revoke(user=obj.user, council=obj.council)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CouncilStaff]) -> None:
        # The changelist's "delete selected": one revoke per row, so that each account's groups follow.
        for staff in queryset.select_related("user", "council"):
            council_staff_revoke(user=staff.user, council=staff.council)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Only portal administrators hand out roles.
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return request.user.is_superuser
