"""Template tags of the site's frame (base.html).

{% language_links as languages %}   the current page in each language: code, label, url, current
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()

# What the switcher shows: each language's own name, written in full (not translated: a reader looks for their
# language's name, W3C i18n "language selectors"). Abbreviations mixed styles ("ru / қаз / en").
LANGUAGE_LABELS = {"ru": "Русский", "kk": "Қазақша", "en": "English"}


@register.simple_tag
def portal_name() -> str:
    """The portal's name (settings.OVERSIGHT_PORTAL_NAME), as the report cover names it."""
    return settings.OVERSIGHT_PORTAL_NAME


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, str | bool]]:
    """Links, not a form: the page is the same for every visitor, so it can be cached whole, and a link needs no
    CSRF token. The address keeps the query string (`translate_url`); one outside the language prefix stays."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = translation.get_language()
    links: list[dict[str, str | bool]] = []
    for code, _name in settings.LANGUAGES:
        label = LANGUAGE_LABELS.get(code, code)
        links.append({"code": code, "label": label, "url": translate_url(path, code), "current": code == current})
    return links
