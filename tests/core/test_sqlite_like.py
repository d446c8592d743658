"""The local demo's SQLite matches case-insensitively in every alphabet, as PostgreSQL does (core/sqlite.py): a
council's second organisation named «тоо «казцинк»» beside «ТОО «Казцинк»» is refused, a search for «алматы»
finds «Алматы». SQLite's own LIKE folds ASCII only."""

from __future__ import annotations

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from core.sqlite import like


@pytest.fixture
def sqlite(django_db_blocker):
    """A SQLite connection made by Django's backend, as the demo's is (whatever database the suite runs on)."""
    wrapper = DatabaseWrapper(
        {
            "NAME": ":memory:",
            "ENGINE": "django.db.backends.sqlite3",
            "OPTIONS": {},
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
        },
        alias="demo-sqlite",
    )
    with django_db_blocker.unblock():
        wrapper.ensure_connection()
        yield wrapper
        wrapper.close()


def _matches(connection, value: str, pattern: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s LIKE %s ESCAPE '\\'", [value, pattern])
        return bool(cursor.fetchone()[0])


def test_django_lookups_on_the_demo_database_fold_cyrillic_and_kazakh_case(sqlite):
    # iexact, icontains and istartswith as Django writes them for SQLite.
    assert _matches(sqlite, "ТОО «Казцинк»", "тоо «казцинк»")
    assert _matches(sqlite, "Общественный совет города Алматы", "%алматы%")
    assert _matches(sqlite, "ҚОҚЫС ШЫҒАРУ", "қоқыс%")
    assert not _matches(sqlite, "ТОО «Казцинк»", "тоо «казмунай»")


def test_the_wildcards_and_the_escape_mean_what_they_mean_in_sql():
    assert like("100\\%", "100%", "\\") and not like("100\\%", "1000", "\\")
    assert like("a\\_b", "a_b", "\\") and not like("a\\_b", "axb", "\\")
    assert like("a_b", "AXB") and like("%", "") and not like("_", "")
    assert like("a%", None) is None and like(None, "a") is None
    assert like("строка.*", "Строка.*") and not like("строка.*", "строкаXY")  # regex characters are literal
