from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import Model, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from core.admin import PortalRecordAdmin

from .access import council_lookup, councils_for_user, related_for_user, scope_to_councils
from .models import (
    Body,
    BodyMembership,
    ConsultativeSeat,
    Convocation,
    Council,
    CouncilStaff,
    ExpertAppointment,
    ExpertiseArea,
    Membership,
    Memorandum,
    Partner,
    Person,
    StateBody,
    WorkPlanItem,
)
from .services import council_staff_grant, council_staff_revoke


class ScopedFieldsMixin:
    """What every admin form and inline here offers: only related records of the user's councils.

    The tenant gate (`councils.access`) decides; this mixin asks it at three points:

    1. `get_field_queryset`: every foreign key and many-to-many select (and the queryset its submitted id is
       validated against) holds only records of the councils the user may write, accounts of their staff, and
       shared records. A model the gate cannot classify raises, so that a new one is not offered unchecked.
    2. `get_form` / `get_formset`: on an existing record (or inside a parent record), only that record's council;
       inside a parent, the parent's own children (an attachment's message is one of the same appeal's messages).
    3. `get_list_filter`: a changelist's related-field filters list only the user's councils' records.

    Superusers (portal administrators) see everything, as elsewhere, except that a child still picks only among
    its own parent's records.
    """

    # A web address typed without a scheme is taken as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_field_queryset(self, db: str | None, db_field: Any, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_field_queryset(db, db_field, request)  # type: ignore[misc]
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        return related_for_user(queryset, request.user)

    def get_list_filter(self, request: HttpRequest) -> Any:
        scoped: list[Any] = []
        for entry in super().get_list_filter(request):  # type: ignore[misc]
            if isinstance(entry, str) and get_fields_from_path(self.model, entry)[-1].is_relation:  # type: ignore[attr-defined]
                entry = (entry, ScopedRelatedFieldListFilter)
            scoped.append(entry)
        return scoped

    def _narrow_fields(
        self,
        request: HttpRequest,
        fields: dict[str, Any],
        *,
        record: Model | None,
        parent: Model | None = None,
        inline: bool = False,
    ) -> None:
        """Narrow each related field to `record`'s council (a change form) or `parent`'s (an inline)."""
        owner = parent if inline else record
        council_id = _council_id_of(owner) if owner is not None and owner.pk else None
        superuser = request.user.is_active and request.user.is_superuser
        for name, field in fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            queryset = field.queryset
            related = queryset.model
            if inline:
                # A sibling record (an attachment's message): only the same parent's, and none yet on a new parent.
                link = _required_link(related, type(parent) if parent is not None else self.parent_model)  # type: ignore[attr-defined]
                if link is not None:
                    queryset = (
                        queryset.filter(**{link: parent}) if parent is not None and parent.pk else queryset.none()
                    )
            if council_id is not None and not superuser:
                queryset = scope_to_councils(queryset, Council.objects.filter(id=council_id))
                if related is get_user_model():
                    # An account that once acted here (a former secretary) stays the record's own value.
                    queryset = queryset | related._default_manager.filter(pk__in=self._users_on(name, record, parent))
            field.queryset = queryset

    def _users_on(self, name: str, record: Model | None, parent: Model | None) -> list[Any]:
        if parent is not None and parent.pk:
            fk = _required_link(self.model, type(parent))  # type: ignore[attr-defined]
            if fk is None:
                return []
            rows = self.model._default_manager.filter(**{fk: parent})  # type: ignore[attr-defined]
            return [pk for pk in rows.values_list(name, flat=True) if pk is not None]
        value = getattr(record, f"{name}_id", None) if record is not None else None
        return [value] if value is not None else []


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A related-field filter that lists only the records of the user's councils (never other councils' names)."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        queryset = field.related_model._default_manager.complex_filter(field.get_limit_choices_to())
        if not (request.user.is_active and request.user.is_superuser):
            queryset = scope_to_councils(queryset, councils_for_user(request.user))
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


def _council_id_of(record: Model) -> Any:
    lookup = council_lookup(type(record))
    if lookup is None:
        return None
    return type(record)._default_manager.filter(pk=record.pk).values_list(lookup, flat=True).first()


def _required_link(model: type[Model], parent_model: type[Model]) -> str | None:
    """The name of `model`'s required foreign key to `parent_model`, if it has one."""
    for field in model._meta.concrete_fields:
        if field.many_to_one and not field.null and field.related_model is parent_model:
            return field.name
    return None


class CouncilScopedAdmin(ScopedFieldsMixin, admin.ModelAdmin):
    """Admin for a model that belongs to a council: non-superusers see and edit only their councils' rows, and
    every form offers only their councils' related records (`ScopedFieldsMixin`).

    Which council a row belongs to is read from the model (`councils.access.council_lookup`).
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.council_path}__in": councils_for_user(request.user)})

    @property
    def council_path(self) -> str:
        lookup = council_lookup(self.model)
        if lookup is None:
            raise ImproperlyConfigured(f"{self.model._meta.label} belongs to no council: use SharedRecordAdmin.")
        return lookup

    def get_form(self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        self._narrow_fields(request, form.base_fields, record=obj)
        return form

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        # An inline that skipped the base would offer every council's records again: refuse to start.
        errors = super().check(**kwargs)
        for inline in self.inlines:
            if not issubclass(inline, ScopedInlineMixin):
                errors.append(
                    checks.Error(
                        f"{inline.__name__} must inherit CouncilScopedTabularInline or CouncilScopedStackedInline.",
                        obj=type(self),
                        id="councils.E001",
                    )
                )
        return errors

    def _may_write(self, request: HttpRequest, obj: Any | None) -> bool:
        if request.user.is_superuser or obj is None:
            return True
        writable = councils_for_user(request.user, write=True)
        return type(obj).objects.filter(pk=obj.pk, **{f"{self.council_path}__in": writable}).exists()

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_write(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_write(request, obj)


class SharedRecordAdmin(ScopedFieldsMixin, PortalRecordAdmin):
    """Admin for records every council shares (state bodies): one edit changes every council's pages, so only
    portal administrators add, change or delete them; council staff with the view permission may look.
    (A proposal workflow, where a secretary suggests an edit and an administrator accepts it, is not built.)"""


class ScopedInlineMixin(ScopedFieldsMixin):
    """An inline's forms offer only the parent's council's records and the parent's own children."""

    def get_formset(self, request: HttpRequest, obj: Any | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)  # type: ignore[misc]
        self._narrow_fields(request, formset.form.base_fields, record=None, parent=obj, inline=True)
        return type(formset.__name__, (OwnRowsFormSetMixin, formset), {})


class OwnRowsFormSetMixin:
    """A row's hidden id names one of the parent's own rows. Django checks every id against the whole table
    (and then ignores a stranger's id); here a stranger's id is refused outright, as any other field's would be."""

    def add_fields(self, form: Any, index: int | None) -> None:
        super().add_fields(form, index)  # type: ignore[misc]
        field = form.fields.get(self._pk_field.name)  # type: ignore[attr-defined]
        if isinstance(field, ModelChoiceField) and field.widget.is_hidden:
            field.queryset = self.get_queryset()  # type: ignore[attr-defined]


class CouncilScopedTabularInline(ScopedInlineMixin, admin.TabularInline):
    pass


class CouncilScopedStackedInline(ScopedInlineMixin, admin.StackedInline):
    pass


class ConvocationInline(CouncilScopedTabularInline):
    model = Convocation
    extra = 0


@admin.register(Council)
class CouncilAdmin(CouncilScopedAdmin):
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


class BodyMembershipInline(CouncilScopedTabularInline):
    model = BodyMembership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Body)
class BodyAdmin(CouncilScopedAdmin):
    list_display = ["name", "kind", "number", "council", "convocation"]
    list_filter = ["kind", "council"]
    search_fields = ["name", "key"]
    inlines = [BodyMembershipInline]


class MembershipInline(CouncilScopedTabularInline):
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
    list_display = ["person", "convocation", "role", "affiliation", "start_date", "end_date"]
    list_filter = ["role", "affiliation", "convocation__council"]
    search_fields = ["person__full_name"]
    list_select_related = ["person", "convocation__council"]
    autocomplete_fields = ["person"]


@admin.register(StateBody)
class StateBodyAdmin(SharedRecordAdmin):
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


@admin.register(ExpertAppointment)
class ExpertAppointmentAdmin(CouncilScopedAdmin):
    """The council's experts: a person with an appointment, no membership and no affiliation. The decision's scan
    is uploaded in the workspace, where every file is checked by its content; here only its reference is typed."""

    # The registry's steps, consent and CV are recorded in the workspace (councils/workspace_experts.py), where a
    # step is a decision with its history and a file is checked by its content.
    fields = ["council", "person", "status", "field", "region", "start_date", "end_date", "decision"]
    readonly_fields = ["status"]
    list_display = ["person", "status", "field", "start_date", "end_date", "council"]
    list_filter = ["status", "council"]
    search_fields = ["person__full_name", "field"]
    list_select_related = ["person", "council"]
    autocomplete_fields = ["person"]
    date_hierarchy = "start_date"


@admin.register(ExpertiseArea)
class ExpertiseAreaAdmin(SharedRecordAdmin):
    """The portal's vocabulary of areas of expertise, named in Russian, Kazakh and English."""

    list_display = ["name", "key"]
    search_fields = ["name_ru", "name_kk", "name_en", "key"]


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
