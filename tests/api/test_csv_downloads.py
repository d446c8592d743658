"""Downloads of open lists (review issue 15): the whole filtered list, fixed columns, `;` for Excel, XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from config.api import router
from monitoring.models import DraftActReview
from tests import factories as f

pytestmark = pytest.mark.django_db

LISTS = [prefix for prefix, _viewset, _basename in router.registry]
COUNCIL_LISTS = [name for name in LISTS if name not in ("councils", "state-bodies")]


def download(path: str, **params):
    response = Client().get(f"/api/v1/{path}", params)
    assert response.status_code == 200, response.getvalue()
    return response


def table(response, sep: str = ",") -> list[list[str]]:
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only after the byte order mark
    return list(csv.reader(io.StringIO(text[1:]), delimiter=sep))


@pytest.fixture
def reviews(db):
    council = f.CouncilFactory(slug="almaty")
    body = f.StateBodyFactory(slug="akimat")
    for i in range(89):
        f.DraftActReviewFactory(
            council=council, developer=body if i % 2 else None, discussion_start=dt.date(2019, 1, 1 + i % 28)
        )
    return council


def test_a_csv_download_has_every_row_of_the_filtered_list_not_a_page(reviews):
    response = download("draft-reviews/", format="csv")

    rows = table(response)[1:]
    assert len(rows) == 89 == DraftActReview.objects.count()
    assert response.streaming
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="all-draft-reviews-{today}.csv"'
    filtered = download("draft-reviews/", format="csv", council="almaty", state_body="akimat")
    assert len(table(filtered)[1:]) == 44
    assert f'filename="almaty-draft-reviews-{today}.csv"' in filtered["Content-Disposition"]


def test_the_csv_header_is_the_same_with_and_without_filters_and_data(reviews):
    full = table(download("draft-reviews/", format="csv"))[0]
    filtered = table(download("draft-reviews/", format="csv", state_body="akimat"))[0]  # every row has one
    empty = table(download("draft-reviews/", format="csv", council="nowhere"))

    assert full == filtered == empty[0] == list(router_columns("draft-reviews"))
    assert empty[1:] == []
    assert "developer" not in full  # an object is its fields, never an empty column of its own


def router_columns(name: str) -> tuple[str, ...]:
    return next(viewset for prefix, viewset, _b in router.registry if prefix == name).csv_columns


@pytest.mark.parametrize("name", LISTS)
def test_every_list_declares_flat_csv_columns_and_answers_with_them(world, name):
    from core.open_api import column_kind  # here, so that the other tests also run against older code

    viewset = next(viewset for prefix, viewset, _b in router.registry if prefix == name)
    columns = viewset.csv_columns
    serializer = viewset.serializer_class()
    for column in columns:  # raises for a column that names no field, or an object (a JSON cell)
        column_kind(serializer, column)

    header, *rows = table(download(f"{name}/", format="csv"))
    assert tuple(header) == columns
    assert rows and all(len(row) == len(header) for row in rows)
    assert not [cell for row in rows for cell in row if cell.startswith(("[{", '{"'))]  # no JSON in a cell
    if name in COUNCIL_LISTS:
        assert table(download(f"{name}/", format="csv", council="nowhere")) == [header]


def test_meeting_agenda_is_joined_text_and_an_empty_body_is_no_column(world):
    header, *rows = table(download("meetings/", format="csv", council="almaty"))
    cells = [dict(zip(header, row, strict=True)) for row in rows]

    assert "body" not in header and {"body.id", "body.name"} <= set(header)
    assert all(row["agenda_items.number"] == "1; 2" for row in cells if row["is_open"] == "true")


def test_sep_semicolon_separates_with_semicolons(reviews):
    response = download("draft-reviews/", format="csv", sep="semicolon")

    rows = table(response, sep=";")
    assert rows[0][:4] == ["id", "key", "council", "title"]
    assert len(rows) == 90 and all(len(row) == len(rows[0]) for row in rows)
    one = DraftActReview.objects.first()
    detail = table(download(f"draft-reviews/{one.pk}/", format="csv", sep="semicolon"), sep=";")
    assert detail[0] == rows[0]


def test_an_unknown_separator_is_a_clear_400(reviews):
    response = Client().get("/api/v1/draft-reviews/", {"format": "csv", "sep": "tab"}, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 400
    assert "Укажите sep=comma или sep=semicolon." in response.getvalue().decode()


def test_the_xlsx_download_has_real_dates_a_frozen_header_an_autofilter_and_no_apostrophe(reviews):
    review = DraftActReview.objects.order_by("-discussion_start", "-id").first()
    review.title = "=SUM(A1)"
    review.save()

    response = download("draft-reviews/", format="xlsx")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith(f'-draft-reviews-{timezone.localdate().isoformat()}.xlsx"')
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    assert header == list(router_columns("draft-reviews"))
    assert len(rows) == 90
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:J{len(rows)}"
    first = {name: cell for name, cell in zip(header, rows[1], strict=True)}
    assert first["discussion_start"].is_date
    assert first["discussion_start"].value.date() == review.discussion_start
    assert first["id"].value == review.pk  # a number, not text
    assert first["title"].value == "=SUM(A1)"  # no apostrophe ...
    assert first["title"].data_type == "s"  # ... and a string: never run as a formula


def test_a_csv_download_makes_a_formula_inert(reviews):
    DraftActReview.objects.update(title="=SUM(A1)")

    rows = table(download("draft-reviews/", format="csv"))

    assert {row[3] for row in rows[1:]} == {"'=SUM(A1)"}


def test_a_download_is_not_kept_in_the_response_cache(reviews, settings):
    settings.OPEN_API_CACHE_SECONDS = 60
    download("draft-reviews/", format="csv", sep="semicolon")
    download("draft-reviews/", format="xlsx")
    assert not [key for key in cache._cache if "open-api" in key]  # the tests' in-process cache

    download("draft-reviews/", format="json")
    assert [key for key in cache._cache if "open-api" in key]  # JSON pages still are
