"""The results page and the list of rounds keep their rendered parts under a key of everything
they show: a kept part is the part rendered afresh, in both languages and at ten times the
data, and every change that a part shows gives another key, so it shows at once."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from startklar.accounts.models import User
from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.readiness import queries, services
from startklar.readiness.content import load_bank
from startklar.readiness.models import Round
from startklar.testing import (
    add_member,
    client_for,
    demo_company,
    make_user,
    nothing_kept,
    tenant_of,
)

pytestmark = pytest.mark.django_db

# What differs between two responses of the same page: the masked CSRF token, the CSP nonce.
TOKEN = re.compile(r'csrfmiddlewaretoken" value="[^"]+"|CSRFToken": "[^"]+"|nonce="[^"]+"')


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.sub("X", response.content.decode())


def fresh(client: Client, url: str) -> str:
    """The page rendered without anything kept."""
    with nothing_kept():
        return html(client, url)


def owner_of(organisation: Organisation) -> Tenant:
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER).user
    return tenant_of(owner, organisation)


@pytest.mark.parametrize("times", [1, 10])
def test_kept_pages_are_the_pages_rendered_afresh(times: int) -> None:
    organisation = demo_company(copies=times - 1)
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER).user
    base = f"/o/{organisation.slug}/readiness"
    rounds = list(Round.objects.filter(organisation=organisation).order_by("pk"))
    urls = [f"{base}/", *(f"{base}/{r.pk}/results/" for r in (rounds[0], rounds[1], rounds[-1]))]
    cache.clear()
    for language in ("de", "en"):
        client = client_for(owner, language)
        for url in urls:
            first = html(client, url)  # a copy's result is stored first, then kept when shown
            assert html(client, url) == html(client, url) == first == fresh(client, url)
            assert 'id="trend-heading"' in first or "results" in url
            assert 'id="hurdles-heading"' in first or "results" not in url


def answer_all(member: Tenant, round_: Round, level: int) -> None:
    for question in load_bank().questions:
        services.save_answer(member, round_, question, level)
    services.submit(member, round_)


@pytest.fixture
def two_rounds(organisation: Organisation, owner: User) -> tuple[Tenant, Round, Round]:
    """Two closed rounds answered by the owner, the later one better."""
    tenant = tenant_of(owner, organisation)
    found = []
    for level in (2, 4):
        round_ = services.open_round(tenant, f"Runde {level}", "geschaeftsfuehrung")
        answer_all(tenant, round_, level)
        services.close_round(tenant, round_)
        found.append(round_)
    return tenant, found[0], found[1]


def test_the_results_page_shows_a_change_of_the_round_it_is_compared_with_at_once(
    organisation: Organisation, owner: User, two_rounds: tuple[Tenant, Round, Round]
) -> None:
    tenant, first, second = two_rounds
    client = client_for(owner)
    url = f"/o/{organisation.slug}/readiness/{second.pk}/results/"
    compared = html(client, url)
    assert "Runde 2" in compared  # the radar's second series
    assert html(client, url) == compared
    # An earlier round that gets results in between is compared with instead ...
    between = services.open_round(tenant, "Zwischenrunde", "geschaeftsfuehrung")
    Round.objects.filter(pk=between.pk).update(created_at=first.created_at)
    answer_all(tenant, between, 3)
    now = html(client, url)
    assert now != compared
    assert "Zwischenrunde" in now
    assert now == fresh(client, url)
    # ... and without an earlier round the radar shows this round alone.
    Round.objects.filter(pk__in=[first.pk, between.pk]).delete()
    alone = html(client, url)
    assert "Zwischenrunde" not in alone
    assert "Runde 2" not in alone
    assert alone == fresh(client, url)


def test_the_results_page_of_an_open_round_shows_each_submission_at_once(
    organisation: Organisation, owner: User
) -> None:
    tenant = tenant_of(owner, organisation)
    colleague = tenant_of(add_member(organisation, make_user("it@example.com")), organisation)
    round_ = services.open_round(tenant, "Offen", "geschaeftsfuehrung")
    services.add_respondent(tenant, round_, colleague.membership, "it")
    answer_all(tenant, round_, 5)
    client = client_for(owner)
    url = f"/o/{organisation.slug}/readiness/{round_.pk}/results/"
    alone = html(client, url)
    assert queries.results_page(tenant, round_, "de").key is None  # never kept
    answer_all(colleague, round_, 1)
    both = html(client, url)
    assert both != alone
    assert both == fresh(client, url)


def test_the_list_of_rounds_and_the_trend_show_each_change_at_once(
    organisation: Organisation, owner: User, two_rounds: tuple[Tenant, Round, Round]
) -> None:
    tenant, _first, second = two_rounds
    client = client_for(owner)
    url = f"/o/{organisation.slug}/readiness/"
    page = html(client, url)
    assert 'id="trend-heading"' in page
    steps = [
        lambda: services.open_round(tenant, "Neue Runde"),  # a new row
        lambda: services.add_respondent(
            tenant, Round.objects.get(title="Neue Runde"), tenant.membership, "it"
        ),  # its count of respondents
        lambda: answer_all(tenant, Round.objects.get(title="Neue Runde"), 1),  # submitted: trend
        lambda: services.close_round(tenant, Round.objects.get(title="Neue Runde")),  # status
        lambda: Round.objects.filter(pk=second.pk).update(title="Umbenannt"),  # a title
        lambda: Round.objects.filter(pk=second.pk).delete(),  # a round gone
    ]
    for step in steps:
        step()
        changed = html(client, url)
        assert changed != page
        assert changed == fresh(client, url)
        page = changed
    assert 'id="trend-heading"' in page  # still two rounds with results
