"""The stored value and feasibility of each use case equal a fresh computation from its scores
after every service that changes scores or weights; anything not stored by this version for
this use case (a copy, a changed value, other criteria or code) is computed again when read."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from startklar.organisations import archive
from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.testing import demo_company, tenant_of
from startklar.usecases import axes, excel, queries, services
from startklar.usecases.models import UseCase, Workshop

pytestmark = pytest.mark.django_db


def owner_of(organisation: Organisation) -> Tenant:
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER).user
    return tenant_of(owner, organisation)


def stored(organisation: Organisation) -> dict[int, axes.Axes]:
    """The stored axes whose seal holds."""
    return {
        pk: (value, feasibility)
        for pk, value, feasibility, seal in UseCase.objects.filter(
            organisation=organisation
        ).values_list("pk", "value", "feasibility", "axes_seal")
        if axes.holds(pk, (value, feasibility), seal)
    }


def fresh(tenant: Tenant) -> dict[int, axes.Axes]:
    """Computed from the scores, as the portfolio did before the axes were stored."""
    return {r.use_case.pk: (r.value, r.feasibility) for r in queries.rows(tenant)}


def first(tenant: Tenant) -> UseCase:
    found = tenant.scoped(UseCase.objects).order_by("pk").first()
    assert found is not None
    return found


def rescore(tenant: Tenant) -> None:
    use_case = first(tenant)
    scores = dict(use_case.scores.values_list("criterion_id", "score"))
    services.set_scores(tenant, use_case, {k: 6 - v for k, v in scores.items()})


def create(tenant: Tenant) -> None:
    # The demo has a readiness round: the new use case starts with suggested scores.
    use_case = services.create_use_case(tenant, {"title": "Neu", "problem": "P"})
    assert use_case.scores.exists()


def reweigh(tenant: Tenant) -> None:
    own = axes.weights(tenant.organisation.pk)
    services.set_weights(tenant, {k: Decimal(n % 4 + 1) for n, k in enumerate(own)})


def agree(tenant: Tenant) -> None:
    workshop = tenant.scoped(Workshop.objects).first()
    assert workshop is not None
    workshop.phase = Workshop.Phase.REVEALED
    workshop.save()
    use_case = workshop.use_cases.order_by("pk").first()
    assert use_case is not None
    services.agree(tenant, workshop, use_case.pk, "messbarkeit", 1)


def import_file(tenant: Tenant) -> None:
    content = excel.export(tenant)
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet is not None
    last = sheet.max_column  # the last criterion's score
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=last).value = 1
    sheet.append(["", "Aus Excel", "", "Problem"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = excel.import_rows(tenant, io.BytesIO(buffer.getvalue()))
    assert result.created == 1


@pytest.mark.parametrize("change", [rescore, create, reweigh, agree, import_file])
def test_every_service_that_changes_scores_or_weights_stores_the_axes(
    change: Callable[[Tenant], None],
) -> None:
    organisation = demo_company()
    tenant = owner_of(organisation)
    before = fresh(tenant)
    assert stored(organisation) == before
    change(tenant)
    after = fresh(tenant)
    assert after != before
    assert stored(organisation) == after  # stored by the service, not when read


def test_copies_and_values_changed_by_hand_are_computed_when_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    organisation = demo_company()
    tenant = owner_of(organisation)
    archive.copy_into(organisation, 1)  # the copies have ids of their own
    expected = fresh(tenant)
    assert len(stored(organisation)) == len(expected) // 2
    changed = first(tenant)
    UseCase.objects.filter(pk=changed.pk).update(value=99.0)
    rows = {r.use_case.pk: (r.value, r.feasibility) for r in queries.portfolio_page(tenant).rows}
    assert rows == expected
    assert stored(organisation) == expected  # and stored for the next read
    # Other criteria or code: every use case's axes are computed again.
    monkeypatch.setattr(axes, "version", lambda: "another")
    assert stored(organisation) == {}
    active = queries.active_portfolio(tenant).rows
    assert {r.use_case.pk: (r.value, r.feasibility) for r in active} == {
        pk: expected[pk]
        for pk in tenant.scoped(UseCase.objects)
        .filter(status__in=queries.ACTIVE)
        .values_list("pk", flat=True)
    }
    assert set(stored(organisation)) >= {r.use_case.pk for r in active}


def test_a_use_case_without_scores_has_no_axes() -> None:
    organisation = demo_company()
    tenant = owner_of(organisation)
    use_case = services.create_use_case(tenant, {"title": "Ohne", "problem": "P"})
    use_case.scores.all().delete()
    axes.store(organisation.pk, [use_case.pk])
    assert stored(organisation)[use_case.pk] == (None, None)
