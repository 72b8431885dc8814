"""Reads of the compliance feature: results of assessments, the register, literacy coverage and
the data-protection-officer check."""

from __future__ import annotations

import datetime
import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from startklar.core import links
from startklar.core.deletion import Confirmation, preview
from startklar.core.statements import Statement
from startklar.core.text import Text
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from . import engine, kept
from .content import CURRENT_VERSION, load_rules, results_key
from .labels import DPIA_REASONS, DPIA_VERDICTS, RISK_LABELS, dpo_reasons, risk_labels
from .models import (
    AISystem,
    Assessment,
    Capability,
    DpaStatus,
    DpiaStatus,
    Hosting,
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


def all_answered(version: str, answers: dict[str, Any]) -> bool:
    """Every question the answers lead to is answered (hidden ones do not count)."""
    return engine.next_question(load_rules(version), answers) is None


@dataclass(frozen=True)
class Summary:
    """What lists show of an assessment: the AI Act labels, the GDPR verdict, whether every
    question the answers lead to is answered, and whether the rule base has changed since."""

    assessment_id: int
    labels: tuple[engine.RiskLabel, ...]
    verdict: engine.DpiaVerdict
    answered: bool
    stale: bool


class Stored(NamedTuple):
    """An assessment's stored result as ``values_list(*STORED)`` reads it."""

    id: int
    rules_version: str
    results_key: str
    labels: list[str]
    gdpr_verdict: str
    answered: bool


# The columns a summary is read from (``summaries``), without the answers.
STORED = Stored._fields


def _current(stored: Stored) -> bool:
    return bool(stored.gdpr_verdict) and stored.results_key == results_key(stored.rules_version)


def _summary(stored: Stored, answers: dict[str, Any] | None) -> Summary:
    """From the stored result while it is current, else worked out from ``answers``."""
    version = stored.rules_version
    stale = version != CURRENT_VERSION
    if answers is None:
        labels = tuple(engine.RiskLabel(label) for label in stored.labels)
        verdict = engine.DpiaVerdict(stored.gdpr_verdict)
        return Summary(stored.id, labels, verdict, stored.answered, stale)
    classification, gdpr = classified(version, answers)
    answered = all_answered(version, answers)
    return Summary(stored.id, classification.labels, gdpr.verdict, answered, stale)


def summary(assessment: Assessment) -> Summary:
    """The assessment's result as the lists show it."""
    stored = Stored._make(getattr(assessment, name) for name in STORED)
    return _summary(stored, None if _current(stored) else assessment.answers)


def summaries(stored: Iterable[Stored]) -> dict[int, Summary]:
    """Summaries of assessments given as their ``STORED`` values, by assessment id. A result
    stored under another ``results_key`` is worked out afresh, with the answers of all such
    assessments fetched in one query."""
    rows = list(stored)
    outdated = [r.id for r in rows if not _current(r)]
    answers: dict[int, dict[str, Any]] = {}
    if outdated:
        answers = dict(Assessment.objects.filter(pk__in=outdated).values_list("pk", "answers"))
    return {r.id: _summary(r, answers.get(r.id)) for r in rows}


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
class ConflictRow:
    """A contradiction with the answers that contradict each other, each to be changed."""

    message: Text
    answers: tuple[tuple[str, TrailStep], ...]  # (question id, the answer as given)


@dataclass(frozen=True)
class CriterionRow:
    """A GDPR criterion or DSK item that is met, with the answers that met it."""

    label: Text
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
    conflicts: tuple[ConflictRow, ...]
    criteria: tuple[CriterionRow, ...]  # EDPB criteria met
    dsk_items: tuple[CriterionRow, ...]  # items of the DSK list met
    dpia_why: str  # why the screening came to its verdict

    def result_key(self, tenant: Tenant) -> str:
        """A key for the rendered result (classes, why-trail, duties, GDPR screening): what it
        is worked out from – the rule base (its version, hash and the engine's revision) and
        the answers – and which duties apply already."""
        version = self.assessment.rules_version
        return kept.part_key(
            tenant,
            "assessment-result",
            version,
            results_key(version),
            json.dumps(self.assessment.answers, sort_keys=True),
            [row.in_force for row in self.duties],
        )


def assessment_page(assessment: Assessment, asked: str = "") -> AssessmentPage:
    """The assessment: its result with the why-trail, and the question to answer now."""
    found = result(assessment)
    chosen = next((q for q in found.rules.questions if q.id == asked), None) if asked else None
    question = chosen or found.next_question
    sections = {s.id: s for s in found.rules.sections}
    questions = {q.id: q for q in found.rules.questions}
    today = timezone.localdate()
    return AssessmentPage(
        assessment=assessment,
        result=found,
        question=question,
        section=sections.get(question.section) if question else None,
        trail=_trail(found, questions),
        duties=tuple(DutyRow(d, d.deadline.date <= today) for d in found.classification.duties),
        answered=answered(found),
        conflicts=_conflicts(found, questions),
        criteria=_criteria(found, questions, found.gdpr.criteria),
        dsk_items=_criteria(found, questions, found.gdpr.dsk_items),
        dpia_why=str(DPIA_REASONS[found.gdpr.verdict]),
    )


def _steps(
    questions: Mapping[str, engine.Question],
    leaves: Iterable[engine.Leaf],
    answer: Callable[[engine.Leaf], str],
) -> tuple[TrailStep, ...]:
    """The answers behind a decision, each with its question and article."""
    return tuple(
        TrailStep(questions[leaf.question].text, answer(leaf), questions[leaf.question].article)
        for leaf in leaves
    )


def _given(questions: Mapping[str, engine.Question]) -> Callable[[engine.Leaf], str]:
    """How an answer that was given reads (for contradictions and GDPR criteria)."""
    return lambda leaf: answer_text(questions[leaf.question], leaf.answer)


def _conflicts(found: Result, questions: Mapping[str, engine.Question]) -> tuple[ConflictRow, ...]:
    """Each contradiction with the answers behind it, for the person to resolve."""
    c = found.classification
    rows = []
    for x in c.contradictions:
        leaves = c.conflicting[x.id]
        steps = _steps(questions, leaves, _given(questions))
        rows.append(
            ConflictRow(
                x.message, tuple(zip((leaf.question for leaf in leaves), steps, strict=True))
            )
        )
    return tuple(rows)


def _criteria(
    found: Result,
    questions: Mapping[str, engine.Question],
    criteria: tuple[engine.Criterion, ...],
) -> tuple[CriterionRow, ...]:
    why = found.gdpr.why
    return tuple(
        CriterionRow(x.label, _steps(questions, why.get(x.id, ()), _given(questions)))
        for x in criteria
    )


def _trail(found: Result, questions: Mapping[str, engine.Question]) -> tuple[TrailEntry, ...]:
    """The why-trail: per class the rules that apply with the answers they rest on, or the
    answers that ruled the class out."""
    answers = trail_answers(found)

    def steps(leaves: tuple[engine.Leaf, ...]) -> tuple[TrailStep, ...]:
        return _steps(questions, leaves, answers.__getitem__)

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
    undecided = result.classification.undecided
    texts: dict[engine.Leaf, str] = {}
    for class_result in result.classification.classes:
        leaves = [*class_result.ruled_out_by, *(x for f in class_result.fired for x in f.leaves)]
        for leaf in leaves:
            if leaf.question in undecided:
                texts[leaf] = _("not asked while an earlier answer is open")
            elif leaf.question not in given:
                texts[leaf] = _("not answered yet")
            else:
                texts[leaf] = answer_text(questions[leaf.question], leaf.answer)
    return texts


@dataclass(frozen=True)
class Badge:
    """A result as the lists show it: its code (for the colour) and how it reads."""

    code: str
    text: str
    style: str = ""


def _badges() -> tuple[dict[engine.RiskLabel, Badge], dict[engine.DpiaVerdict, Badge]]:
    """The badges of every AI Act label and GDPR verdict in the active language."""
    return (
        {code: Badge(code, str(RISK_LABELS[code])) for code in engine.RiskLabel},
        {v: Badge(v, str(DPIA_VERDICTS[v]), DPIA_VERDICTS.style(v)) for v in engine.DpiaVerdict},
    )


@dataclass(frozen=True)
class UseCaseRow:
    """A use case on the compliance overview, with its assessment's result (None: none yet)."""

    pk: int
    title: str
    url: str  # the use case's page
    summary: Summary | None
    labels: tuple[Badge, ...]  # the AI Act result
    verdict: Badge | None  # the GDPR result
    action_url: str  # the assessment, or (without one) where to start it


class Assessed(NamedTuple):
    """A use case with its assessment's result (None: none yet): what its overview row is
    made of (``_use_case_rows``)."""

    pk: int
    title: str
    summary: Summary | None


_ASSESSED_USE_CASES = Statement(
    lambda organisation_id: (
        UseCase.objects.filter(organisation=organisation_id)
        .order_by("title", "pk")
        .values_list("pk", "title", *(f"assessment__{name}" for name in STORED))
    ),
    int,
)


def assessed_use_cases(tenant: Tenant) -> list[Assessed]:
    """The organisation's use cases by title, with their assessments' results."""
    use_cases = _ASSESSED_USE_CASES.rows(tenant.organisation.pk)
    found = summaries(Stored._make(row[2:]) for row in use_cases if row[2] is not None)
    return [
        Assessed(pk, title, found.get(assessment_id)) for pk, title, assessment_id, *_ in use_cases
    ]


def use_case_rows(tenant: Tenant) -> list[UseCaseRow]:
    return _use_case_rows(tenant.organisation.slug, assessed_use_cases(tenant))


def _use_case_rows(slug: str, use_cases: list[Assessed]) -> list[UseCaseRow]:
    """The overview's rows: links of the organisation ``slug``, labels in the language."""
    detail_url = links.for_each("usecases:detail", slug)
    assessment_url = links.for_each("compliance:assessment", slug)
    start_url = links.for_each("compliance:start_use_case", slug)
    labels, verdicts = _badges()
    rows = []
    for pk, title, summary in use_cases:
        rows.append(
            UseCaseRow(
                pk=pk,
                title=title,
                url=detail_url(pk),
                summary=summary,
                labels=tuple(labels[code] for code in summary.labels) if summary else (),
                verdict=verdicts[summary.verdict] if summary else None,
                action_url=assessment_url(summary.assessment_id) if summary else start_url(pk),
            )
        )
    return rows


@dataclass(frozen=True)
class Row:
    """An AI system in the register, with its assessment's result (None: none yet), its links
    and the labels of its choices."""

    pk: int
    name: str
    vendor: str
    owner: str
    data_location: str
    next_review: str  # the date as the page shows it; "" without one
    summary: Summary | None
    review_overdue: bool  # the next review date has passed
    url: str  # the system's page
    labels: tuple[Badge, ...]  # the AI Act result
    action_url: str  # the assessment, or (without one) where to start it
    capability: str
    status: str
    hosting: str
    dpia: str
    dpa: str


def _short_dates() -> Callable[[datetime.date], str]:
    """``|date:"SHORT_DATE_FORMAT"`` for the many dates of a list, each one formatted once."""
    known: dict[datetime.date, str] = {}

    def shown(day: datetime.date) -> str:
        if day not in known:
            known[day] = date_format(day, "SHORT_DATE_FORMAT")
        return known[day]

    return shown


def _names(choices: type[models.TextChoices]) -> dict[str, str]:
    """How each stored value of ``choices`` reads in the active language."""
    return {value: str(label) for value, label in choices.choices}


_SYSTEM_RESULTS = Statement(
    lambda organisation_id: (
        Assessment.objects.filter(organisation=organisation_id, ai_system__isnull=False)
        .order_by()
        .values_list("ai_system", *STORED)
    ),
    int,
)


def _system_summaries(tenant: Tenant) -> dict[int, Summary]:
    """The results of the AI systems' assessments, by AI system."""
    stored = _SYSTEM_RESULTS.rows(tenant.organisation.pk)
    assessed = {row[0]: Stored._make(row[1:]) for row in stored}
    found = summaries(assessed.values())
    return {system: found[row.id] for system, row in assessed.items()}


class Listed(NamedTuple):
    """An AI system as the register lists it (``values_list(*Listed._fields)``)."""

    pk: int
    name: str
    vendor: str
    owner: str
    data_location: str
    next_review: datetime.date | None
    capability: str
    status: str
    hosting: str
    dpia_status: str
    dpa_status: str


def system_rows(
    slug: str, systems: Iterable[Listed], found: dict[int, Summary], today: datetime.date
) -> list[Row]:
    """The register's rows: ``systems`` with the results ``found`` of their assessments (by
    AI system), links of the organisation ``slug``, labels and dates in the language, reviews
    before ``today`` overdue."""
    system_url = links.for_each("compliance:system", slug)
    assessment_url = links.for_each("compliance:assessment", slug)
    start_url = links.for_each("compliance:start_system", slug)
    labels, _verdicts = _badges()
    capabilities, statuses, hostings = _names(Capability), _names(SystemStatus), _names(Hosting)
    dpias, dpas = _names(DpiaStatus), _names(DpaStatus)
    shown = _short_dates()
    rows = []
    for s in systems:
        summary = found.get(s.pk)
        rows.append(
            Row(
                pk=s.pk,
                name=s.name,
                vendor=s.vendor,
                owner=s.owner,
                data_location=s.data_location,
                next_review=shown(s.next_review) if s.next_review else "",
                summary=summary,
                review_overdue=s.next_review is not None and s.next_review < today,
                url=system_url(s.pk),
                labels=tuple(labels[code] for code in summary.labels) if summary else (),
                action_url=assessment_url(summary.assessment_id) if summary else start_url(s.pk),
                capability=capabilities.get(s.capability, s.capability),
                status=statuses.get(s.status, s.status),
                hosting=hostings.get(s.hosting, s.hosting),
                dpia=dpias.get(s.dpia_status, s.dpia_status),
                dpa=dpas.get(s.dpa_status, s.dpa_status),
            )
        )
    return rows


_USE_CASE_CHOICES = Statement(
    lambda organisation_id: (
        UseCase.objects.filter(organisation=organisation_id)
        .order_by("title", "pk")
        .values_list("pk", "title")
    ),
    int,
)


_SYSTEM_CHOICES = Statement(
    lambda organisation_id: AISystem.objects.filter(organisation=organisation_id).values_list(
        "pk", "name"
    ),
    int,
)


def system_choices(tenant: Tenant) -> list[tuple[int, str]]:
    """The organisation's AI systems as (id, name), in the order the forms offer them."""
    return _SYSTEM_CHOICES.rows(tenant.organisation.pk)


def use_case_choices(tenant: Tenant) -> list[tuple[int, str]]:
    """The organisation's use cases as (id, title), in the order the AI system form offers
    them (``forms.SystemForm``)."""
    return _USE_CASE_CHOICES.rows(tenant.organisation.pk)


def register_export(tenant: Tenant) -> list[tuple[AISystem, Summary | None]]:
    """Every AI system with its use cases and its assessment's result, for the Excel export."""
    systems = tenant.scoped(AISystem.objects).order_by("name", "pk").prefetch_related("use_cases")
    found = _system_summaries(tenant)
    return [(system, found.get(system.pk)) for system in systems]


def tool_chaos(systems: Iterable[tuple[str, str, str]]) -> dict[str, list[str]]:
    """Capabilities served by several active tools – one of the SME hurdles ("Tool-Chaos"): the
    capability's label with the names of its tools, from the organisation's ``systems`` given
    as (name, capability, status) in the register's order."""
    groups: defaultdict[str, list[str]] = defaultdict(list)
    capabilities = _names(Capability)
    for name, capability, status in systems:
        if status != SystemStatus.RETIRED and capability != Capability.OTHER:
            groups[capabilities[capability]].append(name)
    return {label: names for label, names in groups.items() if len(names) > 1}


@dataclass(frozen=True)
class Coverage:
    label: str
    people: int
    trained: int

    @property
    def share(self) -> float:
        return self.trained / self.people if self.people else 0.0


@dataclass(frozen=True)
class SystemLink:
    pk: int
    name: str
    url: str


class Named(NamedTuple):
    """A person as the literacy lists name them."""

    pk: int
    name: str
    role_level: str


@dataclass(frozen=True)
class Gap:
    person: Named
    missing_basics: bool
    missing_systems: tuple[SystemLink, ...]
    url: str  # the person's page
    role: str  # the person's role level as it reads


@dataclass(frozen=True)
class Literacy:
    by_role: list[Coverage]
    by_system: list[Coverage]
    gaps: list[Gap]
    people: list[Named]  # by name
    systems: list[tuple[int, str]]  # every AI system of the register as (id, name), by name
    key: str  # for the kept coverage and gaps: everything they show (``kept.part_key``)


@dataclass(frozen=True)
class _Training:
    """Who is trained for what and who uses which active AI system, as ids."""

    trained_for: dict[int, set[int | None]]  # person → AI systems of their records (None: basics)
    uses: dict[int, set[int]]  # person → active AI systems they use

    def missing(self, person_id: int) -> set[int]:
        return self.uses.get(person_id, set()) - self.trained_for.get(person_id, set())

    def has_gap(self, person_id: int) -> bool:
        return not self.trained_for.get(person_id) or bool(self.missing(person_id))


_TRAINED_FOR = Statement(
    lambda organisation_id: (
        TrainingRecord.objects.filter(organisation=organisation_id)
        .order_by()
        .values_list("person_id", "ai_system_id")
    ),
    int,
)
_USES = Statement(
    lambda organisation_id: (
        Person.ai_systems.through.objects.filter(aisystem__organisation=organisation_id)
        .order_by()
        .values_list("person_id", "aisystem_id", "aisystem__status")
    ),
    int,
)


def _training(tenant: Tenant) -> _Training:
    trained_for: defaultdict[int, set[int | None]] = defaultdict(set)
    for person_id, system_id in _TRAINED_FOR.rows(tenant.organisation.pk):
        trained_for[person_id].add(system_id)
    uses: defaultdict[int, set[int]] = defaultdict(set)
    for person_id, system_id, status in _USES.rows(tenant.organisation.pk):
        if status != SystemStatus.RETIRED:
            uses[person_id].add(system_id)
    return _Training(dict(trained_for), dict(uses))


def _by_role(people: list[tuple[int, str]], training: _Training) -> list[Coverage]:
    """``people`` as (id, role level)."""
    return [
        Coverage(
            str(level.label),
            sum(1 for _pk, role in people if role == level),
            sum(1 for pk, role in people if role == level and training.trained_for.get(pk)),
        )
        for level in RoleLevel
    ]


_PEOPLE = Statement(
    lambda organisation_id: (
        Person.objects.filter(organisation=organisation_id)
        .order_by("name", "pk")
        .values_list(*Named._fields)
    ),
    int,
)
_REGISTERED = Statement(
    lambda organisation_id: (
        AISystem.objects.filter(organisation=organisation_id)
        .order_by("name", "pk")
        .values_list("pk", "name", "status")
    ),
    int,
)


def literacy(tenant: Tenant) -> Literacy:
    """The literacy page: coverage by role and by active AI system, and who lacks what."""
    people = [Named._make(p) for p in _PEOPLE.rows(tenant.organisation.pk)]
    slug = tenant.organisation.slug
    system_url, person_url = _system_url(slug), links.for_each("compliance:person", slug)
    registered = _REGISTERED.rows(tenant.organisation.pk)
    systems = {
        pk: SystemLink(pk, name, system_url(pk))
        for pk, name, status in registered
        if status != SystemStatus.RETIRED
    }
    training = _training(tenant)
    users: defaultdict[int, int] = defaultdict(int)
    trained: defaultdict[int, int] = defaultdict(int)
    for person in people:
        for system_id in training.uses.get(person.pk, ()):
            users[system_id] += 1
            trained[system_id] += system_id in training.trained_for.get(person.pk, ())
    by_system = [Coverage(s.name, users[pk], trained[pk]) for pk, s in systems.items()]
    order = {pk: position for position, pk in enumerate(systems)}
    roles = _names(RoleLevel)
    gaps = [
        Gap(
            person,
            not training.trained_for.get(person.pk),
            tuple(systems[s] for s in sorted(training.missing(person.pk), key=order.__getitem__)),
            person_url(person.pk),
            roles.get(person.role_level, person.role_level),
        )
        for person in people
        if training.has_gap(person.pk)
    ]
    by_role = _by_role([(p.pk, p.role_level) for p in people], training)
    key = kept.part_key(tenant, "literacy", by_role, by_system, gaps)
    named = [(pk, name) for pk, name, _status in registered]
    return Literacy(by_role, by_system, gaps, people, named, key)


def _system_url(slug: str) -> Callable[[int], str]:
    return links.for_each("compliance:system", slug)


@dataclass(frozen=True)
class LiteracySummary:
    """The literacy card of the overview and its notice: how many people are recorded, the
    coverage by role and how many people still lack something."""

    people: int
    by_role: list[Coverage]
    gaps: int


_ROLES = Statement(
    lambda organisation_id: (
        Person.objects.filter(organisation=organisation_id)
        .order_by()
        .values_list("pk", "role_level")
    ),
    int,
)


def literacy_summary(tenant: Tenant) -> LiteracySummary:
    people = _ROLES.rows(tenant.organisation.pk)
    training = _training(tenant)
    gaps = sum(1 for pk, _role in people if training.has_gap(pk))
    return LiteracySummary(len(people), _by_role(people, training), gaps)


def _gap(slug: str, person: Person, trained_for: set[int | None]) -> Gap | None:
    """What the person still lacks: the basics (no training at all) and an instruction for each
    AI system in use; None when nothing is missing."""
    system_url = _system_url(slug)
    missing = tuple(
        SystemLink(s.pk, s.name, system_url(s.pk))
        for s in person.ai_systems.all()
        if s.status != SystemStatus.RETIRED and s.pk not in trained_for
    )
    if not missing and trained_for:
        return None
    url = links.reverse("compliance:person", args=[slug, person.pk])
    named = Named(person.pk, person.name, person.role_level)
    return Gap(named, not trained_for, missing, url, person.get_role_level_display())


@dataclass(frozen=True)
class RecordRow:
    """A training record on the literacy page."""

    date: str  # as the page shows it
    person: str
    person_url: str
    measure: str
    system: str | None  # the AI system it was for; None: general AI basics
    evidence: str
    delete_url: str


@dataclass(frozen=True)
class Records:
    """The latest training records of the organisation, for the literacy page."""

    rows: list[RecordRow]
    key: str  # for the kept table rows: everything they show (``kept.part_key``)


def records(tenant: Tenant) -> Records:
    rows = training_records(tenant)
    return Records(rows, kept.part_key(tenant, "training-records", rows))


RECORDS_SHOWN = 200  # the literacy page shows the latest so many training records
_RECORDS = Statement(
    lambda organisation_id: TrainingRecord.objects.filter(organisation=organisation_id).values_list(
        "pk", "date", "person_id", "person__name", "measure", "ai_system__name", "evidence"
    )[:RECORDS_SHOWN],
    int,
)


def training_records(tenant: Tenant) -> list[RecordRow]:
    """The latest training records of the organisation, for the literacy page."""
    found = _RECORDS.rows(tenant.organisation.pk)
    slug = tenant.organisation.slug
    person_url = links.for_each("compliance:person", slug)
    delete_url = links.for_each("compliance:training_delete", slug)
    shown = _short_dates()
    return [
        RecordRow(shown(day), name, person_url(person), measure, system, evidence, delete_url(pk))
        for pk, day, person, name, measure, system, evidence in found
    ]


@dataclass(frozen=True)
class PersonPage:
    person: Person
    records: list[TrainingRecord]
    gap: Gap | None


def person_page(tenant: Tenant, person: Person) -> PersonPage:
    records = list(person.records.select_related("ai_system"))
    slug = tenant.organisation.slug
    return PersonPage(person, records, _gap(slug, person, {r.ai_system_id for r in records}))


_FACT_FIELDS = tuple(field.attname for field in PrivacyFacts._meta.concrete_fields)
_PRIVACY_FACTS = Statement(
    lambda organisation_id: (
        PrivacyFacts.objects.filter(organisation=organisation_id)
        .order_by("pk")
        .values_list(*_FACT_FIELDS)[:1]
    ),
    int,
)


def privacy_facts(tenant: Tenant) -> PrivacyFacts | None:
    """The organisation's privacy facts as saved, or None before the first save."""
    found = _PRIVACY_FACTS.rows(tenant.organisation.pk)
    return PrivacyFacts.from_db(DEFAULT_DB_ALIAS, _FACT_FIELDS, found[0]) if found else None


class UserOf(NamedTuple):
    """A person using an AI system, as its page names them."""

    pk: int
    name: str
    role: str  # the role level as it reads
    department: str


@dataclass(frozen=True)
class SystemUser:
    person: UserOf
    instructed: bool  # a training for this very system is recorded
    basics: bool  # any training is recorded


class LinkedUseCase(NamedTuple):
    pk: int
    title: str


@dataclass(frozen=True)
class SystemDetail:
    system: AISystem
    result: Result | None
    use_cases: list[LinkedUseCase]
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


# An AI system's page: its users, their training records, its use cases.
_USERS_OF = Statement(
    lambda organisation_id, system_id: (
        Person.objects.filter(organisation=organisation_id, ai_systems=system_id)
        .order_by("name", "pk")
        .values_list("pk", "name", "role_level", "department")
    ),
    int,
    int,
)
_RECORDS_OF_USERS = Statement(
    lambda organisation_id, system_id: (
        TrainingRecord.objects.filter(organisation=organisation_id, person__ai_systems=system_id)
        .order_by()
        .values_list("person_id", "ai_system_id")
    ),
    int,
    int,
)
_USE_CASES_OF = Statement(
    lambda organisation_id, system_id: (
        UseCase.objects.filter(organisation=organisation_id, ai_systems=system_id)
        .order_by("title", "pk")
        .values_list("pk", "title")
    ),
    int,
    int,
)


def system_detail(tenant: Tenant, system: AISystem) -> SystemDetail:
    """The page of an AI system. Its assessment is read with it if the caller selected it
    (``select_related("assessment")``), else here."""
    found: Assessment | None = getattr(system, "assessment", None)
    if found is not None and found.organisation_id != tenant.organisation.pk:
        found = None  # never another organisation's
    organisation_id = tenant.organisation.pk
    people = _USERS_OF.rows(organisation_id, system.pk)
    trained_for: defaultdict[int, set[int | None]] = defaultdict(set)
    for person_id, system_id in _RECORDS_OF_USERS.rows(organisation_id, system.pk):
        trained_for[person_id].add(system_id)
    roles = _names(RoleLevel)
    users = [
        SystemUser(
            UserOf(pk, name, roles.get(role, role), department),
            system.pk in trained_for[pk],
            bool(trained_for[pk]),
        )
        for pk, name, role, department in people
    ]
    use_cases = _USE_CASES_OF.rows(organisation_id, system.pk)
    return SystemDetail(
        system=system,
        result=result(found) if found else None,
        use_cases=[LinkedUseCase(*row) for row in use_cases],
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


_USE_CASE_RESULTS = Statement(
    lambda organisation_id: (
        Assessment.objects.filter(organisation=organisation_id, use_case__isnull=False)
        .order_by("use_case__title", "use_case")
        .values_list("use_case__title", *STORED)
    ),
    int,
)


def dpo(
    tenant: Tenant,
    use_cases: list[Assessed] | None = None,
    saved: PrivacyFacts | None = None,
) -> DpoView:
    """The check. ``use_cases``: those of ``assessed_use_cases`` if the page has them already;
    ``saved``: the organisation's facts if the page has read them already."""
    facts = saved or privacy_facts(tenant) or PrivacyFacts(organisation=tenant.organisation)
    if use_cases is None:
        assessed = _USE_CASE_RESULTS.rows(tenant.organisation.pk)
        found = summaries(Stored._make(row[1:]) for row in assessed)
        titled = [(title, found[row_id]) for title, row_id, *_stored in assessed]
    else:
        titled = [(a.title, a.summary) for a in use_cases if a.summary]
    required = engine.DpiaVerdict.REQUIRED
    dpia = [title for title, summary in titled if summary.verdict is required]
    check = engine.data_protection_officer(
        facts.people_processing,
        bool(dpia),
        facts.commercial_transfer,
        facts.core_monitoring,
        facts.core_special_categories,
    )
    return DpoView(facts, check, dpia)


@dataclass(frozen=True)
class OverviewPage:
    """The compliance overview. ``rows_key`` stands for everything the table's rows show (the
    use cases with their results, the organisation's address, the language, whether the reader
    may start an assessment), so the rendered rows can be kept under it; the rows themselves are
    made only when asked for, i.e. when they are not kept yet."""

    assessed: list[Assessed]
    slug: str
    chaos: dict[str, list[str]]
    literacy: LiteracySummary
    dpo: DpoView
    rows_key: str

    @functools.cached_property
    def use_cases(self) -> list[UseCaseRow]:
        return _use_case_rows(self.slug, self.assessed)

    @property
    def startable(self) -> bool:
        """Some use case has no assessment yet: its row offers to start one."""
        return any(a.summary is None for a in self.assessed)


_CAPABILITIES = Statement(
    lambda organisation_id: (
        AISystem.objects.filter(organisation=organisation_id)
        .order_by("name", "pk")
        .values_list("name", "capability", "status")
    ),
    int,
)


def overview_page(tenant: Tenant) -> OverviewPage:
    assessed = assessed_use_cases(tenant)
    return OverviewPage(
        assessed=assessed,
        slug=tenant.organisation.slug,
        chaos=tool_chaos(_CAPABILITIES.rows(tenant.organisation.pk)),
        literacy=literacy_summary(tenant),
        dpo=dpo(tenant, assessed),
        rows_key=kept.part_key(tenant, "overview-rows", assessed),
    )


@dataclass(frozen=True)
class RegisterPage:
    """The register. ``rows_key`` stands for everything the table's rows show (the AI systems'
    listed values and results, the day that decides which reviews are overdue, the
    organisation's address, the language, whether the reader may start an assessment), so the
    rendered rows can be kept under it; the rows themselves are made only when asked for."""

    listed: list[Listed]
    found: dict[int, Summary]  # the results of the AI systems' assessments, by AI system
    slug: str
    today: datetime.date
    chaos: dict[str, list[str]]
    rows_key: str

    @functools.cached_property
    def systems(self) -> list[Row]:
        return system_rows(self.slug, self.listed, self.found, self.today)

    @property
    def startable(self) -> bool:
        """Some AI system has no assessment yet: its row offers to start one."""
        return any(s.pk not in self.found for s in self.listed)


_LISTED = Statement(
    lambda organisation_id: (
        AISystem.objects.filter(organisation=organisation_id)
        .order_by("name", "pk")
        .values_list(*Listed._fields)
    ),
    int,
)


def register_page(tenant: Tenant) -> RegisterPage:
    systems = [Listed._make(s) for s in _LISTED.rows(tenant.organisation.pk)]
    found, today = _system_summaries(tenant), timezone.localdate()
    shown = [(s, found.get(s.pk)) for s in systems]
    return RegisterPage(
        listed=systems,
        found=found,
        slug=tenant.organisation.slug,
        today=today,
        chaos=tool_chaos((s.name, s.capability, s.status) for s in systems),
        rows_key=kept.part_key(tenant, "register-rows", today, shown),
    )


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
