"""The workspace's shared view machinery: every council-owned list, form and export goes through it.

One recipe (STYLE.md; healthchecks' `hc/front/views.py`), and one class for each kind of page, each standing
directly on the tenant gate, so no page stacks mixins whose order matters:

- A list: `WorkspaceListView`. It names `model`, and `list_queryset()` when a selector gives the rows; it is
  paginated, filterable (`filterset_class`) and exportable as CSV and XLSX in its filtered state
  (`export_columns`).
- A page that writes: `WorkspaceActionView`. The council comes from the tenant gate once per request (404 for
  outsiders, 403 for read-only staff); the record the address names (`pk`) is looked up once inside that
  council; the form (and any formsets, `build_formsets`) is validated; `perform(form)` calls the service with
  `form.to_data()`; a ValidationError of the service is shown on the form (status 400, nothing typed lost);
  a message, and the redirect to `success_url_name` (+ `success_url_pk`).
- A form becomes a service's input one way: it mixes in `ServiceDataForm`, names the input as `data_class`
  (the service's dataclass, or a TypedDict of its keyword arguments) and maps any field named otherwise in
  `data_names`. Views never pick fields out of `cleaned_data`.
- A button that removes or unlinks a record shown on another record's page: `WorkspaceRemoveView`.
- A page that only reads one record: `CouncilObjectMixin` with Django's DetailView (or View).
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import router
from django.db.models import CheckConstraint, Model, QuerySet
from django.forms import BaseFormSet, BaseModelForm
from django.forms.models import InlineForeignKeyField, construct_instance
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import generic

from core.spreadsheets import XLSX_CONTENT_TYPE, inert_cell, write_xlsx

from .access import can_write, council_for_user
from .models import Council
from .ownership import council_path

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class CouncilScopedMixin(LoginRequiredMixin):
    """Resolves `self.council` from the URL's slug through the tenant gate, before anything else runs.

    `write_required`: None means "writes on POST only"; True for pages that only writers may even open
    (create and edit forms).
    """

    write_required: bool | None = None
    council: Council

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        write = self.write_required if self.write_required is not None else request.method not in SAFE_METHODS
        self.council = council_for_user(request.user, kwargs["slug"], write=write)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["council"] = self.council
        context["can_write"] = can_write(self.request.user, self.council)
        return context


class CouncilObjectMixin(CouncilScopedMixin):
    """For council-owned models: objects of other councils are 404. The path to the council is the model's own
    declaration (`ownership`, councils/ownership.py)."""

    model: type[Model]

    @property
    def council_path(self) -> str:
        path = council_path(self.model)
        if path is None:
            raise ImproperlyConfigured(f"{self.model._meta.label} belongs to no council: declare its `ownership`")
        return path

    def get_queryset(self) -> QuerySet[Any]:
        return self.model._default_manager.filter(**{self.council_path: self.council})


# ---- exports -----------------------------------------------------------------------------------------------

Column = tuple[str, Callable[[Any], Any]]


def _cell(value: Any, yes: str, no: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes if value else no
    if hasattr(value, "isoformat") or isinstance(value, int | float):
        return value
    return str(value)


def _xlsx_cell(value: Any) -> Any:
    """An aware time in the portal's time zone (a spreadsheet's dates have no zone)."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def choice_names(choices: Any) -> dict[Any, str]:
    """The labels of a model's choices by value, translated once (for a page's rows or a whole export)."""
    return {value: str(label) for value, label in choices.choices}


def choice_labels(choices: Any) -> Callable[[Any], str]:
    """A choice's label by its value, translated once for a whole export (`get_FOO_display` translates again for
    every cell: most of a large export's time); an unknown value is shown as it is stored, as Django does."""
    labels = choice_names(choices)
    return lambda value: labels.get(value, value)


class _Echo:
    """A file-like object whose write() hands back what it was given: csv.writer turns one row into one string."""

    def write(self, value: str) -> str:
        return value


def export_response(
    *, rows: Iterable[Any], columns: Sequence[Column], fmt: str, filename: str
) -> StreamingHttpResponse | FileResponse:
    """The rows as CSV (UTF-8 with BOM, which Excel reads as Unicode) or XLSX, with translated headers.

    1. CSV is streamed: each row is written as the database cursor yields it, so memory stays flat and the first
       bytes leave at once, whatever the number of rows.
    2. XLSX is written row by row to a temporary file (openpyxl's write-only mode, core.spreadsheets.write_xlsx),
       then sent from it in chunks; the file goes when the response is closed.
    3. The headers and "yes"/"no" are translated here, once, in the request's language (a streamed body is
       produced after the view has returned).
    """
    headers = [str(label) for label, _get in columns]
    yes, no = _("yes"), _("no")
    getters = [get for _label, get in columns]
    name = slugify(filename) or "export"
    if fmt == "xlsx":
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response when it has been sent
        write_export_xlsx(spool, rows=rows, columns=columns, name=name)
        spool.seek(0)
        return FileResponse(spool, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX_CONTENT_TYPE)

    def csv_lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(headers)
        for row in rows:
            # A cell starting with = + - @ would run as a formula in a spreadsheet: quote it as text.
            yield writer.writerow([inert_cell(_cell(get(row), yes, no)) for get in getters])

    response = StreamingHttpResponse(csv_lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def write_export_xlsx(file: Any, *, rows: Iterable[Any], columns: Sequence[Column], name: str) -> int:
    """The rows as an XLSX workbook written to `file`, headers and "yes"/"no" in the active language; returns
    the number of rows. An XLSX cell carries its type: text is written as a string cell, which never runs, so it
    keeps its value exactly (no apostrophe); dates are real dates (core.spreadsheets.write_xlsx). Used by
    `export_response` and by the tasks that build large exports into a stored file (inbox_export_*)."""
    headers = [str(label) for label, _get in columns]
    yes, no = _("yes"), _("no")
    getters = [get for _label, get in columns]
    lines = ([_xlsx_cell(_cell(get(row), yes, no)) for get in getters] for row in rows)
    return write_xlsx(file, headers, lines, sheet_title=name)


class WorkspaceListView(CouncilObjectMixin, generic.ListView):
    """A paginated, filterable list; `?format=csv|xlsx` exports the filtered rows (all pages).

    `list_queryset()` gives the rows before filtering: the council's rows of `model` unless a view names a
    selector there (with the joins and prefetches that keep its query count fixed); filters, pagination and the
    export all apply to it.
    """

    paginate_by = 25
    filterset_class: type | None = None
    export_columns: Sequence[Column] = ()
    export_name = "export"

    def list_queryset(self) -> QuerySet[Any]:
        return CouncilObjectMixin.get_queryset(self)

    def get_queryset(self) -> QuerySet[Any]:
        qs = self.list_queryset()
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
            qs = self.filterset.qs
        else:
            self.filterset = None
        return qs

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx") and self.export_columns:
            rows = self.get_queryset().iterator(chunk_size=1000)
            return export_response(
                rows=rows, columns=self.export_columns, fmt=fmt, filename=f"{self.council.slug}-{self.export_name}"
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


class WorkspaceActionView(CouncilObjectMixin, generic.FormView):
    """Every workspace page that writes: an action on one record (end a membership, record the attendance, change
    a status, delete) or a new record. A view names its form, `perform()` (the service call) and where it goes.

    1. The council through the tenant gate (404 for outsiders, 403 for read-only staff: `write_required`).
    2. The record the address names (`pk`), looked up once inside that council (`get_queryset`): 404 for a record
       of another council. A page without `pk` creates; `self.object` is None until `perform` returns.
    3. The form, and the formsets a page may have beside it (`build_formsets`), all validated. The form gets
       `council`, and `instance` (the record) on a record's page: a ModelForm gets a copy, since validating
       writes what was typed into its instance and the service must receive the record as stored.
    4. `perform(form)` calls the service with `form.to_data()`. A ValidationError from the service is shown
       beside the form: its fields' errors beside the fields, the rest above; status 400, nothing typed lost.
    5. A message, and the redirect: `success_url_name` (a URL name taking the council's slug) with `pk` read from
       the saved record's attribute named by `success_url_pk` ("pk", "body_id", …). A page whose next address
       depends on what was saved keeps a `get_success_url` of its own. The page's "Cancel" link is named the
       same way (`cancel_url_name`, `cancel_url_pk`: the record's page).
    """

    write_required = True
    page_title: Any = ""
    cancel_url_name = ""
    cancel_url_pk = ""
    success_message: Any = ""
    success_url_name = ""
    success_url_pk = ""
    object: Any = None

    def get_object(self) -> Any:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = self.get_form()
        self.formsets = self.build_formsets(request.POST)
        valid = form.is_valid()
        valid = all([formset.is_valid() for formset in self.formsets.values()]) and valid
        return self.form_valid(form) if valid else self.form_invalid(form)

    def build_formsets(self, data: Any | None) -> dict[str, BaseFormSet]:
        return {}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        if self.object is not None:
            form_class = self.get_form_class()
            is_model_form = issubclass(form_class, BaseModelForm)
            kwargs["instance"] = copy.copy(self.object) if is_model_form else self.object
        return kwargs

    def perform(self, form: Any) -> Any:  # pragma: no cover - each view says what it writes
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.object = self.perform(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self) -> str:
        if not self.success_url_name:
            raise ImproperlyConfigured(f"{type(self).__name__} names no success_url_name")
        return self._url(self.success_url_name, self.success_url_pk)

    def _url(self, name: str, pk_attribute: str) -> str:
        """A workspace page of this council, about the record when `pk_attribute` names its attribute."""
        kwargs: dict[str, Any] = {"slug": self.council.slug}
        if pk_attribute and self.object is not None:
            kwargs["pk"] = getattr(self.object, pk_attribute)
        return reverse(name, kwargs=kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if not hasattr(self, "formsets"):
            self.formsets = self.build_formsets(None)
        context = super().get_context_data(**kwargs)
        context.setdefault("page_title", self.page_title)
        if self.cancel_url_name:
            context["cancel_url"] = self._url(self.cancel_url_name, self.cancel_url_pk)
        if self.object is not None:
            context["object"] = context[self.object._meta.model_name] = self.object
        context["formsets"] = self.formsets
        context.update(self.formsets)
        return context


class WorkspaceRemoveView(CouncilObjectMixin, generic.View):
    """A button beside a record on another record's page that removes it or unlinks it (a plan item's record, an
    expert's engagement, a news item's image): POST only, for writers, then back to that page.

    1. The council through the tenant gate (404 for outsiders, 403 for read-only staff), the record inside it.
    2. The button names itself: the post must carry `pressed_field` with `pressed_value` (the record's own id
       where that is "pk"), so a stray or replayed post that reads no other field removes nothing and says so.
    3. `remove(record)` calls the service; a ValidationError it raises is shown as a message, not a 500.
    4. Back to `back_url_name` with `pk` read from the record's attribute `back_url_pk` (read before removing).
    """

    http_method_names = ["post"]
    write_required = True
    pressed_field = "remove"
    pressed_value = "yes"
    done_message: Any = ""
    refused_message: Any = ""
    back_url_name = ""
    back_url_pk = ""

    def remove(self, record: Any) -> None:  # pragma: no cover - each view says what it removes
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        back = reverse(self.back_url_name, kwargs={"slug": self.council.slug, "pk": getattr(record, self.back_url_pk)})
        expected = str(record.pk) if self.pressed_value == "pk" else self.pressed_value
        if request.POST.get(self.pressed_field) != expected:
            messages.error(request, self.refused_message)
            return redirect(back)
        try:
            self.remove(record)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(back)
        messages.success(request, self.done_message)
        return redirect(back)


class ServiceDataForm:
    """Mixed into a form whose cleaned data is a service's input: the one way a workspace form becomes one.

    `data_class` names the input: the dataclass a service takes as `data=`, or a TypedDict of the service's
    keyword arguments (the view calls `service(record=…, **form.to_data())`, which mypy checks). The form's
    fields carry the input's names, except those listed in `data_names` (form field -> input name): where a form
    field and a service argument differ in name, the form maps it, never the view. A form whose input is not
    field for field (a nested dataclass, a default for an empty choice) overrides `to_data()`.

    One rule for validation: the form checks what a field alone can say (required, a number, a date, a length,
    a choice); a rule between fields is the service's. So a ModelForm mixing this in does not check the model's
    CheckConstraints: they guard the database, and the service says the same rule first, on the field it is
    about and in the reader's language (`WorkspaceActionView.form_valid` puts the service's ValidationError on
    that field, `field_for` translating an input name back to the form's). Checking them here too would report
    the rule twice, or once above the form in the constraint's words, before the service ever ran. Uniqueness
    (unique fields and UniqueConstraints) is still checked here: it is about other rows, not about what was typed.
    """

    data_class: type
    data_names: ClassVar[dict[str, str]] = {}
    cleaned_data: dict[str, Any]

    def to_data(self) -> Any:
        values = {self.data_names.get(name, name): value for name, value in self.cleaned_data.items()}
        return self.data_class(**{name: values[name] for name in input_names(self.data_class) if name in values})

    def field_for(self, input_name: str) -> str | None:
        """The form field that carries a service input (the input's own name unless `data_names` maps one to
        it); None when the form has no such field (the error then goes above the form)."""
        fields: dict[str, Any] = getattr(self, "fields", {})
        for field, name in self.data_names.items():
            if name == input_name and field in fields:
                return field
        return input_name if input_name in fields else None

    def _post_clean(self) -> None:
        """A ModelForm's model validation (Django's `BaseModelForm._post_clean`, step for step) without the
        CheckConstraints, which are the service's rules (see the class): the fields one by one, `Model.clean()`,
        the unique constraints and the unique fields. A plain form has no model to validate."""
        if not isinstance(self, BaseModelForm):
            getattr(super(), "_post_clean")()  # noqa: B009 - BaseForm's hook (a no-op)
            return
        exclude = self._get_validation_exclusions()
        exclude.update(name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField))
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except ValidationError as exc:
            self._update_errors(exc)
        try:
            self.instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self._update_errors(exc)
        self._validate_constraints_but_checks(exclude)
        if self._validate_unique:
            self.validate_unique()

    def _validate_constraints_but_checks(self: Any, exclude: set[str]) -> None:
        """`Model.validate_constraints` (unique constraints with conditions and expressions included), skipping
        the CheckConstraints."""
        instance: Model = self.instance
        using = router.db_for_write(type(instance), instance=instance)
        errors: dict[str, Any] = {}
        for model_class, constraints in instance.get_constraints():
            for constraint in constraints:
                if isinstance(constraint, CheckConstraint):
                    continue
                try:
                    constraint.validate(model_class, instance, exclude=exclude, using=using)
                except ValidationError as exc:
                    fields = getattr(constraint, "fields", ())
                    if getattr(exc, "code", None) == "unique" and len(fields) == 1:
                        errors.setdefault(fields[0], []).append(exc)
                    else:
                        errors = exc.update_error_dict(errors)
        if errors:
            self._update_errors(ValidationError(errors))


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """A service's ValidationError on the form: each error beside the field it names (an input named otherwise
    than its field is mapped back through the form's `data_names`), the rest above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        if isinstance(form, ServiceDataForm):
            field = form.field_for(name)
        else:
            field = name if name in form.fields else None
        form.add_error(field, errors)


def input_names(cls: type) -> list[str]:
    """The names a service's input takes: a dataclass's fields or a TypedDict's keys."""
    if dataclasses.is_dataclass(cls):
        return [f.name for f in dataclasses.fields(cls)]
    return list(cls.__annotations__)
