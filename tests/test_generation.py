"""The database's generation token: renewed by every change of data, in its transaction."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from startklar.core import generation
from startklar.core.generation import changed_table
from startklar.organisations.models import Organisation
from startklar.testing import make_organisation


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        (
            'INSERT INTO "organisations_organisation" ("name") VALUES (%s)',
            "organisations_organisation",
        ),
        ('  UPDATE "usecases_usecase" SET "title" = %s', "usecases_usecase"),
        ('DELETE FROM "compliance_aisystem" WHERE "id" = %s', "compliance_aisystem"),
        ("INSERT OR REPLACE INTO t (a) VALUES (1)", "t"),
        ("insert\n  into\n x values (1)", "x"),
        ("REPLACE INTO t VALUES (1)", "t"),
        ("UPDATE OR IGNORE t SET a = 1", "t"),
        ("TRUNCATE TABLE ONLY t", "t"),
        ("WITH old AS (SELECT 1) UPDATE t SET a = 1", "?"),
        ("WITH old AS (SELECT 1) SELECT * FROM old", None),
        ('SELECT "id" FROM "x" WHERE "note" = \'DELETE FROM y\'', None),
        ('SAVEPOINT "s1"', None),
        ("PRAGMA foreign_keys = ON", None),
        ("SET TIME ZONE 'UTC'", None),
        (b"UPDATE t SET a = 1", "?"),
    ],
)
def test_the_changed_table_is_read_from_the_statement(sql: str, table: str | None) -> None:
    assert changed_table(sql) == table


@pytest.mark.django_db
def test_an_orm_save_a_bulk_update_and_raw_sql_each_renew_the_token() -> None:
    organisation = make_organisation("Alt GmbH")
    before = generation.current()
    generation._forget_markers()  # a new request: the test's transaction is one for all
    Organisation.objects.filter(pk=organisation.pk).update(name="Neu GmbH")
    after_update = generation.current()
    generation._forget_markers()  # a new request: the test's transaction is one for all
    with connection.cursor() as cursor:
        cursor.execute(
            'UPDATE "organisations_organisation" SET "name" = %s WHERE "id" = %s',
            ["Roh GmbH", organisation.pk],
        )
    after_raw = generation.current()
    assert before is not None
    assert len({before, after_update, after_raw}) == 3


@pytest.mark.django_db
def test_reads_and_sessions_leave_the_token_alone() -> None:
    organisation = make_organisation()
    generation._forget_markers()
    before = generation.current()
    list(Organisation.objects.filter(pk=organisation.pk))
    session = SessionStore()
    session["startklar_last_seen"] = 1
    session.save()
    assert generation.current() == before


@pytest.mark.django_db(transaction=True)
def test_one_update_of_the_token_per_transaction_and_none_for_a_rolled_back_change() -> None:
    organisation = make_organisation()
    before = generation.current()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for n in range(5):
            Organisation.objects.filter(pk=organisation.pk).update(headcount=10 + n)
    renewals = [q for q in queries.captured_queries if generation.TABLE in q["sql"]]
    assert len(renewals) == 1
    committed = generation.current()
    assert committed != before

    with transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(headcount=99)
        transaction.set_rollback(True)
    assert generation.current() == committed  # rolled back with the change


@pytest.mark.django_db(transaction=True)
def test_a_change_after_a_rolled_back_savepoint_renews_the_token_again() -> None:
    organisation = make_organisation()
    with transaction.atomic():
        before = generation.current()
        try:
            with transaction.atomic():
                Organisation.objects.filter(pk=organisation.pk).update(headcount=11)
                raise RuntimeError
        except RuntimeError:
            pass
        assert generation.current() == before  # the savepoint took its token with it
        Organisation.objects.filter(pk=organisation.pk).update(headcount=12)
        inside = generation.current()
    assert inside != before
    assert generation.current() == inside


@pytest.mark.django_db(transaction=True)
def test_the_token_comes_back_after_its_row_was_emptied() -> None:
    """A test database flushed between tests loses the row; the next change makes it again."""
    from startklar.core.models import Generation

    Generation.objects.all().delete()
    assert generation.current() is None
    make_organisation()
    assert generation.current() is not None
