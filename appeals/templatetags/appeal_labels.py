"""Filters of the appeal lists, where a page shows the same few things for every row.

`{{ labels|label:code }}`: a council's name for a category or locality code (appeals/categories.py gives the
dict once per page), or a choice's label (`choice_names`, translated once per page rather than by
`get_FOO_display` in every row); the code itself when the list does not know it.

`{{ value|dmy }}`: a date, or a moment as the reader's local date, written DD.MM.YYYY, what `|date:"d.m.Y"` writes
without parsing its format for every cell; `{{ value|ymd }}` the same date as YYYY-MM-DD (`|date:"Y-m-d"`), for a
`<time datetime>`.
"""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter
def label(labels: dict[str, str] | None, code: str | None) -> str:
    if not code:
        return ""
    return (labels or {}).get(code, code)


@register.filter(expects_localtime=True)
def dmy(value: dt.date | None) -> str:
    # A datetime is in the current time zone already (expects_localtime); a date is written as it is.
    if not isinstance(value, dt.date):
        return ""
    return f"{value.day:02}.{value.month:02}.{value.year:04}"


@register.filter(expects_localtime=True)
def ymd(value: dt.date | None) -> str:
    if not isinstance(value, dt.date):
        return ""
    return f"{value.year:04}-{value.month:02}-{value.day:02}"
