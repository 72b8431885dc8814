"""Fixtures shared by every test (feature tests under src/ and project tests under tests/)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.template import Context
from django.test import Client
from django.test.signals import template_rendered
from template_partials.templatetags.partials import TemplateProxy

from startklar.accounts.models import User
from startklar.organisations.models import Organisation, Role
from startklar.testing import add_member, client_for, make_organisation, make_user


@pytest.fixture(autouse=True, scope="session")
def _partials_show_their_context() -> Iterator[None]:
    """``response.context`` for an htmx answer rendered as ``page.html#partial``, as Django's
    test runner gives it for whole templates (it instruments ``Template._render``, which a
    partial does not go through)."""
    original = TemplateProxy._render

    def instrumented(self: TemplateProxy, context: Context) -> str:
        template_rendered.send(sender=self, template=self, context=context)
        return original(self, context)

    TemplateProxy._render = instrumented
    yield
    TemplateProxy._render = original


@pytest.fixture
def organisation(db: None) -> Organisation:
    return make_organisation("Muster Metallbau GmbH", headcount=85)


@pytest.fixture
def owner(organisation: Organisation) -> User:
    return add_member(organisation, make_user(name="Olga Owner"), Role.OWNER)


@pytest.fixture
def editor(organisation: Organisation) -> User:
    return add_member(organisation, make_user(name="Ed Editor"), Role.EDITOR)


@pytest.fixture
def viewer(organisation: Organisation) -> User:
    return add_member(organisation, make_user(name="Vera Viewer"), Role.VIEWER)


@pytest.fixture
def owner_client(owner: User) -> Client:
    return client_for(owner)


@pytest.fixture
def viewer_client(viewer: User) -> Client:
    return client_for(viewer)


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """On PostgreSQL, leave the tests that never touch the suite's database to the SQLite run:
    they start startklar on a SQLite database of their own, so running them twice shows
    nothing new (and costs minutes of CI)."""
    if not on_postgresql():
        return
    skip = pytest.mark.skip(reason="runs on its own SQLite database; the SQLite run covers it")
    for item in items:
        if item.get_closest_marker("own_sqlite"):
            item.add_marker(skip)
