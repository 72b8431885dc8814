"""``startklar backup`` and ``startklar restore``, and the move from SQLite to PostgreSQL as the
README describes it.

The SQLite tests run everywhere (each ``startklar`` gets its own data folder). The PostgreSQL
tests need a server where the role may create databases: the one of ``DATABASE_URL`` (CI's
PostgreSQL run, where they must not skip), else ``STARTKLAR_TEST_POSTGRES_URL``, else the
cluster ``.ci/run`` starts; without one they skip.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shlex
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg
import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import CreateModel
from django.utils import translation
from psycopg import sql

from startklar import backup
from startklar.core import generation
from startklar.testing import run_startklar

ROOT = Path(__file__).resolve().parent.parent
NO_LOCALE = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}


def run(
    *args: str,
    var: Path,
    cwd: Path | None = None,
    input: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    return run_startklar(
        *args, env={"STARTKLAR_VAR_DIR": str(var), **NO_LOCALE, **(env or {})}, cwd=cwd, input=input
    )


def query(database: Path, statement: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute(statement).fetchall()


def organisation_name(database: Path) -> str:
    return str(query(database, "SELECT name FROM organisations_organisation")[0][0])


def rename_organisation(database: Path, name: str) -> None:
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("UPDATE organisations_organisation SET name = ?", (name,))


def stopped(runner: Any, var: Path, language: str = "de", **args: Any) -> str:
    """The message ``runner`` (a command's function) stops with, run in this process on the
    SQLite database in ``var``: quicker than a new process for what ends before any change."""
    database = {"ENGINE": backup.SQLITE_ENGINE, "NAME": var / "startklar.sqlite3"}
    with translation.override(language), pytest.raises(backup.BackupError) as stop:
        runner(database, argparse.Namespace(**args))
    return str(stop.value)


def reversible_leaf() -> tuple[str, str, str]:
    """A newest migration of one of Startklar's apps that can be unapplied, and the one before:
    going back to it makes a database look like one of an older version. Preferably one that
    creates a table (the hardest case for a restore into a newer schema)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    candidates = []
    for app, name in sorted(loader.graph.leaf_nodes()):
        if not apps.get_app_config(app).name.startswith("startklar."):
            continue
        migration = loader.graph.nodes[(app, name)]
        parents = [p.key for p in loader.graph.node_map[(app, name)].parents if p.key[0] == app]
        if parents and all(operation.reversible for operation in migration.operations):
            creates = any(isinstance(op, CreateModel) for op in migration.operations)
            candidates.append((not creates, app, name, parents[0][1]))
    assert candidates, "no reversible newest migration to go back from"
    _creates, app, name, previous = min(candidates)
    return app, name, previous


# SQLite ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo company on SQLite, built once; tests work on copies."""
    var = tmp_path_factory.mktemp("demo-var")
    result = run("demo", "--no-serve", var=var)
    assert result.returncode == 0, result.stderr
    return var


@pytest.fixture
def var(demo_var: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "var"
    shutil.copytree(demo_var, copy)
    return copy


@pytest.mark.own_sqlite
def test_a_backup_while_another_connection_writes_is_consistent_and_checked(
    var: Path, tmp_path: Path
) -> None:
    database = var / "startklar.sqlite3"
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("CREATE TABLE probe_row (n INTEGER PRIMARY KEY)")
        connection.execute("CREATE TABLE probe_total (n INTEGER NOT NULL)")
        connection.execute("INSERT INTO probe_total VALUES (0)")
    committed: list[int] = []
    stop = threading.Event()

    def write() -> None:
        # Every transaction adds a row and raises the total: a consistent copy has as many rows
        # as its total says. Nothing is checkpointed, so the rows live only in the WAL file,
        # which a plain file copy would miss.
        with closing(sqlite3.connect(database, timeout=20, isolation_level=None)) as writer:
            writer.execute("PRAGMA wal_autocheckpoint=0")
            writer.execute("PRAGMA synchronous=OFF")
            n = 0
            while not stop.is_set():
                n += 1
                writer.execute("BEGIN IMMEDIATE")
                writer.execute("INSERT INTO probe_row VALUES (?)", (n,))
                writer.execute("UPDATE probe_total SET n = ?", (n,))
                writer.execute("COMMIT")
                committed.append(n)

    thread = threading.Thread(target=write)
    thread.start()
    try:
        while len(committed) < 200:
            stop.wait(0.01)
        before = committed[-1]
        result = run("backup", "copy.sqlite3", var=var, cwd=tmp_path)
        after = committed[-1]
    finally:
        stop.set()
        thread.join()

    assert result.returncode == 0, result.stderr
    assert after > before  # the writer went on writing while the backup ran
    copy = tmp_path / "copy.sqlite3"
    assert query(copy, "PRAGMA integrity_check") == [("ok",)]
    assert query(copy, "PRAGMA journal_mode") == [("delete",)]  # one file, no -wal needed
    [(rows,)] = query(copy, "SELECT COUNT(*) FROM probe_row")
    [(total,)] = query(copy, "SELECT n FROM probe_total")
    assert rows == total
    assert before <= total <= after
    assert organisation_name(copy) == "Muster Metallbau GmbH"


@pytest.mark.own_sqlite
def test_a_backup_gets_a_dated_name_says_what_it_holds_and_is_private(
    var: Path, tmp_path: Path
) -> None:
    result = run("backup", var=var, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [copy] = tmp_path.glob("startklar-backup-*.sqlite3")
    assert re.fullmatch(r"startklar-backup-\d{8}-\d{6}\.sqlite3", copy.name)
    assert copy.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob(".*partial*"))
    lines = result.stdout.splitlines()
    assert lines[0] == "Sicherung geschrieben und geprüft."
    assert lines[1].split() == ["Datei:", str(copy)]
    assert re.fullmatch(r"  Größe: +\d+,\d [KM]B", lines[2])  # the demo holds about a megabyte
    assert lines[3].split() == ["Organisationen:", "1"]
    assert lines[4].split() == ["Benutzerkonten:", "5"]
    assert query(copy, "SELECT COUNT(*) FROM accounts_user") == [(5,)]

    into_folder = run("backup", str(tmp_path / "var"), var=var)  # a folder: a dated name in it
    assert into_folder.returncode == 0, into_folder.stderr
    assert len(list((tmp_path / "var").glob("startklar-backup-*.sqlite3"))) == 1


@pytest.mark.own_sqlite
def test_a_backup_does_not_overwrite_a_file_unless_forced(var: Path, tmp_path: Path) -> None:
    target = tmp_path / "sicherung.sqlite3"
    target.write_text("wichtig")
    refused = run("backup", str(target), var=var)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"startklar backup: {target} gibt es schon; wählen Sie einen anderen Namen oder "
        "ersetzen Sie die Datei mit --force.\n"
    )
    assert target.read_text() == "wichtig"
    assert stopped(backup.backup_sqlite, var, language="en", file=str(target), force=False) == (
        f"{target} exists already; choose another name or replace it with --force."
    )

    forced = run("backup", str(target), "--force", var=var)
    assert forced.returncode == 0, forced.stderr
    assert organisation_name(target) == "Muster Metallbau GmbH"


@pytest.mark.own_sqlite
def test_a_backup_explains_a_missing_database_and_an_unusable_target(
    var: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    missing = run("backup", var=empty, cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr == (
        f"startklar backup: Unter {empty / 'startklar.sqlite3'} gibt es keine Datenbank. "
        "Ist STARTKLAR_VAR_DIR der Datenordner?\n"
    )
    assert not (empty / "startklar.sqlite3").exists()  # none created by looking

    (tmp_path / "datei").write_text("")
    expected = {
        tmp_path / "fehlt" / "x.sqlite3": f"Den Ordner {tmp_path / 'fehlt'} gibt es nicht.",
        tmp_path / "datei" / "x.sqlite3": f"Den Ordner {tmp_path / 'datei'} gibt es nicht.",
        var / "startklar.sqlite3": f"{var / 'startklar.sqlite3'} ist die Datenbank selbst.",
    }
    for target, message in expected.items():
        assert stopped(backup.backup_sqlite, var, file=str(target), force=True) == message
    assert (
        stopped(
            backup.backup_sqlite,
            var,
            language="en",
            file=str(tmp_path / "fehlt" / "x"),
            force=False,
        )
        == f"There is no folder {tmp_path / 'fehlt'}."
    )
    assert not list(tmp_path.rglob("*partial*"))


@pytest.mark.own_sqlite
def test_restore_brings_back_the_backup_and_keeps_a_safety_copy(var: Path, tmp_path: Path) -> None:
    database = var / "startklar.sqlite3"
    assert run("backup", "alt.sqlite3", var=var, cwd=tmp_path).returncode == 0
    rename_organisation(database, "Nach der Sicherung GmbH")

    result = run("restore", "alt.sqlite3", "--yes", var=var, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert organisation_name(database) == "Muster Metallbau GmbH"
    assert query(database, "PRAGMA integrity_check") == [("ok",)]
    [safety] = var.glob("startklar-before-restore-*.sqlite3")
    assert re.fullmatch(r"startklar-before-restore-\d{8}-\d{6}\.sqlite3", safety.name)
    assert organisation_name(safety) == "Nach der Sicherung GmbH"
    assert safety.stat().st_mode & 0o777 == 0o600
    output = result.stdout
    assert "ersetzt ALLE aktuellen Daten" in output
    assert "Server (startklar serve) und Worker" in output
    assert f"Sicherheitskopie der bisherigen Daten: {safety}" in output
    assert f"Wiederhergestellt aus {tmp_path / 'alt.sqlite3'}." in output
    assert "Starten Sie Server und Worker wieder." in output

    # The server keeps working with the restored file (WAL again, all migrations applied).
    again = run("demo", "--no-serve", var=var)
    assert "(vorhandene Daten; --reset beginnt von vorn)" in again.stdout
    assert query(database, "PRAGMA journal_mode") == [("wal",)]


@pytest.mark.own_sqlite
def test_restore_asks_first_and_changes_nothing_without_a_yes(var: Path, tmp_path: Path) -> None:
    database = var / "startklar.sqlite3"
    backup.copy_sqlite(database, tmp_path / "alt.sqlite3")
    rename_organisation(database, "Unverändert GmbH")

    for answer in ("n\n", ""):  # no, or nobody there to answer (e.g. cron)
        result = run("restore", "alt.sqlite3", var=var, cwd=tmp_path, input=answer)
        assert result.returncode == 1
        assert "ersetzt ALLE aktuellen Daten" in result.stdout
        assert "Fortfahren? [j/N]" in result.stdout
        assert result.stderr == "startklar restore: Abgebrochen; nichts wurde geändert.\n"
        assert organisation_name(database) == "Unverändert GmbH"
        assert not list(var.glob("startklar-before-restore-*"))

    english = run("restore", "alt.sqlite3", var=var, cwd=tmp_path, input="no\n", env={"LANG": "en"})
    assert "replaces ALL current data" in english.stdout
    assert "Continue? [y/N]" in english.stdout
    assert english.stderr == "startklar restore: Cancelled; nothing was changed.\n"
    assert organisation_name(database) == "Unverändert GmbH"

    yes = run("restore", "alt.sqlite3", var=var, cwd=tmp_path, input="j\n")
    assert yes.returncode == 0, yes.stderr
    assert organisation_name(database) == "Muster Metallbau GmbH"


@pytest.mark.own_sqlite
def test_restore_brings_an_older_backup_up_to_date(var: Path, tmp_path: Path) -> None:
    app, name, previous = reversible_leaf()
    database = var / "startklar.sqlite3"
    assert run("manage", "migrate", app, previous, "-v0", var=var).returncode == 0
    assert run("backup", "alt.sqlite3", var=var, cwd=tmp_path).returncode == 0
    assert run("manage", "migrate", "-v0", var=var).returncode == 0
    rename_organisation(database, "Neuer Stand GmbH")

    result = run("restore", "alt.sqlite3", "--yes", var=var, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.search(r"Danach anzuwendende Migrationen: +1\n", result.stdout)
    assert re.search(r"Angewendete Migrationen: +1\n", result.stdout)
    assert (app, name) in query(database, "SELECT app, name FROM django_migrations")
    assert organisation_name(database) == "Muster Metallbau GmbH"
    check = run("manage", "migrate", "--check", var=var)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.own_sqlite
def test_restore_refuses_files_that_are_no_backup_of_this_startklar(
    var: Path, tmp_path: Path
) -> None:
    database = var / "startklar.sqlite3"
    rename_organisation(database, "Bleibt GmbH")

    text = tmp_path / "notizen.txt"
    text.write_text("Das ist keine Datenbank.\n" * 10)
    foreign = tmp_path / "fremd.sqlite3"
    with closing(sqlite3.connect(foreign)) as connection, connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    newer = tmp_path / "neuer.sqlite3"
    backup.copy_sqlite(database, newer)
    with closing(sqlite3.connect(newer)) as connection, connection:
        connection.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('usecases', '9999_from_the_future', '2099-01-01 00:00:00')"
        )
    pg_dump_file = tmp_path / "postgres.dump"
    pg_dump_file.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))

    expected = {
        text: f"{text} ist keine SQLite-Datenbank.",
        foreign: (
            f"{foreign} ist keine Datenbank von Startklar (die Tabelle django_migrations fehlt)."
        ),
        newer: (
            f"{newer} stammt von einer neueren Version von Startklar (sie enthält die Migration "
            "usecases.9999_from_the_future, die diese Version nicht kennt). Aktualisieren Sie "
            "zuerst Startklar und stellen Sie dann wieder her."
        ),
        pg_dump_file: (
            f"{pg_dump_file} ist eine Sicherung von PostgreSQL, diese Installation nutzt aber "
            "SQLite."
        ),
        tmp_path / "fehlt.sqlite3": f"Die Datei {tmp_path / 'fehlt.sqlite3'} gibt es nicht.",
        database: f"{database} ist die Datenbank selbst.",
    }
    for file, message in expected.items():
        assert stopped(backup.restore_sqlite, var, file=str(file), yes=True) == message
    assert stopped(backup.restore_sqlite, var, language="en", file=str(newer), yes=True) == (
        f"{newer} was made by a newer version of Startklar (it contains the migration "
        "usecases.9999_from_the_future, which this version does not know). Update Startklar "
        "first, then restore."
    )
    assert organisation_name(database) == "Bleibt GmbH"
    assert not list(var.glob("startklar-before-restore-*"))

    # The same through the command: one line, exit code 1, asked nothing.
    result = run("restore", str(newer), "--yes", var=var)
    assert result.returncode == 1
    assert result.stderr == f"startklar restore: {expected[newer]}\n"
    assert result.stdout == ""
    assert organisation_name(database) == "Bleibt GmbH"


@pytest.mark.own_sqlite
def test_without_pg_dump_the_exact_command_is_printed_without_the_password(
    tmp_path: Path,
) -> None:
    url = "postgres://startklar:geheim@db.example:5433/startklar?sslmode=require"
    missing = {"DATABASE_URL": url, "STARTKLAR_PG_BIN": str(tmp_path / "keine-programme")}
    result = run("backup", "sicherung.dump", var=tmp_path / "var", cwd=tmp_path, env=missing)
    assert result.returncode == 1
    assert "geheim" not in result.stdout + result.stderr
    first, command = result.stderr.splitlines()
    assert first.startswith("startklar backup: pg_dump wurde nicht gefunden")
    assert "PGPASSWORD" in first
    assert shlex.split(command) == [
        "pg_dump",
        "--format=custom",
        "--no-password",
        "--host=db.example",
        "--port=5433",
        "--username=startklar",
        "--dbname=startklar",
        f"--file={tmp_path / 'sicherung.dump'}",
    ]
    assert not list(tmp_path.glob("*.dump*"))

    dump = tmp_path / "alt.dump"
    dump.write_bytes(b"PGDMP" + bytes(100))
    result = run("restore", str(dump), var=tmp_path / "var", env=missing)
    assert result.returncode == 1
    assert "geheim" not in result.stdout + result.stderr
    command = result.stderr.splitlines()[-1]
    assert shlex.split(command) == [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--no-password",
        "--host=db.example",
        "--port=5433",
        "--username=startklar",
        "--dbname=startklar",
        str(dump),
    ]


@pytest.mark.own_sqlite
def test_a_sqlite_backup_is_refused_on_postgresql(var: Path, tmp_path: Path) -> None:
    backup.copy_sqlite(var / "startklar.sqlite3", tmp_path / "alt.sqlite3")
    result = run(
        "restore",
        "alt.sqlite3",
        "--yes",
        var=var,
        cwd=tmp_path,
        env={"DATABASE_URL": "postgres://startklar@127.0.0.1:9/startklar"},  # never reached
    )
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"startklar restore: {tmp_path / 'alt.sqlite3'} ist eine Sicherung von SQLite, diese "
        "Installation nutzt aber PostgreSQL (DATABASE_URL)."
    )


# PostgreSQL -----------------------------------------------------------------------------------


def postgres_server() -> str:
    """The URL of a PostgreSQL server to create test databases on: the suite's own when it runs
    on PostgreSQL (CI's second run), else ``STARTKLAR_TEST_POSTGRES_URL``; without either the
    test is skipped, and it fails when the named server cannot be reached."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = os.environ.get("STARTKLAR_TEST_POSTGRES_URL", "")
    if not url:
        pytest.skip(
            "needs PostgreSQL: runs in the suite's PostgreSQL run, or set "
            "STARTKLAR_TEST_POSTGRES_URL"
        )
    try:
        with psycopg.connect(url, connect_timeout=3):
            pass
    except psycopg.OperationalError as error:
        where = urlsplit(url).hostname, urlsplit(url).port
        pytest.fail(f"no PostgreSQL server at {where} ({str(error).strip().splitlines()[0]})")
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    server = postgres_server()
    name = f"startklar_test_backup_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def pg_query(url: str, statement: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(statement.encode())
        return cursor.fetchall() if cursor.description else []


def archive_text(path: Path, table: str) -> str:
    pg_restore = backup.find_program("pg_restore")
    assert pg_restore, "pg_restore is installed with PostgreSQL"
    return subprocess.run(
        [pg_restore, "--data-only", f"--table={table}", "--file=-", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_postgresql_backup_and_restore(postgres_url: str, tmp_path: Path) -> None:
    var, env = tmp_path / "var", {"DATABASE_URL": postgres_url}
    app, name, previous = reversible_leaf()
    assert run("demo", "--no-serve", var=var, env=env).returncode == 0
    assert run("manage", "migrate", app, previous, "-v0", var=var, env=env).returncode == 0

    result = run("backup", var=var, cwd=tmp_path, env=env)  # an older version's backup
    assert result.returncode == 0, result.stderr
    [dump] = tmp_path.glob("startklar-backup-*.dump")
    assert dump.read_bytes().startswith(b"PGDMP")
    assert dump.stat().st_mode & 0o777 == 0o600
    assert result.stdout.splitlines()[0] == "Sicherung geschrieben und geprüft."
    assert re.search(r"Organisationen: +1\n", result.stdout)
    assert re.search(r"Benutzerkonten: +5\n", result.stdout)
    assert "Muster Metallbau GmbH" in archive_text(dump, "organisations_organisation")

    refused = run("backup", str(dump), var=var, env=env)
    assert refused.returncode == 1
    assert "--force" in refused.stderr

    assert run("manage", "migrate", "-v0", var=var, env=env).returncode == 0
    pg_query(postgres_url, "UPDATE organisations_organisation SET name = 'Nach der Sicherung'")
    cancelled = run("restore", str(dump), var=var, cwd=tmp_path, input="n\n", env=env)
    assert cancelled.returncode == 1
    assert cancelled.stderr == "startklar restore: Abgebrochen; nichts wurde geändert.\n"
    assert pg_query(postgres_url, "SELECT name FROM organisations_organisation") == [
        ("Nach der Sicherung",)
    ]

    restored = run("restore", str(dump), "--yes", var=var, cwd=tmp_path, env=env)
    assert restored.returncode == 0, restored.stderr
    assert pg_query(postgres_url, "SELECT name FROM organisations_organisation") == [
        ("Muster Metallbau GmbH",)
    ]
    assert re.search(r"Angewendete Migrationen: +1\n", restored.stdout)
    assert (app, name) in pg_query(postgres_url, "SELECT app, name FROM django_migrations")
    check = run("manage", "migrate", "--check", var=var, env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    [safety] = tmp_path.glob("startklar-before-restore-*.dump")
    assert "Nach der Sicherung" in archive_text(safety, "organisations_organisation")

    not_a_dump = tmp_path / "notiz.dump"
    not_a_dump.write_text("kein Archiv")
    result = run("restore", str(not_a_dump), "--yes", var=var, env=env)
    assert result.returncode == 1
    assert result.stderr == (
        f"startklar restore: {not_a_dump} ist keine mit pg_dump --format=custom geschriebene "
        "Sicherung.\n"
    )


def test_postgresql_backup_explains_a_missing_database(postgres_url: str, tmp_path: Path) -> None:
    gone = urlunsplit(urlsplit(postgres_url)._replace(path="/startklar_there_is_no_such_db"))
    result = run("backup", var=tmp_path / "var", cwd=tmp_path, env={"DATABASE_URL": gone})
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("startklar backup: pg_dump ist gescheitert: ")
    assert "startklar_there_is_no_such_db" in result.stderr
    assert not list(tmp_path.glob("*.dump*"))
    assert not list(tmp_path.glob(".*partial"))


# The move from SQLite to PostgreSQL ------------------------------------------------------------


def documented_move() -> list[str]:
    """The commands of the README's section "Umzug von SQLite nach PostgreSQL"."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Umzug von SQLite nach PostgreSQL\n", 1)[1]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


@contextmanager
def extra_databases(**configs: Mapping[str, Any]) -> Iterator[None]:
    """Django connections to other databases under the given aliases, for the ORM's reading."""
    for alias, config in configs.items():
        connections.settings[alias] = connections.configure_settings({"default": config})["default"]
    try:
        yield
    finally:
        for alias in configs:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


def table_counts(alias: str) -> dict[str, int]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {name}")  # noqa: S608 - the catalogue's names
            counts[table] = cursor.fetchone()[0]
    return counts


def all_rows(alias: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every model (but the generation token), as Django reads it. Content types
    and permissions are made by ``migrate`` on each database, so they and references to them
    are compared by natural key, and rows of many-to-many tables (renumbered when loaded)
    without their own id."""
    natural: dict[type, dict[int, tuple[str, ...]]] = {
        ContentType: {
            ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.using(alias).all()
        },
        Permission: {
            p.pk: (p.codename, p.content_type.app_label, p.content_type.model)
            for p in Permission.objects.using(alias).select_related("content_type")
        },
    }
    result = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table == generation.TABLE:
            continue  # says only that data changed: a database loaded anew has its own token
        fields = model._meta.concrete_fields
        rows = []
        for values in model._base_manager.using(alias).values_list(*(f.attname for f in fields)):
            row = {}
            for field, value in zip(fields, values, strict=True):
                if field.primary_key and (model in natural or model._meta.auto_created):
                    continue
                related = field.related_model  # a model, "self" or None
                if isinstance(related, type) and related in natural and value is not None:
                    value = natural[related][value]
                row[field.attname] = value
            rows.append(row)
        result[model._meta.label] = sorted(rows, key=repr)
    return result


def sequences_behind_their_tables(alias: str) -> list[str]:
    """Tables whose next generated id would collide with a row already there."""
    connection = connections[alias]
    behind = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, "
            "pg_get_serial_sequence(quote_ident(table_name), column_name) "
            "FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')",
            [],
        )
        for table, column, sequence in cursor.fetchall():
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
            last, called = cursor.fetchone()
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")  # noqa: S608
            highest = cursor.fetchone()[0] or 0
            if (last + 1 if called else last) <= highest:
                behind.append(table)
    return behind


def test_the_documented_move_from_sqlite_to_postgresql(
    postgres_url: str, tmp_path: Path, django_db_blocker: Any
) -> None:
    var = tmp_path / "var"
    env = {"STARTKLAR_VAR_DIR": str(var), **NO_LOCALE}
    built = run_startklar("demo", "--no-serve", env=env)
    assert built.returncode == 0, built.stderr

    backups = []
    for line in documented_move():
        words = shlex.split(line)
        if words[:3] == ["uv", "run", "startklar"]:
            result = run_startklar(*words[3:], env=env, cwd=tmp_path)
            assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
            if words[3] == "backup":
                backups.append(result.stdout)
        elif words[:3] == ["sudo", "-u", "postgres"]:
            continue  # the fixture made the empty database
        elif words[0] == "export" and words[1].startswith("DATABASE_URL="):
            env["DATABASE_URL"] = postgres_url
        elif words[0] == "rm":
            (tmp_path / words[1]).unlink()
        else:
            pytest.fail(f"a step of the README this test cannot follow: {line}")
    assert "DATABASE_URL" in env, "the README never switches to PostgreSQL"

    # Both backups (SQLite before, PostgreSQL after) name the same numbers.
    assert len(backups) == 2
    counts = [
        [row.split() for row in output.splitlines() if "Organisationen:" in row or "konten:" in row]
        for output in backups
    ]
    assert counts[0] == counts[1] == [["Organisationen:", "1"], ["Benutzerkonten:", "5"]]

    sqlite_config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(var / "startklar.sqlite3")}
    with (
        django_db_blocker.unblock(),
        extra_databases(moved_from=sqlite_config, moved_to=dj_database_url.parse(postgres_url)),
    ):
        before, after = table_counts("moved_from"), table_counts("moved_to")
        assert set(after) == set(before)
        assert after == before  # sessions do not move, but the demo has none
        for table in (
            "organisations_organisation",
            "accounts_user",
            "usecases_usecase",
            "businesscase_businesscase",
        ):
            assert before[table] > 0, table
        rows_before, rows_after = all_rows("moved_from"), all_rows("moved_to")
        for label, rows in rows_before.items():
            assert rows_after[label] == rows, label
        assert sequences_behind_their_tables("moved_to") == []

    # New objects on PostgreSQL get new ids: a person and an organisation of theirs.
    created = run_startklar(
        "manage",
        "createsuperuser",
        "--noinput",
        env={
            **env,
            "DJANGO_SUPERUSER_EMAIL": "neu@startklar.example",
            "DJANGO_SUPERUSER_PASSWORD": "ein-langes-passwort",
            "DJANGO_SUPERUSER_FULL_NAME": "Neu Nach Umzug",
        },
    )
    assert created.returncode == 0, created.stderr
    organisation = run_startklar(
        "manage",
        "shell",
        "-c",
        "from startklar.accounts.models import User\n"
        "from startklar.demo import PROFILE\n"
        "from startklar.organisations.services import create_organisation\n"
        "owner = User.objects.get(email='neu@startklar.example')\n"
        "create_organisation(owner, {**PROFILE, 'name': 'Nach dem Umzug GmbH'})\n",
        env=env,
    )
    assert organisation.returncode == 0, organisation.stderr
    assert pg_query(
        postgres_url,
        "SELECT o.id > (SELECT MIN(id) FROM organisations_organisation), u.id > 5 "
        "FROM organisations_organisation o JOIN organisations_membership m "
        "ON m.organisation_id = o.id JOIN accounts_user u ON u.id = m.user_id "
        "WHERE o.name = 'Nach dem Umzug GmbH'",
    ) == [(True, True)]
