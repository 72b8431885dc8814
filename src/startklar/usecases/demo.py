"""The demo company's use cases: about a dozen in different states, with goals and scores,
one of its own, and a finished workshop a few days ago.

No use case is walked to scaling or operation here: those come from a pilot's scale decision
(the pilots demo takes the delivery-note recognition and the website chatbot's use case there).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from startklar.core.demo import DemoCompany, days_ago, german_month, months_before, pilot_start
from startklar.organisations.models import Membership
from startklar.organisations.tenancy import Tenant

from . import content, services
from .engine.portfolio import Axis
from .models import NEEDS_REASON, ClassicAnswer, Status, StatusChange, UseCase, Vote, Workshop

# (catalogue id or blank title, status, value level, feasibility level, reason)
DEMO_USE_CASES: list[tuple[str, Status, int, int, str]] = [
    ("vertrieb.angebote-entwerfen", Status.SELECTED, 4, 4, ""),
    ("administration.eingangsrechnungen", Status.PILOT, 4, 5, ""),
    ("produktion.vorausschauende-wartung", Status.ASSESSED, 5, 2, ""),
    ("qualitaet.optische-pruefung", Status.ASSESSED, 4, 2, ""),
    ("kundenservice.anfragen-vorsortieren", Status.SELECTED, 3, 4, ""),
    ("wissen.interne-suche", Status.SELECTED, 3, 4, ""),
    ("einkauf.bedarfsprognose", Status.ASSESSED, 3, 3, ""),
    ("logistik.lieferscheinerkennung", Status.PILOT, 3, 5, ""),
    ("controlling.nachkalkulation", Status.ASSESSED, 2, 4, ""),
    (
        "administration.bewerbungen-vorauswahl",
        Status.DISCARDED,
        2,
        2,
        "Hochrisiko nach AI Act (Anhang III Nr. 4) bei nur rund 40 Bewerbungen im Jahr.",
    ),
    (
        "marketing.social-media-beitraege",
        Status.POSTPONED,
        2,
        4,
        "Erst nach dem neuen Markenauftritt im Frühjahr wieder aufnehmen.",
    ),
    ("produktion.feinplanung", Status.IDEA, 4, 2, ""),
]
# Measurable goals of the selected use cases: metric, unit, baseline, target, months from today.
DEMO_GOALS: dict[str, tuple[str, str, Decimal, Decimal, int]] = {
    "vertrieb.angebote-entwerfen": (
        "Durchlaufzeit je Angebot",
        "Arbeitstage",
        Decimal(3),
        Decimal(1),
        6,
    ),
    "administration.eingangsrechnungen": (
        "Bearbeitungszeit je Rechnung",
        "min",
        Decimal(12),
        Decimal(4),
        3,
    ),
    "wissen.interne-suche": ("Suchzeit je Frage", "min", Decimal(20), Decimal(5), 9),
    "logistik.lieferscheinerkennung": (
        "Erfassungszeit je Lieferschein",
        "min",
        Decimal(6),
        Decimal(1),
        1,
    ),
    "kundenservice.anfragen-vorsortieren": (
        "Von Hand beantwortete Anfragen je Woche",
        "Anfragen",
        Decimal(120),
        Decimal(80),
        4,
    ),
}
# The steps the demo walks by hand; scaling and operation need a pilot's scale decision.
PIPELINE_STEPS = [Status.ASSESSED, Status.SELECTED, Status.PILOT]
# When each use case was created and last changed (days ago); its history lies evenly between.
# The pilot's last change is the start month of its business case (PILOT_MONTHS_AGO).
USE_CASE_DAYS: dict[str, tuple[int, int | None]] = {
    "vertrieb.angebote-entwerfen": (150, 6),
    "administration.eingangsrechnungen": (240, None),
    "produktion.vorausschauende-wartung": (150, 100),
    "qualitaet.optische-pruefung": (200, 180),
    "kundenservice.anfragen-vorsortieren": (60, 14),
    "wissen.interne-suche": (120, 6),
    "einkauf.bedarfsprognose": (90, 75),
    "logistik.lieferscheinerkennung": (330, 60),
    "controlling.nachkalkulation": (60, 45),
    "administration.bewerbungen-vorauswahl": (300, 270),
    "marketing.social-media-beitraege": (200, 160),
    "produktion.feinplanung": (40, 40),
}
OWN_USE_CASE_DAYS = 12
WORKSHOP_DAYS_AGO = 10  # two of its use cases were selected a few days later


def backdate_history(use_case: UseCase, created: int, last: int) -> None:
    """Spread the use case's status history from ``created`` to ``last`` days ago, in order."""
    changes = list(use_case.history.order_by("pk").values_list("pk", flat=True))
    span = created - last
    moments = [
        days_ago(created - round(span * n / max(1, len(changes) - 1)), hour=9 + n)
        for n in range(len(changes))
    ]
    for pk, moment in zip(changes, moments, strict=True):
        StatusChange.objects.filter(pk=pk).update(changed_at=moment)
    UseCase.objects.filter(pk=use_case.pk).update(created_at=moments[0], updated_at=moments[-1])


def demo_scores(
    criteria: list[str], value: int, feasibility: int, axes: dict[str, Axis]
) -> dict[str, int]:
    """Stable, plausible 1–5 scores around a level per axis."""
    scores = {}
    for n, criterion in enumerate(criteria):
        level = value if axes[criterion] is Axis.VALUE else feasibility
        scores[criterion] = max(1, min(5, level + (n % 3) - 1))
    return scores


VOTERS = ("j.weber@startklar.example", "s.roth@startklar.example")  # with the owner


def seed(company: DemoCompany) -> None:
    tenant: Tenant = company.owner
    catalogue = content.load_catalogue()
    criteria = content.load_criteria()
    ids = [c.id for c in criteria]
    axes = {c.id: c.axis for c in criteria}
    created = {}
    for entry_id, status, value, feasibility, reason in DEMO_USE_CASES:
        entry = catalogue.entry(entry_id)
        assert entry is not None, entry_id
        data = services.from_catalogue(entry, "de")
        if entry_id in DEMO_GOALS:
            metric, unit, baseline, target, months = DEMO_GOALS[entry_id]
            data.update(
                goal_metric=metric,
                goal_unit=unit,
                goal_baseline_value=baseline,
                goal_target_value=target,
                goal_date=months_before(timezone.localdate(), -months),
            )
        data.update(
            process_owner="Sabine Roth",
            department="Produktion"
            if entry.function in {"produktion", "qualitaet", "logistik"}
            else "Verwaltung",
        )
        use_case = services.create_use_case(tenant, data, entry_id)
        if status != Status.IDEA:
            services.set_scores(tenant, use_case, demo_scores(ids, value, feasibility, axes))
        if status in NEEDS_REASON:
            services.change_status(tenant, use_case, status, reason)
        elif status in PIPELINE_STEPS:
            for step in PIPELINE_STEPS[: PIPELINE_STEPS.index(status) + 1]:
                services.change_status(tenant, use_case, step)
        first, last = USE_CASE_DAYS[entry_id]
        if last is None:
            last = (timezone.localdate() - pilot_start()).days
        backdate_history(use_case, first, last)
        created[entry_id] = use_case
    own = services.create_use_case(
        tenant,
        {
            "title": "Schweißnahtprotokolle digitalisieren",
            "problem": "Prüfprotokolle der Schweißnähte werden handschriftlich geführt und "
            "später abgetippt; Fehler fallen erst bei der Endkontrolle auf.",
            "goal_metric": "Abtippzeit je Auftrag",
            "goal_unit": "min",
            "goal_baseline_value": Decimal(45),
            "goal_target_value": Decimal(10),
            "process_owner": "Sabine Roth",
            "department": "Qualitätssicherung",
            "classic_enough": ClassicAnswer.UNCLEAR,
            "estimated_cost": Decimal("12000"),
            "person_days": Decimal("15"),
        },
    )
    backdate_history(own, OWN_USE_CASE_DAYS, OWN_USE_CASE_DAYS)
    workshop_cases = [
        created["vertrieb.angebote-entwerfen"],
        created["produktion.vorausschauende-wartung"],
        created["wissen.interne-suche"],
    ]
    held = days_ago(WORKSHOP_DAYS_AGO, hour=13)
    workshop = services.open_workshop(
        tenant, f"Use-Case-Workshop {german_month(held.date())}", workshop_cases
    )
    voters = Membership.objects.filter(
        organisation=tenant.organisation,
        user__email__in=[company.owner_email, *VOTERS],
    )
    for offset, member in enumerate(voters):
        voter = Tenant(tenant.organisation, member)
        for use_case in workshop_cases:
            for n, criterion in enumerate(ids):
                base = usecase_scores(use_case)[criterion]
                services.vote(
                    voter,
                    workshop,
                    use_case.pk,
                    criterion,
                    max(1, min(5, base + (offset + n) % 3 - 1)),
                )
    services.reveal(tenant, workshop)
    for use_case in workshop_cases:
        for criterion in ids:
            services.agree(
                tenant, workshop, use_case.pk, criterion, usecase_scores(use_case)[criterion]
            )
    services.close_workshop(tenant, workshop)
    Workshop.objects.filter(pk=workshop.pk).update(created_at=held)
    Vote.objects.filter(workshop=workshop).update(updated_at=held + timedelta(minutes=40))


def usecase_scores(use_case: UseCase) -> dict[str, int]:
    return dict(use_case.scores.values_list("criterion_id", "score"))
