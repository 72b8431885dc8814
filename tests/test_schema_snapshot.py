"""The SQLite schema snapshot (``core/schema.py``) is what migrating an empty database gives."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from startklar.core import schema
from startklar.testing import run_startklar

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.own_sqlite
def test_the_snapshot_is_what_migrating_an_empty_database_gives(tmp_path: Path) -> None:
    out = tmp_path / "schema.sql"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "write_schema.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert out.read_text(encoding="utf-8") == schema.SNAPSHOT.read_text(encoding="utf-8"), (
        "a migration changed the schema: run `uv run python scripts/write_schema.py` "
        "and commit src/startklar/core/schema_sqlite.sql"
    )


@pytest.mark.own_sqlite
def test_a_demo_in_a_new_folder_starts_from_the_snapshot_and_migrates_the_rest(
    tmp_path: Path,
) -> None:
    result = run_startklar("demo", "--no-serve", env={"STARTKLAR_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    database = sqlite3.connect(tmp_path / "startklar.sqlite3")
    try:
        assert database.execute("PRAGMA foreign_key_check").fetchall() == []
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert database.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        (token,) = database.execute('SELECT "token" FROM "core_generation"').fetchone()
        assert token != 1  # a token of its own, not the snapshot's stand-in
        applied = database.execute('SELECT count(*) FROM "django_migrations"').fetchone()[0]
    finally:
        database.close()
    migrations = sum(
        1
        for line in schema.SNAPSHOT.read_text(encoding="utf-8").splitlines()
        if line.startswith('INSERT INTO "django_migrations"')
    )
    assert applied == migrations


@pytest.mark.django_db
def test_a_database_with_tables_is_left_to_migrate() -> None:
    assert schema.load_if_new() is False
