"""Template tags of the public portal pages.

{% council_cache council as cc %}   the council's cache state: {% council_fragment cc.ttl "name" cc.key ... %}
{% council_fragment ttl "name" vary... %}…{% endcouncil_fragment %}   Django's {% cache %}, keeping the fragment
                                    only under a cacheable address (core/page_cache.py: bounded cache keys)
{% query_with page=2 %}             the current query string with some parameters replaced ("?year=2019&page=2")
{% agenda_items_with_recommendations council agenda as recommended %}   the ids of the agenda items the public
                                    tracker has recommendations on (one query), so a meeting page links only those
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.cache import caches
from django.core.cache.backends.base import InvalidCacheBackendError
from django.core.cache.utils import make_template_fragment_key
from django.template.base import FilterExpression, NodeList, Parser, Token

from core.page_cache import FREE_TEXT_PARAMETERS, CouncilCacheState, council_cache_state, noting_corrections

register = template.Library()


@register.simple_tag
def agenda_items_with_recommendations(council: Any, agenda: list[Any]) -> set[int]:
    """The agenda items (of `agenda`) that the public recommendation tracker has something on: a meeting page
    offered "Recommendations on this item" under every item, most of which led to an empty tracker."""
    from monitoring.selectors import public_recommendations

    ids = [item.pk for item in agenda]
    if not ids:
        return set()
    rows = public_recommendations().filter(
        council=council,
        source_type__app_label="hearings",
        source_type__model="agendaitem",
        source_id__in=ids,
    )
    return set(rows.values_list("source_id", flat=True).distinct())


@register.simple_tag
def council_cache(council: Any) -> CouncilCacheState:
    return council_cache_state(council.pk)


class CouncilFragmentNode(template.Node):
    """Django's `{% cache %}`, keeping a fragment only when the address has no free-text parameter and no helper
    corrected a parameter while it rendered (a page past the last, a year without records): a key per value of
    `?page=` or `?body=` would let anyone fill the cache."""

    def __init__(self, nodelist: NodeList, ttl: FilterExpression, name: str, vary_on: list[FilterExpression]):
        self.nodelist, self.ttl, self.name, self.vary_on = nodelist, ttl, name, vary_on

    def render(self, context: template.Context) -> str:
        try:
            fragments = caches["template_fragments"]
        except InvalidCacheBackendError:
            fragments = caches["default"]
        # Other parameters (?utm_source=) do not reach the key, and those that do are bounded by the view's
        # helpers (a page number below 100000, a year in the portal's range), which note what they correct.
        request = context.get("request")
        storable = request is not None and not FREE_TEXT_PARAMETERS & set(request.GET)
        key = make_template_fragment_key(self.name, [var.resolve(context) for var in self.vary_on])
        if storable:
            value = fragments.get(key)
            if value is not None:
                return value
        with noting_corrections() as corrected:
            value = self.nodelist.render(context)
        if storable and not corrected:
            fragments.set(key, value, int(self.ttl.resolve(context)))
        return value


@register.tag("council_fragment")
def do_council_fragment(parser: Parser, token: Token) -> CouncilFragmentNode:
    nodelist = parser.parse(("endcouncil_fragment",))
    parser.delete_first_token()
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("council_fragment takes a time, a name and what it varies on")
    return CouncilFragmentNode(
        nodelist, parser.compile_filter(bits[1]), bits[2], [parser.compile_filter(b) for b in bits[3:]]
    )


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
