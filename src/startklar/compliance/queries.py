"""Reads of the compliance feature: results of assessments, the register, literacy coverage and
the data-protection-officer check."""

from __future__ import annotations

import datetime
import functools
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from startklar.core.deletion import Confirmation, preview
from startklar.core.text import Text
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from . import engine
from .content import CURRENT_VERSION, load_rules
from .labels import DPIA_VERDICTS, dpo_reasons, risk_labels
from .models import (
    AISystem,
    Assessment,
    Capability,
    DpaStatus,
    DpiaStatus,
    Person,
    PrivacyFacts,
    RoleLevel,
    SystemStatus,
    TrainingRecord,
)


def result_summary(labels: tuple[engine.RiskLabel, ...], verdict: engine.DpiaVerdict) -> str:
    """One line for a classification's result, e.g. for the audit log."""
    return _("AI Act: %(labels)s · %(verdict)s") % {
        "labels": risk_labels(labels),
        "verdict": DPIA_VERDICTS[verdict],
    }


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
    classification, gdpr = classified(assessment.rules_version, assessment.answers)
    return Result(assessment, load_rules(assessment.rules_version), classification, gdpr)


def classified(
    version: str, answers: dict[str, Any]
) -> tuple[engine.Classification, engine.GdprResult]:
    """The AI Act class and the GDPR screening of answers, worked out once per set of answers
    (saving an answer stores the result and shows the page: one classification, not three)."""
    return _classified(version, json.dumps(answers, sort_keys=True))


@functools.lru_cache(maxsize=512)
def _classified(version: str, answers: str) -> tuple[engine.Classification, engine.GdprResult]:
    rules, given = load_rules(version), json.loads(answers)
    return engine.classify(rules, given), engine.screen_gdpr(rules, given)


def question(assessment: Assessment, question_id: str) -> engine.Question | None:
    """A question of the assessment's rule base by its id (None for an unknown id)."""
    rules = load_rules(assessment.rules_version)
    return next((q for q in rules.questions if q.id == question_id), None)


@dataclass(frozen=True)
class TrailStep:
    """One answer on the why-trail: the question, the answer given, the article it rests on."""

    question: Text
    answer: str
    article: str


@dataclass(frozen=True)
class TrailEntry:
    """A class on the why-trail: a rule that applies (or could), or the class ruled out."""

    risk_class: engine.RiskLabel
    applies: bool  # False: ruled out by the steps
    open: bool  # applies only if open answers turn out so
    route: Text | None
    article: str
    steps: tuple[TrailStep, ...]


@dataclass(frozen=True)
class DutyRow:
    duty: engine.Duty
    in_force: bool  # its deadline has passed: it applies already


@dataclass(frozen=True)
class AssessmentPage:
    assessment: Assessment
    result: Result
    question: engine.Question | None  # the one asked now: chosen, or the next open one
    section: engine.Section | None  # the section of that question
    trail: tuple[TrailEntry, ...]
    duties: tuple[DutyRow, ...]
    answered: list[tuple[engine.Question, str]]


def assessment_page(assessment: Assessment, asked: str = "") -> AssessmentPage:
    """The assessment: its result with the why-trail, and the question to answer now."""
    found = result(assessment)
    chosen = next((q for q in found.rules.questions if q.id == asked), None) if asked else None
    question = chosen or found.next_question
    sections = {s.id: s for s in found.rules.sections}
    today = timezone.localdate()
    return AssessmentPage(
        assessment=assessment,
        result=found,
        question=question,
        section=sections.get(question.section) if question else None,
        trail=_trail(found),
        duties=tuple(DutyRow(d, d.deadline.date <= today) for d in found.classification.duties),
        answered=answered(found),
    )


def _trail(found: Result) -> tuple[TrailEntry, ...]:
    """The why-trail: per class the rules that apply with the answers they rest on, or the
    answers that ruled the class out."""
    questions = {q.id: q for q in found.rules.questions}
    answers = trail_answers(found)

    def steps(leaves: tuple[engine.Leaf, ...]) -> tuple[TrailStep, ...]:
        return tuple(
            TrailStep(
                questions[leaf.question].text, answers[leaf], questions[leaf.question].article
            )
            for leaf in leaves
        )

    entries = []
    for c in found.classification.classes:
        class_id = c.risk_class.id
        for f in c.fired:
            entries.append(
                TrailEntry(class_id, True, f.open, f.rule.route, f.rule.article, steps(f.leaves))
            )
        if not c.fired and c.ruled_out:
            entries.append(TrailEntry(class_id, False, False, None, "", steps(c.ruled_out_by)))
    return tuple(entries)


def answer_text(question: engine.Question, value: str) -> str:
    """An answer as the person chose it: "Ja", "Nein", "Weiß nicht" or the option's label."""
    if value == engine.YES:
        return _("Yes")
    if value == engine.NO:
        return _("No")
    if value == engine.UNKNOWN:
        return _("Don't know")
    option = next((o for o in question.options if o.id == value), None)
    return option.label.get(get_language() or "de") if option else value


def answered(result: Result) -> list[tuple[engine.Question, str]]:
    """The answers that count, in the order of the questionnaire, with their labels."""
    answers = result.classification.answers
    return [(q, answer_text(q, answers[q.id])) for q in result.rules.questions if q.id in answers]


def trail_answers(result: Result) -> dict[engine.Leaf, str]:
    """The answer of every step of the why-trail, as a label; questions without an answer read
    "not answered yet" (the engine treats them like "don't know")."""
    questions = {q.id: q for q in result.rules.questions}
    given = result.classification.answers
    texts: dict[engine.Leaf, str] = {}
    for class_result in result.classification.classes:
        leaves = [*class_result.ruled_out_by, *(x for f in class_result.fired for x in f.leaves)]
        for leaf in leaves:
            if leaf.question not in given:
                texts[leaf] = _("not answered yet")
            else:
                texts[leaf] = answer_text(questions[leaf.question], leaf.answer)
    return texts


@dataclass(frozen=True)
class Row:
    subject: UseCase | AISystem
    result: Result | None
    review_overdue: bool = False  # AI systems: the next review date has passed


def use_case_rows(tenant: Tenant) -> list[Row]:
    use_cases = tenant.scoped(UseCase.objects).select_related("assessment").order_by("title")
    return [
        Row(uc, result(uc.assessment) if hasattr(uc, "assessment") else None) for uc in use_cases
    ]


def system_rows(tenant: Tenant) -> list[Row]:
    systems = (
        tenant.scoped(AISystem.objects).select_related("assessment").prefetch_related("use_cases")
    )
    today = timezone.localdate()
    return [
        Row(
            s,
            result(s.assessment) if hasattr(s, "assessment") else None,
            s.next_review is not None and s.next_review < today,
        )
        for s in systems
    ]


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
    gaps = [gap for person in people if (gap := _gap(person, trained_for[person.pk]))]
    return Literacy(by_role, by_system, gaps, people)


def _gap(person: Person, trained_for: set[int | None]) -> Gap | None:
    """What the person still lacks: the basics (no training at all) and an instruction for each
    AI system in use; None when nothing is missing."""
    missing = tuple(
        s
        for s in person.ai_systems.all()
        if s.status != SystemStatus.RETIRED and s.pk not in trained_for
    )
    return Gap(person, not trained_for, missing) if missing or not trained_for else None


def training_records(tenant: Tenant, limit: int = 200) -> list[TrainingRecord]:
    """The latest training records of the organisation, for the literacy page."""
    found = tenant.scoped(TrainingRecord.objects).select_related("person", "ai_system")
    return list(found[:limit])


@dataclass(frozen=True)
class PersonPage:
    person: Person
    records: list[TrainingRecord]
    gap: Gap | None


def person_page(person: Person) -> PersonPage:
    records = list(person.records.select_related("ai_system"))
    return PersonPage(person, records, _gap(person, {r.ai_system_id for r in records}))


def privacy_facts(tenant: Tenant) -> PrivacyFacts | None:
    """The organisation's privacy facts as saved, or None before the first save."""
    return tenant.scoped(PrivacyFacts.objects).first()


def person_gap(person: Person) -> Gap | None:
    return _gap(person, {r.ai_system_id for r in person.records.all()})


@dataclass(frozen=True)
class SystemUser:
    person: Person
    instructed: bool  # a training for this very system is recorded
    basics: bool  # any training is recorded


@dataclass(frozen=True)
class SystemDetail:
    system: AISystem
    result: Result | None
    use_cases: list[UseCase]
    users: list[SystemUser]
    today: datetime.date

    @property
    def coverage(self) -> Coverage:
        return Coverage(self.system.name, len(self.users), sum(u.instructed for u in self.users))

    @property
    def review_overdue(self) -> bool:
        review = self.system.next_review
        return review is not None and review < self.today

    @property
    def dpa_open(self) -> bool:
        """No signed data-processing agreement although one is needed (Art. 28 GDPR)."""
        return self.system.dpa_status in (DpaStatus.MISSING, DpaStatus.REQUESTED)

    @property
    def dpia_contradicts_check(self) -> bool:
        """The register says "no DPIA needed" but the GDPR check says it is (probably) needed."""
        needed = self.result is not None and self.result.gdpr.verdict.needs_dpia
        return needed and self.system.dpia_status == DpiaStatus.NOT_NEEDED


def system_detail(tenant: Tenant, system: AISystem) -> SystemDetail:
    found = tenant.scoped(Assessment.objects).filter(ai_system=system).first()
    people = (
        tenant.scoped(Person.objects)
        .filter(ai_systems=system)
        .prefetch_related("records")
        .order_by("name", "pk")
    )
    users = [
        SystemUser(
            person,
            any(r.ai_system_id == system.pk for r in person.records.all()),
            bool(person.records.all()),
        )
        for person in people
    ]
    return SystemDetail(
        system=system,
        result=result(found) if found else None,
        use_cases=list(tenant.scoped(UseCase.objects).filter(ai_systems=system).order_by("title")),
        users=users,
        today=timezone.localdate(),
    )


@dataclass(frozen=True)
class DpoView:
    facts: PrivacyFacts
    check: engine.DpoCheck
    dpia_use_cases: list[str]

    @property
    def checked(self) -> bool:
        """The facts were saved at least once (before that they are the defaults)."""
        return self.facts.facts_saved_at is not None

    @property
    def reasons(self) -> list[str]:
        """Why a data protection officer is mandatory, as sentences."""
        return dpo_reasons(self.check, self.dpia_use_cases)

    @property
    def state(self) -> str:
        """ "named", "missing" (mandatory, nobody named), "not_required" or "unchecked"."""
        if self.check.required:
            return "named" if self.facts.dpo_named else "missing"
        return "not_required" if self.checked else "unchecked"


def dpo(tenant: Tenant) -> DpoView:
    facts = privacy_facts(tenant) or PrivacyFacts(organisation=tenant.organisation)
    dpia = [
        str(r.subject)
        for r in use_case_rows(tenant)
        if r.result and r.result.gdpr.verdict is engine.DpiaVerdict.REQUIRED
    ]
    check = engine.data_protection_officer(
        facts.people_processing,
        bool(dpia),
        facts.commercial_transfer,
        facts.core_monitoring,
        facts.core_special_categories,
    )
    return DpoView(facts, check, dpia)


def system_deletion(tenant: Tenant, system: AISystem) -> Confirmation:
    slug = tenant.organisation.slug
    deleted, unlinked = preview(system)
    kept: tuple[str, ...] = ()
    if system.trainings.exists():
        kept = (_("Training records for it stay, as records of general AI training."),)
    return Confirmation(
        title=_("Remove AI system from the register"),
        name=system.name,
        consequences=deleted,
        unlinked=unlinked,
        kept=kept,
        action_url=reverse("compliance:system_delete", args=[slug, system.pk]),
        cancel_url=reverse("compliance:system", args=[slug, system.pk]),
        button=_("Remove from the register for good"),
    )


def person_deletion(tenant: Tenant, person: Person) -> Confirmation:
    slug = tenant.organisation.slug
    deleted, unlinked = preview(person)
    return Confirmation(
        title=_("Delete person from the literacy records"),
        name=person.name,
        consequences=deleted,
        unlinked=unlinked,
        kept=(_("The audit log keeps that a person was deleted, without the name."),),
        action_url=reverse("compliance:person_delete", args=[slug, person.pk]),
        cancel_url=reverse("compliance:person", args=[slug, person.pk]),
        button=_("Delete person and training records for good"),
    )
