import django.contrib.postgres.search
from django.db import migrations, models

import core.search

# PostgreSQL only: the search document's words are marked with the appeal's council (core/search.py), and one GIN
# index over the document serves every council's search with that council's matches alone. 0015's index held the
# council as a second column: GIN keeps a list per column and a search read both in full, the council's 100,000
# rows and the whole country's matches of a common word (83,600 for a Kazakh one at 1,000,000 appeals).
#
# The column is made again (PostgreSQL cannot change a generated column's expression); dropping it drops 0015's
# index and 0018's statistics, made again over the new column, the statistics over the expression the walk now
# tests (`COALESCE(search_document, '')`, core.search.WALK_DOCUMENT_SQL: the same words, not copied on every row
# as `search_document || ''` did). On SQLite the column holds NULL before and after
# (no text search there): only Django's state changes, and the table is not remade (which would lose the
# triggers of 0016 and 0020).
OLD = core.search.SearchDocument("number", "subject", "text")
NEW = core.search.CouncilSearchDocument("council_id", "number", "subject", "text")


def _remake(schema_editor, document, *, council_words: bool) -> None:
    sql, _params = document.as_postgresql(None, schema_editor.connection)
    index = "gin (search_document)" if council_words else "gin (council_id, search_document)"
    walk = "COALESCE(search_document, ''::tsvector)" if council_words else "search_document || ''::tsvector"
    for statement in (
        "ALTER TABLE appeals_appeal DROP COLUMN search_document CASCADE",
        f"ALTER TABLE appeals_appeal ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({sql}) STORED",
        f"CREATE INDEX appeal_search_by_council ON appeals_appeal USING {index}",
        f"CREATE STATISTICS appeal_walk_document ON (({walk})) FROM appeals_appeal",
        "ANALYZE appeals_appeal",
    ):
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(core.search.COUNCIL_WORDS_SQL)
        schema_editor.execute(core.search.COUNCIL_QUERY_SQL)
        _remake(schema_editor, NEW, council_words=True)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _remake(schema_editor, OLD, council_words=False)
        for statement in core.search.DROP_COUNCIL_FUNCTIONS_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0020_year_figures_status_and_answer"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forward, backward)],
            state_operations=[
                migrations.AlterField(
                    model_name="appeal",
                    name="search_document",
                    field=models.GeneratedField(
                        db_persist=True,
                        expression=NEW,
                        output_field=django.contrib.postgres.search.SearchVectorField(null=True),
                    ),
                ),
            ],
        ),
    ]
