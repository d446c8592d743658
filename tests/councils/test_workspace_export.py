"""Exports open safely in a spreadsheet: text that looks like a formula stays text."""

from __future__ import annotations

import csv
import datetime as dt
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
    body = export_response(rows=ROWS, columns=COLUMNS, fmt="csv", filename="x").getvalue().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    assert lines[0] == ["Тема", "Кол-во"]
    assert lines[1][0].startswith("'=HYPERLINK")
    assert lines[1][1] == "-3"
    assert lines[2] == ["Парк «Южный»", "4"]
    assert lines[3] == ["", ""]  # empty stays empty


def test_xlsx_keeps_formula_like_text_verbatim_as_text_and_keeps_numbers():
    rows_in = [*ROWS, {"topic": "=1+2", "count": 1}, {"topic": "Иванов", "count": 2}]
    response = export_response(rows=rows_in, columns=COLUMNS, fmt="xlsx", filename="x")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    cells = list(sheet.iter_rows(min_row=2))
    rows = [[cell.value for cell in row] for row in cells]
    # An XLSX string cell never runs: the value comes back exactly, with no apostrophe, and is not a formula.
    assert rows[0][0] == '=HYPERLINK("http://evil.example","нажмите")'
    assert rows[3] == ["=1+2", 1] and cells[3][0].data_type == "s"
    assert rows[4] == ["Иванов", 2]
    assert all(cell.data_type != "f" for row in cells for cell in row)
    assert rows[0][1] == -3
    # The header stays on screen and carries a filter.
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:B6"


def test_xlsx_dates_are_real_dates():
    columns = [("Дата", lambda row: row["day"])]
    response = export_response(rows=[{"day": dt.date(2019, 4, 5)}], columns=columns, fmt="xlsx", filename="x")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet["A2"].value == dt.datetime(2019, 4, 5) and sheet["A2"].is_date
