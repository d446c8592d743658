"""Exports open safely in a spreadsheet: text that looks like a formula stays text."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from councils.workspace import export_response

COLUMNS = [("Тема", lambda row: row["topic"]), ("Кол-во", lambda row: row["count"])]
ROWS = [
    {"topic": '=HYPERLINK("http://evil.example","нажмите")', "count": -3},
    {"topic": "Парк «Южный»", "count": 4},
    {"topic": "", "count": None},
]


def test_csv_quotes_formula_like_text_and_keeps_numbers():
    body = export_response(rows=ROWS, columns=COLUMNS, fmt="csv", filename="x").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    assert lines[0] == ["Тема", "Кол-во"]
    assert lines[1][0].startswith("'=HYPERLINK")
    assert lines[1][1] == "-3"
    assert lines[2] == ["Парк «Южный»", "4"]
    assert lines[3] == ["", ""]  # empty stays empty


def test_xlsx_quotes_formula_like_text_and_keeps_numbers():
    response = export_response(rows=ROWS, columns=COLUMNS, fmt="xlsx", filename="x")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0].startswith("'=HYPERLINK")
    assert rows[1][1] == -3
