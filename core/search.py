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

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchVectorField
from django.db.models import BooleanField, Expression, ExpressionWrapper, F, Func, QuerySet, Value
from django.db.models.expressions import Col
from django.db.models.lookups import Exact
from django.db.models.sql.where import AND
from django.utils.deconstruct import deconstructible

DICTIONARIES = ("russian", "simple")


@deconstructible(path="core.search.SearchDocument")
class SearchDocument(Expression):
    """to_tsvector over the named text columns of the same row, once per dictionary in DICTIONARIES."""

    def __init__(self, *columns: str) -> None:
        super().__init__(output_field=SearchVectorField(null=True))
        self.columns = columns

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.columns == self.columns

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


# ---- Words marked with their council ---------------------------------------------------------------------------
#
# A GIN index keeps one list of rows per word. A list of every council's appeals is searched one council at a
# time, so a word common across the country costs what the whole country holds: at 1,000,000 appeals a Kazakh
# word on every twelfth appeal had a list of 83,600 rows, read in full, and the council's own 100,000 rows beside it
# to keep its share (22 ms for a count of 1,001; benchmarks/scale.py). Adding the council as a second column of
# the index does not help: GIN keeps a list per column and reads both. Marking each word with the row's council
# ("7.қоқыс") gives every council its own list per word: a search reads only its council's matches, whatever the
# rest of the country holds. The query's words are marked the same way (`council_search`), so everything a web
# search can say (phrases, prefixes, "-word", "or") keeps its meaning, and a row can only match a query of its own
# council.
#
# The two SQL functions are created by the migration of the model that uses them (appeals 0021). A word longer
# than 2,000 bytes is left out (PostgreSQL refuses one of 2,047 once marked); `to_tsvector` already drops those.
COUNCIL_WORDS_SQL = r"""
CREATE OR REPLACE FUNCTION council_words(council bigint, document tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(
    '''' || council || '.' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''':'
      || array_to_string(positions, ','),
    ' '), '')::tsvector
  FROM unnest(document) WHERE octet_length(lexeme) < 2000
$$
"""
COUNCIL_QUERY_SQL = r"""
CREATE OR REPLACE FUNCTION council_words_query(council bigint, query tsquery) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT regexp_replace(query::text, '''((?:[^'']|'''')*)''', '''' || council || '.\1''', 'g')::tsquery
$$
"""
DROP_COUNCIL_FUNCTIONS_SQL = (
    "DROP FUNCTION IF EXISTS council_words(bigint, tsvector)",
    "DROP FUNCTION IF EXISTS council_words_query(bigint, tsquery)",
)
# The document as an expression no index serves: the column itself (COALESCE hands on the same value, uncopied;
# it was `document || ''::tsvector` until session 13, a merge of both documents on every row tested: 13.5 against
# 8.9 ms for a walk past 7,500 rows). A migration keeps statistics on this very expression (appeals 0021).
WALK_DOCUMENT_SQL = "COALESCE(%(expressions)s, ''::tsvector)"
# Longer search texts are cut here: a word of 2,000 bytes and more could not be marked (see above).
SEARCH_TEXT_LIMIT = 200


@deconstructible(path="core.search.CouncilSearchDocument")
class CouncilSearchDocument(SearchDocument):
    """`SearchDocument` of the columns, each word marked with the council of the row (`council_column`)."""

    def __init__(self, council_column: str, *columns: str) -> None:
        super().__init__(*columns)
        self.council_column = council_column

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and other.council_column == self.council_column  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.council_column, self.columns))

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[str | int, ...]]:
        words, params = super().as_postgresql(compiler, connection)
        return f"council_words({connection.ops.quote_name(self.council_column)}, {words})", params


def council_search(column: str, council_id: int, text: str, *, indexed: bool = True) -> Func:
    """The condition that the `CouncilSearchDocument` column matches the text as a web search reads it, among the
    rows of the council: `search_query`'s words marked with the council. With `indexed=False` the column is read
    through `WALK_DOCUMENT_SQL`, the same words, but an expression no index serves (so PostgreSQL tests it on the
    rows it walks in another index's order)."""
    query = Func(
        Value(council_id),
        search_query(text[:SEARCH_TEXT_LIMIT]),
        function="council_words_query",
        output_field=SearchQueryField(),
    )
    document = F(column) if indexed else Func(F(column), template=WALK_DOCUMENT_SQL, output_field=SearchVectorField())
    return Func(document, query, arg_joiner=" @@ ", template="(%(expressions)s)", output_field=BooleanField())


def council_left_to_the_words(queryset: QuerySet[Any], field: str = "council") -> QuerySet[Any]:
    """The same rows, the council's equality (`field = x`, as the queryset was filtered) written `field + 0 = x`,
    which no btree index serves.

    For a search of the council-marked document (`council_search(indexed=True)`) the council's equality says
    nothing the words do not: only the council's rows carry its marks. Left as it is, PostgreSQL estimates the two
    conditions as independent (a tenth of a tenth) and reads the council's whole btree index beside the GIN list to
    intersect them: 100,000 entries for the big council of benchmarks/scale.py, 3.5–4 ms of a common word's 10 ms
    count at 1,000,000 appeals, growing with the council. Written so, the GIN list is read alone and the equality is
    tested on the rows it gives. Only an equality in the queryset's top AND list is rewritten (under an OR or a NOT
    it would change nothing the planner reads); a walk in the order's index (`indexed=False`) must keep it.
    """
    queryset = queryset.all()  # a clone: its conditions are copies
    where = queryset.query.where
    if where.connector != AND or where.negated:
        return queryset
    column = queryset.model._meta.get_field(field).column
    for position, condition in enumerate(where.children):
        if isinstance(condition, Exact) and isinstance(condition.lhs, Col) and condition.lhs.target.column == column:
            shifted = ExpressionWrapper(condition.lhs + Value(0), output_field=condition.lhs.output_field)
            where.children[position] = Exact(shifted, condition.rhs)  # type: ignore[call-overload]  # a Node
    return queryset
