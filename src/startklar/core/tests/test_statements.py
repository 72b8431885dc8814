"""A statement runs exactly what the ORM would run for the same values, and gives its rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from startklar.core.statements import Statement

pytestmark = pytest.mark.django_db


def sessions(key: str, after: datetime) -> QuerySet[Any]:
    return (
        Session.objects.filter(session_key__gte=key, expire_date__gt=after)
        .order_by("session_key")
        .values_list("session_key", "expire_date")
    )


def permissions(content_type_id: int, codename: str) -> QuerySet[Any]:
    in_group = Group.objects.filter(permissions=OuterRef("pk"))
    return (
        Permission.objects.filter(content_type=content_type_id)
        .exclude(codename=codename)
        .annotate(grouped=Exists(in_group))
        .order_by("codename")
        .values_list("pk", "codename", "content_type__app_label", "grouped")
    )


@pytest.fixture
def stored() -> None:
    now = timezone.now()
    for n in range(6):
        Session.objects.create(
            session_key=f"key-{n}", session_data="x", expire_date=now + timedelta(hours=n - 2)
        )
    group = Group.objects.create(name="Prüfer")
    group.permissions.add(*Permission.objects.filter(codename__startswith="view_")[:3])


def test_the_same_sql_and_rows_as_the_orm(stored: None) -> None:
    statement = Statement(sessions, str, datetime)
    now = timezone.now()
    for key, after in [("key-0", now), ("key-3", now - timedelta(days=1)), ("zzz", now)]:
        assert statement.sql_with_params(key, after) == sessions(key, after).query.sql_with_params()
        assert statement.rows(key, after) == list(sessions(key, after))
    assert statement.rows("key-0", now)  # something is found
    assert all(isinstance(when, datetime) and when.tzinfo for _k, when in statement.rows("", now))


def test_rows_are_converted_as_the_orm_converts_them(stored: None) -> None:
    statement = Statement(permissions, int, str)
    grouped_type = Group.objects.get().permissions.first().content_type_id  # type: ignore[union-attr]
    for content_type in [grouped_type, *ContentType.objects.values_list("pk", flat=True)[:5]]:
        found = statement.rows(content_type, "view_group")
        assert found == list(permissions(content_type, "view_group"))
        assert all(isinstance(grouped, bool) for *_rest, grouped in found)
    assert any(grouped for *_rest, grouped in statement.rows(grouped_type, ""))


def test_the_sql_is_written_once(stored: None) -> None:
    made = []

    def make(key: str, after: datetime) -> QuerySet[Any]:
        made.append(key)
        return sessions(key, after)

    statement = Statement(make, str, datetime)
    for n in range(3):
        with CaptureQueriesContext(connection) as queries:
            statement.rows(f"key-{n}", timezone.now())
        assert len(queries) == 1
    assert len(made) == 1  # with the stand-ins only


def test_values_the_orm_writes_into_the_sql_or_changes_are_refused() -> None:
    with pytest.raises(ValueError, match="parameter"):
        Statement(lambda n: Session.objects.values_list("session_key")[:n], int).rows(5)
    contains = Statement(
        lambda text: Session.objects.filter(session_data__contains=text).values_list("pk"), str
    )
    with pytest.raises(ValueError, match="parameter"):
        contains.rows("x")


def test_values_of_other_kinds_and_counts_are_refused() -> None:
    with pytest.raises(TypeError, match="int, str or datetime"):
        Statement(lambda _v: Session.objects.values_list("pk"), float).rows(1.5)  # type: ignore[arg-type]
    statement = Statement(sessions, str, datetime)
    with pytest.raises(TypeError, match="2 values"):
        statement.rows("key-1")


def test_a_date_time_goes_in_as_the_orm_adapts_it(stored: None) -> None:
    statement = Statement(sessions, str, datetime)
    berlin = datetime(2026, 10, 25, 2, 30, tzinfo=UTC).astimezone(timezone.get_current_timezone())
    assert statement.sql_with_params("k", berlin) == sessions("k", berlin).query.sql_with_params()


def test_rows_without_conversions(stored: None) -> None:
    statement = Statement(
        lambda key: Session.objects.filter(session_key=key).values_list("session_key", "pk"), str
    )
    assert statement.rows("key-2") == [("key-2", "key-2")]
    assert statement.rows("none") == []
