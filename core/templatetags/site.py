"""Template tags of the site's frame (base.html).

{% language_links as languages %}   the current page in each language: code, label, title, url, current
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()

# What the switcher shows, each in its own language (not translated: a reader looks for their language's name).
LANGUAGE_LABELS = {"ru": ("ru", "Русский"), "kk": ("қаз", "Қазақша"), "en": ("en", "English")}


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, Any]]:
    """Links, not a form: the page is the same for every visitor, so it can be cached whole, and a link needs no
    CSRF token. The address keeps the query string (`translate_url`); one outside the language prefix stays."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        label, title = LANGUAGE_LABELS.get(code, (code, code))
        links.append(
            {"code": code, "label": label, "title": title, "url": translate_url(path, code), "current": code == current}
        )
    return links
