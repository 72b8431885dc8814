"""The use-case pages show what they showed before they were made fast, on the demo at once and
at ten times its data; a kept page is the page rendered afresh, and every change shows at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.testing import (
    add_member,
    client_for,
    demo_company,
    make_organisation,
    nothing_kept,
    tenant_of,
)
from startklar.usecases import axes, journey, queries, services
from startklar.usecases.content import load_catalogue
from startklar.usecases.engine import portfolio
from startklar.usecases.models import Status, UseCase

pytestmark = pytest.mark.django_db

# What differs between two responses of the same page: the masked CSRF token, the CSP nonce.
TOKEN = re.compile(r'csrfmiddlewaretoken" value="[^"]+"|CSRFToken": "[^"]+"|nonce="[^"]+"')


@pytest.fixture(params=[1, 10], ids=["once", "ten times"])
def demo(request: pytest.FixtureRequest) -> Organisation:
    return demo_company(copies=request.param - 1)


def owner_of(organisation: Organisation) -> Tenant:
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER).user
    return tenant_of(owner, organisation)


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.sub("X", response.content.decode())


def fresh(client: Client, url: str) -> str:
    """The page rendered without anything kept."""
    with nothing_kept():
        return html(client, url)


# The portfolio as it was computed before: from model instances, twice. -------------------------


def listed(row: queries.Row[Any]) -> tuple[Any, ...]:
    uc = row.use_case
    return (
        uc.pk,
        uc.title,
        uc.catalogue_id,
        uc.status,
        uc.get_status_display(),
        uc.estimated_cost,
        uc.person_days,
        row.value,
        row.feasibility,
        row.entry,
        row.quadrant,
        row.candidate,
    )


def unsealed(organisation: Organisation) -> list[int]:
    """The use cases whose stored axes would be computed again when read."""
    return [
        pk
        for pk, value, feasibility, seal in UseCase.objects.filter(
            organisation=organisation
        ).values_list("pk", "value", "feasibility", "axes_seal")
        if not axes.holds(pk, (value, feasibility), seal)
    ]


def portfolio_before(tenant: Tenant) -> tuple[list[tuple[Any, ...]], list[int]]:
    active = queries.rows(tenant, tenant.scoped(UseCase.objects).filter(status__in=queries.ACTIVE))
    candidates = [r.candidate for r in active if r.candidate is not None]
    return [listed(r) for r in active], [int(c.id) for c in portfolio.focus_set(candidates)]


def test_the_portfolio_is_computed_as_before(demo: Organisation) -> None:
    tenant = owner_of(demo)
    copies = len(unsealed(demo))
    assert copies == (0 if demo.use_cases.count() < 50 else 117)  # copies: read, then stored
    page = queries.portfolio_page(tenant)
    assert unsealed(demo) == []
    assert [listed(r) for r in page.rows] == [listed(r) for r in queries.rows(tenant)]
    rows, focus = portfolio_before(tenant)
    assert focus  # the demo has a focus set
    for current in (page.portfolio, queries.active_portfolio(tenant)):
        assert [listed(r) for r in current.rows] == rows
        assert [r.use_case.pk for r in current.focus] == focus
    # The overview's headline and focus name the same use cases.
    headline = journey.headline(tenant)
    assert headline is not None
    assert headline.value.startswith(str(len(rows)))
    titles = dict(UseCase.objects.values_list("pk", "title"))
    assert headline.detail.endswith(", ".join(titles[pk] for pk in focus))
    assert [uc.pk for uc in journey.focus(tenant)] == focus


def test_the_focus_is_the_first_five_while_nothing_is_scored() -> None:
    organisation = make_organisation()
    tenant = tenant_of(add_member(organisation, role=Role.OWNER), organisation)
    for title in ["G", "A", "F", "B", "E", "C", "D"]:
        services.create_use_case(tenant, {"title": title, "problem": "P"})
    assert [uc.title for uc in journey.focus(tenant)] == ["A", "B", "C", "D", "E"]


def test_the_kept_pages_are_the_pages_rendered_afresh(demo: Organisation) -> None:
    # The portfolio, and the parts kept elsewhere: the unfilled list of use cases to choose for
    # a workshop, the catalogue's hits, the unfilled pain-point tasks, a use case's unfilled
    # score fields.
    tenant = owner_of(demo)
    use_case = tenant.scoped(UseCase.objects).order_by("pk").first()
    assert use_case is not None
    base = f"/o/{demo.slug}/usecases"
    urls = [
        f"{base}/",
        f"{base}/workshops/",
        f"{base}/catalogue/",
        f"{base}/catalogue/?q=Rechnugen",
        f"{base}/pain-points/",
        f"{base}/{use_case.pk}/",
    ]
    cache.clear()
    for url in urls:
        pages = []
        for language in ("de", "en"):
            client = client_for(tenant.membership.user, language)
            first = html(client, url)  # renders and keeps
            assert html(client, url) == first, url  # read back
            assert fresh(client, url) == first, url
            pages.append(first)
        assert pages[0] != pages[1]  # kept per language
    kept = [k for k in cache._cache if "template.cache.usecases" in k]  # type: ignore[attr-defined]
    assert len(kept) == 2 * 7  # each part in each language (the portfolio's head as well)


def change_title(tenant: Tenant, use_case: UseCase) -> None:
    data = {f: getattr(use_case, f) for f in services.FIELDS}
    services.update_use_case(tenant, use_case, {**data, "title": use_case.title + " (neu)"})


def change_cost(tenant: Tenant, use_case: UseCase) -> None:
    data = {f: getattr(use_case, f) for f in services.FIELDS}
    services.update_use_case(tenant, use_case, {**data, "estimated_cost": Decimal("123456")})


def change_score(tenant: Tenant, use_case: UseCase) -> None:
    scores = dict(use_case.scores.values_list("criterion_id", "score"))
    changed = {k: 6 - v for k, v in scores.items()} or {"messbarkeit": 5}
    services.set_scores(tenant, use_case, changed)


def change_weights(tenant: Tenant, _use_case: UseCase) -> None:
    services.set_weights(tenant, {k: Decimal("1.5") for k in queries.weights(tenant)})


def postpone(tenant: Tenant, use_case: UseCase) -> None:
    services.change_status(tenant, use_case, Status.POSTPONED, "Später")


def delete(tenant: Tenant, use_case: UseCase) -> None:
    services.delete_use_case(tenant, use_case)


def create(tenant: Tenant, _use_case: UseCase) -> None:
    services.create_use_case(tenant, {"title": "Aaa neu", "problem": "Ein Problem"})


@pytest.mark.parametrize(
    "change",
    [change_title, change_cost, change_score, change_weights, postpone, delete, create],
)
def test_every_change_shows_on_the_kept_portfolio_page(
    change: Callable[[Tenant, UseCase], None],
) -> None:
    organisation = demo_company()
    tenant = owner_of(organisation)
    client = client_for(tenant.membership.user, "de")
    url = f"/o/{organisation.slug}/usecases/"
    before = html(client, url)
    focus = queries.active_portfolio(tenant).focus[0].use_case.pk
    change(tenant, UseCase.objects.get(pk=focus))
    after = html(client, url)
    assert after != before
    assert after == fresh(client, url)


def test_the_use_case_page_shows_the_scores_as_computed_for_the_portfolio(
    demo: Organisation,
) -> None:
    tenant = owner_of(demo)
    for row in queries.rows(tenant):
        page = queries.use_case_page(tenant, row.use_case)
        assert (page.value, page.feasibility, page.entry) == (row.value, row.feasibility, row.entry)
        assert {c.id: c.score for c in page.criteria if c.score is not None} == row.scores


def test_what_the_kept_parts_show_changes_with_the_data() -> None:
    organisation = demo_company()
    tenant = owner_of(organisation)
    client = client_for(tenant.membership.user, "de")
    base = f"/o/{organisation.slug}/usecases"
    use_case = queries.active_portfolio(tenant).focus[0].use_case
    pages = {
        u: html(client, f"{base}/{u}") for u in ("workshops/", "catalogue/", f"{use_case.pk}/")
    }
    # A new use case from a catalogue entry nobody adopted yet: a choice for workshops, and
    # the entry marked adopted.
    adopted = set(UseCase.objects.values_list("catalogue_id", flat=True))
    entry = next(e for e in load_catalogue().entries if e.id not in adopted)
    services.create_use_case(tenant, {"title": "Zzz neu", "problem": "P"}, entry.id)
    change_score(tenant, UseCase.objects.get(pk=use_case.pk))
    for url, before in pages.items():
        after = html(client, f"{base}/{url}")
        assert after != before, url
        assert after == fresh(client, f"{base}/{url}"), url
    assert "Zzz neu" in html(client, f"{base}/workshops/")


def test_filled_in_forms_are_not_kept() -> None:
    organisation = demo_company()
    tenant = owner_of(organisation)
    client = client_for(tenant.membership.user, "de")
    base = f"/o/{organisation.slug}/usecases"
    cache.clear()
    use_case = tenant.scoped(UseCase.objects).order_by("pk").first()
    assert use_case is not None
    refused = [
        client.post(f"{base}/workshops/", {"title": "", "use_cases": [use_case.pk]}),
        client.get(f"{base}/pain-points/", {"form-TOTAL_FORMS": "5", "form-INITIAL_FORMS": "0"}),
        client.post(f"{base}/{use_case.pk}/scores/", {"messbarkeit": "9"}),
    ]
    assert [r.status_code for r in refused] == [422, 422, 422]
    kept = [k for k in cache._cache if "template.cache.usecases" in k]  # type: ignore[attr-defined]
    assert kept == []  # only unfilled forms are kept
