"""The demo company's business cases: the selected use cases, the pilot with actual values for
its completed months, and one clearly unprofitable case, postponed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from startklar.core.demo import DemoCompany, days_ago, months_before, pilot_start
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from . import services as cases
from .engine import ItemKind as EngineKind
from .models import BusinessCase, Option

# (kind, name, factors as (min, most likely, max), source)
T = tuple[float, float, float]
INVOICES: list[tuple[EngineKind, str, dict[str, T], str]] = [
    (
        EngineKind.ONE_OFF,
        "Einführung und ERP-Anbindung",
        {"amount": (5000, 6000, 9000)},
        "Angebot Anbieter",
    ),
    (EngineKind.ONE_OFF, "Schulung Buchhaltung", {"amount": (1000, 1500, 2500)}, ""),
    (EngineKind.MONTHLY, "Lizenz", {"amount": (200, 250, 300)}, "Staffelpreis bis 800 Belege"),
    (EngineKind.INTERNAL_HOURS, "Betreuung intern", {"hours": (2, 4, 8), "rate": (60, 60, 60)}, ""),
    (
        EngineKind.TIME_SAVING,
        "Zeitersparnis je Rechnung",
        {
            "minutes": (4, 6, 8),
            "cases": (500, 600, 700),
            "rate": (45, 45, 45),
            "cash_share": (1, 1, 1),
        },
        "Stichprobe Buchhaltung vor dem Pilot; die geplante Aushilfe entfällt",
    ),
]
SOCIAL_MEDIA: list[tuple[EngineKind, str, dict[str, T], str]] = [
    (EngineKind.ONE_OFF, "Einrichtung und Vorlagen", {"amount": (3000, 4000, 6000)}, ""),
    (EngineKind.MONTHLY, "Lizenz Textassistent", {"amount": (60, 120, 180)}, ""),
    (
        EngineKind.INTERNAL_HOURS,
        "Redaktion und Freigabe",
        {"hours": (6, 10, 14), "rate": (50, 50, 50)},
        "",
    ),
    (
        EngineKind.TIME_SAVING,
        "Zeitersparnis je Beitrag",
        {
            "minutes": (10, 20, 30),
            "cases": (12, 20, 30),
            "rate": (50, 50, 50),
            "cash_share": (1, 1, 1),
        },
        "",
    ),
    (
        EngineKind.EXTRA_REVENUE,
        "Zusätzliche Anfragen",
        {"revenue": (0, 200, 800), "margin": (0.2, 0.3, 0.35)},
        "Schätzung Vertrieb",
    ),
]


def _replace_items(
    tenant: Tenant, case: BusinessCase, spec: list[tuple[EngineKind, str, dict[str, T], str]]
) -> None:
    for item in case.items.all():
        cases.delete_item(tenant, item)
    for kind, name, factors, note in spec:
        item = cases.add_item(tenant, case, kind, name)
        values = {k: tuple(Decimal(str(v)) for v in triple) for k, triple in factors.items()}
        cases.update_item(tenant, item, name, note, values)  # type: ignore[arg-type]


def seed(company: DemoCompany) -> None:
    tenant: Tenant = company.owner
    by_catalogue = {
        uc.catalogue_id: uc for uc in UseCase.objects.filter(organisation=tenant.organisation)
    }
    start = pilot_start()
    invoices = cases.create_for(tenant, by_catalogue["administration.eingangsrechnungen"])
    _replace_items(tenant, invoices, INVOICES)
    cases.update_settings(
        tenant, invoices, 36, Decimal(8), start, (Decimal(2), Decimal(3), Decimal(6))
    )
    cases.answer(
        tenant,
        invoices,
        {
            "differenzierung": 1,
            "kompetenz": 2,
            "zeitdruck": 4,
            "anpassung": 2,
            "datensensibilitaet": 3,
            "standardprodukte": 5,
            "budget": 2,
            "lockin": 4,
            "wartung": 2,
        },
    )
    cases.decide(
        tenant,
        invoices,
        Option.BUY,
        "Standardprodukte mit ERP-Anbindung sind ausgereift; kein Wettbewerbsvorteil durch "
        "Eigenentwicklung, und die IT hat keine Kapazität für Betrieb und Wartung.",
    )
    running = (timezone.localdate() - start).days  # the case was made and decided before
    BusinessCase.objects.filter(pk=invoices.pk).update(
        created_at=days_ago(running + 30, hour=10), decided_at=days_ago(running + 14, hour=15)
    )
    # Actual values for the completed months of the pilot: month 1 is the month after the start,
    # the last one is last month.
    benefit = invoices.items.get(name="Zeitersparnis je Rechnung")
    for offset, value in enumerate(PILOT_ACTUALS, start=1):
        cases.record_actual(tenant, benefit, months_before(start, -offset), Decimal(value))
    for catalogue_id, created in (
        ("vertrieb.angebote-entwerfen", 5),
        ("wissen.interne-suche", 5),
        ("produktion.vorausschauende-wartung", 90),
    ):
        case = cases.create_for(tenant, by_catalogue[catalogue_id])  # starts next month
        BusinessCase.objects.filter(pk=case.pk).update(created_at=days_ago(created, hour=15))
    social = cases.create_for(tenant, by_catalogue["marketing.social-media-beitraege"])
    _replace_items(tenant, social, SOCIAL_MEDIA)
    cases.update_settings(
        tenant, social, 36, Decimal(8), next_spring(), (Decimal(1), Decimal(1), Decimal(1))
    )
    BusinessCase.objects.filter(pk=social.pk).update(created_at=days_ago(180, hour=11))


PILOT_ACTUALS = (1100, 1900, 2500)  # one per completed month: PILOT_MONTHS_AGO - 1 of them


def next_spring() -> date:
    """April 1st after this month: the postponed case waits for the spring."""
    today = timezone.localdate()
    return date(today.year if today.month < 4 else today.year + 1, 4, 1)
