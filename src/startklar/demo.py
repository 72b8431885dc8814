"""The demo company *Muster Metallbau GmbH*, built through the features' own services.

Every feature adds its demo content here, so the demo always shows every module. The tenant
isolation test uses the same data as the organisation an outsider must not reach.

Every date is counted back from the day the demo is built (``timezone.now()``), so the demo
tells a plausible story whenever it runs: the readiness check a year ago, use cases found and
assessed since, a pilot running for a few months with actual values for its completed months,
a workshop a few weeks ago. Titles that name a month are made from the real date, in German.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from startklar.accounts.models import User
from startklar.businesscase import services as cases
from startklar.businesscase.engine import Kind as EngineKind
from startklar.businesscase.models import BusinessCase, Option
from startklar.compliance import services as compliance
from startklar.compliance.models import AISystem, Person, PrivacyFacts, RoleLevel, TrainingRecord
from startklar.organisations import services as organisations
from startklar.organisations.models import Membership, NaceSection, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.readiness import content as readiness_content
from startklar.readiness import services as readiness
from startklar.readiness.models import Answer as ReadinessAnswer
from startklar.readiness.models import Respondent, Round
from startklar.usecases import content as usecase_content
from startklar.usecases import services as usecases
from startklar.usecases.models import (
    NEEDS_REASON,
    ClassicAnswer,
    Status,
    StatusChange,
    UseCase,
    Vote,
    Workshop,
)

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
    ("t.becker@startklar.example", "Tim Becker", Role.VIEWER),  # machine operator
]


PENDING_INVITATION = "m.schulz@startklar.example"  # quality manager, not joined yet


@dataclass(frozen=True)
class DemoResult:
    organisation: Organisation
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
    existing = Organisation.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return DemoResult(existing, DEMO_EMAIL, DEMO_PASSWORD, created=False)
    with translation.override("de"):  # the demo company works in German
        organisation = _build()
    return DemoResult(organisation, DEMO_EMAIL, DEMO_PASSWORD, created=True)


def _build() -> Organisation:
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
        owner_tenant,
        PENDING_INVITATION,
        Role.VIEWER,
        link_for=lambda token: reverse("organisations:invitation", args=[token]),
    )
    seed_readiness(owner_tenant)
    seed_use_cases(owner_tenant)
    seed_business_cases(owner_tenant)
    seed_compliance(owner_tenant)
    founded = days_ago(FOUNDED_DAYS_AGO, hour=8)
    Organisation.objects.filter(pk=organisation.pk).update(created_at=founded)
    Membership.objects.filter(organisation=organisation).update(created_at=founded)
    organisation.refresh_from_db()
    return organisation


# Dates: everything is counted back from now -------------------------------------------------

FOUNDED_DAYS_AGO = 400  # the company started with Startklar a bit over a year ago


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


# Readiness: a round last year and a finished round a month ago, whose respondents see things
# differently (management is more optimistic about acceptance and leadership than the shop floor).
READINESS_BASE = {
    "strategie": 3,
    "fuehrung": 3,
    "daten": 2,
    "infrastruktur": 3,
    "kompetenzen": 2,
    "akzeptanz": 3,
    "recht": 2,
    "finanzierung": 3,
}
PERSPECTIVE_SHIFT = {
    "geschaeftsfuehrung": {"*": 1},
    "it": {"infrastruktur": -1, "daten": 0, "*": 0},
    "mitarbeitende": {"akzeptanz": -2, "fuehrung": -2, "strategie": -1, "*": 0},
}
UNKNOWN_FOR = {"mitarbeitende": {"recht", "finanzierung"}}


def demo_level(question_id: str, perspective: str, progress: int) -> int | None:
    """A stable, plausible answer: base per dimension, shifted by perspective and round."""
    dimension = question_id.split(".")[0]
    if dimension in UNKNOWN_FOR.get(perspective, set()) and len(question_id) % 2:
        return None
    shifts = PERSPECTIVE_SHIFT[perspective]
    wobble = sum(map(ord, question_id)) % 3 - 1
    level = READINESS_BASE.get(dimension, 3) + shifts.get(dimension, shifts["*"]) + wobble
    return max(1, min(5, level + progress))


# (opened days ago, progress, respondents as (e-mail, perspective, submitted days after opening))
READINESS_ROUNDS: list[tuple[int, int, list[tuple[str, str, int]]]] = [
    (
        395,
        -1,
        [(DEMO_EMAIL, "geschaeftsfuehrung", 2), ("j.weber@startklar.example", "it", 6)],
    ),
    (
        35,
        0,
        [
            (DEMO_EMAIL, "geschaeftsfuehrung", 1),
            ("j.weber@startklar.example", "it", 4),
            ("t.becker@startklar.example", "mitarbeitende", 9),
        ],
    ),
]
ROUND_OPEN_DAYS = 14


def seed_readiness(tenant: Tenant) -> None:
    organisation = tenant.organisation
    bank = readiness_content.load_bank()
    people = {m.user.email: m for m in Membership.objects.filter(organisation=organisation)}
    for opened_days_ago, progress, respondents in READINESS_ROUNDS:
        opened = days_ago(opened_days_ago, hour=9)
        round_ = readiness.open_round(tenant, f"Reifegrad-Check {german_month(opened.date())}")
        for email, perspective, submitted_after in respondents:
            member = people[email]
            respondent = readiness.add_respondent(tenant, round_, member, perspective)
            as_member = Tenant(organisation, member)
            for question_id in bank.questions:
                level = demo_level(question_id, perspective, progress)
                readiness.save_answer(as_member, round_, question_id, level)
            readiness.submit(as_member, round_)
            submitted = opened + timedelta(days=submitted_after, hours=2)
            ReadinessAnswer.objects.filter(respondent=respondent).update(updated_at=submitted)
            Respondent.objects.filter(pk=respondent.pk).update(
                added_at=opened + timedelta(minutes=5), submitted_at=submitted
            )
        readiness.close_round(tenant, round_)
        Round.objects.filter(pk=round_.pk).update(
            created_at=opened, closed_at=opened + timedelta(days=ROUND_OPEN_DAYS, hours=7)
        )


# Use cases: about a dozen in different states, with scores and one finished workshop.
# (catalogue id or blank title, status, value level, feasibility level, reason)
DEMO_USE_CASES: list[tuple[str, Status, int, int, str]] = [
    ("vertrieb.angebote-entwerfen", Status.AUSGEWAEHLT, 4, 4, ""),
    ("administration.eingangsrechnungen", Status.PILOT, 4, 5, ""),
    ("produktion.vorausschauende-wartung", Status.BEWERTET, 5, 2, ""),
    ("qualitaet.optische-pruefung", Status.BEWERTET, 4, 2, ""),
    ("kundenservice.anfragen-vorsortieren", Status.IDEE, 3, 4, ""),
    ("wissen.interne-suche", Status.AUSGEWAEHLT, 3, 4, ""),
    ("einkauf.bedarfsprognose", Status.BEWERTET, 3, 3, ""),
    ("logistik.lieferscheinerkennung", Status.REGELBETRIEB, 3, 5, ""),
    ("controlling.nachkalkulation", Status.BEWERTET, 2, 4, ""),
    (
        "administration.bewerbungen-vorauswahl",
        Status.VERWORFEN,
        2,
        2,
        "Hochrisiko nach AI Act (Anhang III Nr. 4) bei nur rund 40 Bewerbungen im Jahr.",
    ),
    (
        "marketing.social-media-beitraege",
        Status.ZURUECKGESTELLT,
        2,
        4,
        "Erst nach dem neuen Markenauftritt im Frühjahr wieder aufnehmen.",
    ),
    ("produktion.feinplanung", Status.IDEE, 4, 2, ""),
]
# Measurable goals of the selected use cases: metric, baseline, target, months from today.
DEMO_GOALS: dict[str, tuple[str, str, str, int]] = {
    "vertrieb.angebote-entwerfen": ("Durchlaufzeit je Angebot", "3 Arbeitstage", "1 Arbeitstag", 6),
    "administration.eingangsrechnungen": ("Bearbeitungszeit je Rechnung", "12 min", "4 min", 3),
    "wissen.interne-suche": ("Suchzeit je Frage", "20 min", "5 min", 9),
    "logistik.lieferscheinerkennung": ("Erfassungszeit je Lieferschein", "6 min", "1 min", -2),
}
PIPELINE_STEPS = [
    Status.BEWERTET,
    Status.AUSGEWAEHLT,
    Status.PILOT,
    Status.SKALIERUNG,
    Status.REGELBETRIEB,
]
# When each use case was created and last changed (days ago); its history lies evenly between.
# The pilot's last change is the start month of its business case (PILOT_MONTHS_AGO).
USE_CASE_DAYS: dict[str, tuple[int, int | None]] = {
    "vertrieb.angebote-entwerfen": (150, 6),
    "administration.eingangsrechnungen": (240, None),
    "produktion.vorausschauende-wartung": (150, 100),
    "qualitaet.optische-pruefung": (200, 180),
    "kundenservice.anfragen-vorsortieren": (21, 21),
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
PILOT_MONTHS_AGO = 4  # the pilot's business case started four months ago


def pilot_start() -> date:
    return months_before(timezone.localdate(), PILOT_MONTHS_AGO)


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
    criteria: list[str], value: int, feasibility: int, axes: dict[str, str]
) -> dict[str, int]:
    """Stable, plausible 1–5 scores around a level per axis."""
    scores = {}
    for n, criterion in enumerate(criteria):
        level = value if axes[criterion] == "nutzen" else feasibility
        scores[criterion] = max(1, min(5, level + (n % 3) - 1))
    return scores


def seed_use_cases(tenant: Tenant) -> None:
    catalogue = usecase_content.load_catalogue()
    criteria = usecase_content.load_criteria()
    ids = [c.id for c in criteria]
    axes = {c.id: c.axis.value for c in criteria}
    created = {}
    for entry_id, status, value, feasibility, reason in DEMO_USE_CASES:
        entry = catalogue.entry(entry_id)
        assert entry is not None, entry_id
        data = usecases.from_catalogue(entry, "de")
        if entry_id in DEMO_GOALS:
            metric, baseline, target, months = DEMO_GOALS[entry_id]
            data.update(
                goal_metric=metric,
                goal_baseline=baseline,
                goal_target=target,
                goal_date=months_before(timezone.localdate(), -months),
            )
        data.update(
            process_owner="Sabine Roth",
            department="Produktion"
            if entry.function in {"produktion", "qualitaet", "logistik"}
            else "Verwaltung",
        )
        use_case = usecases.create_use_case(tenant, data, entry_id)
        if status != Status.IDEE:
            usecases.set_scores(tenant, use_case, demo_scores(ids, value, feasibility, axes))
        if status in NEEDS_REASON:
            usecases.change_status(tenant, use_case, status, reason)
        elif status in PIPELINE_STEPS:
            for step in PIPELINE_STEPS[: PIPELINE_STEPS.index(status) + 1]:
                usecases.change_status(tenant, use_case, step)
        first, last = USE_CASE_DAYS[entry_id]
        if last is None:
            last = (timezone.localdate() - pilot_start()).days
        backdate_history(use_case, first, last)
        created[entry_id] = use_case
    own = usecases.create_use_case(
        tenant,
        {
            "title": "Schweißnahtprotokolle digitalisieren",
            "problem": "Prüfprotokolle der Schweißnähte werden handschriftlich geführt und "
            "später abgetippt; Fehler fallen erst bei der Endkontrolle auf.",
            "goal_metric": "Abtippzeit je Auftrag",
            "goal_baseline": "45 min",
            "goal_target": "10 min",
            "process_owner": "Sabine Roth",
            "department": "Qualitätssicherung",
            "classic_enough": ClassicAnswer.UNKLAR,
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
    workshop = usecases.open_workshop(
        tenant, f"Use-Case-Workshop {german_month(held.date())}", workshop_cases
    )
    voters = Membership.objects.filter(
        organisation=tenant.organisation,
        user__email__in=[DEMO_EMAIL, "j.weber@startklar.example", "s.roth@startklar.example"],
    )
    for offset, member in enumerate(voters):
        voter = Tenant(tenant.organisation, member)
        for use_case in workshop_cases:
            for n, criterion in enumerate(ids):
                base = usecase_scores(use_case)[criterion]
                usecases.vote(
                    voter,
                    workshop,
                    use_case.pk,
                    criterion,
                    max(1, min(5, base + (offset + n) % 3 - 1)),
                )
    usecases.reveal(tenant, workshop)
    for use_case in workshop_cases:
        for criterion in ids:
            usecases.agree(
                tenant, workshop, use_case.pk, criterion, usecase_scores(use_case)[criterion]
            )
    usecases.close_workshop(tenant, workshop)
    Workshop.objects.filter(pk=workshop.pk).update(created_at=held)
    Vote.objects.filter(workshop=workshop).update(updated_at=held + timedelta(minutes=40))


def usecase_scores(use_case: UseCase) -> dict[str, int]:
    return dict(use_case.scores.values_list("criterion_id", "score"))


# Business cases: the selected use cases, the pilot with actual values, and one clearly
# unprofitable case. (kind, name, factors as (min, most likely, max), source)
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
        {"minutes": (4, 6, 8), "cases": (500, 600, 700), "rate": (45, 45, 45)},
        "Stichprobe Buchhaltung vor dem Pilot",
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
        {"minutes": (10, 20, 30), "cases": (12, 20, 30), "rate": (50, 50, 50)},
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


def seed_business_cases(tenant: Tenant) -> None:
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


# Compliance: the AI register, assessments with results, literacy records, privacy facts.
NO_RISK = {
    "role": "deployer",
    "role_switch": "no",
    "art5_manipulation": "no",
    "art5_vulnerability": "no",
    "art5_social_scoring": "no",
    "art5_crime_prediction": "no",
    "art5_face_scraping": "no",
    "art5_emotion_workplace": "no",
    "art5_biometric_sensitive": "no",
    "art5_realtime_rbi": "no",
    "art5_intimate_imagery": "no",
    "annex1_component": "no",
    "annex3_area": "none",
    "art50_interacts": "no",
    "art50_generates": "no",
    "art50_deepfake": "no",
    "art50_public_text": "no",
    "art50_emotion_or_categorisation": "no",
    "gpai_use": "no",
    "gpai_provide": "no",
    "personal_data": "yes",
    "special_categories": "no",
    "vulnerable_subjects": "no",
    "evaluation_scoring": "no",
    "automated_decision": "no",
    "systematic_monitoring": "no",
    "large_scale": "no",
    "combining_datasets": "no",
    "prevents_right": "no",
    "monitors_employees": "no",
}
SYSTEMS: list[tuple[dict[str, Any], dict[str, str] | None, str | None]] = [
    (
        {
            "name": "KI-Chat-Assistent (Team-Lizenz)",
            "owner": "Jonas Weber",
            "purpose": "Texte entwerfen, zusammenfassen, recherchieren",
            "vendor": "US-Anbieter, EU-Rechenzentrum",
            "capability": "chat_assistant",
            "hosting": "saas_eu",
            "data_location": "EU (Irland)",
            "personal_data": "Namen und Texte aus E-Mails",
            "dpia_status": "done",
            "dpa_status": "signed",
        },
        {
            **NO_RISK,
            "art50_interacts": "yes",
            "art50_obvious": "yes",
            "art50_generates": "yes",
            "gpai_use": "yes",
        },
        "vertrieb.angebote-entwerfen",
    ),
    (
        {
            "name": "Belegerfassung mit KI (Rechnungseingang)",
            "owner": "Ömer Kaya",
            "purpose": "Eingangsrechnungen auslesen und zur Freigabe vorbereiten",
            "vendor": "Anbieter der Buchhaltungssoftware",
            "capability": "documents",
            "hosting": "saas_eu",
            "data_location": "Deutschland",
            "personal_data": "Namen und Kontaktdaten von Ansprechpartnern der Lieferanten",
            "dpia_status": "done",
            "dpa_status": "signed",
        },
        NO_RISK,
        "administration.eingangsrechnungen",
    ),
    (
        {
            "name": "Chat-Assistent im Vertrieb (Einzelkonten)",
            "owner": "Sabine Roth",
            "purpose": "Angebotstexte",
            "vendor": "anderer Anbieter",
            "capability": "chat_assistant",
            "hosting": "saas_non_eu",
            "data_location": "USA",
            "personal_data": "Kundennamen",
            "dpia_status": "open",
            "dpa_status": "missing",
        },
        None,
        None,
    ),
    (
        {
            "name": "Bewerbermanagement mit KI-Vorauswahl",
            "owner": "Martina Keller",
            "purpose": "Bewerbungen vorsortieren und Rangfolge vorschlagen",
            "vendor": "HR-Software-Anbieter",
            "capability": "recruiting",
            "hosting": "embedded",
            "data_location": "Deutschland",
            "personal_data": "Bewerbungsunterlagen",
            "status": "planned",
            "dpia_status": "in_progress",
            "dpa_status": "requested",
        },
        {
            **NO_RISK,
            "annex3_area": "beschaeftigung",
            "annex3_4": "a",
            "derog_profiling": "yes",
            "vulnerable_subjects": "yes",
            "evaluation_scoring": "yes",
        },
        "administration.bewerbungen-vorauswahl",
    ),
    (
        {
            "name": "Zustandsüberwachung Abkantpressen",
            "owner": "Sabine Roth",
            "purpose": "Ausfälle vorhersagen",
            "vendor": "Partner (Ingenieurbüro)",
            "capability": "maintenance",
            "hosting": "own_cloud",
            "data_location": "Deutschland",
            "personal_data": "",
            "dpia_status": "not_needed",
            "dpa_status": "not_needed",
        },
        {**NO_RISK, "personal_data": "no"},
        "produktion.vorausschauende-wartung",
    ),
    (
        {
            "name": "Website-Chatbot",
            "owner": "Jonas Weber",
            "purpose": "Fragen zu Lieferzeiten und Ersatzteilen",
            "vendor": "Chatbot-Plattform",
            "capability": "chatbot",
            "hosting": "saas_eu",
            "data_location": "EU",
            "personal_data": "Name, E-Mail, Anfrage",
            "status": "planned",
            "dpia_status": "open",
            "dpa_status": "requested",
        },
        {
            **NO_RISK,
            "art50_interacts": "yes",
            "art50_obvious": "no",
            "art50_generates": "yes",
            "gpai_use": "yes",
        },
        "kundenservice.anfragen-vorsortieren",
    ),
]
PEOPLE = [
    ("Martina Keller", RoleLevel.MANAGEMENT, "Geschäftsführung", [0], True),
    ("Jonas Weber", RoleLevel.CHAMPION, "IT", [0, 5], True),
    ("Sabine Roth", RoleLevel.DEPARTMENT_HEAD, "Produktion", [2, 4], True),
    ("Leyla Yilmaz", RoleLevel.DEPARTMENT_HEAD, "Datenschutz", [0], False),
    ("Tim Becker", RoleLevel.USER, "Fertigung", [4], False),
    ("Petra Lange", RoleLevel.USER, "Vertrieb", [0, 2], True),
    ("Ömer Kaya", RoleLevel.USER, "Buchhaltung", [0, 1], False),
]


def seed_compliance(tenant: Tenant) -> None:
    organisation = tenant.organisation
    use_cases = {uc.catalogue_id: uc for uc in UseCase.objects.filter(organisation=organisation)}
    systems = []
    today = timezone.localdate()
    for fields, answers, catalogue_id in SYSTEMS:
        # The shadow tool without a data-processing agreement is overdue for its review.
        overdue = fields.get("dpa_status") == "missing"
        review = today - timedelta(days=14) if overdue else today + timedelta(days=180)
        system = compliance.save_system(
            tenant,
            AISystem(**fields, next_review=review),
            [use_cases[catalogue_id]] if catalogue_id else [],
        )
        systems.append(system)
        if answers is not None:
            compliance.import_answers(tenant, compliance.start(tenant, system), answers)
            if catalogue_id:
                use_case = use_cases[catalogue_id]
                compliance.import_answers(tenant, compliance.start(tenant, use_case), answers)
    members = {m.user.full_name: m for m in Membership.objects.filter(organisation=organisation)}
    for name, level, department, used, trained in PEOPLE:
        person = compliance.save_person(
            tenant,
            Person(name=name, role_level=level, department=department, member=members.get(name)),
            [systems[i] for i in used],
        )
        if trained:
            compliance.record_training(
                tenant,
                TrainingRecord(
                    person=person,
                    measure="KI-Grundlagen (halber Tag, intern)",
                    date=today - timedelta(days=60),
                    evidence=f"Teilnehmerliste {today - timedelta(days=60):%m/%Y}",
                ),
            )
            compliance.record_training(
                tenant,
                TrainingRecord(
                    person=person,
                    measure="Einweisung Chat-Assistent und Nutzungsregeln",
                    date=today - timedelta(days=45),
                    evidence="Quiz bestanden",
                    ai_system=systems[0],
                ),
            )
    compliance.save_privacy_facts(tenant, PrivacyFacts(people_processing=28, works_council=True))
    compliance.save_dpo(
        tenant,
        PrivacyFacts(
            dpo_name="Leyla Yilmaz",
            dpo_kind="internal",
            dpo_email="l.yilmaz@startklar.example",
            dpo_phone="+49 711 555-0142",
            dpo_appointed=today.replace(year=today.year - 2, month=4, day=1),
        ),
    )


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
