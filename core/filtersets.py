"""A django-filter `FilterSet` whose filters are copied, not deep-copied, for each request.

django-filter copies the class's filters for every FilterSet it builds (`copy.deepcopy(base_filters)`), and a
deep copy walks everything a filter holds: its choices (every label of every choice list), its widget, its
queryset. For the inbox's fourteen filters that was some 730 `deepcopy` calls and about 1 ms of each page
(cProfile at 1,000,000 appeals, benchmarks/scale.py). What a FilterSet changes on its copies is their own
attributes (`model`, `parent`, the field built once per copy), so a shallow copy of each filter, with a dict of
field arguments of its own, is enough; the one object that points back at its filter, the `FilterMethod` of a
filter with a `method`, is made again for the copy.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from typing import Any

import django_filters


def _filter_copy(original: django_filters.Filter) -> django_filters.Filter:
    duplicate = copy.copy(original)
    duplicate.extra = dict(original.extra)  # the field's arguments: a FilterSet may change them on its copy
    duplicate.__dict__.pop("_field", None)  # each copy builds its own field
    if original.method is not None:
        duplicate.method = original.method  # a FilterMethod bound to the copy, not to the class's filter
    return duplicate


class _Filters(OrderedDict[str, django_filters.Filter]):
    def __deepcopy__(self, memo: dict[int, Any]) -> _Filters:
        return _Filters((name, _filter_copy(original)) for name, original in self.items())


class FilterSet(django_filters.FilterSet):  # type: ignore[misc]  # django-filter has no stubs
    @classmethod
    def get_filters(cls) -> OrderedDict[str, django_filters.Filter]:
        return _Filters(super().get_filters())
