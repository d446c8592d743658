"""Pages and open-data answers travel gzipped to a browser that accepts it; files are sent as they are stored."""

from __future__ import annotations

import gzip
import io

import pytest
from django.core.cache import cache
from django.test import Client
from openpyxl import load_workbook

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_pages():
    # The council page is kept whole in the cache: neither take one from another test nor leave one behind.
    cache.clear()
    yield
    cache.clear()


def test_a_council_page_reaches_a_browser_gzipped_and_reads_the_same():
    f.CouncilFactory(slug="almaty", name="Общественный совет города Алматы")
    plain = Client().get("/ru/councils/almaty/")

    response = Client().get("/ru/councils/almaty/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "Общественный совет города Алматы" in html
    assert len(response.content) < len(plain.content) / 2
    assert not plain.has_header("Content-Encoding")


def test_an_open_data_csv_download_is_gzipped_and_an_xlsx_file_is_sent_as_it_is():
    council = f.CouncilFactory(slug="almaty")
    for _ in range(30):
        f.DraftActReviewFactory(council=council)

    csv_response = Client().get("/api/v1/draft-reviews/", {"format": "csv"}, HTTP_ACCEPT_ENCODING="gzip")
    xlsx_response = Client().get("/api/v1/draft-reviews/", {"format": "xlsx"}, HTTP_ACCEPT_ENCODING="gzip")

    assert csv_response["Content-Encoding"] == "gzip"
    assert gzip.decompress(csv_response.getvalue()).decode("utf-8").count("\n") == 31
    workbook = xlsx_response.getvalue()  # a stream: read once
    assert not xlsx_response.has_header("Content-Encoding")
    assert int(xlsx_response["Content-Length"]) == len(workbook)
    assert load_workbook(io.BytesIO(workbook)).active.max_row == 31
