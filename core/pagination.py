"""A paginator whose count stops at a bound, for lists that may hold hundreds of thousands of rows.

Django's Paginator counts the whole filtered list on every page (`COUNT(*)` over every matching row). This one
counts at most `bound` + 1 rows (`SELECT COUNT(*) FROM (… LIMIT bound + 1)`), so a page costs the same at any size;
past the bound the list says "more than N" and offers the first N rows' pages: nobody pages through more, they
filter or sort instead.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

DEFAULT_BOUND = 10_000


class BoundedPaginator(Paginator):  # type: ignore[type-arg]  # not subscriptable at run time
    def __init__(
        self,
        object_list: QuerySet[Any],
        per_page: int,
        *,
        bound: int = DEFAULT_BOUND,
        count_unordered: bool = False,
        keep_ids: bool = False,
    ) -> None:
        super().__init__(object_list, per_page)
        self.rows = object_list
        self.bound = bound
        self.count_unordered = count_unordered
        self.keep_ids = keep_ids
        self.ids: list[Any] | None = None

    @cached_property
    def counted(self) -> int:
        # In the list's order by default: the first `bound` rows along the order's index, which for a list of the
        # open items is where they are. `count_unordered`: how many, not which, so PostgreSQL counts along
        # whichever index finds them soonest (a word search: its GIN index). `keep_ids`: the same rows' ids are
        # read instead of counted and kept (`ids`), so that a list under the bound can be read again by them.
        rows = self.rows.order_by() if self.count_unordered else self.rows
        if self.keep_ids:
            self.ids = list(rows.values_list("pk", flat=True)[: self.bound + 1])
            return len(self.ids)
        return rows[: self.bound + 1].count()

    def read_pages_from(self, rows: QuerySet[Any]) -> None:
        """Take the pages from `rows`, the same rows in the same order read another way (a plan that suits many
        matches, once the count has shown there are many); the count already made stands."""
        self.object_list = rows

    @property
    def capped(self) -> bool:
        """More rows match than were counted: the list shows "more than `bound`"."""
        return self.counted > self.bound

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.bound)
