"""The open-data API's machinery, shared by every app's `open_api` module (each app owns its records' lists).

It lives in `core` because it is not domain: every app may import `core`, and `core` imports no app.

1. `OpenDataViewSet`: read-only, public (no session, so no CSRF and no per-user answers), JSON paginated
   (`?page=`, `?page_size=` up to `MAX_PAGE_SIZE`), filtered with django-filter, and answered with an ETag so
   that a repeated GET with `If-None-Match` gets 304 without the body. `?format=csv` and `?format=xlsx` download
   the whole filtered list, not a page (see 3).
2. A response cache: a rendered answer (body, ETag) is kept for `cache_seconds()` (60 s, or the setting
   `OPEN_API_CACHE_SECONDS`; 0 turns it off), so a busy list costs a cache read, not its queries and
   serialisation. An edit therefore shows in the API within a minute, as `Cache-Control: max-age=60` already
   tells clients and proxies. Downloads of whole lists are not kept (`_cache_key`): see 3.
3. Downloads (review issue 15): a list as CSV or XLSX is every record the filters select, streamed from the
   database in chunks (`list`), so memory stays flat at 100,000 rows, with a file name
   (`<council-or-all>-<list>-<date>.csv`). The columns are declared once per list (`csv_columns`: dotted names
   into the JSON record; through a nested list, its items' values joined with "; "), so the header is the same
   for every filter and every data, and no cell holds JSON. `?sep=semicolon` separates with ";" for Excel in
   the Russian and Kazakh locales, which split on it; both CSVs start with a UTF-8 byte order mark, without
   which Excel reads UTF-8 as a legacy code page. XLSX (`core.spreadsheets.write_xlsx`): real dates, a frozen
   header with an autofilter, text as string cells. Such a download is never kept in the response cache: it
   may be tens of megabytes, which Redis would hold once per filter, and the cache would need it whole in
   memory, which streaming avoids. A single record (`/<list>/<id>/?format=csv`) is one row, rendered and cached
   as JSON is.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from .page_cache import data_version
from .spreadsheets import XLSX_CONTENT_TYPE, inert_cell, write_xlsx

MAX_PAGE_SIZE = 500
# Open data changes a few times a day: a client (or a proxy), and the server itself, may reuse an answer for a
# minute.
CACHE_SECONDS = 60
# The headers a cached answer is served with, as the view set them.
CACHED_HEADERS = ("Content-Type", "ETag", "Cache-Control", "Vary", "Allow")
# `?sep=`: Excel in the Russian and Kazakh locales splits CSV on ";" (the comma is their decimal mark).
SEPARATORS = {"comma": ",", "semicolon": ";"}
DOWNLOAD_FORMATS = ("csv", "xlsx")
# Through a nested list (a meeting's agenda), a column joins its items' values with this.
LIST_JOINER = "; "
# Records read from the database at a time while a download streams (one query per chunk and prefetch).
DOWNLOAD_CHUNK = 1000


def cache_seconds() -> int:
    return int(getattr(settings, "OPEN_API_CACHE_SECONDS", CACHE_SECONDS))


# ---- 1. The shared machinery ---------------------------------------------------------------------------------


class OpenDataPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


def column_kind(serializer: serializers.BaseSerializer[Model], column: str) -> str:
    """How a spreadsheet holds a declared column: "date", "datetime", "list" (joined text) or "value". A column
    that names no field, or an object rather than a value (which would be a JSON cell), is a mistake."""
    field: Any = serializer  # Any: walks serializers and fields of any kind, tested by isinstance below
    through_list = False
    for key in column.split("."):
        if isinstance(field, serializers.ListSerializer):
            field, through_list = field.child, True
        if isinstance(field, serializers.SerializerMethodField):
            return "list" if through_list else "value"  # an object built by hand (a recommendation's source)
        fields = getattr(field, "fields", None)
        if fields is None or key not in fields:
            raise ImproperlyConfigured(f"CSV column {column!r} names no field of {type(serializer).__name__}")
        field = fields[key]
    if isinstance(field, serializers.BaseSerializer):
        raise ImproperlyConfigured(f"CSV column {column!r} is an object: name its fields ({column}.<field>)")
    if through_list or isinstance(field, serializers.ListField | serializers.JSONField):
        return "list"
    if isinstance(field, serializers.DateTimeField):
        return "datetime"
    if isinstance(field, serializers.DateField):
        return "date"
    return "value"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):  # never by a declared column (test_csv_downloads checks them)
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _resolve(data: object, path: Sequence[str]) -> object:
    """The value a dotted column names in a serialized record. Through a list, the values of its items joined
    with "; " in the list's order (an empty one kept, so that the columns of one list stay aligned)."""
    value = data
    for i, key in enumerate(path):
        if isinstance(value, list):
            return LIST_JOINER.join(_text(_resolve(item, path[i:])) for item in value)
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    if isinstance(value, list):
        return LIST_JOINER.join(_text(item) for item in value)
    return value


def csv_row(data: object, columns: Sequence[str]) -> list[str]:
    """One record as CSV cells, in the declared columns; a cell that would run as a formula is made inert."""
    return [inert_cell(_text(_resolve(data, column.split(".")))) for column in columns]


def xlsx_row(data: object, columns: Sequence[str], kinds: Sequence[str]) -> list[object]:
    """One record as spreadsheet values: dates as dates, numbers as numbers, the rest as text."""
    row: list[object] = []
    for column, kind in zip(columns, kinds, strict=True):
        value = _resolve(data, column.split("."))
        if value is None or value == "":
            row.append(None)
        elif kind == "date" and isinstance(value, str):
            row.append(dt.date.fromisoformat(value))
        elif kind == "datetime" and isinstance(value, str):
            # Excel has no time zones: the local time the API gives, as the clock on the wall read it.
            row.append(dt.datetime.fromisoformat(value).replace(tzinfo=None))
        elif isinstance(value, bool | int | float):
            row.append(value)
        else:
            row.append(_text(value))
    return row


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _separator(request: Request) -> str:
    return SEPARATORS[request.query_params.get("sep", "comma")]


class CSVRenderer(BaseRenderer):
    """One record, or an error, as CSV (a list is streamed by `OpenDataViewSet.list`): UTF-8 with a byte order
    mark (Excel then reads Cyrillic and Kazakh letters), comma or `?sep=semicolon`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        view = renderer_context.get("view")
        request = renderer_context.get("request")
        ok = response is None or response.status_code < 400
        columns: list[str]
        if ok and view is not None and getattr(view, "csv_columns", None):
            columns = list(view.csv_columns)
        else:  # an error: the keys it has
            columns = list(data) if isinstance(data, dict) else ["detail"]
            data = data if isinstance(data, dict) else {"detail": data}
        sep = SEPARATORS.get(request.query_params.get("sep", "comma"), ",") if request is not None else ","
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerow(csv_row(data, columns))
        return ("\ufeff" + buffer.getvalue()).encode(self.charset)


class XLSXRenderer(BaseRenderer):
    """One record as an XLSX workbook (a list is written by `OpenDataViewSet.list`). Errors answer as JSON."""

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        view = (renderer_context or {}).get("view")
        if view is None:
            raise ImproperlyConfigured("XLSXRenderer renders the record of an OpenDataViewSet.")
        columns = list(view.csv_columns)
        kinds = [column_kind(view.get_serializer(), column) for column in columns]
        with tempfile.TemporaryFile() as file:
            write_xlsx(file, columns, [xlsx_row(data, columns, kinds)], kinds=kinds)
            file.seek(0)
            return file.read()


class OpenDataViewSet(viewsets.ReadOnlyModelViewSet[Model]):
    """Open data, read-only, in a fixed order. JSON lists are paginated (`page`, `page_size` up to 500) and
    every JSON answer has an ETag: send it back in `If-None-Match` to get 304. `?format=csv` or `?format=xlsx`
    downloads the whole filtered list as one file (no pages); `&sep=semicolon` separates the CSV with ";", as
    Excel expects in the Russian and Kazakh locales."""

    # The methods below override DRF's, whose signatures (in djangorestframework-stubs) take and give Any.
    # The ETag is the hash of the body, computed after rendering (as Django's ConditionalGetMiddleware does for
    # a whole site), and kept with the body in the response cache. The docstring above is the API documentation
    # of every open list.

    authentication_classes: list[type[BaseAuthentication]] = []  # the same answer for everyone: no session, no CSRF
    permission_classes: list[type[BasePermission]] = []
    renderer_classes = [JSONRenderer, CSVRenderer, XLSXRenderer]
    pagination_class = OpenDataPagination
    filter_backends = [filters.DjangoFilterBackend]
    # The columns of the CSV and XLSX downloads, declared once per list: dotted names into the JSON record
    # (`state_body.slug`); through a nested list, its items' values joined with "; " (`agenda_items.title`).
    # The header is this tuple, whatever the data and the filters (review issue 15, finding 2).
    csv_columns: tuple[str, ...] = ()

    def _cache_key(self, request: HttpRequest) -> str | None:
        """The answer depends on the address, the format (JSON or CSV, by `?format=` or Accept), the host (the
        download links are absolute) and the language; nothing else (no session is read). The address enters the
        key normalised, so that `?page=<anything>` cannot make an entry per value (review issue 12, finding 7):

        1. only known parameters (the list's filters, `page`, `page_size`, `format`, `sep`), each once: else
           None; a download of a whole list (CSV, XLSX) is None too: it is streamed, never held whole;
        2. `page` and `page_size` as plain numbers in range ("007" and "501" are not keys of their own);
        3. the filters by their cleaned values (`?year=02019` is `?year=2019`), an invalid one None (its 400);
        4. the parameters in a fixed order. An empty list is not kept (`finalize_response`): a filter by an
           unknown slug is free text, each value an empty answer."""
        if request.method not in ("GET", "HEAD") or cache_seconds() <= 0:
            return None
        query = request.GET
        filterset_class = getattr(self, "filterset_class", None)
        filter_names = set(filterset_class.base_filters) if filterset_class is not None else set()
        if any(len(query.getlist(name)) != 1 for name in query):
            return None
        if set(query) - filter_names - {"page", "page_size", "format", "sep"}:
            return None
        normal: dict[str, str] = {}
        for name, limit in (("page", 100_000), ("page_size", MAX_PAGE_SIZE)):
            raw = query.get(name)
            if raw is not None:
                if not (raw.isascii() and raw.isdigit() and raw == str(int(raw)) and 0 < int(raw) <= limit):
                    return None
                normal[name] = raw
        if "format" in query:
            if query["format"] not in ("json", *DOWNLOAD_FORMATS):
                return None
            normal["format"] = query["format"]
        if "sep" in query:
            if query["sep"] not in SEPARATORS:
                return None  # its 400
            normal["sep"] = query["sep"]
        if filterset_class is not None and filter_names & set(query):
            model = filterset_class._meta.model
            filterset = filterset_class(data=query, queryset=model._default_manager.none())
            if not filterset.is_valid():
                return None
            for name in filter_names & set(query):
                value = filterset.form.cleaned_data.get(name)
                normal[name] = "" if value is None else str(value)
        # The format DRF will answer in, not the raw Accept header: any header text would be a key of its own.
        try:
            renderer, _media = self.get_content_negotiator().select_renderer(Request(request), self.get_renderers())
        except APIException:
            return None  # a 406
        if renderer.format in DOWNLOAD_FORMATS and getattr(self, "action", None) == "list":
            return None  # streamed (see the module's docstring, 3)
        address = request.path + "?" + urlencode(sorted(normal.items()))
        # The data's version too: an edit (a meeting closed, a person removed) leaves every cached answer behind at
        # once, instead of serving it for up to `cache_seconds()` more (the page cache's rule: core/page_cache.py).
        parts = (address, renderer.format, request.get_host(), get_language(), data_version())
        return "open-api:" + hashlib.sha256("\n".join(str(p) for p in parts).encode()).hexdigest()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = self._cache_key(request)
        cached = cache.get(key) if key else None
        if cached is None:
            return super().dispatch(request, *args, **kwargs)
        content, headers = cached
        response = HttpResponse(content, content_type=headers["Content-Type"])
        for name, value in headers.items():
            response[name] = value
        return get_conditional_response(request, etag=response["ETag"], response=response)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        sep = request.query_params.get("sep")
        if sep is not None and sep not in SEPARATORS:
            raise ValidationError({"sep": [_("Use sep=comma or sep=semicolon.")]})

    def handle_exception(self, exc: Exception) -> Any:
        response = super().handle_exception(exc)
        renderer = getattr(self.request, "accepted_renderer", None)
        if isinstance(renderer, XLSXRenderer) and hasattr(response, "accepted_renderer"):
            # An error is a message to read, not a spreadsheet to open.
            response.accepted_renderer, response.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return response

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        fmt = request.accepted_renderer.format
        if fmt not in DOWNLOAD_FORMATS:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())  # an invalid filter raises here: a 400
        filename = self._download_name(request, fmt)
        if fmt == "xlsx":
            response: Any = self._xlsx_download(queryset)
        else:
            response = StreamingHttpResponse(self._csv_lines(queryset, _separator(request)), content_type="")
            response["Content-Type"] = "text/csv; charset=utf-8"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def _records(self, queryset: QuerySet[Model]) -> Iterator[dict[str, Any]]:
        """Every record as the JSON has it (one serializer, so one rule of what is public), read in chunks with
        their prefetches (Django runs the prefetches per chunk when `iterator()` has a chunk size)."""
        serializer = self.get_serializer()
        for instance in queryset.iterator(chunk_size=DOWNLOAD_CHUNK):
            yield serializer.to_representation(instance)

    def _csv_lines(self, queryset: QuerySet[Model], sep: str) -> Iterator[str]:
        """The CSV in pieces of about a hundred rows: small enough for flat memory, large enough that the
        server is not writing one line at a time."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
        writer.writerow(self.csv_columns)
        yield "\ufeff" + _drain(buffer)
        for count, record in enumerate(self._records(queryset), start=1):
            writer.writerow(csv_row(record, self.csv_columns))
            if count % 100 == 0:
                yield _drain(buffer)
        yield _drain(buffer)

    def _xlsx_download(self, queryset: QuerySet[Model]) -> FileResponse:
        """The workbook is written to a temporary file (a zip cannot be streamed as it is written), which the
        response then streams and deletes when it closes."""
        columns = self.csv_columns
        serializer = self.get_serializer()
        kinds = [column_kind(serializer, column) for column in columns]
        file = tempfile.TemporaryFile()
        try:
            write_xlsx(file, columns, (xlsx_row(r, columns, kinds) for r in self._records(queryset)), kinds=kinds)
        except BaseException:
            file.close()
            raise
        file.seek(0)
        return FileResponse(file, content_type=XLSX_CONTENT_TYPE)

    def _download_name(self, request: Request, fmt: str) -> str:
        """`<council-or-all>-<list>-<date>.<fmt>`: the council filter's slug (made safe for a header), the list's
        address segment, today's date."""
        council = slugify(request.query_params.get("council", "")) or "all"
        endpoint = request.path.rstrip("/").rsplit("/", 1)[-1]
        return f"{council}-{endpoint}-{timezone.localdate().isoformat()}.{fmt}"

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.streaming:  # a download: no ETag (the body is not at hand to hash) and not cached
            patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
            return response
        response.render()
        set_response_etag(response)
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        key = self._cache_key(request._request)
        data = getattr(response, "data", None)
        if isinstance(data, dict) and data.get("count") == 0:
            key = None  # an empty list: kept for nobody (see _cache_key)
        if key:
            headers = {name: response[name] for name in CACHED_HEADERS if response.has_header(name)}
            cache.set(key, (response.content, headers), cache_seconds())
        return get_conditional_response(request._request, etag=response["ETag"], response=response)


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(filters.NumberFilter):  # type: ignore[misc]  # django-filter has no type information
    """A four-digit year (the database cannot take a date of year 99999): anything else is a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # Any: django-filter's arguments, passed on
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault("label", "Year (YYYY)")
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):  # type: ignore[misc]  # django-filter has no type information
    """A record's id: a whole number a database column can hold, anything else a 400 (SQLite raises OverflowError,
    a 500, on 99999999999999999999; schemathesis found it)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # Any: django-filter's arguments, passed on
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


def council_filter() -> filters.CharFilter:
    return filters.CharFilter(field_name="council__slug", label="Council slug, e.g. almaty")


class CouncilSlugField(serializers.SlugRelatedField[Model]):
    """The council as its slug (the key the URLs use), read from the already selected council."""

    def __init__(self, **kwargs: Any) -> None:  # Any: DRF's field arguments, passed on
        super().__init__(slug_field="slug", read_only=True, **kwargs)


# ---- The open lists, registered by the apps that own them ------------------------------------------------------
# Each app's open_api.py adds its lists with `register_list(...)`, as an admin.py calls admin.site.register, and
# config/api.py collects them (`autodiscover_modules("open_api")`), so the URL map names no app's view set.

_lists: list[tuple[str, type[OpenDataViewSet], str]] = []


def register_list(prefix: str, viewset: type[OpenDataViewSet], *, basename: str) -> None:
    """Serve `viewset` at /api/v1/<prefix>/; a prefix is taken once (registering the same list again is a no-op)."""
    for taken, registered, _basename in _lists:
        if taken == prefix:
            if registered is not viewset:
                raise ImproperlyConfigured(f"Two open-data lists claim /api/v1/{prefix}/.")
            return
    _lists.append((prefix, viewset, basename))


def registered_lists() -> list[tuple[str, type[OpenDataViewSet], str]]:
    """The registered lists in the order of INSTALLED_APPS, then of registration: the API root and the schema
    list them so, whichever module happened to be imported first."""
    from django.apps import apps

    order = {config.name: index for index, config in enumerate(apps.get_app_configs())}

    def app_index(viewset: type[OpenDataViewSet]) -> int:
        config = apps.get_containing_app_config(viewset.__module__)
        return order[config.name] if config is not None else len(order)

    return sorted(_lists, key=lambda entry: app_index(entry[1]))
