"""What a deletion takes with it, said before anyone clicks.

:func:`preview` asks Django's own deletion collector (the same one ``delete()`` uses), so
the confirmation page lists exactly the rows that will go: a use case's business case with its
line items, its classification, its votes. Nothing is deleted here.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

from django.db import connection, models, router
from django.db.models.deletion import CASCADE, Collector, get_candidate_relations_to_delete
from django.db.models.fields.reverse_related import ForeignObjectRel


@dataclass(frozen=True)
class Consequence:
    """``count`` objects of one kind that are deleted along with the object."""

    label: str  # "3 Positionen"-style label: the kind's name, singular or plural
    count: int


def _label(model: type[models.Model], count: int) -> str:
    meta = model._meta
    return str(meta.verbose_name if count == 1 else meta.verbose_name_plural)


def _sorted(counts: Counter[type[models.Model]]) -> tuple[Consequence, ...]:
    found = [Consequence(_label(model, n), n) for model, n in counts.items() if n > 0]
    return tuple(sorted(found, key=lambda c: (-c.count, c.label)))


def preview(obj: models.Model) -> tuple[tuple[Consequence, ...], tuple[Consequence, ...]]:
    """What deleting ``obj`` takes with it (not counting ``obj``), and the objects that stay
    but lose their many-to-many link to it; each most numerous first."""
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    collector.collect([obj])
    deleted: Counter[type[models.Model]] = Counter()
    unlinked: Counter[type[models.Model]] = Counter()
    # A row reached on two paths (an answer through its pulse and through its pulse's group)
    # is one row: counted once, by its key.
    rows: dict[type[models.Model], set[object]] = {}
    for model, instances in collector.data.items():
        rows.setdefault(model, set()).update(i.pk for i in instances)
    for queryset in collector.fast_deletes:
        model = queryset.model
        if model._meta.auto_created:  # a link table: the object on its other side stays
            others = [
                f.related_model
                for f in model._meta.get_fields()
                if f.many_to_one and f.related_model is not type(obj)
            ]
            if others and isinstance(others[0], type):
                unlinked[others[0]] += queryset.count()
        else:
            rows.setdefault(model, set()).update(queryset.values_list("pk", flat=True))
    for model, keys in rows.items():
        deleted[model] += len(keys)
    deleted[type(obj)] -= 1
    return _sorted(deleted), _sorted(unlinked)


def _cascades(model: type[models.Model]) -> dict[type[models.Model], str]:
    """Every model whose rows deleting a ``model`` row deletes with it (foreign keys with
    ``on_delete=CASCADE``, followed through each level), with a lookup from it to the row."""
    paths: dict[type[models.Model], str] = {}
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    while frontier:
        target, path = frontier.pop(0)
        for relation in get_candidate_relations_to_delete(target._meta):
            child = relation.related_model
            if not isinstance(relation, ForeignObjectRel) or relation.on_delete is not CASCADE:
                continue
            if not isinstance(child, type) or child is model or child in paths:
                continue
            lookup = relation.field.name + (f"__{path}" if path else "")
            paths[child] = lookup
            frontier.append((child, lookup))
    return paths


_PROBE = 2_147_483_000  # a stand-in id, to find where the counted object's id goes


@functools.cache
def _counting(model: type[models.Model], _vendor: str) -> tuple[list[type[models.Model]], str]:
    """The kinds deleting a ``model`` row removes, and one SQL statement (made by the ORM,
    once per process and database kind) that counts all of them for a row whose id is every
    parameter."""
    kinds = [m for m in _cascades(model) if not m._meta.auto_created]  # link rows: not objects
    parts = []
    for n, kind in enumerate(kinds):
        lookup = _cascades(model)[kind]
        query = kind._base_manager.filter(**{lookup: _PROBE}).values("pk").query
        sql, params = query.sql_with_params()
        if list(params) != [_PROBE]:  # pragma: no cover - a lookup with other parameters
            raise ValueError(f"{kind.__name__}: cannot count by {lookup}")
        # Only the ORM's own SQL and numbers: the id goes in as a parameter.
        parts.append(f"SELECT {n} AS kind, COUNT(*) AS n FROM ({sql}) counted_{n}")  # noqa: S608
    return kinds, " UNION ALL ".join(parts)


def counted(obj: models.Model) -> tuple[Consequence, ...]:
    """What deleting ``obj`` takes with it, as :func:`preview` says, by counting every kind
    in one query instead of loading every object (for an organisation: tens of thousands);
    a row reached along two paths counts once, as the deletion removes it once."""
    kinds, sql = _counting(type(obj), connection.vendor)
    if not kinds:
        return ()
    with connection.cursor() as cursor:
        cursor.execute(sql, [obj.pk] * len(kinds))
        rows = cursor.fetchall()
    return _sorted(Counter({kinds[n]: count for n, count in rows}))


@dataclass(frozen=True)
class Confirmation:
    """Everything the confirmation page of a deletion shows (``core/confirm_delete.html``)."""

    title: str  # e.g. "Use Case löschen"
    name: str  # what is deleted, e.g. the use case's title
    consequences: tuple[Consequence, ...]
    unlinked: tuple[Consequence, ...]  # objects that stay but lose their link to it
    kept: tuple[str, ...]  # sentences on what else stays, e.g. "Scores agreed in it stay."
    action_url: str
    cancel_url: str
    button: str  # e.g. "Use Case endgültig löschen"
