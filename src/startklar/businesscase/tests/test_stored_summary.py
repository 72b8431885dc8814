"""A case's figures are stored under the fingerprint of its inputs and read from there by
every list, in every process; what is stored is what a fresh simulation gives."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from startklar.businesscase import engine, queries, services
from startklar.businesscase.models import BusinessCase, StoredSummary
from startklar.organisations import archive
from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.testing import demo_company

pytestmark = pytest.mark.django_db


def owned(organisation: Organisation) -> tuple[Organisation, Tenant]:
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER)
    return organisation, Tenant(organisation=organisation, membership=owner)


@pytest.fixture
def company() -> tuple[Organisation, Tenant]:
    return owned(demo_company())


def fresh(case: BusinessCase) -> queries.Summary:
    """The figures computed from nothing stored: a new simulation."""
    cache.clear()
    return queries.figures(queries.to_case(case))


def test_the_lists_read_of_many_cases_is_the_editors_read_of_each(
    company: tuple[Organisation, Tenant],
) -> None:
    organisation, _tenant = company
    archive.copy_into(organisation, 2)
    cases = list(BusinessCase.objects.filter(organisation=organisation))
    models = queries.to_cases(cases)
    assert len(models) == len(cases) >= 15
    for case in cases:
        assert models[case.pk] == queries.to_case(case)
        assert queries.fingerprint(models[case.pk]) == queries.fingerprint(queries.to_case(case))


def test_stored_figures_are_the_figures_of_a_fresh_simulation(
    company: tuple[Organisation, Tenant],
) -> None:
    _organisation, tenant = company
    rows = [r for r in queries.comparison(tenant) if r.case]
    assert rows
    assert StoredSummary.objects.count() == len({r.summary for r in rows})
    for row in rows:
        assert row.case is not None
        assert row.summary == fresh(row.case)
        stored = StoredSummary.objects.get(key=queries.stored_keys([row.case])[row.case.pk])
        assert stored.figures == asdict(row.summary)


def test_another_worker_reads_the_stored_figures_without_simulating(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _organisation, tenant = owned(demo_company(copies=9))
    first = queries.comparison(tenant)
    cache.clear()  # a process that has simulated nothing itself
    monkeypatch.setattr(engine, "simulate", lambda *a, **k: pytest.fail("simulated again"))
    with CaptureQueriesContext(connection) as queries_run:
        again = queries.comparison(tenant)
    assert [(r.use_case.pk, r.summary) for r in again] == [
        (r.use_case.pk, r.summary) for r in first
    ]
    assert len(queries_run.captured_queries) == 3  # use cases, their inputs, stored figures
    assert not [q for q in queries_run.captured_queries if "INSERT" in q["sql"]]


def test_a_changed_input_gets_new_figures_and_the_old_ones_stay_valid(
    company: tuple[Organisation, Tenant],
) -> None:
    organisation, tenant = company
    case = BusinessCase.objects.filter(organisation=organisation).order_by("pk").first()
    assert case is not None
    before = queries.summary(case)
    item = case.items.filter(kind="monthly").first()
    assert item is not None
    services.update_item(
        tenant, item, item.name, "", {"amount": (Decimal(10), Decimal(20), Decimal(900))}
    )
    after = queries.summary(case)
    assert after != before
    assert after == fresh(case)
    assert StoredSummary.objects.filter(key=queries.stored_keys([case])[case.pk]).exists()


def test_figures_of_another_shape_are_computed_again(company: tuple[Organisation, Tenant]) -> None:
    organisation, _tenant = company
    case = BusinessCase.objects.filter(organisation=organisation).order_by("pk").first()
    assert case is not None
    key = queries.stored_keys([case])[case.pk]
    StoredSummary.objects.create(key=key, figures={"npv": 1.0})  # e.g. written by an old version
    assert queries.summary(case) == fresh(case)


def test_the_housekeeping_forgets_figures_no_case_uses(
    company: tuple[Organisation, Tenant],
) -> None:
    from startklar import housekeeping

    organisation, tenant = company
    queries.comparison(tenant)
    stored = StoredSummary.objects.count()
    case = BusinessCase.objects.filter(organisation=organisation).order_by("pk").first()
    assert case is not None
    services.delete_case(tenant, case)
    report = housekeeping.run()
    assert report.figures == 1
    assert StoredSummary.objects.count() == stored - 1
    assert housekeeping.run().figures == 0
    assert "stored business-case figures no case uses deleted: 0" in housekeeping.run().lines()


def test_every_input_the_figures_depend_on_changes_the_key(
    company: tuple[Organisation, Tenant],
) -> None:
    from startklar.businesscase.models import Factor, LineItem

    organisation, _tenant = company
    case = BusinessCase.objects.filter(organisation=organisation).order_by("pk").first()
    assert case is not None
    first = queries.stored_keys([case])[case.pk]
    item = LineItem.objects.filter(business_case=case).order_by("position", "pk").first()
    assert item is not None
    factor = Factor.objects.filter(item=item).order_by("key").first()
    assert factor is not None
    changes = [
        lambda: Factor.objects.filter(pk=factor.pk).update(high=factor.high + 1),
        lambda: Factor.objects.filter(pk=factor.pk).update(low=factor.low + Decimal("0.0001")),
        lambda: LineItem.objects.filter(pk=item.pk).update(name=item.name + " neu"),
        lambda: LineItem.objects.filter(pk=item.pk).update(position=item.position + 1000),
        lambda: BusinessCase.objects.filter(pk=case.pk).update(horizon=case.horizon + 1),
        lambda: BusinessCase.objects.filter(pk=case.pk).update(discount_rate=Decimal("9.5")),
        lambda: BusinessCase.objects.filter(pk=case.pk).update(ramp_high=Decimal("11")),
    ]
    seen = {first}
    for change in changes:
        change()
        case.refresh_from_db()
        key = queries.stored_keys([case])[case.pk]
        assert key not in seen
        seen.add(key)
        assert queries.summary(case) == fresh(case)
