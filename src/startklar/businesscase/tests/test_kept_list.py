"""The comparison table is kept rendered under a key of everything it shows: a kept table is
the table rendered afresh, every change shows at once, and nobody gets another's CSRF token."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from startklar.businesscase import services
from startklar.businesscase.models import BusinessCase, Option
from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.testing import client_for, demo_company
from startklar.usecases import services as usecases
from startklar.usecases.models import Status

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def table(client: Client, organisation: Organisation) -> str:
    page = client.get(f"/o/{organisation.slug}/business-cases/").content.decode()
    return page[page.index("<tbody>") : page.index("</tbody>")]


def fresh(client: Client, organisation: Organisation) -> str:
    cache.clear()
    return table(client, organisation)


def without_tokens(html: str) -> str:
    return TOKEN.sub("", html)


def owned(organisation: Organisation) -> tuple[Organisation, Tenant]:
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER)
    return organisation, Tenant(organisation=organisation, membership=owner)


@pytest.fixture
def company() -> tuple[Organisation, Tenant]:
    return owned(demo_company())


@pytest.mark.parametrize("times", [1, 10])
@pytest.mark.parametrize("language", ["de", "en"])
def test_a_kept_table_is_the_table_rendered_afresh(times: int, language: str) -> None:
    organisation, tenant = owned(demo_company(copies=times - 1))
    client = client_for(tenant.membership.user, language)
    first = fresh(client, organisation)
    again = table(client, organisation)  # kept
    assert without_tokens(again) == without_tokens(first)  # a token is masked anew each time
    assert first.count("<tr>") >= 13 * times


def test_every_change_shows_at_once(company: tuple[Organisation, Tenant]) -> None:
    organisation, tenant = company
    client = client_for(tenant.membership.user, "de")
    seen = [table(client, organisation)]
    case = BusinessCase.objects.filter(organisation=organisation).order_by("pk").first()
    assert case is not None
    item = case.items.filter(kind="monthly").first()
    assert item is not None
    use_case = organisation.use_cases.exclude(business_case__isnull=False).first()
    assert use_case is not None
    changes = [
        lambda: services.update_item(
            tenant, item, item.name, "", {"amount": (Decimal(1), Decimal(2), Decimal(3))}
        ),
        lambda: services.decide(
            tenant, case, Option.MAKE if case.decision != Option.MAKE else Option.BUY, "so"
        ),
        lambda: usecases.update_use_case(tenant, use_case, {"title": "Ganz neuer Titel"}),
        lambda: usecases.change_status(tenant, use_case, Status.POSTPONED, "später"),
        lambda: services.create_for(tenant, use_case),
    ]
    for change in changes:
        change()
        now = table(client, organisation)
        assert without_tokens(now) != without_tokens(seen[-1]), len(seen)
        assert without_tokens(now) == without_tokens(fresh(client, organisation))
        seen.append(now)


def test_each_person_gets_the_rows_with_their_own_token(
    company: tuple[Organisation, Tenant],
) -> None:
    organisation, tenant = company
    one = client_for(tenant.membership.user, "de")
    two = client_for(tenant.membership.user, "de")  # another browser, another CSRF secret
    first, second = table(one, organisation), table(two, organisation)
    assert TOKEN.search(first)
    assert TOKEN.search(second)
    assert without_tokens(first) == without_tokens(second)
    for client, html in ((one, first), (two, second)):
        token = TOKEN.search(html)
        assert token is not None
        action = re.search(r'<form method="post" action="([^"]+)"', html)
        assert action is not None
        response = client.post(action.group(1), {"csrfmiddlewaretoken": token.group(1)})
        assert response.status_code == 302, "the kept token is the person's own"


def test_viewers_get_no_create_buttons(company: tuple[Organisation, Tenant]) -> None:
    organisation, _tenant = company
    viewer = Membership.objects.filter(organisation=organisation, role=Role.VIEWER).first()
    assert viewer is not None
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER)
    assert 'method="post"' in table(client_for(owner.user, "de"), organisation)
    assert 'method="post"' not in table(client_for(viewer.user, "de"), organisation)
