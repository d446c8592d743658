"""The public portal's addresses do not move when its URL patterns move between apps.

Each app keeps its own public pages (`<app>/public_urls.py`), all under the one `reports` namespace that
templates, the sitemap, feeds and other sites' links rely on. The map in url_map.json (every name of that
namespace and the open-data page, its address, the view it runs and the query parameters its page cache keeps) was
captured before the patterns left reports/urls.py; a page whose name, address, view or caching changes fails here.
After a deliberate change, rewrite the file: `UPDATE_URL_MAP=1 pytest tests/portal/test_url_map.py`.
"""

from __future__ import annotations

import inspect
import json
import os
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

FIXTURE = Path(__file__).with_name("url_map.json")
NAMESPACE = "reports"
# Cached pages outside the namespace (config/urls.py wraps them itself).
OTHERS = {"open_data"}
# A value for each kind of URL argument, so that every name can be reversed.
SAMPLES = {"slug": "almaty", "int": 7, "str": "x"}


def _patterns(resolvers: list[Any], namespace: str | None = None) -> list[tuple[str | None, URLPattern]]:
    found = []
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            found += _patterns(entry.url_patterns, entry.namespace or namespace)
        else:
            found.append((namespace, entry))
    return found


def _page_cache(view: Any) -> dict[str, Any] | None:
    """Which whole-page cache wraps the view (council or portal) and the query parameters it keeps."""
    code = getattr(view, "__code__", None)
    wrapper = code.co_qualname if code is not None else ""
    if not wrapper.endswith(".<locals>.wrapper") or not wrapper.startswith("cache_"):
        return None
    allowed = inspect.getclosurevars(view).nonlocals.get("allowed", frozenset())
    return {"cache": wrapper.split(".")[0], "parameters": sorted(allowed)}


def _kwargs(route: str) -> dict[str, Any]:
    return {name: SAMPLES[converter] for converter, name in re.findall(r"<(\w+):(\w+)>", route)}


def current_map() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for namespace, pattern in _patterns(get_resolver().url_patterns):
        if namespace == NAMESPACE and pattern.name:
            name = f"{NAMESPACE}:{pattern.name}"
        elif namespace is None and pattern.name in OTHERS:
            name = pattern.name
        else:
            continue
        view = pattern.callback
        # In the default language: the other languages' prefixes are i18n_patterns' business, not the apps'.
        with translation.override(settings.LANGUAGE_CODE):
            address = reverse(name, kwargs=_kwargs(str(pattern.pattern)))
        found[name] = {
            "address": address,
            "view": f"{view.__module__}.{view.__qualname__}",
            "page_cache": _page_cache(view),
        }
    return dict(sorted(found.items()))


def test_every_public_page_keeps_its_name_address_view_and_cache():
    current = current_map()
    if os.environ.get("UPDATE_URL_MAP"):
        FIXTURE.write_text(json.dumps(current, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    # Compared as a whole for one readable diff; the number guards against an empty walk passing.
    assert len(current) >= 20
    assert current == expected
