"""A small organisation with an AI system and a plan, for the reviews' own tests (the demo
company is far larger than these tests need)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

import pytest

from startklar.accounts.models import User
from startklar.compliance.models import AISystem
from startklar.organisations.models import Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.reviews import services
from startklar.reviews.models import ReviewPlan, Source
from startklar.testing import add_member, make_organisation, make_user, tenant_of

RIGHT = {"correct": "right", "complete": "complete", "usable": "usable"}
_numbers = itertools.count()
WRONG = {"correct": "wrong", "complete": "complete", "usable": "unusable"}


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    organisation: Organisation = make_organisation()
    owner: User = add_member(organisation, make_user(name="Olga Owner"), Role.OWNER)
    editor: User = add_member(organisation, make_user(name="Erik Editor"), Role.EDITOR)
    viewer: User = add_member(organisation, make_user(name="Vera Viewer"), Role.VIEWER)
    system = AISystem.objects.create(
        organisation=organisation,
        name="Belegerfassung",
        owner="Olga",
        purpose="Rechnungen",
        capability="documents",
        hosting="saas_eu",
    )
    tenant = tenant_of(owner, organisation)
    plan = services.create_plan(
        tenant,
        ReviewPlan(
            ai_system=system,
            title="Belege",
            threshold=Decimal(10),
            double_share=Decimal(50),
            baseline_errors=4,
            baseline_items=80,
            owner=owner,
        ),
        [owner, editor, viewer],
    )
    return {
        "organisation": organisation,
        "owner": owner,
        "editor": editor,
        "viewer": viewer,
        "system": system,
        "plan": plan,
        "tenant": tenant,
        "editor_tenant": tenant_of(editor, organisation),
        "viewer_tenant": tenant_of(viewer, organisation),
    }


def items(tenant: Tenant, plan: ReviewPlan, count: int, day: datetime.date | None = None) -> list:
    day = day or datetime.date.today() - datetime.timedelta(days=1)
    start = next(_numbers)
    rows = [services.NewItem(f"Ausgabe {n}", day, f"R-{start}-{n}") for n in range(count)]
    return services.add_items(tenant, plan, rows, Source.MANUAL)
