"""The open-data API, part 1: the machinery every open list shares, and the councils' own records.

The machinery lives here, on the ground floor, because every app's `open_api` module builds on it and every app
may import `councils`:

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

The records: published councils, their bodies, people (public fields only: never e-mail or phone), the
state bodies and the members' seats in consultative bodies. Each public queryset is a function
(`public_people()`, ...) that the API and the e-mail alerts share, so "public" is defined once.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import tempfile
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from core.cache import data_version
from core.spreadsheets import XLSX_CONTENT_TYPE, inert_cell, write_xlsx

from .models import (
    Affiliation,
    Body,
    BodyKind,
    BodyMembership,
    ConsultativeLevel,
    ConsultativeSeat,
    Council,
    CouncilKind,
    MemberRole,
    Membership,
    Person,
    StateBody,
    StateBodyKind,
)
from .selectors import held_in_year

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


def column_kind(serializer: serializers.BaseSerializer, column: str) -> str:
    """How a spreadsheet holds a declared column: "date", "datetime", "list" (joined text) or "value". A column
    that names no field, or an object rather than a value (which would be a JSON cell), is a mistake."""
    field: Any = serializer
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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):  # never by a declared column (test_csv_downloads checks them)
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _resolve(data: Any, path: Sequence[str]) -> Any:
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


def csv_row(data: Any, columns: Sequence[str]) -> list[str]:
    """One record as CSV cells, in the declared columns; a cell that would run as a formula is made inert."""
    return [inert_cell(_text(_resolve(data, column.split(".")))) for column in columns]


def xlsx_row(data: Any, columns: Sequence[str], kinds: Sequence[str]) -> list[Any]:
    """One record as spreadsheet values: dates as dates, numbers as numbers, the rest as text."""
    row: list[Any] = []
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


def _separator(request: Any) -> str:
    return SEPARATORS[request.query_params.get("sep", "comma")]


class CSVRenderer(BaseRenderer):
    """One record, or an error, as CSV (a list is streamed by `OpenDataViewSet.list`): UTF-8 with a byte order
    mark (Excel then reads Cyrillic and Kazakh letters), comma or `?sep=semicolon`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: dict | None = None) -> bytes:
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

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: dict | None = None) -> bytes:
        view = (renderer_context or {}).get("view")
        columns = list(view.csv_columns)
        kinds = [column_kind(view.get_serializer(), column) for column in columns]
        with tempfile.TemporaryFile() as file:
            write_xlsx(file, columns, [xlsx_row(data, columns, kinds)], kinds=kinds)
            file.seek(0)
            return file.read()


class OpenDataViewSet(viewsets.ReadOnlyModelViewSet):
    """Open data, read-only, in a fixed order. JSON lists are paginated (`page`, `page_size` up to 500) and
    every JSON answer has an ETag: send it back in `If-None-Match` to get 304. `?format=csv` or `?format=xlsx`
    downloads the whole filtered list as one file (no pages); `&sep=semicolon` separates the CSV with ";", as
    Excel expects in the Russian and Kazakh locales."""

    # The ETag is the hash of the body, computed after rendering (as Django's ConditionalGetMiddleware does for
    # a whole site), and kept with the body in the response cache. The docstring above is the API documentation
    # of every open list.

    authentication_classes: list = []  # the same answer for everyone: no session, no CSRF
    permission_classes: list = []
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
        if filter_names & set(query):
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
        # once, instead of serving it for up to `cache_seconds()` more (the page cache's rule: reports/cache.py).
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

    def _records(self, queryset: QuerySet) -> Iterator[dict[str, Any]]:
        """Every record as the JSON has it (one serializer, so one rule of what is public), read in chunks with
        their prefetches (Django runs the prefetches per chunk when `iterator()` has a chunk size)."""
        serializer = self.get_serializer()
        for instance in queryset.iterator(chunk_size=DOWNLOAD_CHUNK):
            yield serializer.to_representation(instance)

    def _csv_lines(self, queryset: QuerySet, sep: str) -> Iterator[str]:
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

    def _xlsx_download(self, queryset: QuerySet) -> FileResponse:
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
class YearFilter(filters.NumberFilter):
    """A four-digit year (the database cannot take a date of year 99999): anything else is a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault("label", "Year (YYYY)")
        super().__init__(*args, **kwargs)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def council_filter() -> filters.CharFilter:
    return filters.CharFilter(field_name="council__slug", label="Council slug, e.g. almaty")


class CouncilSlugField(serializers.SlugRelatedField):
    """The council as its slug (the key the URLs use), read from the already selected council."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="slug", read_only=True, **kwargs)


# `name` is in the reader's language (?lang= or Accept-Language), falling back to Russian; the official names in
# each language are given as they are on file (null where the council has not entered one).
NAMES = ("name_ru", "name_kk", "name_en")


class StateBodyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = StateBody
        fields = ["slug", "name", *NAMES]


# ---- 2. Councils ---------------------------------------------------------------------------------------------


def public_councils() -> QuerySet[Council]:
    return Council.objects.filter(is_published=True).order_by("name", "id")


class CouncilSerializer(serializers.ModelSerializer):
    class Meta:
        model = Council
        fields = [
            "slug",
            "code",
            "name",
            *NAMES,
            "short_name",
            "kind",
            "city",
            "region",
            "legal_basis",
            "description",
            "website",
            "social_links",
            "recommendation_send_days",
            "recommendation_answer_days",
        ]


class CouncilFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=CouncilKind.choices)
    city = filters.CharFilter()

    class Meta:
        model = Council
        fields = ["kind", "city"]


@extend_schema_view(
    list=extend_schema(summary="Published councils", tags=["councils"]),
    retrieve=extend_schema(summary="One published council", tags=["councils"]),
)
class CouncilViewSet(OpenDataViewSet):
    serializer_class = CouncilSerializer
    filterset_class = CouncilFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    # The official names in each language too: a journalist's spreadsheet needs the Kazakh name as much as the page.
    csv_columns = (
        "slug",
        "code",
        "name",
        *NAMES,
        "short_name",
        "kind",
        "city",
        "region",
        "legal_basis",
        "description",
        "website",
        "social_links",
        "recommendation_send_days",
        "recommendation_answer_days",
    )

    def get_queryset(self) -> QuerySet[Council]:
        return public_councils()


# ---- 3. Bodies: the presidium, commissions and working groups ---------------------------------------------------


def public_bodies() -> QuerySet[Body]:
    """Bodies of published councils with their convocation and seats (with the person's name only): two
    queries for a page."""
    seats = (
        # A seat names one of the body's own council's people: a link to another council's person (the admin once
        # accepted one) is never followed, so an unpublished council's member is never published through it.
        BodyMembership.objects.filter(person__council=F("body__council"))
        .select_related("person")
        .only("id", "body_id", "role", "start_date", "end_date", "person__id", "person__full_name")
        .order_by("-role", "person__full_name", "id")
    )
    return (
        Body.objects.filter(council__is_published=True)
        .select_related("council", "convocation")
        .prefetch_related(Prefetch("seats", queryset=seats, to_attr="seat_list"))
        .order_by("council__slug", "-convocation__number", "kind", "number", "name", "id")
    )


class ConvocationRefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)


class SeatSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(source="person.id")
    full_name = serializers.CharField(source="person.full_name")

    class Meta:
        model = BodyMembership
        fields = ["person_id", "full_name", "role", "start_date", "end_date"]


class BodySerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    convocation = ConvocationRefSerializer()
    members = SeatSerializer(source="seat_list", many=True)

    class Meta:
        model = Body
        fields = ["id", "council", "convocation", "key", "kind", "number", "name", *NAMES, "description", "members"]


def _convocation_in_year(prefix: str, year: int) -> Q:
    start, end = year_bounds(year)
    return Q(**{f"{prefix}start_date__lte": end}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": start})
    )


class BodyFilter(filters.FilterSet):
    council = council_filter()
    kind = filters.ChoiceFilter(choices=BodyKind.choices)
    year = YearFilter(method="filter_year", label="Bodies of a convocation that sat in the year (YYYY)")

    class Meta:
        model = Body
        fields = ["council", "kind", "year"]

    def filter_year(self, queryset: QuerySet[Body], name: str, value: int) -> QuerySet[Body]:
        return queryset.filter(_convocation_in_year("convocation__", int(value)))


@extend_schema_view(
    list=extend_schema(summary="Bodies: presidium, commissions, working groups", tags=["councils"]),
    retrieve=extend_schema(summary="One body with its members", tags=["councils"]),
)
class BodyViewSet(OpenDataViewSet):
    serializer_class = BodySerializer
    filterset_class = BodyFilter
    lookup_value_regex = r"[0-9]+"

    csv_columns = (
        "id",
        "council",
        "convocation.number",
        "convocation.name",
        "convocation.start_date",
        "convocation.end_date",
        "key",
        "kind",
        "number",
        "name",
        "description",
        "members.person_id",
        "members.full_name",
        "members.role",
    )

    def get_queryset(self) -> QuerySet[Body]:
        return public_bodies()


# ---- 4. People: public fields only ---------------------------------------------------------------------------

# The only columns of a person ever loaded for the public: the contacts (email, phone) are not even read.
PERSON_PUBLIC_FIELDS = ("id", "key", "council_id", "full_name", "organisation", "position")


def public_people() -> QuerySet[Person]:
    """People of published councils with their memberships and seats: three queries for a page."""
    # Only the person's own council's convocations and bodies: another council's (perhaps unpublished) are not
    # the person's public record.
    memberships = (
        Membership.objects.filter(convocation__council=F("person__council"))
        .select_related("convocation")
        .order_by("-convocation__number", "id")
    )
    seats = (
        BodyMembership.objects.filter(body__council=F("person__council"))
        .select_related("body")
        .order_by("body__kind", "body__number", "body__name", "id")
    )
    return (
        Person.objects.filter(council__is_published=True)
        .select_related("council")
        .only(*PERSON_PUBLIC_FIELDS, "council__slug")
        .prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="membership_list"),
            Prefetch("body_seats", queryset=seats, to_attr="seat_list"),
        )
        .order_by("full_name", "id")
    )


class MembershipSerializer(serializers.ModelSerializer):
    convocation = ConvocationRefSerializer()

    class Meta:
        model = Membership
        fields = ["convocation", "affiliation", "role", "start_date", "end_date"]


class PersonSeatSerializer(serializers.ModelSerializer):
    body_id = serializers.IntegerField(source="body.id")
    body = serializers.CharField(source="body.name")
    kind = serializers.CharField(source="body.kind")

    class Meta:
        model = BodyMembership
        fields = ["body_id", "body", "kind", "role", "start_date", "end_date"]


class PersonSerializer(serializers.ModelSerializer):
    """Public fields only. E-mail and phone are for the council's staff and are not fields here."""

    council = CouncilSlugField()
    memberships = MembershipSerializer(source="membership_list", many=True)
    commissions = PersonSeatSerializer(source="seat_list", many=True)

    class Meta:
        model = Person
        fields = ["id", "key", "council", "full_name", "organisation", "position", "memberships", "commissions"]


class PersonFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(method="filter_year", label="Members during the year (YYYY)")
    affiliation = filters.ChoiceFilter(choices=Affiliation.choices, method="filter_membership")
    role = filters.ChoiceFilter(choices=MemberRole.choices, method="filter_membership")

    class Meta:
        model = Person
        fields = ["council", "year", "affiliation", "role"]

    def filter_year(self, queryset: QuerySet[Person], name: str, value: int) -> QuerySet[Person]:
        memberships = Membership.objects.filter(_convocation_in_year("", int(value)), person=OuterRef("pk"))
        return queryset.filter(Exists(memberships))

    def filter_membership(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.filter(Exists(Membership.objects.filter(person=OuterRef("pk"), **{name: value})))


@extend_schema_view(
    list=extend_schema(summary="People: members, experts, participants (public fields only)", tags=["councils"]),
    retrieve=extend_schema(summary="One person (public fields only)", tags=["councils"]),
)
class PersonViewSet(OpenDataViewSet):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    lookup_value_regex = r"[0-9]+"

    csv_columns = (
        "id",
        "key",
        "council",
        "full_name",
        "organisation",
        "position",
        "memberships.convocation.number",
        "memberships.affiliation",
        "memberships.role",
        "memberships.start_date",
        "memberships.end_date",
        "commissions.body_id",
        "commissions.body",
        "commissions.role",
    )

    def get_queryset(self) -> QuerySet[Person]:
        return public_people()


# ---- 5. State bodies -----------------------------------------------------------------------------------------


def public_state_bodies() -> QuerySet[StateBody]:
    return StateBody.objects.order_by("name", "id")


class StateBodySerializer(serializers.ModelSerializer):
    class Meta:
        model = StateBody
        fields = ["slug", "name", *NAMES, "kind", "city", "website"]


class StateBodyFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=StateBodyKind.choices)
    city = filters.CharFilter()

    class Meta:
        model = StateBody
        fields = ["kind", "city"]


@extend_schema_view(
    list=extend_schema(summary="State bodies", tags=["state bodies"]),
    retrieve=extend_schema(summary="One state body", tags=["state bodies"]),
)
class StateBodyViewSet(OpenDataViewSet):
    serializer_class = StateBodySerializer
    filterset_class = StateBodyFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    csv_columns = ("slug", "name", *NAMES, "kind", "city", "website")

    def get_queryset(self) -> QuerySet[StateBody]:
        return public_state_bodies()


# ---- 6. Seats in consultative bodies -------------------------------------------------------------------------


def public_consultative_seats() -> QuerySet[ConsultativeSeat]:
    """Seats of published councils' members in consultative bodies, with the person's name (never the contacts,
    which are not even loaded) and the state body: one query for a page."""
    return (
        ConsultativeSeat.objects.filter(council__is_published=True, person__council=F("council"))
        .select_related("council", "person", "state_body")
        .only(
            "id",
            "key",
            "body_name",
            "level",
            "start_date",
            "end_date",
            "link",
            "is_demo",
            "council__id",
            "council__slug",
            "person__id",
            "person__full_name",
            "state_body__id",
            "state_body__slug",
            # The name in every language: modeltranslation's `name` reads the column of the active language (and
            # the API gives all three), so a deferred one would cost a query per row.
            "state_body__name",
            "state_body__name_ru",
            "state_body__name_kk",
            "state_body__name_en",
        )
        .order_by("council__slug", "-start_date", "person__full_name", "body_name", "id")
    )


class PersonRefSerializer(serializers.ModelSerializer):
    """A person's id and name: nothing else of a person is public here."""

    class Meta:
        model = Person
        fields = ["id", "full_name"]


class ConsultativeSeatSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    person = PersonRefSerializer()
    state_body = StateBodyRefSerializer(allow_null=True)

    class Meta:
        model = ConsultativeSeat
        fields = [
            "id",
            "key",
            "council",
            "person",
            "body_name",
            "state_body",
            "level",
            "start_date",
            "end_date",
            "link",
            "is_demo",
        ]


class ConsultativeSeatFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(method="filter_year", label="Seats held on at least one day of the year (YYYY)")
    level = filters.ChoiceFilter(choices=ConsultativeLevel.choices)
    state_body = filters.CharFilter(field_name="state_body__slug", label="State body the body works under (slug)")

    class Meta:
        model = ConsultativeSeat
        fields = ["council", "year", "level", "state_body"]

    def filter_year(self, queryset: QuerySet[ConsultativeSeat], name: str, value: int) -> QuerySet[ConsultativeSeat]:
        return queryset.filter(held_in_year(int(value)))


@extend_schema_view(
    list=extend_schema(summary="Members' seats in consultative bodies of akimats and ministries", tags=["councils"]),
    retrieve=extend_schema(summary="One seat in a consultative body", tags=["councils"]),
)
class ConsultativeSeatViewSet(OpenDataViewSet):
    serializer_class = ConsultativeSeatSerializer
    filterset_class = ConsultativeSeatFilter
    lookup_value_regex = r"[0-9]+"

    csv_columns = (
        "id",
        "key",
        "council",
        "person.id",
        "person.full_name",
        "body_name",
        "state_body.slug",
        "state_body.name",
        "level",
        "start_date",
        "end_date",
        "link",
        "is_demo",
    )

    def get_queryset(self) -> QuerySet[ConsultativeSeat]:
        return public_consultative_seats()
