"""Values kept in this process while a version in the shared cache stays the same.

Some reads are made on every request and change seldom: the council an appeal is posted to (by its slug), the
working-day calendar a deadline is counted on. Each costs a query and its ORM work (a few milliseconds of CPU, the
largest share of a submission's). `remember(key, version, load)` keeps the loaded value in this process and
returns it again while `version()` (read from the shared cache in one round trip, e.g.
`core.page_cache.portal_cache_version()`) is unchanged; an edit bumps the version, and every process loads again on
its next request.

Values read inside a transaction are never kept: such a read may see rows that never commit (a test, or a service
that edits and reads in one transaction), and a value kept from it would outlive the rollback.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

from django.db import connection

T = TypeVar("T")

MAX_ENTRIES = 1024

_entries: OrderedDict[Hashable, tuple[str, object]] = OrderedDict()
_lock = threading.Lock()


def remember(key: Hashable, version: Callable[[], str], load: Callable[[], T]) -> T:
    """The value of `load()` kept under `key` while `version()` gives the same; at most MAX_ENTRIES are kept, the
    least recently used going first. (`version` is called only when a value may be kept.)"""
    if connection.in_atomic_block:
        return load()
    current = version()
    with _lock:
        entry = _entries.get(key)
        if entry is not None and entry[0] == current:
            _entries.move_to_end(key)
            return cast(T, entry[1])  # stored by this function from the same key's load()
    value = load()
    with _lock:
        _entries[key] = (current, value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
