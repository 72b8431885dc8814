"""The database as the safety tests see it: a fingerprint of every row, a cheap signal that
something was written, a savepoint that always rolls back, and the tenancy invariant.

* ``fingerprint()``: row count and a hash of the rows of every table of the project's apps
  (many-to-many tables included), to tell "nothing changed" for certain.
* ``writes()``: a counter the database keeps of rows written by this connection (SQLite's
  ``total_changes()``, PostgreSQL's per-transaction statistics), so the fingerprint is only
  computed when something may have changed.
* ``rolled_back()``: a savepoint around one probe that is rolled back whatever happens.
* ``cross_organisation_references()``: every foreign key and many-to-many link between rows
  that belong to an organisation must stay inside one organisation. Which organisation a row
  belongs to is found generically: its ``organisation`` field, or else a required foreign key to
  a row that belongs to one (``LineItem`` → ``BusinessCase`` → ``organisation``), so a model
  added later is covered without editing this file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import F

from startklar.core import generation
from startklar.organisations.models import Organisation


def project_models() -> list[type[models.Model]]:
    """The project's tables, with those behind many-to-many fields; not the generation token,
    which only says that something else changed (core/generation.py)."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_config is not None
        and m._meta.app_config.name.startswith("startklar.")
        and m._meta.managed
        and not m._meta.proxy
        and m._meta.db_table != generation.TABLE
    ]


def fingerprint(*, times: bool = True) -> dict[str, tuple[int, str]]:
    """Per table: the number of rows and a hash of all of them, in primary-key order.

    ``times=False`` leaves out date-time columns (when a row was written), so two writes of
    the same values give the same fingerprint. On PostgreSQL the server hashes the rows, all
    tables in one query (a round trip per table is most of the cost there); the hashes differ
    from SQLite's, and are only ever compared with others of the same database."""
    quote = connection.ops.quote_name
    tables = []
    for model in project_models():
        columns = [
            quote(f.column)
            for f in model._meta.concrete_fields
            if times or not isinstance(f, models.DateTimeField)
        ]
        tables.append(
            (model._meta.label, quote(model._meta.db_table), quote(model._meta.pk.column), columns)
        )
    result: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s, count(*), coalesce(md5(string_agg(ROW({', '.join(columns)})::text,"  # noqa: S608 - names from the models
                    f" chr(10) ORDER BY {pk})), '') FROM {table}"
                    for _label, table, pk, columns in tables
                ),
                [label for label, *_rest in tables],
            )
            return {label: (int(count), digest) for label, count, digest in cursor.fetchall()}
        for label, table, pk, columns in tables:
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {pk}")  # noqa: S608 - names from the models
            rows = cursor.fetchall()
            digest = hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest()
            result[label] = (len(rows), digest)
    return result


def changed_tables(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> str:
    """The tables whose rows differ, with their row counts before and after."""
    names = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return ", ".join(
        f"{n} ({before.get(n, (0, ''))[0]} → {after.get(n, (0, ''))[0]} rows)" for n in names
    )


def writes() -> int:
    """Rows inserted, updated or deleted by this connection so far (only ever grows)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
                " FROM pg_stat_xact_user_tables"
            )
        else:
            cursor.execute("SELECT total_changes()")
        return int(cursor.fetchone()[0])


@contextmanager
def rolled_back() -> Iterator[None]:
    """A savepoint that is rolled back afterwards, also when the block raises."""
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


# The tenancy invariant -----------------------------------------------------------------------


def organisation_paths() -> dict[type[models.Model], str]:
    """For each model whose rows belong to an organisation, the lookup from a row to its
    organisation's id ("organisation", "business_case__organisation", …): its own
    ``organisation`` field, else a required relation to such a row, else an optional one."""
    paths: dict[type[models.Model], str] = {Organisation: "pk"}
    for optional in (False, True):
        changed = True
        while changed:
            changed = False
            for model in project_models():
                if model not in paths:
                    path = _path_of(model, paths, optional)
                    if path is not None:
                        paths[model] = path
                        changed = True
    return paths


def _path_of(
    model: type[models.Model], known: dict[type[models.Model], str], optional: bool
) -> str | None:
    relations = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey)
        and f.related_model in known
        and (optional or not f.null)
    ]
    for f in relations:
        if f.name == "organisation" and f.related_model is Organisation:
            return "organisation"
    if relations:
        related = relations[0].related_model
        assert isinstance(related, type)  # a model: relations point to known models only
        return _join(relations[0].name, known[related])
    return None


def _join(field: str, path: str) -> str:
    return field if path == "pk" else f"{field}__{path}"


@dataclass(frozen=True)
class CrossReference:
    model: str
    pk: object
    field: str
    own: object  # the organisation the row belongs to
    other: object  # the organisation of the row it points to

    def __str__(self) -> str:
        return (
            f"{self.model} #{self.pk} (organisation {self.own}) points through '{self.field}' "
            f"to a row of organisation {self.other}"
        )


def cross_organisation_references() -> list[CrossReference]:
    """Every link from a row of one organisation to a row of another one."""
    paths = organisation_paths()
    found: list[CrossReference] = []
    for model, own_path in paths.items():
        if model is Organisation:
            continue
        for f in model._meta.concrete_fields:
            related = f.related_model
            if not isinstance(f, models.ForeignKey) or not isinstance(related, type):
                continue
            if related not in paths:
                continue
            if own_path in {f.name, _join(f.name, "pk")}:
                continue  # the relation that defines the row's organisation
            other_path = _join(f.name, paths[related])
            rows = (
                model._base_manager.annotate(_own=F(own_path), _other=F(other_path))
                .filter(_own__isnull=False, _other__isnull=False)
                .exclude(_own=F("_other"))
                .values_list("pk", "_own", "_other")
            )
            found.extend(
                CrossReference(model._meta.label, pk, f.name, own, other) for pk, own, other in rows
            )
    return found


def rows_of(organisation: Organisation) -> dict[str, str]:
    """A hash of every row that belongs to ``organisation``, per model."""
    result: dict[str, str] = {}
    for model, path in organisation_paths().items():
        rows = list(
            model._base_manager.filter(**{path: organisation.pk}).order_by("pk").values_list()
        )
        result[model._meta.label] = hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest()
    return result
