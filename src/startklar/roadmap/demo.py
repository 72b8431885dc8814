"""The demo company's roadmap: begun ten weeks ago from the proposal, accepted item by item,
the first items done, one overdue, items in all three phases (the strategy item added by hand),
one proposal dismissed, and the owner's calendar address."""

from __future__ import annotations

import datetime

from django.utils import timezone

from startklar.core.demo import DemoCompany
from startklar.organisations.tenancy import Tenant

from . import engine, proposals, queries, services
from .models import Item, Kind

STARTED_WEEKS_AGO = 10


def seed(company: DemoCompany) -> None:
    tenant: Tenant = company.owner
    today = timezone.localdate()
    start = engine.monday_on_or_after(today - datetime.timedelta(weeks=STARTED_WEEKS_AGO))
    settings = services.save_settings(tenant, start, queries.DEFAULT_CAPACITY * 2, None)
    found, _dismissed = proposals.proposals(tenant, "de", settings)
    # The company wants no separate training for coaching others yet.
    unwanted = [p.key for p in found if p.key.endswith(":coaching")][:1]
    for key in unwanted:
        services.dismiss(tenant, key)
    accepted = services.accept(tenant, [p.key for p in found if p.key not in unwanted], "de", today)
    _done_and_overdue(tenant, accepted, today)
    services.add_item(
        tenant,
        Item(
            kind=Kind.OTHER,
            title="KI als Teil der Unternehmensstrategie verankern",
            why=(
                "Nach den ersten Einführungen: Ziele, Budget und Verantwortung für KI in die "
                "Jahresplanung aufnehmen."
            ),
            start=engine.add_months(start, 19),
            end=engine.add_months(start, 19) + datetime.timedelta(weeks=4, days=-1),
            owner=tenant.membership,
        ),
        [],
    )
    services.create_feed(tenant)


def _done_and_overdue(tenant: Tenant, items: list[Item], today: datetime.date) -> None:
    """The items that should have ended by now: all done but one, which is overdue."""
    past = sorted((i for i in items if i.end < today), key=lambda i: (i.end, i.pk))
    for item in past[:-1]:
        services.mark_done(tenant, item, item.end)
