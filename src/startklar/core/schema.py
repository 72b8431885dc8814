"""A new SQLite database made in one step from the schema a full migration gives.

Migrating an empty database runs some seventy migrations and costs about 2.5 s, most of it
Django working out the models' state operation by operation; a fresh ``startklar demo`` spent
half its time there. As Rails loads ``schema.rb`` rather than replaying every migration,
:data:`SNAPSHOT` holds what migrating an empty SQLite database gives: the tables and indexes,
the applied migrations, the content types and permissions. ``scripts/write_schema.py`` writes
it; ``tests/test_schema_snapshot.py`` fails when it differs from a real migration of today's
code. A new, empty SQLite database is loaded from it (:func:`load_if_new`), and ``migrate``
then applies whatever came later, as for any database.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from .generation import TABLE

SNAPSHOT = Path(__file__).with_name("schema_sqlite.sql")
_APPLIED = re.compile(
    r"""^(INSERT INTO "django_migrations" VALUES\(\d+,'[^']*','[^']*'),'[^']*'\);$"""
)
_TOKEN = re.compile(rf"""^INSERT INTO "{TABLE}" VALUES\(1,-?\d+\);$""")
APPLIED_AT = "2000-01-01 00:00:00"  # the snapshot's stand-in for when each migration ran


def dump(connection: BaseDatabaseWrapper) -> str:
    """The SQLite database as SQL, the same for every migration of the same code (the time
    each migration ran and the generation token set to fixed values)."""
    connection.ensure_connection()
    lines = []
    for line in connection.connection.iterdump():
        line = _APPLIED.sub(rf"\1,'{APPLIED_AT}');", line)
        line = _TOKEN.sub(f'INSERT INTO "{TABLE}" VALUES(1,1);', line)
        lines.append(line)
    return "\n".join(lines) + "\n"


def load_if_new(using: str = "default") -> bool:
    """Loads :data:`SNAPSHOT` into an SQLite database that has no table yet; ``False`` for any
    other database (which ``migrate`` then sets up step by step)."""
    connection = connections[using]
    if connection.vendor != "sqlite" or not SNAPSHOT.exists():
        return False
    with connection.cursor() as cursor:
        if connection.introspection.table_names(cursor):
            return False
    raw = connection.connection
    raw.execute("PRAGMA foreign_keys = OFF")  # the dump has tables in name order
    try:
        raw.executescript(SNAPSHOT.read_text(encoding="utf-8"))
    finally:
        raw.execute("PRAGMA foreign_keys = ON")
    with connection.cursor() as cursor:  # a token of its own, as a migration would give it
        cursor.execute(f'UPDATE "{TABLE}" SET "token" = %s WHERE "id" = 1', [secrets.randbits(62)])  # noqa: S608
    return True
