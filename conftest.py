"""Fixtures shared by every test (feature tests under src/ and project tests under tests/)."""

from __future__ import annotations

import pytest
from django.test import Client

from startklar.accounts.models import User
from startklar.organisations.models import Organisation, Role
from startklar.testing import add_member, client_for, make_organisation, make_user


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
