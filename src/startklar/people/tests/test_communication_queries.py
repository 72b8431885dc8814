"""What the communication page reads: the steps by date, done, open or late (due before today
and not done), the FAQ in its order with what can move where, the FAQ as staff read it, and
nothing of another organisation."""

from __future__ import annotations

import datetime

import pytest

from startklar.organisations.models import Role
from startklar.organisations.tenancy import Tenant
from startklar.people import communication_queries as queries
from startklar.people import communication_services as services
from startklar.people.models import Channel, CommunicationItem, CommunicationKind
from startklar.testing import add_member, make_organisation, tenant_of

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)
DAY = datetime.timedelta(days=1)


def _tenant(name: str | None = None) -> Tenant:
    organisation = make_organisation(name)
    return tenant_of(add_member(organisation, role=Role.OWNER), organisation)


def step(tenant: Tenant, due: datetime.date, audience: str) -> CommunicationItem:
    return services.create_item(
        tenant,
        kind="announcement",
        audience=audience,
        message="AI plans",
        channel="notice",
        due_on=due,
        today=TODAY,
    )


def test_steps_by_date_done_open_and_late() -> None:
    tenant = _tenant()
    later = step(tenant, TODAY + 10 * DAY, "later")
    late = step(tenant, TODAY - 3 * DAY, "late")
    due_today = step(tenant, TODAY, "today")
    done_late = step(tenant, TODAY - 9 * DAY, "done")
    services.set_done(tenant, done_late, True, TODAY - DAY)
    step(_tenant("Andere GmbH"), TODAY - 30 * DAY, "someone else's")

    page = queries.page(tenant, TODAY)
    assert [i.audience for i in page.items] == ["done", "late", "today", "later"]
    rows = {i.audience: i for i in page.items}
    assert rows["done"].done
    assert not rows["done"].late
    assert rows["done"].done_on == TODAY - DAY
    assert rows["late"].late
    assert rows["late"].late_days == 3
    assert not rows["late"].done
    assert not rows["today"].late  # due today is not late yet
    assert not rows["later"].late
    assert (page.done_count, page.open_count, page.late_count) == (1, 3, 1)
    assert page.next_item is not None
    assert page.next_item.pk == late.pk
    assert rows["later"].kind is CommunicationKind.ANNOUNCEMENT
    assert rows["later"].channel is Channel.NOTICE
    assert rows["later"].edit_url == queries.url(tenant, "communication_edit", later.pk)
    assert rows["today"].done_url.endswith(f"/communication/{due_today.pk}/done/")
    # A day later, the step due today is late by one day.
    assert next(i for i in queries.page(tenant, TODAY + DAY).items if i.pk == due_today.pk).late


def test_an_empty_page_and_a_plan_all_done() -> None:
    tenant = _tenant()
    page = queries.page(tenant, TODAY)
    assert page.items == ()
    assert page.faq == ()
    assert page.next_item is None
    item = step(tenant, TODAY - DAY, "all")
    services.set_done(tenant, item, True, TODAY)
    assert queries.page(tenant, TODAY).next_item is None


def test_the_faq_in_its_order_for_the_page_and_for_staff() -> None:
    tenant = _tenant()
    first = services.create_faq(tenant, "Will AI monitor my work?", "No.")
    second = services.create_faq(tenant, "Will my job go?", "No.")
    third = services.create_faq(tenant, "Who sees my answers?", "Nobody.")
    services.move_faq(tenant, third, "up")
    services.create_faq(_tenant("Andere GmbH"), "Someone else's?", "Yes.")

    rows = queries.page(tenant, TODAY).faq
    assert [r.pk for r in rows] == [first.pk, third.pk, second.pk]
    assert [(r.first, r.last) for r in rows] == [(True, False), (False, False), (False, True)]
    assert rows[1].move_url == queries.url(tenant, "faq_move", third.pk)
    expected = (
        queries.FaqView("Will AI monitor my work?", "No."),
        queries.FaqView("Who sees my answers?", "Nobody."),
        queries.FaqView("Will my job go?", "No."),
    )
    assert queries.faq(tenant.organisation) == expected
    assert queries.faq(tenant.organisation.pk) == expected


def test_the_deletion_pages_say_what_goes() -> None:
    tenant = _tenant()
    item = step(tenant, TODAY, "all")
    entry = services.create_faq(tenant, "Will my job go?", "No.")
    confirm = queries.deletion(tenant, item)
    assert confirm.action_url == queries.url(tenant, "communication_delete", item.pk)
    assert confirm.consequences == ()
    confirm = queries.deletion(tenant, entry)
    assert confirm.name == "Will my job go?"
    assert confirm.cancel_url.endswith("#faq")
