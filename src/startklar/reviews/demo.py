"""The demo company's quality reviews: the invoice capture reviewed weekly for six weeks, with
one week of regression that raised an alert, items judged twice with one disagreement still
to settle and this week's items waiting; the website chatbot reviewed monthly, under its
threshold."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from startklar.compliance.models import AISystem
from startklar.core.demo import DemoCompany, days_ago
from startklar.organisations.tenancy import Tenant

from . import services
from .engine import Cadence, period_start
from .models import ReviewItem, ReviewPlan, Source, Verdict

JONAS = "j.weber@startklar.example"
SUPPLIERS = [
    ("Stahlhandel Nord GmbH", 4820.00),
    ("Schrauben Müller KG", 312.40),
    ("Elektro Berger", 1190.00),
    ("Gase & Technik AG", 655.80),
    ("Logistik Schmidt", 980.00),
    ("Bürobedarf Klein", 143.27),
    ("Werkzeugbau Roth", 2260.50),
]
INVOICE_WEEKS = (3, 2, 4, 9, 3, 2)  # errors in 40 items, oldest week first; the 4th regressed
CHAT_MONTHS = (2, 3, 1, 2)  # errors in 25 answers, oldest month first
QUESTIONS = [
    (
        "Wie lange ist die Lieferzeit für Kantteile aus 3-mm-Blech?",
        "In der Regel 8 bis 10 Arbeitstage ab Freigabe der Zeichnung.",
    ),
    (
        "Haben Sie Ersatzmesser für die Abkantpresse AP 40?",
        "Ja, die Ersatzmesser für die AP 40 sind ab Lager lieferbar.",
    ),
    (
        "Kann ich eine Bestellung noch ändern?",
        "Bis zur Fertigungsfreigabe gern; schreiben Sie an auftrag@muster-metallbau.example.",
    ),
    (
        "Liefern Sie auch nach Österreich?",
        "Ja, wir liefern in die EU; die Frachtkosten nennt Ihnen der Vertrieb.",
    ),
]


def _spread(errors: int, n: int) -> list[bool]:
    """``errors`` errors spread evenly over ``n`` items (an early run of errors would raise an
    alert no normal week deserves)."""
    return [(i + 1) * errors // n != i * errors // n for i in range(n)]


def _invoice(number: int, day: datetime.date) -> tuple[str, str]:
    supplier, amount = SUPPLIERS[number % len(SUPPLIERS)]
    gross = f"{amount * 1.19:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    reference = f"ER-{day:%y}-{4100 + number}"
    return reference, (
        f"Lieferant: {supplier}\nRechnungsnummer: {reference}\nRechnungsdatum: {day:%d.%m.%Y}\n"
        f"Bruttobetrag: {gross} €\nUSt-Satz: 19 %\nKostenstelle: 4{number % 9}0"
    )


LEVELS_OK = {"correct": "right", "complete": "complete", "usable": "usable"}
LEVELS_MINOR = {"correct": "minor", "complete": "complete", "usable": "touch_up"}
LEVELS_WRONG = {"correct": "wrong", "complete": "complete", "usable": "unusable"}
LEVELS_MISSING = {"correct": "right", "complete": "essential_missing", "usable": "unusable"}


def _verdict(error: bool, number: int) -> tuple[dict[str, str], str]:
    if error:
        if number % 2:
            return LEVELS_WRONG, "Bruttobetrag falsch ausgelesen (Skonto statt Rechnungsbetrag)."
        return LEVELS_MISSING, "Kostenstelle fehlt, Rechnung ginge ohne Zuordnung in die Freigabe."
    if number % 7 == 3:
        return LEVELS_MINOR, "Lieferantenname abgekürzt, sonst richtig."
    return LEVELS_OK, ""


def _date_back(verdict_pks: list[int], day: datetime.date) -> None:
    moment = days_ago((timezone.localdate() - day).days, hour=15)
    Verdict.objects.filter(pk__in=verdict_pks).update(created_at=moment)


def _invoices(owner: Tenant, jonas: Tenant, system: AISystem) -> None:
    plan = services.create_plan(
        owner,
        ReviewPlan(
            ai_system=system,
            title="Rechnungseingang: ausgelesene Belege",
            sampled="Jede 15. von der KI ausgelesene Eingangsrechnung, mit dem Original verglichen",
            source="Belegliste der Buchhaltungssoftware (Export montags)",
            cadence=Cadence.WEEKLY,
            items_per_period=40,
            double_share=Decimal(20),
            margin=Decimal(5),
            confidence=Decimal(95),
            expected_rate=Decimal(10),
            threshold=Decimal(10),
            baseline_errors=4,
            baseline_items=80,
            baseline_note="Manuelle Erfassung, Stichprobe vor dem Pilot",
            owner=owner.membership.user,
        ),
        [owner.membership.user, jonas.membership.user],
    )
    today = timezone.localdate()
    this_week = period_start(today, Cadence.WEEKLY)
    number = 0
    disputed_left = False
    for weeks_back, errors in zip(range(len(INVOICE_WEEKS), 0, -1), INVOICE_WEEKS, strict=True):
        monday = this_week - datetime.timedelta(weeks=weeks_back)
        outcomes = _spread(errors, 40)
        rows = []
        for i in range(40):
            day = monday + datetime.timedelta(days=i % 5)
            reference, output = _invoice(number + i, day)
            rows.append(services.NewItem(output, day, reference, ""))
        items = services.add_items(owner, plan, rows, Source.CSV)
        judged = items if weeks_back > 1 else items[:-2]  # two of last week's are overdue
        verdict_pks = []
        for i, (item, error) in enumerate(zip(judged, outcomes, strict=False)):
            first, second = (owner, jonas) if i % 2 else (jonas, owner)
            levels, comment = _verdict(error, number + i)
            verdict_pks.append(services.judge(first, item, levels, comment).pk)
            if item.needs_second:
                other_error = error
                if error and weeks_back == 3:  # the regression week: one error seen as minor
                    other_error = False
                elif not disputed_left and weeks_back == 2 and not error and i > 20:
                    other_error, disputed_left = True, True  # still to settle
                levels, comment = _verdict(other_error, number + i + 1)
                if other_error == error:
                    comment = ""
                verdict_pks.append(services.judge(second, item, levels, comment).pk)
        number += 40
        _date_back(verdict_pks, monday + datetime.timedelta(days=5))
    # The regression week's disagreement was settled by the owner: it was an error.
    disputed = plan.items.filter(disputed=True).order_by("period", "position")
    earliest = disputed.first()
    if earliest is not None and earliest.period < this_week - datetime.timedelta(weeks=2):
        services.settle(
            owner, earliest, True, "Betrag weicht um 3 % ab – für die Freigabe ein Fehler."
        )
    # This week so far: 12 items, 5 judged.
    days = max(1, (today - this_week).days + 1)
    rows = []
    for i in range(12):
        day = this_week + datetime.timedelta(days=i % days)
        reference, output = _invoice(number + i, day)
        rows.append(services.NewItem(output, day, reference, ""))
    items = services.add_items(owner, plan, rows, Source.CSV)
    for i, item in enumerate(items[:5]):
        levels, comment = _verdict(False, number + i)
        services.judge(jonas, item, levels, comment)
    ReviewItem.objects.filter(plan=plan).update(created_at=days_ago(0, hour=8))


def _chatbot(owner: Tenant, jonas: Tenant, system: AISystem) -> None:
    plan = services.create_plan(
        jonas,
        ReviewPlan(
            ai_system=system,
            title="Website-Chatbot: Antworten an Kunden",
            sampled="25 zufällig gezogene Gesprächsverläufe je Monat",
            source="Gesprächsprotokoll der Chatbot-Plattform",
            cadence=Cadence.MONTHLY,
            items_per_period=25,
            double_share=Decimal(10),
            margin=Decimal(10),
            confidence=Decimal(95),
            threshold=Decimal(15),
            owner=jonas.membership.user,
        ),
        [jonas.membership.user, owner.membership.user],
    )
    today = timezone.localdate()
    first_of_month = today.replace(day=1)
    for months_back, errors in zip(range(len(CHAT_MONTHS), 0, -1), CHAT_MONTHS, strict=True):
        start = first_of_month
        for _ in range(months_back):
            start = (start - datetime.timedelta(days=1)).replace(day=1)
        outcomes = _spread(errors, 25)
        rows = []
        for i in range(25):
            question, answer = QUESTIONS[i % len(QUESTIONS)]
            day = start + datetime.timedelta(days=i)
            rows.append(
                services.NewItem(answer, day, f"CB-{start:%y%m}-{i + 1:02d}", f"Frage: {question}")
            )
        items = services.add_items(jonas, plan, rows, Source.API)
        verdict_pks = []
        for item, error in zip(items, outcomes, strict=True):
            levels = (
                {"correct": "wrong", "complete": "complete", "usable": "unusable"}
                if error
                else LEVELS_OK
            )
            comment = "Lieferzeit veraltet (Stand Vorjahr)." if error else ""
            verdict_pks.append(services.judge(jonas, item, levels, comment).pk)
            if item.needs_second:
                verdict_pks.append(services.judge(owner, item, levels, "").pk)
        _date_back(verdict_pks, start + datetime.timedelta(days=27))


def seed(company: DemoCompany) -> None:
    owner: Tenant = company.owner
    organisation = owner.organisation
    jonas = Tenant(organisation, company.people[JONAS])
    systems = {s.name: s for s in AISystem.objects.filter(organisation=organisation)}
    _invoices(owner, jonas, systems["Belegerfassung mit KI (Rechnungseingang)"])
    _chatbot(owner, jonas, systems["Website-Chatbot"])
    # Of the two disagreements, the plan's owner has settled the older one; the other waits.
    disputed = ReviewItem.objects.filter(organisation=organisation, disputed=True).order_by(
        "sampled_on", "pk"
    )
    first = disputed.first()
    if first is not None and disputed.count() > 1:
        services.settle(
            owner,
            first,
            True,
            "Skonto fehlt im ausgelesenen Betrag: zählt als Fehler, auch wenn der Rest stimmt.",
        )
