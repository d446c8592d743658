"""Template tags of the public portal pages.

{% council_cache council as cc %}   the council's cache state: {% cache cc.ttl "name" cc.key ... %}
{% query_with page=2 %}             the current query string with some parameters replaced ("?year=2019&page=2")
"""

from __future__ import annotations

from typing import Any

from django import template

from ..cache import CouncilCacheState, council_cache_state

register = template.Library()


@register.simple_tag
def council_cache(council: Any) -> CouncilCacheState:
    return council_cache_state(council.pk)


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **params: Any) -> str:
    """The request's query string with `params` set (an empty value removes the parameter); always starts
    with "?" so that it works as a relative link."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        from django.http import QueryDict

        query = QueryDict(mutable=True)
    for name, value in params.items():
        if value in (None, ""):
            query.pop(name, None)
        else:
            query[name] = str(value)
    return "?" + query.urlencode()
