"""The project's URL map as data, shared by the tenant-isolation walk and the browser crawl.

A route's parameters other than ``org_slug`` must be named ``<model>_id`` after an
organisation-owned model; the demo company supplies one object of each, so every route under
``/o/<org_slug>/`` can be filled without knowing the view. New views are covered by every test
that uses this module without editing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from startklar.accounts.models import User
from startklar.organisations.models import Organisation

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
    tables: list[type[models.Model]] = [Organisation, *org_owned_models().values(), User]
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in tables}


def ids_of(organisation: Organisation) -> dict[str, object]:
    """For every ``<model>_id`` parameter, the first such object of ``organisation``."""
    ids: dict[str, object] = {}
    for param, model in org_owned_models().items():
        obj = model._default_manager.filter(organisation=organisation).order_by("pk").first()
        if obj is not None:
            ids[param] = obj.pk
    return ids


def values_for(route: Route, ids: dict[str, object], slug: str) -> dict[str, object]:
    """The URL parameters of ``route`` for the organisation ``slug`` with objects ``ids``."""
    values: dict[str, object] = {"org_slug": slug}
    for param in route.params:
        if param == "org_slug":
            continue
        if param not in org_owned_models():
            raise AssertionError(
                f"{route}: parameter '{param}' is not '<model>_id' of an organisation-owned model"
            )
        if param not in ids:
            raise AssertionError(
                f"{route}: the demo company has no {param[:-3]}; add one in startklar/demo.py"
            )
        values[param] = ids[param]
    return values


def fillable(route: Route) -> bool:
    """Whether the demo company can fill every parameter (organisation routes always can)."""
    return route.org_scoped or not route.params
