"""The proposal for the demo company: every source is there, dependencies and dates as the
engine placed them, and an accepted or dismissed proposal is not proposed again."""

from __future__ import annotations

import datetime

import pytest

from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.roadmap import proposals, queries, services
from startklar.roadmap.models import Dismissal, Item, Settings
from startklar.testing import demo_company

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def tenant() -> Tenant:
    organisation: Organisation = demo_company()
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER)
    # The demo's roadmap is accepted already: these tests start from none.
    Item.objects.filter(organisation=organisation).delete()
    Dismissal.objects.filter(organisation=organisation).delete()
    Settings.objects.filter(organisation=organisation).delete()
    return Tenant(organisation=organisation, membership=owner)


def test_the_demo_company_gets_a_proposal_from_every_source(tenant: Tenant) -> None:
    settings = queries.settings_of(tenant, TODAY)
    found, dismissed = proposals.proposals(tenant, "de", settings)
    assert not dismissed
    assert {p.key.split(":")[0] for p in found} == {
        "readiness",
        "usecase",
        "compliance",
        "competence",
        "people",
    }
    by_key = {p.key: p for p in found}
    for p in found:
        assert p.source.title
        assert p.source.why
        assert p.source.url.startswith("/o/")
        for needed in p.task.depends_on:
            assert by_key[needed].placement.end < p.placement.start
    # Literacy (Art. 4) is planned for the company, not once per use case.
    assert not [k for k in by_key if k.startswith("compliance:") and k.endswith(":literacy")]
    # The invoice pilot runs (extended): its rollout waits for the pilot's end.
    invoice = next(
        k
        for k in by_key
        if k.endswith(":rollout") and "Eingangsrechnungen" in by_key[k].source.title
    )
    assert by_key[invoice].placement.start > TODAY


def test_accepted_and_dismissed_proposals_are_not_proposed_again(tenant: Tenant) -> None:
    settings = queries.settings_of(tenant, TODAY)
    found, _ = proposals.proposals(tenant, "de", settings)
    chain = [
        p.key
        for p in found
        if p.key.startswith("usecase:") and p.key.split(":")[1] == found[-1].key.split(":")[1]
    ]
    first_use_case = next(p.key.split(":")[1] for p in found if p.key.startswith("usecase:"))
    chain = [p.key for p in found if p.key.startswith(f"usecase:{first_use_case}:")]
    first, *rest = chain
    items = services.accept(tenant, [first], "de", TODAY)
    assert [i.source_key for i in items] == [first]
    with pytest.raises(services.RoadmapError):
        services.accept(tenant, [first], "de", TODAY)
    services.accept(tenant, rest, "de", TODAY)
    saved = {i.source_key: i for i in Item.objects.filter(organisation=tenant.organisation)}
    for key in rest:
        assert list(saved[key].depends_on.all()), key  # linked to the item before it
        assert all(d.end < saved[key].start for d in saved[key].depends_on.all())
    services.dismiss(tenant, found[0].key)
    again, dismissed = proposals.proposals(tenant, "de", queries.settings_of(tenant, TODAY))
    left = {p.key for p in again}
    assert not left & set(chain)
    assert found[0].key not in left
    assert [d.source_key for d, _source in dismissed] == [found[0].key]
    services.take_back(tenant, Dismissal.objects.get())
    assert found[0].key in {
        p.key for p in proposals.proposals(tenant, "de", queries.settings_of(tenant, TODAY))[0]
    }
