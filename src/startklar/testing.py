"""Builders for tests of every feature: people, organisations and signed-in clients.

Kept small on purpose; each test says what it needs through these few verbs.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
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


# Variables of the test run that must not leak into a ``startklar`` started by a test.
_PRIVATE_ENV = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY"}


def run_startklar(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the ``startklar`` command in a fresh process with a clean environment plus ``env``."""
    clean = {k: v for k, v in os.environ.items() if k not in _PRIVATE_ENV}
    return subprocess.run(  # noqa: S603 - fixed command, arguments from the tests
        [sys.executable, "-m", "startklar", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
