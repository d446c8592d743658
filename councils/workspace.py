"""The workspace's shared view machinery: every council-owned list, form and export goes through it.

One recipe (STYLE.md): the council comes from the tenant gate once per request (404 for outsiders, 403 for
read-only staff on writes), the object is looked up inside that council, the form is validated, a service
writes, and the view redirects. Lists are paginated, filterable and exportable as CSV and XLSX in their
filtered state.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Model, QuerySet
from django.forms import BaseFormSet
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import generic

from core.spreadsheets import XLSX_CONTENT_TYPE, inert_cell, write_xlsx

from .access import can_write, council_for_user
from .models import Council
from .ownership import council_path

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
T = TypeVar("T")


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


def choice_labels(choices: Any) -> Callable[[Any], str]:
    """A choice's label by its value, translated once for a whole export (`get_FOO_display` translates again for
    every cell: most of a large export's time); an unknown value is shown as it is stored, as Django does."""
    labels = {value: str(label) for value, label in choices.choices}
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
        # An XLSX cell carries its type: text is written as a string cell, which never runs, so it keeps its
        # value exactly (no apostrophe); dates are real dates (core.spreadsheets.write_xlsx).
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response when it has been sent
        lines = ([_xlsx_cell(_cell(get(row), yes, no)) for get in getters] for row in rows)
        write_xlsx(spool, headers, lines, sheet_title=name)
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


class WorkspaceListView(CouncilObjectMixin, generic.ListView):
    """A paginated, filterable list; `?format=csv|xlsx` exports the filtered rows (all pages)."""

    paginate_by = 25
    filterset_class: type | None = None
    export_columns: Sequence[Column] = ()
    export_name = "export"

    def get_queryset(self) -> QuerySet[Any]:
        qs = super().get_queryset()
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


class ServiceFormMixin:
    """Calls `self.perform(form)` (a service call) and shows a service's ValidationError beside the form,
    keeping what was typed (status 400), instead of letting it become a 500."""

    success_message = ""
    # Where a saved form goes: a URL name taking the council's slug, and `pk` read from the saved object's
    # attribute named by `success_url_pk` ("pk", "body_id", …) when the page is about one record.
    success_url_name = ""
    success_url_pk = ""

    def get_success_url(self) -> str:
        if not self.success_url_name:
            raise ImproperlyConfigured(f"{type(self).__name__} names no success_url_name")
        kwargs: dict[str, Any] = {"slug": self.council.slug}  # type: ignore[attr-defined]
        if self.success_url_pk:
            kwargs["pk"] = getattr(self.object, self.success_url_pk)
        return reverse(self.success_url_name, kwargs=kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.object = self.perform(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return self._redirect()

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def _redirect(self) -> HttpResponse:
        from django.shortcuts import redirect

        return redirect(self.get_success_url())

    def perform(self, form: Any) -> Any:  # pragma: no cover - each view says what it writes
        raise NotImplementedError


class WorkspaceCreateView(CouncilScopedMixin, ServiceFormMixin, generic.FormView):
    write_required = True

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        return kwargs


class WorkspaceUpdateView(CouncilObjectMixin, ServiceFormMixin, generic.UpdateView):
    write_required = True

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        return kwargs


# ---- small mixins shared by the workspace pages (members, meetings, monitoring) ---------------------------


class SelectorListMixin(CouncilObjectMixin):
    """A list whose rows come from a selector (with the joins and prefetches that keep its query count fixed).

    Listed after WorkspaceListView in a view's bases, it sits between WorkspaceListView and CouncilObjectMixin,
    so the list's filters, pagination and CSV/XLSX export all apply to the selector's queryset.
    """

    def list_queryset(self) -> QuerySet[Any]:  # pragma: no cover - each list names its selector
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        return self.list_queryset()


class FormsetsMixin:
    """A create or edit page with formsets beside its form (agenda items, participants, links).

    The form and every formset must be valid before `perform` (the service) runs; on any error the page is
    shown again with everything typed kept (status 400, through ServiceFormMixin).
    """

    def build_formsets(self, data: Any | None) -> dict[str, BaseFormSet]:  # pragma: no cover
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if not hasattr(self, "formsets"):
            self.formsets = self.build_formsets(None)
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["formsets"] = self.formsets
        context.update(self.formsets)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if isinstance(self, generic.edit.BaseUpdateView):
            self.object = self.get_object()
        form = self.get_form()  # type: ignore[attr-defined]
        self.formsets = self.build_formsets(request.POST)
        valid = form.is_valid()
        valid = all([formset.is_valid() for formset in self.formsets.values()]) and valid
        if valid:
            return self.form_valid(form)  # type: ignore[attr-defined]
        return self.form_invalid(form)  # type: ignore[attr-defined]


def optional_url(name: str, **kwargs: Any) -> str | None:
    """The address of a page another part of the workspace may not have yet (None until it exists)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


class PageTitleMixin:
    page_title: Any = ""
    cancel_url_name = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.setdefault("page_title", self.page_title)
        if self.cancel_url_name:
            context["cancel_url"] = reverse(self.cancel_url_name, kwargs={"slug": self.council.slug})  # type: ignore[attr-defined]
        return context


class ServiceDataForm:
    """Mixed into a form whose cleaned data is a service's input: `data_class` names the dataclass and
    `to_data()` builds it (the one way a workspace form becomes a service's input)."""

    data_class: type

    def to_data(self) -> Any:
        return data_from_form(self.data_class, self)


def data_from_form(cls: type[T], form: Any) -> T:
    """The service's input dataclass from a valid form whose fields carry the same names."""
    return cls(**{f.name: form.cleaned_data[f.name] for f in dataclasses.fields(cls) if f.name in form.cleaned_data})
