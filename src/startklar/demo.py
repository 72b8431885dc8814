"""The demo company *Muster Metallbau GmbH*, built by every feature through its own services.

Each feature adds its part in ``<feature>/demo.py`` (``seed(company)``, declared in its
``feature.py``); this module only says who the company is and hands it to them in the features'
order. The tenant-isolation walk and the browser tests use the same company.

Every date is counted back from the day the demo is built (``core.demo``), so the demo tells a
plausible story whenever it runs: the readiness check a year ago, use cases found and assessed
since, a pilot running for a few months with actual values for its completed months, a
workshop a few weeks ago. Titles that name a month are made from the real date, in German.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation

from startklar.core.demo import DemoCompany
from startklar.core.features import each

DEMO_EMAIL = "demo@startklar.example"
DEMO_PASSWORD = "startklar-demo"  # noqa: S105 - printed on purpose, local demo only
DEMO_NAME = "Martina Keller"  # managing director
DEMO_SLUG = "muster-metallbau"

PROFILE: dict[str, Any] = {
    "name": "Muster Metallbau GmbH",
    "industry": "C",  # manufacturing
    "headcount": 85,
    "annual_turnover": Decimal("12400000.00"),
    "balance_sheet_total": Decimal("8900000.00"),
}

COLLEAGUES = [
    ("j.weber@startklar.example", "Jonas Weber", "editor"),  # head of IT
    ("s.roth@startklar.example", "Sabine Roth", "editor"),  # production manager
    ("l.yilmaz@startklar.example", "Leyla Yilmaz", "viewer"),  # data protection officer
    ("t.becker@startklar.example", "Tim Becker", "viewer"),  # machine operator
]

PENDING_INVITATION = "m.schulz@startklar.example"  # quality manager, not joined yet


@dataclass(frozen=True)
class DemoResult:
    organisation: Any  # the Organisation
    email: str
    password: str
    created: bool


def ensure_demo() -> DemoResult:
    """Create the demo company and its people, or return the existing one unchanged.

    E-mails the demo would send (the pending invitation) are kept in memory, not printed into
    the demo's start-up output; the pending invitation is listed on the members page."""
    tasks_log = logging.getLogger("django_tasks")
    level = tasks_log.level
    tasks_log.setLevel(logging.WARNING)  # no "Task … RUNNING" lines in the output either
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            return _ensure_demo()
    finally:
        tasks_log.setLevel(level)


@transaction.atomic
def _ensure_demo() -> DemoResult:
    company = DemoCompany(
        slug=DEMO_SLUG,
        profile=PROFILE,
        owner_email=DEMO_EMAIL,
        owner_password=DEMO_PASSWORD,
        owner_name=DEMO_NAME,
        colleagues=COLLEAGUES,
        invitation=PENDING_INVITATION,
    )
    with translation.override("de"):  # the demo company works in German
        for _feature, seed in each("demo"):
            seed(company)
            if company.existing:  # found as built before: nothing to add
                break
    return DemoResult(company.organisation, DEMO_EMAIL, DEMO_PASSWORD, not company.existing)


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
