"""Every organisation-scoped URL is closed to outsiders and read-only for viewers.

The test walks the project's whole URL map, so a view added later is covered without touching
this file. An organisation-scoped URL is one with an ``org_slug`` parameter. Its other
parameters must be named ``<model>_id`` after an organisation-owned model; the values come
from the demo company, which therefore has to contain at least one object of every such model.

For each organisation-scoped URL and each method:

* an outsider (owner of another organisation) gets 404 with the demo company's slug and ids,
  and also with their own slug but the demo company's ids (no leak of existence);
* a viewer of the demo company gets 403 on every state-changing request, and nothing changes,
  unless the view explicitly allows viewers to write (``@org_view(write_role=Role.VIEWER)``);
* the demo company's owner reaches every GET page (200, 405 for POST-only views, or a redirect
  within the organisation), which shows that the 404s above come from the scoping and not from
  broken URLs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from startklar.organisations.models import Membership, Role
from startklar.testing import client_for, demo_company, make_organisation, make_user

from . import urlmap
from .urlmap import ORG_ROUTES, ROUTES, Route, org_owned_models, snapshot

pytestmark = pytest.mark.django_db

UNSAFE = ("post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Built once for the module (the demo company is large); every test still runs in its own
    transaction on top of it, and the data is removed afterwards."""
    with django_db_blocker.unblock():
        yield build_world()
        call_command("flush", interactive=False, verbosity=0)


def build_world() -> dict[str, Any]:
    victim = demo_company()
    owner = Membership.objects.get(organisation=victim, role=Role.OWNER).user
    viewer = Membership.objects.filter(organisation=victim, role=Role.VIEWER).first()
    assert viewer is not None, "the demo company needs a viewer for this test"
    outsider = make_user("outsider@example.com")
    own = make_organisation("Fremdfirma GmbH")
    Membership.objects.create(organisation=own, user=outsider, role=Role.OWNER)
    return {
        "victim": victim,
        "own": own,
        "ids": urlmap.ids_of(victim),
        "outsider": client_for(outsider),
        "viewer": client_for(viewer.user),
        "owner": client_for(owner),
    }


def values_for(route: Route, world: dict[str, Any], slug: str) -> dict[str, object]:
    return urlmap.values_for(route, world["ids"], slug)


def send(client: Client, method: str, url: str) -> int:
    return getattr(client, method)(url).status_code


def test_the_walk_finds_the_organisation_scoped_views() -> None:
    names = {str(r) for r in ORG_ROUTES}
    assert "/o/<slug:org_slug>/members/<int:membership_id>/role/" in names
    assert any(r.is_api for r in ORG_ROUTES)


def test_object_ids_appear_only_under_an_organisation() -> None:
    owned = org_owned_models()
    for route in ROUTES:
        if not route.org_scoped:
            leaked = set(route.params) & set(owned)
            assert not leaked, f"{route} reaches {leaked} without an organisation in the URL"


def test_every_organisation_view_goes_through_org_view() -> None:
    for route in ORG_ROUTES:
        if not route.is_api:
            assert getattr(route.callback, "startklar_org_scoped", False), (
                f"{route} is not wrapped in @org_view"
            )


@pytest.mark.parametrize("route", ORG_ROUTES, ids=str)
def test_outsiders_get_404_for_another_organisation(route: Route, world: dict[str, Any]) -> None:
    before = snapshot()
    url = route.url(values_for(route, world, world["victim"].slug))
    statuses = {method: send(world["outsider"], method, url) for method in ("get", *UNSAFE)}
    allowed = {404, 405} if route.is_api else {404}
    assert statuses["get"] == 404 or statuses["post"] == 404, f"{url}: {statuses}"
    assert set(statuses.values()) <= allowed, f"{url}: {statuses}"
    assert snapshot() == before


@pytest.mark.parametrize("route", [r for r in ORG_ROUTES if len(r.params) > 1], ids=str)
def test_outsiders_cannot_reach_foreign_objects_through_their_own_organisation(
    route: Route, world: dict[str, Any]
) -> None:
    before = snapshot()
    url = route.url(values_for(route, world, world["own"].slug))
    statuses = {method: send(world["outsider"], method, url) for method in ("get", *UNSAFE)}
    allowed = {404, 405}
    assert 404 in statuses.values(), f"{url}: {statuses}"
    assert set(statuses.values()) <= allowed, f"{url}: {statuses}"
    assert snapshot() == before


@pytest.mark.parametrize("route", ORG_ROUTES, ids=str)
def test_viewers_cannot_change_anything(route: Route, world: dict[str, Any]) -> None:
    if getattr(route.callback, "startklar_write_role", Role.EDITOR) == Role.VIEWER:
        pytest.skip(f"{route} lets viewers write on purpose")
    before = snapshot()
    url = route.url(values_for(route, world, world["victim"].slug))
    statuses = {method: send(world["viewer"], method, url) for method in UNSAFE}
    allowed = {403, 405} if route.is_api else {403}
    assert set(statuses.values()) <= allowed, f"{url}: {statuses}"
    assert snapshot() == before


@pytest.mark.parametrize("route", ORG_ROUTES, ids=str)
def test_the_owner_reaches_every_page(route: Route, world: dict[str, Any]) -> None:
    slug = world["victim"].slug
    url = route.url(values_for(route, world, slug))
    response = world["owner"].get(url)
    inside = response.status_code == 302 and response["Location"].startswith(f"/o/{slug}/")
    assert response.status_code in {200, 405} or inside, f"{url}: {response.status_code}"


@pytest.mark.parametrize("route", ORG_ROUTES, ids=str)
def test_anonymous_visitors_are_sent_to_sign_in(route: Route, world: dict[str, Any]) -> None:
    response = Client().get(route.url(values_for(route, world, world["victim"].slug)))
    if route.is_api:
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
