"""Builders for tests of every feature: people, organisations and signed-in clients.

Kept small on purpose; each test says what it needs through these few verbs.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from django.test import Client

from startklar.accounts.models import User
from startklar.organisations.models import Membership, NaceSection, Organisation, Role

_counter = itertools.count(1)


def make_user(
    email: str | None = None,
    *,
    name: str = "",
    password: str = "pw",  # noqa: S107
) -> User:
    n = next(_counter)
    return User.objects.create_user(
        email or f"person{n}@example.com", password, full_name=name or f"Person {n}"
    )


def make_organisation(name: str | None = None, **profile: Any) -> Organisation:
    n = next(_counter)
    values: dict[str, Any] = {
        "name": name or f"Firma {n} GmbH",
        "slug": f"firma-{n}",
        "industry": NaceSection.C,
        "headcount": 40,
        "annual_turnover": Decimal("6000000"),
        "balance_sheet_total": Decimal("4000000"),
    }
    values.update(profile)
    return Organisation.objects.create(**values)


def add_member(
    organisation: Organisation, user: User | None = None, role: Role = Role.EDITOR
) -> User:
    user = user or make_user()
    Membership.objects.create(organisation=organisation, user=user, role=role)
    return user


def client_for(user: User, language: str | None = None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["startklar_language"] = language
    return client
