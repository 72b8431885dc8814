"""Reads of the compliance feature: results of assessments, the register, literacy coverage and
the data-protection-officer check."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import ngettext

from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from . import engine
from .content import CURRENT_VERSION, load_rules
from .models import AISystem, Assessment, Capability, Person, PrivacyFacts, RoleLevel, SystemStatus


@dataclass(frozen=True)
class Result:
    assessment: Assessment
    rules: engine.RuleSet
    classification: engine.Classification
    gdpr: engine.GdprResult

    @property
    def stale(self) -> bool:
        """Made with an older rule base: the answers must be checked against the new one."""
        return self.assessment.rules_version != CURRENT_VERSION

    @property
    def next_question(self) -> engine.Question | None:
        return engine.next_question(self.rules, self.assessment.answers)


def result(assessment: Assessment) -> Result:
    rules = load_rules(assessment.rules_version)
    answers = assessment.answers
    return Result(
        assessment, rules, engine.classify(rules, answers), engine.screen_gdpr(rules, answers)
    )


@dataclass(frozen=True)
class Row:
    subject: UseCase | AISystem
    result: Result | None


def use_case_rows(tenant: Tenant) -> list[Row]:
    use_cases = tenant.scoped(UseCase.objects).select_related("assessment").order_by("title")
    return [
        Row(uc, result(uc.assessment) if hasattr(uc, "assessment") else None) for uc in use_cases
    ]


def system_rows(tenant: Tenant) -> list[Row]:
    systems = (
        tenant.scoped(AISystem.objects).select_related("assessment").prefetch_related("use_cases")
    )
    return [Row(s, result(s.assessment) if hasattr(s, "assessment") else None) for s in systems]


def tool_chaos(tenant: Tenant) -> dict[str, list[AISystem]]:
    """Capabilities served by several active tools – one of the SME hurdles ("Tool-Chaos")."""
    groups: defaultdict[str, list[AISystem]] = defaultdict(list)
    for system in tenant.scoped(AISystem.objects).exclude(status=SystemStatus.RETIRED):
        if system.capability != Capability.OTHER:
            groups[str(Capability(system.capability).label)].append(system)
    return {label: systems for label, systems in groups.items() if len(systems) > 1}


@dataclass(frozen=True)
class Coverage:
    label: str
    people: int
    trained: int

    @property
    def share(self) -> float:
        return self.trained / self.people if self.people else 0.0


@dataclass(frozen=True)
class Gap:
    person: Person
    missing_basics: bool
    missing_systems: tuple[AISystem, ...]


@dataclass(frozen=True)
class Literacy:
    by_role: list[Coverage]
    by_system: list[Coverage]
    gaps: list[Gap]
    people: list[Person]


def literacy(tenant: Tenant) -> Literacy:
    people = list(
        tenant.scoped(Person.objects).prefetch_related("records", "ai_systems").order_by("name")
    )
    systems = list(tenant.scoped(AISystem.objects).exclude(status=SystemStatus.RETIRED))
    trained_for: dict[int, set[int | None]] = {
        p.pk: {r.ai_system_id for r in p.records.all()} for p in people
    }
    by_role = [
        Coverage(
            str(level.label),
            sum(1 for p in people if p.role_level == level),
            sum(1 for p in people if p.role_level == level and trained_for[p.pk]),
        )
        for level in RoleLevel
    ]
    by_system = []
    for system in systems:
        users = [p for p in people if system in p.ai_systems.all()]
        by_system.append(
            Coverage(
                system.name, len(users), sum(1 for p in users if system.pk in trained_for[p.pk])
            )
        )
    gaps = []
    for person in people:
        missing = tuple(
            s
            for s in person.ai_systems.all()
            if s.status != SystemStatus.RETIRED and s.pk not in trained_for[person.pk]
        )
        if missing or not trained_for[person.pk]:
            gaps.append(Gap(person, not trained_for[person.pk], missing))
    return Literacy(by_role, by_system, gaps, people)


@dataclass(frozen=True)
class DpoView:
    facts: PrivacyFacts
    check: engine.DpoCheck
    dpia_use_cases: list[str]


def dpo(tenant: Tenant) -> DpoView:
    facts = PrivacyFacts.objects.filter(organisation=tenant.organisation).first() or PrivacyFacts(
        organisation=tenant.organisation
    )
    dpia = [
        str(r.subject)
        for r in use_case_rows(tenant)
        if r.result and r.result.gdpr.verdict == "erforderlich"
    ]
    check = engine.data_protection_officer(
        facts.people_processing,
        bool(dpia),
        facts.commercial_transfer,
        facts.core_monitoring,
        facts.core_special_categories,
    )
    return DpoView(facts, check, dpia)


def waiting_for_me(tenant: Tenant) -> str:
    stale = (
        tenant.scoped(Assessment.objects).exclude(rules_version=CURRENT_VERSION).count()
        if tenant.can_edit
        else 0
    )
    if not stale:
        return ""
    return ngettext(
        "%(count)d assessment needs a re-check", "%(count)d assessments need a re-check", stale
    ) % {"count": stale}
