"""Stored full-text search documents: a column PostgreSQL keeps itself, so a search reads an index, not every row.

`SearchDocument("subject", "text")` is the expression of a stored generated column (`models.GeneratedField`):
PostgreSQL computes it on every insert and update (anonymisation included), nothing in Python can forget to. It
holds the words twice: stemmed by PostgreSQL's Russian dictionary (so «обращения» finds «обращение») and as they
are written (the `simple` dictionary), which is how Kazakh words are found — PostgreSQL has no Kazakh stemmer,
and a Kazakh word typed as written matches. `search_query(text)` is the matching query: either form may match.

A GIN index over the column (created by the app's migration on PostgreSQL only, `gin_index_sql`) serves the
`@@` match. On SQLite (the local demo) the column holds NULL and callers fall back to `icontains`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db.models import Expression
from django.utils.deconstruct import deconstructible

DICTIONARIES = ("russian", "simple")


@deconstructible(path="core.search.SearchDocument")
class SearchDocument(Expression):
    """to_tsvector over the named text columns of the same row, once per dictionary in DICTIONARIES."""

    def __init__(self, *columns: str) -> None:
        super().__init__(output_field=SearchVectorField(null=True))
        self.columns = columns

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SearchDocument) and other.columns == self.columns

    def __hash__(self) -> int:
        return hash(self.columns)

    def resolve_expression(self, *args: Any, **kwargs: Any) -> SearchDocument:
        return self

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[str | int, ...]]:
        # Only PostgreSQL has text search; elsewhere the column is there and empty.
        return "NULL", ()

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[str | int, ...]]:
        text = " || ' ' || ".join(f"coalesce({connection.ops.quote_name(column)}, '')" for column in self.columns)
        return " || ".join(f"to_tsvector('{config}'::regconfig, {text})" for config in DICTIONARIES), ()


def search_query(text: str) -> SearchQuery:
    """The query matching a SearchDocument: the words as a web search would read them, in every dictionary."""
    queries = [SearchQuery(text, config=config, search_type="websearch") for config in DICTIONARIES]
    combined = queries[0]
    for query in queries[1:]:
        combined = combined | query
    return combined
