"""Official names in the reader's language (django-modeltranslation fields, councils/translation.py).

{% tr_name obj %}, {% tr_name obj "short_name" "name" %}
    the record's name in the page's language (the first of the fields it has in that language); where it has none
    and the Russian stands in, it comes as <span lang="ru">…</span>, so that screen readers switch voice
{% tr_text obj "legal_basis" %}
    a longer text as paragraphs, in <div lang="ru"> when the Russian stands in
{% day_reason reason %}
    why a day was not counted in a deadline, translated where the calendar's name is known (core.workdays)
{% kept_in_russian obj "name" "legal_basis" as flag %}
    True when any of those fields shows the Russian on this page: a record page then says it is kept in Russian
<p{% ru_content %}>{{ meeting.title }}</p>, {% ru_content_note %}
    for the records that are kept only in Russian (meetings, hearings, monitoring, recommendations and answers):
    ` lang="ru"` on the element holding them on a Kazakh or English page, and once per page or section a short
    note in the page's language that the records are kept in Russian; both nothing on a Russian page

One helper for every page and the annual report, so the fallback is marked the same way everywhere.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.db.models import Model
from django.template.defaultfilters import linebreaks_filter
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from core.workdays import reason_in_language

register = template.Library()

FALLBACK: str = getattr(settings, "MODELTRANSLATION_DEFAULT_LANGUAGE", "ru")


def _language() -> str:
    return (translation.get_language() or FALLBACK).split("-")[0]


def _own(obj: Model, field: str, language: str) -> str:
    """The record's own value in `language`: '' when it has none (modeltranslation keeps None or '')."""
    return getattr(obj, f"{field}_{language}", None) or ""


def _translated(obj: Model, field: str) -> bool:
    return hasattr(obj, f"{field}_{FALLBACK}")


def pick(obj: Model, *fields: str) -> tuple[str, bool]:
    """The value to show and whether it is the Russian standing in for the page's language.

    1. A field the record has in the page's language, the first of `fields` that has one.
    2. Otherwise the first of them it has in Russian: a fallback.
    3. A model without translated fields: its plain attribute.
    """
    fields = fields or ("name",)
    if obj is None:
        return "", False
    language = _language()
    if not any(_translated(obj, f) for f in fields):
        return next((str(v) for f in fields if (v := getattr(obj, f, ""))), ""), False
    for field in fields:
        if value := _own(obj, field, language):
            return value, False
    for field in fields:
        if value := _own(obj, field, FALLBACK):
            return value, language != FALLBACK
    return "", False


def name_html(obj: Model, *fields: str) -> SafeString:
    value, fallback = pick(obj, *fields)
    if fallback:
        return format_html('<span lang="{}">{}</span>', FALLBACK, value)
    return conditional_escape(value)


@register.simple_tag
def tr_name(obj: Model, *fields: str) -> SafeString:
    return name_html(obj, *fields)


@register.simple_tag
def tr_text(obj: Model, field: str) -> SafeString:
    value, fallback = pick(obj, field)
    if fallback:
        return format_html('<div lang="{}">{}</div>', FALLBACK, linebreaks_filter(value, autoescape=True))
    # The template filter escapes the text and returns safe paragraphs.
    return linebreaks_filter(value, autoescape=True) if value else SafeString("")


@register.simple_tag
def kept_in_russian(obj: Model, *fields: str) -> bool:
    return any(pick(obj, field)[1] for field in (fields or ("name",)))


@register.simple_tag
def ru_content() -> SafeString:
    if _language() == FALLBACK:
        return SafeString("")
    return format_html(' lang="{}"', FALLBACK)


@register.simple_tag
def ru_content_note() -> SafeString:
    if _language() == FALLBACK:
        return SafeString("")
    return format_html('<p class="note kept-ru">{}</p>', gettext("These records are kept in Russian."))


@register.simple_tag
def day_reason(reason: str) -> SafeString:
    """Why a day was not counted (core.workdays.reason_not_working) in the page's language: the weekdays, the
    holidays and the transfers it knows are translated; another name, kept in Russian, is marked as such."""
    if _language() == FALLBACK:
        return conditional_escape(reason)
    text, translated = reason_in_language(reason)
    if translated:
        return conditional_escape(text)
    return format_html('<span lang="{}">{}</span>', FALLBACK, text)
