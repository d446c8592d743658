"""Cells for CSV and XLSX exports that a spreadsheet shows as text."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these runs as a formula in Excel or LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: Any) -> Any:
    """Text that would run as a formula gets a leading apostrophe; other values (numbers, dates) pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
