"""`{{ labels|label:code }}`: a council's name for a category or locality code (appeals/categories.py gives the
dict once per page), the code itself when the list does not know it."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def label(labels: dict[str, str] | None, code: str | None) -> str:
    if not code:
        return ""
    return (labels or {}).get(code, code)
