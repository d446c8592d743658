"""Template tags of the site's frame (base.html).

{% language_links as languages %}   the current page in each language: code, label, url, current
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core import languages

register = template.Library()


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
    # Each language's own name in full, not translated (core.languages.native_name): abbreviations mixed styles.
    for code in languages.codes():
        label = languages.native_name(code)
        links.append({"code": code, "label": label, "url": translate_url(path, code), "current": code == current})
    return links


# ---- what search engines and link previews read: canonical address, alternates, Open Graph -------------------

# The query parameters that make a page of its own: ?year= shows another year's records (a council's 2019 and
# 2020 are different pages worth finding). Filters, sorting and page numbers are views of the same page, and
# their canonical address is the bare page.
CANONICAL_PARAMETERS = ("year",)
YEAR = re.compile(r"^\d{4}$")
SHARE_IMAGE = "img/share.png"  # 1200×630, the portal's name on a neutral ground (scripts/make_share_image.py)
SHARE_IMAGE_SIZE = (1200, 630)


def site_url(path: str) -> str:
    """An absolute address on the portal's public site (SITE_URL), whatever host the request came in by."""
    return settings.SITE_URL.rstrip("/") + path


def canonical_path(request: HttpRequest | None) -> str:
    """The page's path with only the parameters that make a page of its own (`CANONICAL_PARAMETERS`), each
    once and well-formed: ?page=2&status=sent canonicalises to the bare page, ?year=2019 keeps its year."""
    if request is None:
        return "/"
    kept = []
    for name in CANONICAL_PARAMETERS:
        value = request.GET.get(name, "")
        if name == "year" and YEAR.match(value):
            kept.append((name, value))
    return request.path + (f"?{urlencode(kept)}" if kept else "")


@register.simple_tag(takes_context=True)
def page_meta(context: template.Context) -> dict[str, Any]:
    """The head's addresses for this page: `canonical`, `alternates` (every language, this one included, then
    x-default), the Open Graph locales and the share image, all absolute from SITE_URL."""
    path = canonical_path(context.get("request"))
    current = translation.get_language() or settings.LANGUAGE_CODE
    alternates = [{"code": code, "url": site_url(translate_url(path, code))} for code in languages.codes()]
    # x-default: the address without a language prefix, which sends each reader to their language (Django's
    # LocaleMiddleware); the same address the sitemap gives.
    default = translate_url(path, settings.LANGUAGE_CODE).replace(f"/{settings.LANGUAGE_CODE}/", "/", 1)
    return {
        "canonical": site_url(translate_url(path, current)),
        "alternates": [*alternates, {"code": "x-default", "url": site_url(default)}],
        "og_locale": languages.og_locale(current),
        "og_locale_alternates": [languages.og_locale(c) for c in languages.codes() if c != current],
        "image": site_url(static(SHARE_IMAGE)),
        "image_width": SHARE_IMAGE_SIZE[0],
        "image_height": SHARE_IMAGE_SIZE[1],
    }


@register.simple_tag
def meta_text(obj: Any, *fields: str) -> str:
    """A record's text in the page's language (Russian standing in), on one line and at most 200 characters:
    a meta description or an og:description."""
    from core.templatetags.names import pick

    value, _fallback = pick(obj, *fields)
    return Truncator(" ".join(str(value).split())).chars(200)


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist, self.name = nodelist, name

    def render(self, context: template.Context) -> str:
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308 - rendered, escaped
        return ""


@register.tag
def capture(parser: template.base.Parser, token: template.base.Token) -> CaptureNode:
    """{% capture as name %}…{% endcapture %}: render once, use twice (the page's title in <title> and in
    og:title). Blocks inside stay blocks that child templates fill."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
