"""scripts/backup.sh and scripts/restore.sh: a backup of the test database restores into a fresh database."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from tests.factories import AppealFactory, CouncilFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.heavy,
    pytest.mark.django_db(transaction=True),  # pg_dump must see committed data
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="the PostgreSQL client tools are not installed"),
]


def database_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER'] or 'postgres'}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def admin(*args: str) -> None:
    """createdb/dropdb as the test database's user, on its server."""
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    subprocess.run(  # noqa: S603 - fixed programs, our own arguments
        [
            shutil.which(args[0]) or args[0],
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"] or "postgres",
            *args[1:],
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )


def script(name: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own scripts
        [shutil.which("bash") or "/bin/bash", str(ROOT / "scripts" / name), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def scratch_database():
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore are for PostgreSQL")
    name = f"oversight_h10_restore_{uuid.uuid4().hex[:8]}"
    admin("createdb", name)
    try:
        yield name
    finally:
        admin("dropdb", "--if-exists", name)


def test_backup_restores_into_a_fresh_database_with_its_media(scratch_database, settings, tmp_path):
    council = CouncilFactory(slug="backup-test", code="BKP")
    appeal = AppealFactory(council=council, applicant_name="Резервная Копия", subject="Проверка восстановления")
    stored = default_storage.save("appeals/2019/03/akt.pdf", ContentFile(b"%PDF-1.4 backup"))
    backups = tmp_path / "backups"

    made = script(
        "backup.sh",
        str(backups),
        env={
            "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        },
    )
    assert made.returncode == 0, made.stderr
    [dump] = backups.glob("oversight-*.dump")
    [media] = backups.glob("media-*.tar.gz")
    assert oct(dump.stat().st_mode & 0o777) == "0o600"  # personal data: readable by its owner only

    restored_media = tmp_path / "restored-media"
    restored = script(
        "restore.sh",
        str(dump),
        str(media),
        env={"DATABASE_URL": database_url(scratch_database), "DJANGO_MEDIA_ROOT": str(restored_media)},
    )
    assert restored.returncode == 0, restored.stderr

    db = connection.settings_dict
    with psycopg2.connect(
        dbname=scratch_database,
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    ) as conn:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT a.number, a.applicant_name, c.slug FROM appeals_appeal a "
                "JOIN councils_council c ON c.id = a.council_id WHERE a.id = %s",
                [appeal.pk],
            )
            row = cursor.fetchone()
    conn.close()
    assert row == (appeal.number, "Резервная Копия", "backup-test")
    assert (restored_media / stored).read_bytes() == b"%PDF-1.4 backup"


def test_restore_twice_into_the_same_database_replaces_the_data(scratch_database, tmp_path):
    AppealFactory(council=CouncilFactory(slug="twice", code="TWC"))
    backups = tmp_path / "b"
    assert (
        script(
            "backup.sh", str(backups), env={"DATABASE_URL": database_url(connection.settings_dict["NAME"])}
        ).returncode
        == 0
    )
    [dump] = backups.glob("*.dump")
    env = {"DATABASE_URL": database_url(scratch_database)}

    assert script("restore.sh", str(dump), env=env).returncode == 0
    again = script("restore.sh", str(dump), env=env)

    assert again.returncode == 0, again.stderr  # --clean --if-exists: the second run drops and recreates


def test_scripts_refuse_without_a_postgresql_database_url(tmp_path):
    for name, args in (("backup.sh", [str(tmp_path)]), ("restore.sh", [str(tmp_path / "x.dump")])):
        missing = script(name, *args, env={"DATABASE_URL": ""})
        sqlite = script(name, *args, env={"DATABASE_URL": "sqlite:///db.sqlite3"})

        assert missing.returncode != 0 and "DATABASE_URL" in missing.stderr
        assert sqlite.returncode != 0 and "not PostgreSQL" in sqlite.stderr


def test_restore_refuses_a_missing_dump_file(tmp_path):
    result = script("restore.sh", str(tmp_path / "nothing.dump"), env={"DATABASE_URL": "postgres://u@127.0.0.1:5432/x"})

    assert result.returncode != 0
    assert "no such dump file" in result.stderr


def test_restore_never_prints_the_database_password(tmp_path):
    dump = tmp_path / "empty.dump"
    dump.write_bytes(b"")

    result = script("restore.sh", str(dump), env={"DATABASE_URL": "postgres://oversight:s3cret@127.0.0.1:1/x"})

    assert result.returncode != 0  # not a dump, and nothing listens there
    assert "postgres://oversight:***@127.0.0.1:1/x" in result.stdout
    assert "s3cret" not in result.stdout + result.stderr
