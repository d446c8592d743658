from django.db import migrations

# PostgreSQL only, like migration 0010's: the inbox's word search is always one council's, and a GIN index over
# the search document alone finds the matches of every council, each then read from the table to be dropped
# when it is another council's (nine in ten for a council with a tenth of the appeals). The btree_gin extension
# (shipped with PostgreSQL, trusted: a database owner may create it) lets one GIN index hold the council too,
# so a search, and the count that decides how to read its pages (appeals/filters.py), reads only the council's
# matches. The index it replaces served nothing else.
FORWARD = (
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX appeal_search_by_council ON appeals_appeal USING gin (council_id, search_document)",
    "DROP INDEX IF EXISTS appeal_search_document",
)
BACKWARD = (
    "CREATE INDEX appeal_search_document ON appeals_appeal USING gin (search_document)",
    "DROP INDEX IF EXISTS appeal_search_by_council",
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0014_channel_reception"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
