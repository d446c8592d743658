"""Cells for CSV and XLSX exports that a spreadsheet shows as text.

A CSV cell has no type: a spreadsheet guesses one, and runs text that starts like a formula (CSV injection), so
such text gets a leading apostrophe (`inert_cell`), which Excel and LibreOffice read as "this is text". An XLSX
cell carries its type: a string cell is never run, so it is written as a string and keeps no apostrophe
(`write_xlsx`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import IO, Any, overload

# A cell starting with one of these runs as a formula in Excel or LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limit for one cell: a longer text is cut there rather than making a file Excel calls damaged.
XLSX_MAX_CELL = 32_767


@overload
def inert_cell(value: str) -> str: ...
@overload
def inert_cell(value: object) -> object: ...
def inert_cell(value: object) -> object:
    """Text that would run as a formula gets a leading apostrophe; other values (numbers, dates) pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))  # openpyxl has no type information


def write_xlsx(
    file: IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    kinds: Sequence[str] = (),
    sheet_title: str = "data",
) -> int:
    """Write a one-sheet workbook to `file` and return the number of rows; memory stays flat as rows stream.

    1. openpyxl's write-only mode: each row goes to a temporary file as it comes, not into a tree of cells.
    2. The header row is frozen (it stays on screen while scrolling) and carries an autofilter.
    3. Dates and times are real dates (a date format), numbers numbers; a `kinds` entry of "date" or "datetime"
       gives the column its width for them.
    4. Text is a string cell, always: "=SUM(A1)" is stored as that text, never as a formula, and with no
       apostrophe. Characters XML cannot hold (control characters) are dropped rather than failing the file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31] or "data")  # Excel's limit for a sheet name
    sheet.freeze_panes = "A2"
    for index, kind in enumerate(kinds, start=1):
        if kind in ("date", "datetime"):
            sheet.column_dimensions[_column_letter(index)].width = 12 if kind == "date" else 18
    sheet.append([_string_cell(sheet, name, WriteOnlyCell, ILLEGAL_CHARACTERS_RE) for name in header])
    count = 0
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                cells.append(_string_cell(sheet, value, WriteOnlyCell, ILLEGAL_CHARACTERS_RE))
            elif isinstance(value, dt.datetime):
                cells.append(value.replace(tzinfo=None))
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    # The filter covers the header and every row (known only now: write-only mode writes it on save).
    sheet.auto_filter.ref = f"A1:{_column_letter(max(len(header), 1))}{count + 1}"
    workbook.save(file)
    return count


def _string_cell(sheet: Any, value: str, cell_class: Any, illegal: Any) -> Any:  # Any: openpyxl is untyped
    cell = cell_class(sheet, value=None)
    cell.value = illegal.sub("", value)[:XLSX_MAX_CELL]
    cell.data_type = "s"  # after the value: openpyxl would have typed "=..." as a formula
    return cell
