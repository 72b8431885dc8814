"""``Tenant.once``: a read several parts of one page need is made once per request."""

from __future__ import annotations

import pytest

from startklar.organisations.models import Organisation, Role
from startklar.testing import add_member, make_organisation, tenant_of


@pytest.mark.django_db
def test_a_read_is_made_once_until_something_is_written() -> None:
    organisation = make_organisation("Erste GmbH")
    tenant = tenant_of(add_member(organisation, role=Role.OWNER), organisation)
    reads: list[str] = []

    def name() -> str:
        reads.append("read")
        return Organisation.objects.get(pk=organisation.pk).name

    assert tenant.once("name", name) == "Erste GmbH"
    assert tenant.once("name", name) == "Erste GmbH"
    assert len(reads) == 1
    Organisation.objects.filter(pk=organisation.pk).update(name="Zweite GmbH")
    assert tenant.once("name", name) == "Zweite GmbH"  # a write in between: read again
    assert len(reads) == 2
    assert tenant.once("other", lambda: 7) == 7  # each key its own


@pytest.mark.django_db
def test_each_request_has_its_own_reads() -> None:
    organisation = make_organisation()
    user = add_member(organisation, role=Role.OWNER)
    first, second = tenant_of(user, organisation), tenant_of(user, organisation)
    assert first.once("n", lambda: 1) == 1
    assert second.once("n", lambda: 2) == 2
    assert first == second  # the memo is no part of what a tenant is
