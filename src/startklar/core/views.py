"""Views that belong to no feature: the health check for operators."""

from __future__ import annotations

from functools import cache

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


@cache
def expected_migrations() -> frozenset[tuple[str, str]]:
    """The latest migration of every app, read once from the code (not from the database)."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return frozenset(graph.leaf_nodes())


def schema_problem() -> str | None:
    """None when the database answers and holds the schema this code expects, else why not.

    ``SELECT 1`` is not enough: with its file deleted, SQLite creates an empty database that
    answers every query but has no tables.
    """
    expected = expected_migrations()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = {(app, name) for app, name in cursor.fetchall()}
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return "database unavailable or without tables"
    if not expected <= applied:
        return "migrations not applied"
    return None


@login_not_required
@require_GET
def health(_request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers with the expected
    schema, 503 otherwise (with the reason, which names nothing secret)."""
    problem = schema_problem()
    if problem is not None:
        return JsonResponse({"status": "unavailable", "reason": problem}, status=503)
    return JsonResponse({"status": "ok"})
