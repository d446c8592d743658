"""Every open-data download read as a journalist's tools read it (review issue 15, acceptance: "pandas reads every
CSV with the documented header"): pandas for the CSV (comma and `sep=semicolon`) and pandas with openpyxl for the
XLSX, on the API tests' published council with some of everything.

The documented header of a list is documented twice: the column list the open-data page shows for it
(/ru/open-data/, and the same in kk and en) and the OpenAPI schema's `text/csv` answer of the list and of its
records (/api/schema/: the columns in order and a header line as the example). Both are rendered from each list's
`csv_columns`, but each by code of its own that could drift from what the downloads write, so each download is
compared with all three: the declared columns, the page and the schema.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re

import pandas as pd
import pytest
from django.test import Client
from lxml import html as lxml_html
from openpyxl import load_workbook

from config.api import router
from core.open_api import column_kind
from councils.models import ConsultativeSeat, Convocation
from monitoring.models import DraftActReview
from reports.models import ReportBuild

pytestmark = pytest.mark.django_db

LISTS = {prefix: viewset for prefix, viewset, _basename in router.registry}
# A filter that selects nothing, per list: the unknown council, or for the lists of all councils an unknown city.
EMPTY_FILTER = {"councils": {"city": "Nowhere"}, "state-bodies": {"city": "Nowhere"}}
SEPARATORS = {"comma": ",", "semicolon": ";"}
# A value as the API writes a date or a local time (ISO 8601); a list's joined values are not one.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")
# Separators, quotes, a line break and Kazakh letters in one cell: the text a CSV reader most often splits wrong.
AWKWARD = 'Әкімдіктің жобасы; «Алматы», "2019"\nекінші жол'


def get(path: str, **params):
    response = Client().get(f"/api/v1/{path}", params)
    assert response.status_code == 200, (path, params, response.status_code)
    return response


def body(response) -> bytes:
    return response.getvalue()  # a download is streamed; getvalue() joins it


def json_count(prefix: str, **filters: str) -> int:
    return get(f"{prefix}/", **filters).json()["count"]


def read_csv(prefix: str, sep: str = "comma", **filters: str) -> pd.DataFrame:
    params = {"format": "csv", **filters}
    if sep != "comma":
        params["sep"] = sep
    content = body(get(f"{prefix}/", **params))
    # Every cell as the text the file has: no type guessing, and an empty cell is "", not NaN.
    return pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", sep=SEPARATORS[sep], dtype=str, keep_default_na=False)


def read_xlsx(prefix: str, **filters: str) -> tuple[pd.DataFrame, bytes]:
    content = body(get(f"{prefix}/", format="xlsx", **filters))
    return pd.read_excel(io.BytesIO(content), engine="openpyxl"), content


def empty_filter(prefix: str) -> dict[str, str]:
    return EMPTY_FILTER.get(prefix, {"council": "nowhere"})


def documented_columns(language: str) -> dict[str, list[str]]:
    """The open-data page's table of lists: {list prefix: its columns in the order shown}."""
    response = Client().get(f"/{language}/open-data/")
    assert response.status_code == 200
    page = lxml_html.fromstring(response.content.decode("utf-8"))
    documented = {}
    for row in page.xpath('//table[@id="api-list-table"]/tbody/tr'):
        url = row.xpath("string(./th/code)").strip()
        prefix = re.fullmatch(r"/api/v1/([\w-]+)/", url)
        assert prefix, url
        cells = row.xpath("./td")
        documented[prefix.group(1)] = [code.text_content() for code in cells[-1].xpath("./code")]
    return documented


@functools.cache  # the schema is the code's, whatever the data
def schema_csv_headers() -> dict[str, list[str]]:
    """The OpenAPI schema's documented CSV header of each list ({prefix: columns}), read with pandas from the
    example of the list's `text/csv` answer; the record's answer (`/<prefix>/{id}/`) must document the same."""
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    headers: dict[str, list[str]] = {}
    for path, operations in schema["paths"].items():
        match = re.fullmatch(r"/api/v1/([\w-]+)/(\{\w+\}/)?", path)
        media = operations.get("get", {}).get("responses", {}).get("200", {}).get("content", {}).get("text/csv")
        if not match or media is None:
            continue
        columns = list(pd.read_csv(io.StringIO(media["example"]), dtype=str).columns)
        assert all(f"`{column}`" in media["schema"]["description"] for column in columns), path
        assert media["schema"]["type"] == "string", path  # text, not the paginated JSON list
        parameters = {p["name"]: p for p in operations["get"]["parameters"]}
        assert parameters["sep"]["schema"]["enum"] == ["comma", "semicolon"], path
        assert headers.setdefault(match.group(1), columns) == columns, path
    return headers


def date_columns(prefix: str) -> list[str]:
    viewset = LISTS[prefix]
    serializer = viewset.serializer_class()
    return [column for column in viewset.csv_columns if column_kind(serializer, column) in ("date", "datetime")]


@pytest.fixture
def awkward(world):
    """The API tests' world, with one draft review whose title has every character a CSV reader trips on, and a
    value in every date column (an ended convocation and seat, a finished report build), so that none of the
    XLSX's date columns goes unchecked."""
    review = DraftActReview.objects.filter(council=world.council).order_by("pk").first()
    review.title = AWKWARD
    review.save()
    convocation = Convocation.objects.filter(council=world.council).order_by("pk").first()
    Convocation.objects.filter(pk=convocation.pk).update(end_date=dt.date(2023, 12, 31))
    seat = ConsultativeSeat.objects.filter(council=world.council).order_by("pk").first()
    ConsultativeSeat.objects.filter(pk=seat.pk).update(end_date=seat.start_date + dt.timedelta(days=30))
    finished = dt.datetime(2020, 2, 14, 23, 30, 15, 250000, tzinfo=dt.UTC)  # the next day in Almaty
    ReportBuild.objects.filter(council=world.council).update(finished_at=finished)
    return world


# ---- the documentation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_open_data_page_documents_each_lists_columns_in_the_order_the_files_have(world, language):
    documented = documented_columns(language)

    assert list(documented) == list(LISTS)  # every list of the API, and no other
    for prefix, viewset in LISTS.items():
        assert documented[prefix] == list(viewset.csv_columns), prefix


def test_the_openapi_schema_documents_each_lists_csv_header_and_separator(world):
    documented = schema_csv_headers()

    assert set(documented) == set(LISTS)
    for prefix, viewset in LISTS.items():
        assert documented[prefix] == list(viewset.csv_columns), prefix


# ---- CSV --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", ["comma", "semicolon"])
@pytest.mark.parametrize("prefix", list(LISTS))
def test_pandas_reads_every_csv_with_the_documented_header_and_every_record(awkward, prefix, sep):
    documented = documented_columns("ru")[prefix]

    frame = read_csv(prefix, sep=sep)

    assert list(frame.columns) == documented == schema_csv_headers()[prefix] == list(LISTS[prefix].csv_columns)
    assert len(frame) == json_count(prefix) > 0  # the whole list, not a page, and not an empty test
    if "council" in frame.columns and prefix != "councils":
        filtered = read_csv(prefix, sep=sep, council=awkward.council.slug)
        assert list(filtered.columns) == documented
        assert len(filtered) == json_count(prefix, council=awkward.council.slug)
        assert set(filtered["council"]) == {awkward.council.slug}


@pytest.mark.parametrize("sep", ["comma", "semicolon"])
@pytest.mark.parametrize("prefix", list(LISTS))
def test_an_empty_filtered_csv_still_has_the_full_documented_header(world, prefix, sep):
    filters = empty_filter(prefix)
    assert json_count(prefix, **filters) == 0

    frame = read_csv(prefix, sep=sep, **filters)

    assert list(frame.columns) == documented_columns("ru")[prefix]
    assert frame.empty


@pytest.mark.parametrize("sep", ["comma", "semicolon"])
def test_a_cell_with_separators_quotes_and_a_line_break_reads_back_whole(awkward, sep):
    review = DraftActReview.objects.get(title=AWKWARD)

    frame = read_csv("draft-reviews", sep=sep)

    row = frame[frame["id"] == str(review.pk)]
    assert len(row) == 1
    assert row.iloc[0]["title"] == AWKWARD == get(f"draft-reviews/{review.pk}/").json()["title"]


# ---- XLSX -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", list(LISTS))
def test_every_xlsx_has_the_documented_header_every_record_and_real_dates(awkward, prefix):
    documented = documented_columns("ru")[prefix]
    csv_frame = read_csv(prefix)

    frame, content = read_xlsx(prefix)

    assert list(frame.columns) == documented
    assert len(frame) == json_count(prefix) == len(csv_frame)
    dates = date_columns(prefix)
    # A column the CSV writes as ISO dates is a date column of the XLSX: the declared kinds miss none. (A column
    # through a nested list is joined text, documented so, whatever its items are: one date or several.)
    serializer = LISTS[prefix].serializer_class()
    for column in documented:
        if column_kind(serializer, column) == "list":
            continue
        values = [value for value in csv_frame[column] if value]
        if values and all(ISO_DATE.fullmatch(v) or ISO_DATETIME.fullmatch(v) for v in values):
            assert column in dates, f"{prefix}: {column} holds dates but the XLSX writes it as text"
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(min_row=2))
    header = list(documented)
    for column in dates:
        index = header.index(column)
        written = list(csv_frame[column])
        assert any(written), f"{prefix}: no {column} in the test data, so its dates went unchecked"
        assert pd.api.types.is_datetime64_any_dtype(frame[column]), (prefix, column, frame[column].dtype)
        for row, text in zip(rows, written, strict=True):
            cell = row[index]
            if not text:
                assert cell.value is None
                continue
            assert cell.is_date, (prefix, column, cell.value)
            if ISO_DATE.fullmatch(text):
                assert cell.value.date() == dt.date.fromisoformat(text)
            else:  # the wall-clock time the API gives, without its zone (Excel has none), to Excel's millisecond
                wall_clock = dt.datetime.fromisoformat(text).replace(tzinfo=None)
                assert abs(cell.value - wall_clock) < dt.timedelta(milliseconds=1), (cell.value, text)


@pytest.mark.parametrize("prefix", list(LISTS))
def test_an_empty_filtered_xlsx_still_has_the_full_documented_header(world, prefix):
    frame, _content = read_xlsx(prefix, **empty_filter(prefix))

    assert list(frame.columns) == documented_columns("ru")[prefix]
    assert frame.empty
