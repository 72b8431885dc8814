"""Which state the database is in: a token that changes with every change of data.

Every statement that changes a table (``INSERT``, ``UPDATE``, ``DELETE``, ``REPLACE``,
``MERGE``, ``TRUNCATE``), whoever runs it (a view, a bulk update, raw SQL, the worker, a
management command, a migration), also sets the one row of ``core_generation`` to a new random
token, *in the same transaction*: the token commits or rolls back with the change it stands
for. A page kept rendered under the token it was rendered at (:mod:`.pages`) is therefore never
served after a change: the change brings a new token, and nothing is kept under it yet. A
random token, not a counter, so that two databases (or a test's rolled-back state and the
next test's) never share one for different data.

One ``UPDATE`` per transaction: a marker in the transaction's on-commit list says the token is
already set in it. Django drops the marker with the savepoint or transaction it was registered
in, so a rolled-back token is set again by the next change. Request boundaries start afresh
(a test runs all its requests in one transaction).

Sessions are left out (:data:`UNWATCHED`): the idle timeout writes one a minute, and a kept
page has the session's content in its key instead.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate

TABLE = "core_generation"
UNWATCHED = frozenset({TABLE, "django_session"})
_READS = ("SELECT", "SAVEPOINT", "RELEASE", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SET ", "SHOW")
_WRITE = re.compile(
    r"""^\s*(?:
        (?:INSERT|REPLACE)\b.*?\bINTO | UPDATE(?:\s+OR\s+\w+)? | DELETE\s+FROM
        | MERGE\s+INTO | TRUNCATE(?:\s+TABLE)?
    )\s+(?:ONLY\s+)?["`]?(?P<table>[\w.]+)""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
_WITH_WRITE = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE)

_local = threading.local()  # .writes: changes made by this thread (see :func:`writes`)


def changed_table(sql: str) -> str | None:
    """The table a statement changes, ``"?"`` for a change whose table is not named at the
    start (a ``WITH … UPDATE``, SQL the ORM did not write as text), ``None`` for a statement
    that changes nothing."""
    if not isinstance(sql, str):
        return "?"
    head = sql[:16].lstrip().upper()
    if head.startswith(_READS):
        return None
    if head.startswith("WITH"):
        return "?" if _WITH_WRITE.search(sql) else None
    match = _WRITE.match(sql)
    return match.group("table") if match else None


def writes() -> int:
    """How many changing statements this thread has run (a page kept only if it ran none)."""
    return int(getattr(_local, "writes", 0))


def current(using: str = "default") -> int | None:
    """The token now (``None`` before the table exists or after a test emptied it)."""
    try:
        with connections[using].cursor() as cursor:
            cursor.execute(f'SELECT "token" FROM "{TABLE}" WHERE "id" = 1')  # noqa: S608
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return int(row[0]) if row else None


class _Marker:
    """Registered in a transaction's on-commit list once its token is set (a no-op)."""

    def __call__(self) -> None:
        return None


def _token_set(connection: BaseDatabaseWrapper) -> bool:
    marker = connection.__dict__.get("_startklar_marker")
    if marker is None or not connection.in_atomic_block:
        return False
    return any(entry[1] is marker for entry in connection.run_on_commit)


def _ready(connection: BaseDatabaseWrapper) -> bool:
    ready = connection.__dict__.get("_startklar_ready")
    if ready is None:
        with connection.cursor() as cursor:
            ready = TABLE in connection.introspection.table_names(cursor)
        connection.__dict__["_startklar_ready"] = ready
    return bool(ready)


def renew(connection: BaseDatabaseWrapper) -> None:
    """Sets a new token in the connection's current transaction (once per transaction)."""
    if _token_set(connection) or not _ready(connection):
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{TABLE}" ("id", "token") VALUES (1, %s) '  # noqa: S608
            'ON CONFLICT ("id") DO UPDATE SET "token" = excluded."token"',
            [secrets.randbits(62)],
        )
    if connection.in_atomic_block:
        marker = _Marker()
        connection.on_commit(marker)
        connection.__dict__["_startklar_marker"] = marker


def _watch(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    table = changed_table(sql)
    if table is not None and table.strip('"').lower() not in UNWATCHED:
        _local.writes = writes() + 1
        renew(context["connection"])
    return result


def _on_connection(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def _forget_markers(**kwargs: Any) -> None:
    for connection in connections.all(initialized_only=True):
        connection.__dict__.pop("_startklar_marker", None)


def _after_migrate(**kwargs: Any) -> None:
    for connection in connections.all(initialized_only=True):
        connection.__dict__.pop("_startklar_ready", None)


def watch() -> None:
    """Watches every database connection of the process (called once, from the app's
    ``ready``); connections opened before (rare) are watched from now on too."""
    connection_created.connect(_on_connection, dispatch_uid="startklar-generation")
    request_started.connect(_forget_markers, dispatch_uid="startklar-generation-start")
    request_finished.connect(_forget_markers, dispatch_uid="startklar-generation-end")
    post_migrate.connect(_after_migrate, dispatch_uid="startklar-generation-migrate")
    for connection in connections.all(initialized_only=True):
        _on_connection(connection=connection)
