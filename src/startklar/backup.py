"""``startklar backup [FILE]`` and ``startklar restore FILE``: the whole database in one file.

SQLite: a consistent copy of the live database with SQLite's backup API, taken in one step, so
it is safe while the server runs and writes (WAL: readers and the writer do not block each
other). The copy is checked (integrity, Startklar's tables) before it gets its name. A restore
checks the file, keeps a safety copy of the current data next to the database, copies the
backup in with the same API and then applies the migrations this version adds.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists --no-owner``, the
connection taken from ``DATABASE_URL`` (the password only in the child's environment). Without
the programs the command prints the exact call to make elsewhere.

Every failure ends with one line on stderr and exit code 1 (2 for wrong arguments).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

SQLITE_ENGINE = "django.db.backends.sqlite3"
POSTGRES_ENGINES = {"django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"}
SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
MIGRATIONS_TABLE = "django_migrations"
ORGANISATIONS_TABLE = "organisations_organisation"
USERS_TABLE = "accounts_user"
# Debian and Ubuntu install the PostgreSQL programs here (one folder per major version).
DEBIAN_PG_BIN = Path("/usr/lib/postgresql")
# Connection options from DATABASE_URL (?sslmode=…) that pg_dump and pg_restore read from the
# environment.
LIBPQ_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """Why a backup or restore stops, in one sentence for the person at the terminal."""


@dataclass(frozen=True)
class Contents:
    """What a checked database or backup holds."""

    organisations: int
    users: int
    migrations: frozenset[tuple[str, str]]


# Commands -------------------------------------------------------------------------------------


def register(commands: Any) -> None:
    p = commands.add_parser(
        "backup", help="write a consistent backup of the database (safe while the server runs)"
    )
    p.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="file or folder to write (default: startklar-backup-DATE-TIME in this folder)",
    )
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(handler=backup)

    p = commands.add_parser(
        "restore", help="replace all data with a backup (stop the server and worker first)"
    )
    p.add_argument("file", metavar="FILE", help="a backup written by startklar backup")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=restore)


def backup(args: argparse.Namespace) -> int:
    return _run("backup", args)


def restore(args: argparse.Namespace) -> int:
    return _run("restore", args)


def _run(command: str, args: argparse.Namespace) -> int:
    from startklar import cli

    try:
        cli._setup(os.environ.get("DJANGO_SETTINGS_MODULE", cli.LOCAL_SETTINGS))
    except OSError as error:  # the settings create the data folder, which may not be possible
        print(f"startklar {command}: {error}", file=sys.stderr)
        return 1
    from django.conf import settings
    from django.utils import translation

    database: dict[str, Any] = settings.DATABASES["default"]
    with translation.override(cli.terminal_language()):
        try:
            if database["ENGINE"] == SQLITE_ENGINE:
                runner = backup_sqlite if command == "backup" else restore_sqlite
            elif database["ENGINE"] in POSTGRES_ENGINES:
                runner = backup_postgres if command == "backup" else restore_postgres
            else:
                raise BackupError(
                    _("Only SQLite and PostgreSQL databases can be backed up (here: %(engine)s).")
                    % {"engine": database["ENGINE"]}
                )
            return runner(database, args)
        except BackupError as error:
            print(f"startklar {command}: {error}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:  # a partial file is removed on the way out
            print(f"\nstartklar {command}: {_('Cancelled.')}", file=sys.stderr)
            return 130


# Shared steps ---------------------------------------------------------------------------------


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _target(file: str | None, suffix: str, force: bool) -> Path:
    """The file to write: FILE, or a dated name in FILE (a folder) or in the current folder."""
    name = f"startklar-backup-{_stamp()}{suffix}"
    path = Path(file) if file else Path(name)
    if path.is_dir():
        path = path / name
    path = path.absolute()
    if path.exists() and not force:
        raise BackupError(
            _("%(path)s exists already; choose another name or replace it with --force.")
            % {"path": path}
        )
    if not path.parent.is_dir():
        raise BackupError(_("There is no folder %(folder)s.") % {"folder": path.parent})
    return path


def _private_file(path: Path) -> None:
    """Create ``path`` empty and readable by its owner only: backups hold personal data."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as error:
        raise BackupError(
            _("Cannot write %(path)s: %(reason)s.")
            % {"path": path, "reason": error.strerror or error}
        ) from error


def _partial(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.partial")


def _keep(partial: Path, path: Path, force: bool) -> None:
    """Give the checked copy its name (never a half-written file under the final name)."""
    if path.exists() and not force:
        raise BackupError(
            _("%(path)s exists already; choose another name or replace it with --force.")
            % {"path": path}
        )
    try:
        partial.replace(path)
    except OSError as error:
        raise BackupError(
            _("Cannot write %(path)s: %(reason)s.")
            % {"path": path, "reason": error.strerror or error}
        ) from error


def _size(path: Path) -> str:
    from django.template.defaultfilters import filesizeformat

    return str(filesizeformat(path.stat().st_size)).replace("\xa0", " ")


def _print_rows(rows: Sequence[tuple[str, object]]) -> None:
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        print(f"  {label:<{width}} {value}")


def _summary(contents: Contents) -> list[tuple[str, object]]:
    return [(_("Organisations:"), contents.organisations), (_("User accounts:"), contents.users)]


def _migrations(label: str, count: int) -> list[tuple[str, object]]:
    return [(label, count)] if count else []


def known_migrations() -> frozenset[tuple[str, str]]:
    """Every migration this version of Startklar knows, including those a squash replaced."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    return frozenset(known)


def _check_not_newer(path: Path, contents: Contents) -> int:
    """Refuse a backup from a newer Startklar; the number of migrations to apply afterwards."""
    known = known_migrations()
    unknown = sorted(contents.migrations - known)
    if unknown:
        raise BackupError(
            _(
                "%(path)s was made by a newer version of Startklar (it contains the migration "
                "%(migration)s, which this version does not know). Update Startklar first, "
                "then restore."
            )
            % {"path": path, "migration": ".".join(unknown[0])}
        )
    return len(known - contents.migrations)


def _confirm(database: str, yes: bool) -> None:
    print(
        _(
            "Restoring replaces ALL current data in %(database)s with the state of the backup. "
            "Stop the server (startklar serve) and the worker before restoring."
        )
        % {"database": database},
        flush=True,
    )
    if yes:
        return
    try:
        answer = input(_("Continue? [y/N] "))
    except (EOFError, KeyboardInterrupt):
        answer = ""
        print()
    if answer.strip().lower() not in {"y", "yes", "j", "ja"}:
        raise BackupError(_("Cancelled; nothing was changed."))


def _migrate() -> int:
    """Apply the migrations the restored data lacks; how many."""
    from django.core.management import call_command
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        connection.close()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        call_command("migrate", interactive=False, verbosity=0)
    except DatabaseError as error:
        raise BackupError(
            _("The restored data could not be brought up to date: %(reason)s.")
            % {"reason": _first_line(str(error))}
        ) from error
    return len(pending)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "?"


# SQLite ---------------------------------------------------------------------------------------


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    """Open an existing file (``mode`` ro or rw); SQLite would otherwise create an empty one."""
    return sqlite3.connect(f"{path.as_uri()}?mode={mode}", uri=True, timeout=20)


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy ``source`` into ``target`` with SQLite's backup API in one step: one consistent
    snapshot, including what is still in the write-ahead log, while others go on writing."""
    with closing(_connect(source, "rw")) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it


def inspect_sqlite(path: Path) -> Contents:
    """Check that ``path`` is an intact SQLite database of Startklar; what it holds."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(
            _("Cannot read %(path)s: %(reason)s.")
            % {"path": path, "reason": error.strerror or error}
        ) from error
    if header.startswith(PG_DUMP_HEADER):
        raise BackupError(
            _("%(path)s is a PostgreSQL backup, but this installation uses SQLite.")
            % {"path": path}
        )
    if header != SQLITE_HEADER:
        raise BackupError(_("%(path)s is not a SQLite database.") % {"path": path})
    try:
        with closing(_connect(path, "ro")) as database:
            problems = [row[0] for row in database.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(
                    _("%(path)s failed the integrity check: %(problem)s.")
                    % {"path": path, "problem": problems[0]}
                )
            tables = {
                row[0]
                for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            for table in (MIGRATIONS_TABLE, ORGANISATIONS_TABLE, USERS_TABLE):
                if table not in tables:
                    raise BackupError(
                        _("%(path)s is not a database of Startklar (it has no table %(table)s).")
                        % {"path": path, "table": table}
                    )
            migrations = frozenset(database.execute("SELECT app, name FROM django_migrations"))
            organisations = database.execute(
                f"SELECT COUNT(*) FROM {ORGANISATIONS_TABLE}"  # noqa: S608 - a constant
            ).fetchone()[0]
            users = database.execute(
                f"SELECT COUNT(*) FROM {USERS_TABLE}"  # noqa: S608 - a constant
            ).fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(
            _("%(path)s cannot be read as a database: %(reason)s.")
            % {"path": path, "reason": error}
        ) from error
    return Contents(organisations, users, migrations)


def _sqlite_path(database: dict[str, Any]) -> Path:
    return Path(database["NAME"]).absolute()


def _write_sqlite_backup(live: Path, target: Path, force: bool) -> Contents:
    """Copy, check, then name: ``target`` only ever holds a complete, checked backup."""
    partial = _partial(target)
    _private_file(partial)
    try:
        try:
            copy_sqlite(live, partial)
        except sqlite3.Error as error:
            raise BackupError(
                _("The database %(path)s cannot be copied: %(reason)s.")
                % {"path": live, "reason": error}
            ) from error
        contents = inspect_sqlite(partial)
        _keep(partial, target, force)
    finally:
        for leftover in (partial, Path(f"{partial}-journal")):
            leftover.unlink(missing_ok=True)
    return contents


def backup_sqlite(database: dict[str, Any], args: argparse.Namespace) -> int:
    live = _sqlite_path(database)
    if not live.is_file():
        raise BackupError(
            _("There is no database at %(path)s. Is STARTKLAR_VAR_DIR the data folder?")
            % {"path": live}
        )
    target = _target(args.file, ".sqlite3", args.force)
    if target == live:
        raise BackupError(_("%(path)s is the database itself.") % {"path": target})
    contents = _write_sqlite_backup(live, target, args.force)
    print(_("Backup written and checked."))
    _print_rows([(_("File:"), target), (_("Size:"), _size(target)), *_summary(contents)])
    return 0


def _safety_copy_name(folder: Path, suffix: str) -> Path:
    path = folder / f"startklar-before-restore-{_stamp()}{suffix}"
    n = 2
    while path.exists():
        path = folder / f"startklar-before-restore-{_stamp()}-{n}{suffix}"
        n += 1
    return path.absolute()


def restore_sqlite(database: dict[str, Any], args: argparse.Namespace) -> int:
    from django.db import connection

    live = _sqlite_path(database)
    source = Path(args.file).absolute()
    if not source.is_file():
        raise BackupError(_("There is no file %(path)s.") % {"path": source})
    if source == live:
        raise BackupError(_("%(path)s is the database itself.") % {"path": source})
    contents = inspect_sqlite(source)
    pending = _check_not_newer(source, contents)
    print(_("%(path)s: a backup of Startklar, integrity checked.") % {"path": source})
    _print_rows(_summary(contents) + _migrations(_("Migrations to apply afterwards:"), pending))
    _confirm(str(live), args.yes)

    connection.close()
    safety = None
    if live.is_file():
        safety = _safety_copy_name(live.parent, ".sqlite3")
        _write_sqlite_backup(live, safety, force=False)
        print(_("Safety copy of the current data: %(path)s") % {"path": safety})
    try:
        live.parent.mkdir(parents=True, exist_ok=True)
        with (
            closing(_connect(source, "ro")) as origin,
            closing(sqlite3.connect(live, timeout=20)) as target,
        ):
            origin.backup(target)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(_restore_failed(error, safety)) from error
    applied = _migrate()
    restored = inspect_sqlite(live)
    print(_("Restored from %(path)s.") % {"path": source})
    _print_rows(_summary(restored) + _migrations(_("Migrations applied:"), applied))
    print(_("Start the server and the worker again."))
    return 0


def _restore_failed(error: object, safety: Path | None) -> str:
    reason = _first_line(str(error))
    if safety is None:
        return _("Restoring failed: %(reason)s.") % {"reason": reason}
    return _("Restoring failed: %(reason)s. The previous data is in the safety copy %(path)s.") % {
        "reason": reason,
        "path": safety,
    }


# PostgreSQL -----------------------------------------------------------------------------------


def find_program(name: str) -> str | None:
    """``name`` from ``STARTKLAR_PG_BIN`` if set, else from the PATH, else from Debian's folder
    of the newest installed PostgreSQL."""
    folder = os.environ.get("STARTKLAR_PG_BIN", "").strip()
    if folder:
        candidate = Path(folder) / name
        return str(candidate) if os.access(candidate, os.X_OK) else None
    found = shutil.which(name)
    if found:
        return found
    versions = [p for p in DEBIAN_PG_BIN.glob(f"*/bin/{name}") if os.access(p, os.X_OK)]
    versions.sort(key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    return str(versions[-1]) if versions else None


def postgres_connection(database: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment for pg_dump and pg_restore; the password only
    in the environment, where other users of the machine cannot read it."""
    options = ["--no-password"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            options.append(f"{flag}={database[key]}")
    options.append(f"--dbname={database['NAME']}")
    environment = {}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])
    for option, variable in LIBPQ_ENVIRONMENT.items():
        if option in database.get("OPTIONS", {}):
            environment[variable] = str(database["OPTIONS"][option])
    return options, environment


def _run_pg(command: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    program = Path(command[0]).name
    try:
        result = subprocess.run(  # noqa: S603 - our own arguments, no shell
            command, env={**os.environ, **environment}, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise BackupError(
            _("%(program)s cannot be started: %(reason)s.")
            % {"program": program, "reason": error.strerror or error}
        ) from error
    if result.returncode != 0:
        reason = _first_line(result.stderr)
        reason = re.sub(rf"^{re.escape(program)}: (error: )?", "", reason)
        raise BackupError(
            _("%(program)s failed: %(reason)s") % {"program": program, "reason": reason}
        )
    return result


def _missing(program: str, command: list[str]) -> BackupError:
    """The message when ``program`` is not installed: the exact command to run elsewhere."""
    return BackupError(
        _(
            "%(program)s was not found (Debian/Ubuntu: apt-get install postgresql-client; or set "
            "STARTKLAR_PG_BIN to its folder). Run instead, with the password in PGPASSWORD or "
            "~/.pgpass:\n  %(command)s"
        )
        % {"program": program, "command": shlex.join(command)}
    )


_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ")
_COPY = re.compile(r"^COPY \S+ \(.*\) FROM stdin;$")


def _archive_tables(pg_restore: str, path: Path) -> set[str]:
    listing = _run_pg([pg_restore, "--list", str(path)], {}).stdout
    return {m.group(2) for line in listing.splitlines() if (m := _TOC_TABLE.match(line))}


def _archive_rows(pg_restore: str, path: Path, table: str) -> list[list[str]]:
    """The rows of one table in a custom-format archive, as text columns."""
    script = _run_pg(
        [pg_restore, "--data-only", f"--table={table}", "--file=-", str(path)], {}
    ).stdout
    rows: list[list[str]] = []
    inside = False
    for line in script.splitlines():
        if inside and line == "\\.":
            inside = False
        elif inside:
            rows.append(line.split("\t"))
        elif _COPY.match(line):
            inside = True
    return rows


def _check_archive_header(path: Path) -> None:
    """Refuse early what is not a pg_dump archive, naming what it is instead."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(
            _("Cannot read %(path)s: %(reason)s.")
            % {"path": path, "reason": error.strerror or error}
        ) from error
    if header == SQLITE_HEADER:
        raise BackupError(
            _(
                "%(path)s is a SQLite backup, but this installation uses PostgreSQL "
                "(DATABASE_URL). To move from SQLite to PostgreSQL, follow the README."
            )
            % {"path": path}
        )
    if not header.startswith(PG_DUMP_HEADER):
        raise BackupError(
            _("%(path)s is not a backup made with pg_dump --format=custom.") % {"path": path}
        )


def inspect_archive(pg_restore: str, path: Path) -> Contents:
    """Check that ``path`` is a pg_dump archive of Startklar; what it holds."""
    _check_archive_header(path)
    tables = _archive_tables(pg_restore, path)
    for table in (MIGRATIONS_TABLE, ORGANISATIONS_TABLE, USERS_TABLE):
        if table not in tables:
            raise BackupError(
                _("%(path)s is not a database of Startklar (it has no table %(table)s).")
                % {"path": path, "table": table}
            )
    migrations = frozenset(
        (row[1], row[2]) for row in _archive_rows(pg_restore, path, MIGRATIONS_TABLE)
    )
    return Contents(
        organisations=len(_archive_rows(pg_restore, path, ORGANISATIONS_TABLE)),
        users=len(_archive_rows(pg_restore, path, USERS_TABLE)),
        migrations=migrations,
    )


def _write_postgres_backup(database: dict[str, Any], target: Path, force: bool) -> Contents:
    options, environment = postgres_connection(database)
    pg_dump = find_program("pg_dump")
    pg_restore = find_program("pg_restore")
    if pg_dump is None or pg_restore is None:
        raise _missing("pg_dump", ["pg_dump", "--format=custom", *options, f"--file={target}"])
    partial = _partial(target)
    _private_file(partial)
    try:
        _run_pg([pg_dump, "--format=custom", *options, f"--file={partial}"], environment)
        contents = inspect_archive(pg_restore, partial)
        _keep(partial, target, force)
    finally:
        partial.unlink(missing_ok=True)
    return contents


def backup_postgres(database: dict[str, Any], args: argparse.Namespace) -> int:
    target = _target(args.file, ".dump", args.force)
    contents = _write_postgres_backup(database, target, args.force)
    print(_("Backup written and checked."))
    _print_rows([(_("File:"), target), (_("Size:"), _size(target)), *_summary(contents)])
    return 0


def _tables_to_drop(archive_tables: set[str]) -> list[str]:
    """Startklar's tables that exist now but not in the archive (made by migrations newer than
    the backup): dropped before the restore, so the migrations can create them afresh."""
    from django.db import connection

    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
    ours = set(connection.introspection.django_table_names()) | {MIGRATIONS_TABLE}
    return sorted((present & ours) - archive_tables)


def restore_postgres(database: dict[str, Any], args: argparse.Namespace) -> int:
    from django.db import DatabaseError, connection

    source = Path(args.file).absolute()
    options, environment = postgres_connection(database)
    pg_restore = find_program("pg_restore")
    command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
    if not source.is_file():
        raise BackupError(_("There is no file %(path)s.") % {"path": source})
    _check_archive_header(source)
    if pg_restore is None:
        raise _missing("pg_restore", [*command, *options, str(source)])
    contents = inspect_archive(pg_restore, source)
    pending = _check_not_newer(source, contents)
    print(_("%(path)s: a backup of Startklar, readable.") % {"path": source})
    _print_rows(_summary(contents) + _migrations(_("Migrations to apply afterwards:"), pending))
    _confirm(str(database["NAME"]), args.yes)

    safety = _safety_copy_name(Path.cwd(), ".dump")
    _write_postgres_backup(database, safety, force=False)
    print(_("Safety copy of the current data: %(path)s") % {"path": safety})
    try:
        stale = _tables_to_drop(_archive_tables(pg_restore, source))
        with connection.cursor() as cursor:
            for table in stale:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
        connection.close()
        _run_pg([pg_restore, *command[1:], *options, str(source)], environment)
    except (DatabaseError, BackupError) as error:
        raise BackupError(_restore_failed(error, safety)) from error
    applied = _migrate()
    with connection.cursor() as cursor:
        counts = []
        for table in (ORGANISATIONS_TABLE, USERS_TABLE):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - a constant
            counts.append(cursor.fetchone()[0])
    print(_("Restored from %(path)s.") % {"path": source})
    restored = Contents(counts[0], counts[1], frozenset())
    _print_rows(_summary(restored) + _migrations(_("Migrations applied:"), applied))
    print(_("Start the server and the worker again."))
    return 0
