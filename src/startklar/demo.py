"""The demo company *Muster Metallbau GmbH*, built through the features' own services.

Every feature adds its demo content here, so the demo always shows every module. The tenant
isolation test uses the same data as the organisation an outsider must not reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from startklar.accounts.models import User
from startklar.organisations import services as organisations
from startklar.organisations.models import Membership, NaceSection, Organisation, Role
from startklar.organisations.tenancy import Tenant

DEMO_EMAIL = "demo@startklar.example"
DEMO_PASSWORD = "startklar-demo"  # noqa: S105 - printed on purpose, local demo only
DEMO_SLUG = "muster-metallbau"

PROFILE = {
    "name": "Muster Metallbau GmbH",
    "industry": NaceSection.C,
    "headcount": 85,
    "annual_turnover": Decimal("12400000.00"),
    "balance_sheet_total": Decimal("8900000.00"),
}

COLLEAGUES = [
    ("j.weber@startklar.example", "Jonas Weber", Role.EDITOR),  # head of IT
    ("s.roth@startklar.example", "Sabine Roth", Role.EDITOR),  # production manager
    ("l.yilmaz@startklar.example", "Leyla Yilmaz", Role.VIEWER),  # data protection officer
]


PENDING_INVITATION = "m.schulz@startklar.example"  # quality manager, not joined yet


@dataclass(frozen=True)
class DemoResult:
    organisation: Organisation
    email: str
    password: str
    created: bool


@transaction.atomic
def ensure_demo() -> DemoResult:
    """Create the demo company and its people, or return the existing one unchanged."""
    existing = Organisation.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return DemoResult(existing, DEMO_EMAIL, DEMO_PASSWORD, created=False)
    owner = User.objects.filter(email=DEMO_EMAIL).first() or User.objects.create_user(
        DEMO_EMAIL, DEMO_PASSWORD, full_name="Martina Keller"
    )
    organisation = organisations.create_organisation(owner, PROFILE, slug=DEMO_SLUG)
    for email, name, role in COLLEAGUES:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, None, full_name=name
        )
        Membership.objects.get_or_create(organisation=organisation, user=user, role=role)
    owner_tenant = Tenant(
        organisation, Membership.objects.get(organisation=organisation, user=owner)
    )
    organisations.invite_member(
        owner_tenant, PENDING_INVITATION, Role.VIEWER, link_for=lambda token: token
    )
    return DemoResult(organisation, DEMO_EMAIL, DEMO_PASSWORD, created=True)


def reset_database() -> None:
    """Start over: delete the local SQLite file, or empty every table of another database."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database['NAME']}{suffix}").unlink(missing_ok=True)
    else:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
