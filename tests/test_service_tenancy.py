"""Tenancy holds at the service boundary too: a service that receives an organisation's object
refuses (404) one of another organisation, before it changes anything.

Views fetch objects through ``tenant.get``; this is the second wall, for a view that forgets to.
The test finds every service function that takes the tenant and an object (or a list of
objects) of an organisation-owned model from the type hints, so a service added later is
covered without editing this file: it is called with the demo company's object while the
tenant is another organisation's, every other argument ``None`` (lists of objects empty).
"""

from __future__ import annotations

import importlib
import inspect
import typing
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models
from django.http import Http404

from startklar.core.features import features
from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.testing import add_member, demo_company, make_organisation

from . import urlmap
from .dbstate import fingerprint

pytestmark = pytest.mark.django_db

OWNED = set(urlmap.org_owned_models().values()) | {Organisation, Membership}


def owned_parameters(function: Callable[..., Any]) -> list[tuple[str, type[models.Model], bool]]:
    """(name, model, is a list) of the parameters that take organisation-owned objects."""
    try:
        hints = typing.get_type_hints(function)
    except Exception:  # noqa: BLE001 - a hint that does not resolve is no owned object
        return []
    found = []
    for name, hint in hints.items():
        if name in {"tenant", "return"}:
            continue
        many = typing.get_origin(hint) in {list, tuple, set}
        candidates = typing.get_args(hint) if many or typing.get_args(hint) else (hint,)
        for candidate in candidates:
            if isinstance(candidate, type) and candidate in OWNED:
                found.append((name, candidate, many))
    return found


def services() -> Iterator[tuple[str, Callable[..., Any]]]:
    for feature in features():
        try:
            module = importlib.import_module(f"{feature.app}.services")
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            if "tenant" in inspect.signature(function).parameters:
                yield f"{feature.key}.{name}", function


CASES = [
    (name, function, parameter, model, many)
    for name, function in services()
    for parameter, model, many in owned_parameters(function)
]


def test_the_walk_finds_the_services() -> None:
    names = {name for name, *_rest in CASES}
    assert {"usecases.update_use_case", "businesscase.update_item", "readiness.submit"} <= names


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[Organisation]:
    with django_db_blocker.unblock():
        yield demo_company()
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize(
    ("name", "function", "parameter", "model", "many"),
    CASES,
    ids=[f"{c[0]}:{c[2]}" for c in CASES],
)
def test_a_service_refuses_another_organisations_object(
    name: str,
    function: Callable[..., Any],
    parameter: str,
    model: type[models.Model],
    many: bool,
    world: Organisation,
) -> None:
    own = make_organisation()
    owner = add_member(own, role=Role.OWNER)
    tenant = Tenant(own, Membership.objects.get(organisation=own, user=owner))
    if model is Organisation:
        foreign: Any = world
    elif model is Membership:
        foreign = Membership.objects.filter(organisation=world).first()
    else:
        foreign = model._default_manager.filter(organisation=world).first()
    assert foreign is not None, f"the demo company has no {model._meta.label}"
    arguments: dict[str, Any] = dict.fromkeys(inspect.signature(function).parameters)
    for other, _model, other_many in owned_parameters(function):
        if other_many:
            arguments[other] = []  # the other lists empty, the other objects None
    arguments["tenant"] = tenant
    arguments[parameter] = [foreign] if many else foreign
    before = fingerprint()
    with pytest.raises(Http404):
        function(**arguments)
    assert fingerprint() == before, f"{name} changed data before refusing"
