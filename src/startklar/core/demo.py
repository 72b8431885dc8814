"""What every feature's part of the demo company shares: the company being built and its
calendar.

``startklar/demo.py`` makes a :class:`DemoCompany` and hands it to each feature's
``demo.seed(company)`` in the features' order (``core.features``). The organisations feature
founds it (fills ``organisation`` and ``owner``); the others add their content through their
own services. Every date is counted back from the day the demo is built (``timezone.now()``), so
the demo tells a plausible story whenever it runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format

FOUNDED_DAYS_AGO = 400  # the company started with Startklar a bit over a year ago
PILOT_MONTHS_AGO = 4  # the pilot's business case started four months ago


@dataclass
class DemoCompany:
    """The demo company to build: who and what it is, and – once founded – the organisation
    and its owner's tenant (typed loosely: core knows no feature)."""

    slug: str
    profile: dict[str, Any]
    owner_email: str
    owner_password: str
    owner_name: str
    colleagues: list[tuple[str, str, str]]  # (e-mail, name, role)
    invitation: str  # an address invited, not joined yet
    organisation: Any = None
    owner: Any = None  # the owner's Tenant
    existing: bool = False  # found already built: nothing more to add
    people: dict[str, Any] = field(default_factory=dict)  # e-mail → Membership


def days_ago(days: int, hour: int = 10) -> datetime:
    """The moment ``days`` before now at ``hour`` o'clock local time, never later than now."""
    now = timezone.now()
    moment = timezone.localtime(now - timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )
    return min(moment, now)


def months_before(day: date, months: int) -> date:
    """The first day of the month ``months`` before the month of ``day`` (negative: after)."""
    year, index = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, index + 1, 1)


def german_month(day: date) -> str:
    """E.g. "November 2026", from Django's catalogues: the server's locale does not matter."""
    with translation.override("de"):
        return date_format(day, "F Y")


def pilot_start() -> date:
    """The month the pilot (and its business case) started."""
    return months_before(timezone.localdate(), PILOT_MONTHS_AGO)
