"""The demo company's roadmap: begun ten weeks ago from the proposal, accepted item by item,
the first items done, one overdue, items in all three phases (those after the first six months
added by hand), one proposal dismissed, and the owner's calendar address."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from startklar.core.demo import DemoCompany
from startklar.organisations.tenancy import Tenant

from . import engine, proposals, queries, services
from .models import Item, Kind

STARTED_WEEKS_AGO = 10


def seed(company: DemoCompany) -> None:
    tenant: Tenant = company.owner
    today = timezone.localdate()
    start = engine.monday_on_or_after(today - datetime.timedelta(weeks=STARTED_WEEKS_AGO))
    settings = services.save_settings(tenant, start, queries.DEFAULT_CAPACITY * 2, None)
    found, _dismissed = proposals.proposals(tenant, "de", settings)
    # The company wants no separate training for coaching others yet.
    unwanted = [p.key for p in found if p.key.endswith(":coaching")][:1]
    for key in unwanted:
        services.dismiss(tenant, key)
    accepted = services.accept(tenant, [p.key for p in found if p.key not in unwanted], "de", today)
    _done_and_overdue(tenant, accepted, today)
    rollouts = [i for i in accepted if i.kind == Kind.ROLLOUT]
    # Months 6–18: the second round of use cases, a network of AI champions, a review by the
    # management; from month 18 AI is part of the yearly planning.
    by_hand = [
        (
            7,
            3,
            Decimal(4),
            False,
            "Zweite Welle: Anwendungsfälle aus der Ideenliste bewerten",
            "Die Erfahrungen der ersten Einführungen nutzen, um die nächsten Kandidaten zu "
            "bewerten und auszuwählen.",
            rollouts,
        ),
        (
            9,
            8,
            Decimal(6),
            False,
            "Netzwerk der KI-Champions aufbauen",
            "Ein monatlicher Austausch der Champions aus allen Bereichen: Erfahrungen teilen, "
            "Kolleginnen und Kollegen unterstützen.",
            [],
        ),
        (
            12,
            0,
            Decimal(1),
            True,
            "Management-Review: Ergebnisse des ersten Jahres",
            "Die Geschäftsführung prüft Nutzen, Kosten und Risiken der eingeführten Anwendungen "
            "und entscheidet über das Budget des nächsten Jahres.",
            [],
        ),
        (
            19,
            4,
            Decimal(3),
            False,
            "KI als Teil der Unternehmensstrategie verankern",
            "Nach den ersten Einführungen: Ziele, Budget und Verantwortung für KI in die "
            "Jahresplanung aufnehmen.",
            [],
        ),
    ]
    for months, weeks, effort, milestone, title, why, after in by_hand:
        begin = engine.monday_on_or_after(engine.add_months(start, months))
        services.add_item(
            tenant,
            Item(
                kind=Kind.DECISION if milestone else Kind.OTHER,
                title=title,
                why=why,
                start=begin,
                end=begin + datetime.timedelta(weeks=weeks, days=-1) if weeks else begin,
                effort=effort,
                milestone=milestone,
                owner=tenant.membership,
            ),
            after,
        )
    services.create_feed(tenant)


def _done_and_overdue(tenant: Tenant, items: list[Item], today: datetime.date) -> None:
    """The items that should have ended by now: all done but one, which is overdue."""
    past = sorted((i for i in items if i.end < today), key=lambda i: (i.end, i.pk))
    for item in past[:-1]:
        services.mark_done(tenant, item, item.end)
