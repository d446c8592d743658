from django.db import migrations, models

# PostgreSQL only, like 0010 and 0015. A search with many matches is read by walking the inbox order's index and
# testing each row (appeals/filters.py, `unindexed_document`: the search document joined to an empty one, an
# expression no index serves). PostgreSQL knew nothing of that expression and guessed that one row in two hundred
# matches: for a deep page it expected the walk to pass the whole council and sorted every appeal of it instead
# (the 40th page of a common word's search read 100,000 rows). Statistics on the expression give it the words'
# frequencies of the column, so it walks as far as the page needs. ANALYZE fills them at once on a live database.
FORWARD = (
    "CREATE STATISTICS appeal_walk_document ON ((search_document || ''::tsvector)) FROM appeals_appeal",
    "ANALYZE appeals_appeal",
)
BACKWARD = ("DROP STATISTICS IF EXISTS appeal_walk_document",)


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
        ("appeals", "0017_inbox_exports"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("status__in", ("registered", "assigned", "forwarded", "answer_received"))),
                fields=["council", "-registered_at", "-id"],
                name="appeal_open_newest",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
