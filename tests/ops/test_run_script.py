"""A warm `make run` skips what has nothing to do: the checks of scripts/lib.sh, run by bash on a temporary copy
of the parts they look at (catalogues, the demo file, the SQLite file), and `migrate --check` on a real database."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[2] / "scripts" / "lib.sh"
REPO = LIB.parent.parent


def check(root: Path, name: str, env: dict[str, str] | None = None) -> bool:
    """Run one lib.sh function with ROOT and VENV pointing into `root`; True when it says yes (exit 0)."""
    script = f'source "{LIB}"; ROOT="{root}"; VENV="{root}/.venv"; PY="{sys.executable}"; {name}'
    result = subprocess.run(  # noqa: S603 - our own script library and arguments
        [shutil.which("bash") or "/bin/bash", "-c", script],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode == 0


def touch(path: Path, text: str = "", mtime: float | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    touch(tmp_path / "locale/kk/LC_MESSAGES/django.po", "po", mtime=1_000)
    touch(tmp_path / "locale/kk/LC_MESSAGES/django.mo", "mo", mtime=2_000)
    touch(tmp_path / "demo/almaty_2019.json", '{"council": "almaty"}')
    touch(tmp_path / "interchange/management/commands/load_demo.py", "# loader")
    demo_database(tmp_path / "db.sqlite3")
    return tmp_path


def demo_database(path: Path) -> None:
    """A SQLite file holding the demo council, as load_demo leaves it."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE councils_council (id INTEGER PRIMARY KEY, slug TEXT)")
        db.execute("INSERT INTO councils_council (slug) VALUES ('almaty')")
    db.close()


def test_translations_are_compiled_again_only_when_a_po_is_newer_than_its_mo(tree):
    assert not check(tree, "translations_stale")

    os.utime(tree / "locale/kk/LC_MESSAGES/django.po", (3_000, 3_000))
    assert check(tree, "translations_stale")

    (tree / "locale/kk/LC_MESSAGES/django.mo").unlink()
    assert check(tree, "translations_stale")


def test_demo_is_loaded_again_only_when_its_data_or_the_database_changed(tree):
    assert not check(tree, "demo_current")  # never loaded

    check(tree, "demo_recorded")
    assert check(tree, "demo_current")  # a warm run skips load_demo

    (tree / "demo/almaty_2019.json").write_text('{"council": "almaty", "meetings": 12}')
    assert not check(tree, "demo_current")
    check(tree, "demo_recorded")

    assert check(tree, "demo_current")
    (tree / "db.sqlite3").unlink()  # a deleted database has lost the demo, whatever the stamp says
    assert not check(tree, "demo_current")
    with sqlite3.connect(tree / "db.sqlite3") as db:  # migrated afresh: the tables, no demo council
        db.execute("CREATE TABLE councils_council (id INTEGER PRIMARY KEY, slug TEXT)")
    assert not check(tree, "demo_current")


@pytest.mark.django_db(transaction=True)
@pytest.mark.heavy
def test_migrate_runs_only_when_a_migration_is_pending(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}"}

    assert check(REPO, "migrations_pending", env)  # an empty database

    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=REPO,
        env={**os.environ, **env},
        check=True,
    )
    assert not check(REPO, "migrations_pending", env)
