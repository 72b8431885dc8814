"""The pilots of the demo company.

* **Invoice capture** (Belegerfassung): started eight weeks ago for six weeks and extended by
  three, because the processing time per invoice is still behind its target; eight weeks of
  measurements, the quality review of the reviews feature (with its regression week), and a
  scale decision that is ready but for that one KPI.
* **Website chatbot**: piloted last spring, scaled into operation on the evidence; reviewed
  monthly since.
* **Delivery-note recognition**: in operation since before Startklar; an owner recorded it
  with an override and the reason, the evidence to be completed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from startklar.businesscase.models import LineItem
from startklar.compliance import services as compliance
from startklar.compliance.models import AISystem, Person, TrainingRecord
from startklar.core.demo import DemoCompany, days_ago
from startklar.organisations.tenancy import Tenant
from startklar.reviews import services as reviews
from startklar.reviews.models import ReviewAlert
from startklar.usecases.models import Status, UseCase

from . import services
from .models import Category, Direction, GateItem, Kpi, Outcome, Period, Pilot, ScaleDecision

WEEK = datetime.timedelta(weeks=1)


def _kpi(tenant: Tenant, pilot: Pilot, **fields: object) -> Kpi:
    return services.save_kpi(tenant, pilot, Kpi(**fields))


def _measure(
    tenant: Tenant, kpi: Kpi, first: datetime.date, step: datetime.timedelta, values: list[str]
) -> None:
    rows = [services.Row(first + step * i, value) for i, value in enumerate(values)]
    services.record_measurements(tenant, kpi, rows)


def _backdate(decision: ScaleDecision, days: int) -> None:
    ScaleDecision.objects.filter(pk=decision.pk).update(decided_at=days_ago(days))


def _invoices(tenant: Tenant, use_case: UseCase, system: AISystem) -> None:
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    start = monday - 8 * WEEK
    members = {m.user.full_name: m for m in tenant.organisation.memberships.all()}
    pilot = services.create_pilot(
        tenant,
        use_case,
        Pilot(
            goal="Eingangsrechnungen in einem Drittel der Zeit erfassen, ohne mehr Fehler.",
            scope=(
                "Buchhaltung, alle Lieferantenrechnungen als PDF; Papierrechnungen bleiben "
                "außen vor."
            ),
            hypotheses=(
                "Die KI liest Kopfdaten und Positionen von 9 von 10 Rechnungen richtig.\n"
                "Die Bearbeitungszeit je Rechnung sinkt von 12 auf 4 Minuten.\n"
                "Die Buchhaltung nutzt den neuen Weg für mindestens 80 % der Rechnungen."
            ),
            start=start,
            planned_end=start + 6 * WEEK - datetime.timedelta(days=1),
            owner=members.get("Jonas Weber"),
            team="Buchhaltung: Ömer Kaya, Petra Lange; IT: Jonas Weber",
            operation_owner="Ömer Kaya (Buchhaltung)",
        ),
        [system],
    )
    services.start_pilot(tenant, pilot)
    benefit = LineItem.objects.filter(
        organisation=tenant.organisation, business_case__use_case=use_case, kind="time_saving"
    ).first()
    baseline_day = start - WEEK
    minutes = _kpi(
        tenant,
        pilot,
        name="Bearbeitungszeit je Rechnung",
        category=Category.EFFICIENCY,
        unit="min",
        direction=Direction.LOWER,
        period=Period.WEEK,
        baseline_value=Decimal(12),
        baseline_date=baseline_day,
        baseline_method="Stichprobe von 50 Rechnungen mit Stoppuhr, Oktober",
        target_value=Decimal(4),
        target_date=start + 9 * WEEK,
        proposed_from="goal",
        benefit_item=benefit,
        benefit_volume=Decimal(600) if benefit else None,
        benefit_rate=Decimal("0.8333") if benefit else None,
    )
    _measure(
        tenant,
        minutes,
        start,
        WEEK,
        ["11,2", "9,8", "8,9", "7,9", "7,2", "6,6", "6,3", "6,1"],
    )
    errors = _kpi(
        tenant,
        pilot,
        name="Nacharbeit wegen Erfassungsfehlern",
        category=Category.QUALITY,
        unit="%",
        direction=Direction.LOWER,
        period=Period.WEEK,
        baseline_value=Decimal(6),
        baseline_date=baseline_day,
        baseline_method="Korrekturbuchungen im Oktober je 100 Rechnungen",
        target_value=Decimal(3),
        target_date=start + 9 * WEEK,
        proposed_from="catalogue",
    )
    _measure(tenant, errors, start, WEEK, ["5,5", "4,8", "4,1", "3,6", "3,2", "2,9", "2,7", "2,6"])
    usage = _kpi(
        tenant,
        pilot,
        name="Rechnungen über die KI erfasst",
        category=Category.USAGE,
        unit="%",
        direction=Direction.HIGHER,
        period=Period.WEEK,
        baseline_value=Decimal(0),
        baseline_date=baseline_day,
        baseline_method="Vor dem Pilot: keine",
        target_value=Decimal(80),
        target_date=start + 9 * WEEK,
    )
    _measure(tenant, usage, start, WEEK, ["35", "52", "64", "71", "78", "83", "86", "88"])
    extension = services.decide(
        tenant,
        pilot,
        Outcome.EXTEND,
        "Fehlerquote und Nutzung am Ziel, die Bearbeitungszeit noch nicht: drei Wochen "
        "länger, mit Schulung zu Sammelrechnungen.",
        new_end=pilot.planned_end + 3 * WEEK,
    )
    _backdate(extension, 14)
    # What the gate asks for beyond the figures: literacy of the users, the usage policy.
    for person in Person.objects.filter(organisation=tenant.organisation, ai_systems=system):
        if not person.records.exists():
            compliance.record_training(
                tenant,
                TrainingRecord(
                    person=person,
                    measure="Einweisung Belegerfassung mit KI",
                    date=start - datetime.timedelta(days=3),
                    evidence=f"Teilnehmerliste {start - datetime.timedelta(days=3):%m/%Y}",
                    ai_system=system,
                ),
            )
    # The regression week's alert: found and dealt with (the review feature raised it).
    for alert in ReviewAlert.objects.filter(plan__ai_system=system, acknowledged_at__isnull=True):
        reviews.acknowledge(
            tenant,
            alert,
            "Ursache: neues Rechnungslayout eines Großlieferanten. Vorlage beim Anbieter "
            "nachgeschärft, seitdem wieder unter der Schwelle.",
        )
    services.note_gate(
        tenant,
        pilot,
        GateItem.USAGE_POLICY,
        "Nutzungsregeln zur Belegerfassung von allen vier Beteiligten unterschrieben "
        "(Ordner Pilot, Register 2).",
    )


def _chatbot(tenant: Tenant, use_case: UseCase, system: AISystem) -> None:
    today = timezone.localdate()
    start = today - datetime.timedelta(days=230)
    start -= datetime.timedelta(days=start.weekday())
    members = {m.user.full_name: m for m in tenant.organisation.memberships.all()}
    pilot = services.create_pilot(
        tenant,
        use_case,
        Pilot(
            goal="Häufige Fragen zu Lieferzeiten und Ersatzteilen rund um die Uhr beantworten.",
            scope="Website, deutsch; Bestellungen und Reklamationen gehen weiter an den Vertrieb.",
            start=start,
            planned_end=start + 6 * WEEK - datetime.timedelta(days=1),
            owner=members.get("Jonas Weber"),
            team="Vertrieb: Petra Lange; IT: Jonas Weber",
            operation_owner="Jonas Weber (IT)",
        ),
        [system],
    )
    services.start_pilot(tenant, pilot)
    solved = _kpi(
        tenant,
        pilot,
        name="Anfragen ohne Rückfrage gelöst",
        category=Category.IMPACT,
        unit="%",
        direction=Direction.HIGHER,
        period=Period.WEEK,
        baseline_value=Decimal(0),
        baseline_date=start - WEEK,
        baseline_method="Vor dem Chatbot: alle Anfragen per E-Mail an den Vertrieb",
        target_value=Decimal(40),
        target_date=start + 6 * WEEK,
    )
    _measure(tenant, solved, start, WEEK, ["22", "31", "38", "41", "44", "46"])
    services.note_gate(
        tenant,
        pilot,
        GateItem.AI_ACT,
        "Hinweis „Sie schreiben mit einem KI-Assistenten“ im Chatfenster seit dem Start; "
        "KI-Texte sind als solche gekennzeichnet.",
    )
    services.note_gate(
        tenant,
        pilot,
        GateItem.USAGE_POLICY,
        "Nutzungsregeln im Vertrieb besprochen und bestätigt (Protokoll Teamrunde).",
    )
    services.note_gate(
        tenant,
        pilot,
        GateItem.BUSINESS_CASE,
        "Kein eigener Business Case: Lizenz unter 100 € im Monat, Nutzen vor allem Erreichbarkeit.",
    )
    decision = services.decide(
        tenant,
        pilot,
        Outcome.GO,
        "Zwei von fünf Anfragen ohne Rückfrage gelöst, Fehlerquote der Antworten unter 5 %: "
        "in den Regelbetrieb.",
        to_status=Status.IN_OPERATION,
    )
    _backdate(decision, 180)


def _delivery_notes(tenant: Tenant, use_case: UseCase) -> None:
    start = timezone.localdate() - datetime.timedelta(days=330)
    pilot = services.create_pilot(
        tenant,
        use_case,
        Pilot(
            goal="Lieferscheine im Wareneingang automatisch erfassen.",
            start=start,
            planned_end=start + 6 * WEEK - datetime.timedelta(days=1),
            operation_owner="Lager: Tim Becker",
        ),
    )
    services.start_pilot(tenant, pilot)
    decision = services.decide(
        tenant,
        pilot,
        Outcome.GO,
        "Läuft seit dem Frühjahr stabil im Wareneingang, vor Einführung von Startklar "
        "entschieden. Nachweise (KPIs, Prüfungen, Verzeichnis) werden nachgetragen.",
        to_status=Status.IN_OPERATION,
        override=True,
    )
    _backdate(decision, 60)


def seed(company: DemoCompany) -> None:
    tenant: Tenant = company.owner
    organisation = tenant.organisation
    use_cases = {uc.catalogue_id: uc for uc in UseCase.objects.filter(organisation=organisation)}
    systems = {s.name: s for s in AISystem.objects.filter(organisation=organisation)}
    _invoices(
        tenant,
        use_cases["administration.eingangsrechnungen"],
        systems["Belegerfassung mit KI (Rechnungseingang)"],
    )
    _chatbot(tenant, use_cases["kundenservice.anfragen-vorsortieren"], systems["Website-Chatbot"])
    _delivery_notes(tenant, use_cases["logistik.lieferscheinerkennung"])
