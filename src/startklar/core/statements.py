"""Reads whose SQL the ORM writes once per process.

Making a queryset and compiling it to SQL costs 0.3–1 ms of Python per query; the database
often answers in a tenth of that (the members of an organisation: 1.1 ms to make the SQL,
0.05 ms to run it). A :class:`Statement` lets the ORM write the SQL of a ``values_list``
queryset once, with stand-ins (*probes*) for the values that change from request to request,
and then runs that same SQL with each request's values: adapted for the database as the ORM
adapts them, the rows converted as the ORM converts them. What is run is exactly what the ORM
would run (``tests``: the same SQL and parameters, the same rows).

The values must be of a kind whose value does not change the SQL: ids and numbers (``int``),
texts (``str``) and aware date-times (``datetime``), never ``None``, lists or the page bounds
of a slice (those the ORM writes into the SQL: make one statement per page size and start).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.models import QuerySet

Kind = type[int] | type[str] | type[datetime]

_INT_PROBE = 2_147_480_000  # + the argument's position


def _probe(kind: Kind, n: int) -> Any:
    if kind is int:
        return _INT_PROBE + n
    if kind is str:
        return f"\x00probe {n}\x00"
    if kind is datetime:
        return datetime(2999, 12, 30, 23, 58, n, 123_456, tzinfo=UTC)
    raise TypeError(f"{kind!r}: a statement takes int, str or datetime values")


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]  # the ORM's parameters, with the probes' places in ``slots``
    slots: tuple[tuple[int, int], ...]  # (place among the parameters, argument)
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]


class Statement:
    """The SQL of ``make(*values)`` (a ``values_list`` queryset), written once per process and
    database by the ORM, and run with each call's ``values`` (of the given ``kinds``)."""

    def __init__(self, make: Callable[..., QuerySet[Any]], *kinds: Kind):
        self.make = make
        self.kinds = kinds
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._lock = threading.Lock()

    def _adapt(self, kind: Kind, value: Any, alias: str) -> Any:
        """A value as the ORM passes it to the database."""
        if kind is datetime:
            return connections[alias].ops.adapt_datetimefield_value(value)
        return value

    def _compile(self, alias: str) -> _Compiled:
        probes = [_probe(kind, n) for n, kind in enumerate(self.kinds)]
        queryset = self.make(*probes)
        if queryset.db != alias:  # pragma: no cover - one database
            raise ValueError("a statement runs on the database of its queryset")
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        adapted = [
            self._adapt(kind, probe, alias) for kind, probe in zip(self.kinds, probes, strict=True)
        ]
        slots = tuple(
            (place, adapted.index(param))
            for place, param in enumerate(params)
            if any(type(param) is type(a) and param == a for a in adapted)
        )
        if sorted({n for _place, n in slots}) != list(range(len(self.kinds))):
            raise ValueError("each value must be a parameter of the SQL (not written into it)")
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):  # pragma: no cover - none in the project
            raise ValueError("composite fields are not supported")
        converters = tuple(
            (place, tuple(convs), expression)
            for place, (convs, expression) in compiler.get_converters(fields).items()
        )
        return _Compiled(sql, tuple(params), slots, converters)

    def compiled(self, alias: str = "default") -> _Compiled:
        key = (alias, connections[alias].vendor)
        found = self._compiled.get(key)
        if found is None:
            with self._lock:
                found = self._compiled.get(key) or self._compile(alias)
                self._compiled[key] = found
        return found

    def sql_with_params(self, *values: Any, alias: str = "default") -> tuple[str, tuple[Any, ...]]:
        """The SQL and the parameters run for ``values``."""
        if len(values) != len(self.kinds):
            raise TypeError(f"{len(self.kinds)} values expected, {len(values)} given")
        compiled = self.compiled(alias)
        adapted = [self._adapt(kind, v, alias) for kind, v in zip(self.kinds, values, strict=True)]
        params = list(compiled.params)
        for place, n in compiled.slots:
            params[place] = adapted[n]
        return compiled.sql, tuple(params)

    def rows(self, *values: Any, alias: str = "default") -> list[tuple[Any, ...]]:
        """The rows of ``make(*values)``, as its ``values_list`` gives them."""
        sql, params = self.sql_with_params(*values, alias=alias)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found: Sequence[Sequence[Any]] = cursor.fetchall()
        converters = self.compiled(alias).converters
        if not converters:
            return [tuple(row) for row in found]
        converted = []
        for row in found:
            values_ = list(row)
            for place, convs, expression in converters:
                value = values_[place]
                for convert in convs:
                    value = convert(value, expression, connection)
                values_[place] = value
            converted.append(tuple(values_))
        return converted
