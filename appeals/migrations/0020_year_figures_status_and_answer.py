import importlib

from django.db import migrations, models

# The running year's outcomes as of today without reading its appeals (appeals.selectors._running_outcomes): two
# more dimensions in the counts 0016 keeps (AppealYearFigure), from columns of the appeal row alone:
# - status: the status on file, which is the status today (services write it with its history step);
# - answer: "on_time" (answered on or before the effective deadline: the extension when there is one, else the
#   due date; appeals.models.effective_deadline), "late", or "" while not answered.
# 0016's trigger functions are made again with the six dimensions. The UPDATE trigger now also fires on the
# status, the answer date and the deadlines, and touches only the rows of the dimensions whose value changed (a
# change of status: two rows, not twelve). As with 0016, a later migration that remakes appeals_appeal on SQLite
# must create the SQLite triggers below again.
F0016 = importlib.import_module("appeals.migrations.0016_appeal_year_figures")
TABLE = F0016.TABLE
COLUMNS = (
    "council_id",
    "year",
    "applicant_type",
    "category",
    "channel",
    "registered_at",
    "locality_id",
    "status",
    "answered_on",
    "due_date",
    "extended_until",
)


def _answer(row: str) -> str:
    return (
        f"CASE WHEN {row}.answered_on IS NULL THEN '' "
        f"WHEN {row}.answered_on <= coalesce({row}.extended_until, {row}.due_date) THEN 'on_time' ELSE 'late' END"
    )


NEW_DIMENSIONS = (("status", lambda row: f"{row}.status"), ("answer", _answer))


def _dimensions(row: str, month: str) -> str:
    """(dimension, value) rows of one appeal `row` (NEW, OLD or an alias), as a VALUES list."""
    return (
        f"(VALUES ('type_category', {row}.applicant_type || ':' || {row}.category), ('channel', {row}.channel), "
        f"('month', {month}), ('locality', coalesce(CAST({row}.locality_id AS text), '')), "
        f"('status', CAST({row}.status AS text)), ('answer', {_answer(row)}))"
    )


def _pg_rows(row: str) -> str:
    return (
        f"SELECT {row}.council_id AS c, {row}.year AS y, d.dimension, d.value "
        f"FROM {_dimensions(row, F0016._pg_month(row))} AS d (dimension, value)"
    )


def _changed(distinct: str) -> str:
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in COLUMNS)


POSTGRES = (
    f"""
    CREATE FUNCTION appeal_year_figure_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {TABLE} (council_id, year, dimension, value, appeals)
        SELECT a.council_id, a.year, d.dimension, d.value, count(*)
        FROM added AS a CROSS JOIN LATERAL {_dimensions("a", F0016._pg_month("a"))} AS d (dimension, value)
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (council_id, year, dimension, value) DO UPDATE SET appeals = {TABLE}.appeals + excluded.appeals;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION appeal_year_figure_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TABLE} AS f SET appeals = f.appeals - r.n
        FROM (
            SELECT a.council_id, a.year, d.dimension, d.value, count(*) AS n
            FROM removed AS a CROSS JOIN LATERAL {_dimensions("a", F0016._pg_month("a"))} AS d (dimension, value)
            GROUP BY 1, 2, 3, 4
        ) AS r
        WHERE f.council_id = r.council_id AND f.year = r.year AND f.dimension = r.dimension AND f.value = r.value;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION appeal_year_figure_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- The rows to change, locked in the order a submission's insert locks them (above): a status change
        -- meeting a submission, or another status change, waits instead of deadlocking.
        PERFORM 1 FROM {TABLE} AS f
        JOIN (({_pg_rows("OLD")} EXCEPT {_pg_rows("NEW")}) UNION ({_pg_rows("NEW")} EXCEPT {_pg_rows("OLD")})) AS r
          ON f.council_id = r.c AND f.year = r.y AND f.dimension = r.dimension AND f.value = r.value
        ORDER BY f.council_id, f.year, f.dimension, f.value FOR UPDATE OF f;
        UPDATE {TABLE} AS f SET appeals = f.appeals - 1
        FROM ({_pg_rows("OLD")} EXCEPT {_pg_rows("NEW")}) AS r
        WHERE f.council_id = r.c AND f.year = r.y AND f.dimension = r.dimension AND f.value = r.value;
        INSERT INTO {TABLE} (council_id, year, dimension, value, appeals)
        SELECT r.c, r.y, r.dimension, r.value, 1 FROM ({_pg_rows("NEW")} EXCEPT {_pg_rows("OLD")}) AS r
        ORDER BY 3, 4
        ON CONFLICT (council_id, year, dimension, value) DO UPDATE SET appeals = {TABLE}.appeals + 1;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER appeal_year_figure_added AFTER INSERT ON appeals_appeal REFERENCING NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION appeal_year_figure_added()",
    "CREATE TRIGGER appeal_year_figure_removed AFTER DELETE ON appeals_appeal REFERENCING OLD TABLE AS removed "
    "FOR EACH STATEMENT EXECUTE FUNCTION appeal_year_figure_removed()",
    f"CREATE TRIGGER appeal_year_figure_moved AFTER UPDATE OF {', '.join(COLUMNS)} ON appeals_appeal FOR EACH ROW "
    f"WHEN ({_changed('IS DISTINCT FROM')}) EXECUTE FUNCTION appeal_year_figure_moved()",
)


def _sqlite_rows(row: str) -> str:
    return (
        f"SELECT {row}.council_id, {row}.year, d.column1, d.column2 "
        f"FROM {_dimensions(row, F0016._sqlite_month(row))} AS d"
    )


SQLITE_ADD = (
    f"INSERT INTO {TABLE} (council_id, year, dimension, value, appeals) "
    f"SELECT NEW.council_id, NEW.year, d.column1, d.column2, 1 FROM {_dimensions('NEW', F0016._sqlite_month('NEW'))} "
    f"AS d WHERE true ON CONFLICT (council_id, year, dimension, value) DO UPDATE SET appeals = appeals + 1;"
)
SQLITE_REMOVE = (
    f"UPDATE {TABLE} SET appeals = appeals - 1 WHERE council_id = OLD.council_id AND year = OLD.year "
    f"AND (dimension, value) IN (SELECT column1, column2 FROM {_dimensions('OLD', F0016._sqlite_month('OLD'))});"
)
SQLITE_MOVE = (
    f"UPDATE {TABLE} SET appeals = appeals - 1 WHERE (council_id, year, dimension, value) IN "
    f"({_sqlite_rows('OLD')} EXCEPT {_sqlite_rows('NEW')}); "
    f"INSERT INTO {TABLE} (council_id, year, dimension, value, appeals) "
    f"SELECT r.*, 1 FROM ({_sqlite_rows('NEW')} EXCEPT {_sqlite_rows('OLD')}) AS r WHERE true "
    f"ON CONFLICT (council_id, year, dimension, value) DO UPDATE SET appeals = appeals + 1;"
)
SQLITE = (
    f"CREATE TRIGGER IF NOT EXISTS appeal_year_figure_added AFTER INSERT ON appeals_appeal BEGIN {SQLITE_ADD} END",
    f"CREATE TRIGGER IF NOT EXISTS appeal_year_figure_removed AFTER DELETE ON appeals_appeal "
    f"BEGIN {SQLITE_REMOVE} END",
    f"CREATE TRIGGER IF NOT EXISTS appeal_year_figure_moved AFTER UPDATE OF {', '.join(COLUMNS)} ON appeals_appeal "
    f"WHEN {_changed('IS NOT')} BEGIN {SQLITE_MOVE} END",
)


def count_status_and_answer(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        drop, statements = F0016.POSTGRES_DROP, POSTGRES
    elif vendor == "sqlite":
        drop, statements = F0016.SQLITE_DROP, SQLITE
    else:
        return
    for statement in drop:
        schema_editor.execute(statement)
    for dimension, value in NEW_DIMENSIONS:
        schema_editor.execute(
            f"INSERT INTO {TABLE} (council_id, year, dimension, value, appeals) "
            f"SELECT a.council_id, a.year, '{dimension}', {value('a')}, count(*) FROM appeals_appeal AS a "
            f"GROUP BY 1, 2, 4"
        )
    for statement in statements:
        schema_editor.execute(statement)


def stop_counting_status_and_answer(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        drop, statements = F0016.POSTGRES_DROP, F0016.POSTGRES
    elif vendor == "sqlite":
        drop, statements = F0016.SQLITE_DROP, F0016.SQLITE
    else:
        return
    for statement in drop:
        schema_editor.execute(statement)
    schema_editor.execute(f"DELETE FROM {TABLE} WHERE dimension IN ('status', 'answer')")
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('appeals', '0019_closed_year_outcome_figures'),
    ]

    operations = [
        migrations.AlterField(
            model_name='appealyearfigure',
            name='dimension',
            field=models.CharField(choices=[('type_category', 'applicant type:category'), ('channel', 'channel'), ('month', 'month of registration, local time'), ('locality', 'locality id'), ('status', 'status on file'), ('answer', 'answer: on time, late or none')], max_length=16),
        ),
        migrations.RunPython(count_status_and_answer, stop_counting_status_and_answer),
    ]
