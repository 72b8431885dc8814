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

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from startklar import demo
from startklar.accounts.models import User
from startklar.organisations.models import Membership, Organisation, Role
from startklar.testing import client_for, make_organisation, make_user

pytestmark = pytest.mark.django_db

UNSAFE = ("post", "put", "patch", "delete")
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    template: str  # e.g. "o/<slug:org_slug>/members/<int:membership_id>/role/"
    callback: Any
    namespaces: tuple[str, ...]

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in PARAM.finditer(self.template)]

    @property
    def org_scoped(self) -> bool:
        return "org_slug" in self.params

    @property
    def is_api(self) -> bool:
        return "api" in self.namespaces

    def url(self, values: dict[str, object]) -> str:
        return "/" + PARAM.sub(lambda m: str(values[m.group("name")]), self.template)

    def __str__(self) -> str:
        return "/" + self.template


def walk(
    patterns: list[Any], prefix: str = "", namespaces: tuple[str, ...] = ()
) -> Iterator[Route]:
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            raise AssertionError(f"{prefix}{entry.pattern}: use path(), not re_path()")
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            yield Route(route, entry.callback, namespaces)


ROUTES = list(walk(get_resolver().url_patterns))
ORG_ROUTES = [r for r in ROUTES if r.org_scoped]


def org_owned_models() -> dict[str, type[models.Model]]:
    """Models reached through an organisation, by the URL parameter that names them."""
    return {
        f"{model._meta.model_name}_id": model
        for model in apps.get_models()
        if any(
            getattr(field, "related_model", None) is Organisation
            for field in model._meta.get_fields()
            if field.name == "organisation"
        )
    }


def snapshot() -> dict[str, list[dict[str, Any]]]:
    tables = [Organisation, *org_owned_models().values(), User]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in tables}


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Built once for the module (the demo company is large); every test still runs in its own
    transaction on top of it, and the data is removed afterwards."""
    with django_db_blocker.unblock():
        yield build_world()
        call_command("flush", interactive=False, verbosity=0)


def build_world() -> dict[str, Any]:
    victim = demo.ensure_demo().organisation
    owner = Membership.objects.get(organisation=victim, role=Role.OWNER).user
    viewer = Membership.objects.filter(organisation=victim, role=Role.VIEWER).first()
    assert viewer is not None, "the demo company needs a viewer for this test"
    outsider = make_user("outsider@example.com")
    own = make_organisation("Fremdfirma GmbH")
    Membership.objects.create(organisation=own, user=outsider, role=Role.OWNER)
    ids: dict[str, object] = {}
    for param, model in org_owned_models().items():
        obj = model.objects.filter(organisation=victim).order_by("pk").first()  # type: ignore[misc]
        if obj is not None:
            ids[param] = obj.pk
    return {
        "victim": victim,
        "own": own,
        "ids": ids,
        "outsider": client_for(outsider),
        "viewer": client_for(viewer.user),
        "owner": client_for(owner),
    }


def values_for(route: Route, world: dict[str, Any], slug: str) -> dict[str, object]:
    values: dict[str, object] = {"org_slug": slug}
    for param in route.params:
        if param == "org_slug":
            continue
        if param not in org_owned_models():
            raise AssertionError(
                f"{route}: parameter '{param}' is not '<model>_id' of an organisation-owned model"
            )
        if param not in world["ids"]:
            raise AssertionError(
                f"{route}: the demo company has no {param[:-3]}; add one in startklar/demo.py"
            )
        values[param] = world["ids"][param]
    return values


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
