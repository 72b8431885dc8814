"""Compliance rule engine (pure Python): EU AI Act classification with a why-trail, obligations
with their dates, GDPR/DPIA screening, and the data-protection-officer check.

The questionnaire and the rules are data (``content/<version>/``); this module only evaluates
them. Conditions are three-valued: a "weiß nicht" answer, or a visible question not yet
answered, makes a condition *open* unless the other parts already decide it. A question whose
``ask_if`` does not hold is hidden, and its stored answer does not count (it reads as "no");
one whose ``ask_if`` is open (its gate answered "weiß nicht") is hidden too, but reads as open:
an unknown gate never decides a class.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum

from startklar.core.text import Text

YES, NO, UNKNOWN = "yes", "no", "unknown"

# Raise it when a change of this module gives other results for the same rule base and answers:
# results stored with an older revision are then worked out afresh where they are read.
# 2: "unknown" listed in an ``in:`` matches the answer "unknown"; 3: a question hidden because
# its gate is answered "weiß nicht" is open, not "no"; 4: a prohibited result has the one
# label "verboten" and lists only the duties marked ``with_prohibited``; the DPIA verdict counts
# the EDPB criteria (one criterion: document the threshold assessment); the results say which
# answers met each criterion.
REVISION = 4


class RiskLabel(StrEnum):
    """A result of the AI Act classification. The first three are the rule base's risk classes
    (their ids); the others name what the answers leave: nothing applies, a contradiction, or
    an open question. The values are stored with each assessment."""

    PROHIBITED = "verboten"
    HIGH_RISK = "hochrisiko"
    TRANSPARENCY = "transparenz"
    MINIMAL = "minimal"
    CONTRADICTION = "widerspruch"
    UNCLEAR = "unklar"


RISK_CLASSES = frozenset({RiskLabel.PROHIBITED, RiskLabel.HIGH_RISK, RiskLabel.TRANSPARENCY})


class DpiaVerdict(StrEnum):
    """The GDPR screening's answer to "is a data protection impact assessment needed?"."""

    REQUIRED = "erforderlich"  # an item of the DSK list (or Art. 35 (3) GDPR) applies
    PROBABLY_REQUIRED = "wahrscheinlich_erforderlich"  # two or more EDPB criteria
    THRESHOLD = "schwellwertanalyse"  # one criterion: document why no DPIA is needed
    NOT_REQUIRED = "nicht_erforderlich"
    UNCLEAR = "unklar"

    @property
    def needs_dpia(self) -> bool:
        """Required or probably required: plan a DPIA."""
        return self in (DpiaVerdict.REQUIRED, DpiaVerdict.PROBABLY_REQUIRED)


class DpoReason(StrEnum):
    """Why a data protection officer is mandatory (§ 38 BDSG, Art. 37 GDPR)."""

    TWENTY_PERSONS = "bdsg_20_persons"
    DPIA = "dpia"
    COMMERCIAL_TRANSFER = "commercial_transfer"
    CORE_MONITORING = "core_monitoring"
    CORE_SPECIAL = "core_special"


class QuestionType(StrEnum):
    YES_NO = "yesno"
    CHOICE = "choice"


class Tri(Enum):
    TRUE = "true"
    FALSE = "false"
    OPEN = "open"


# Conditions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    """An answer that played a part in a decision."""

    question: str
    answer: str


@dataclass(frozen=True)
class Outcome:
    value: Tri
    leaves: tuple[Leaf, ...]  # the answers that decided it (or left it open)


@dataclass(frozen=True)
class Is:
    question: str
    values: frozenset[str]


@dataclass(frozen=True)
class All:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Any_:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    part: Condition


@dataclass(frozen=True)
class Ref:
    name: str  # a named definition


@dataclass(frozen=True)
class InClass:
    class_id: str


@dataclass(frozen=True)
class InGroup:
    group: str


Condition = Is | All | Any_ | Not | Ref | InClass | InGroup


@dataclass
class Context:
    answers: Mapping[str, str]  # visible answers only
    visible: frozenset[str]
    definitions: Mapping[str, Condition]
    classes: Mapping[str, Tri] = field(default_factory=dict)
    groups: Mapping[str, Tri] = field(default_factory=dict)
    # Hidden because whether to ask them depends on a "weiß nicht" (or missing) answer: what
    # they would have been answered is open, not "no".
    undecided: frozenset[str] = frozenset()


def evaluate(condition: Condition, ctx: Context) -> Outcome:
    if isinstance(condition, Is):
        if condition.question not in ctx.visible:
            if condition.question in ctx.undecided:
                return Outcome(Tri.OPEN, (Leaf(condition.question, UNKNOWN),))
            return Outcome(Tri.FALSE, ())
        answer = ctx.answers.get(condition.question)
        if answer == UNKNOWN and UNKNOWN in condition.values:
            # "yes or unknown" (the GDPR follow-ups): "weiß nicht" is one of the answers meant
            return Outcome(Tri.TRUE, (Leaf(condition.question, UNKNOWN),))
        if answer is None or answer == UNKNOWN:
            return Outcome(Tri.OPEN, (Leaf(condition.question, answer or UNKNOWN),))
        value = Tri.TRUE if answer in condition.values else Tri.FALSE
        return Outcome(value, (Leaf(condition.question, answer),))
    if isinstance(condition, All):
        outcomes = [evaluate(p, ctx) for p in condition.parts]
        false = [o for o in outcomes if o.value is Tri.FALSE]
        if false:
            return Outcome(Tri.FALSE, false[0].leaves)
        if any(o.value is Tri.OPEN for o in outcomes):
            return Outcome(Tri.OPEN, _leaves(o for o in outcomes if o.value is Tri.OPEN))
        return Outcome(Tri.TRUE, _leaves(outcomes))
    if isinstance(condition, Any_):
        outcomes = [evaluate(p, ctx) for p in condition.parts]
        true = [o for o in outcomes if o.value is Tri.TRUE]
        if true:
            return Outcome(Tri.TRUE, _leaves(true))
        if any(o.value is Tri.OPEN for o in outcomes):
            return Outcome(Tri.OPEN, _leaves(o for o in outcomes if o.value is Tri.OPEN))
        return Outcome(Tri.FALSE, _leaves(outcomes))
    if isinstance(condition, Not):
        inner = evaluate(condition.part, ctx)
        flipped = {Tri.TRUE: Tri.FALSE, Tri.FALSE: Tri.TRUE, Tri.OPEN: Tri.OPEN}
        return Outcome(flipped[inner.value], inner.leaves)
    if isinstance(condition, Ref):
        return evaluate(ctx.definitions[condition.name], ctx)
    if isinstance(condition, InClass):
        return Outcome(ctx.classes.get(condition.class_id, Tri.FALSE), ())
    return Outcome(ctx.groups.get(condition.group, Tri.FALSE), ())


def _leaves(outcomes: Iterable[Outcome]) -> tuple[Leaf, ...]:
    found: dict[Leaf, None] = {}
    for outcome in outcomes:
        found.update(dict.fromkeys(outcome.leaves))
    return tuple(found)


# The rule base ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    id: str
    label: Text
    help: Text | None = None


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    type: QuestionType
    text: Text
    help: Text
    examples: Text | None
    article: str
    options: tuple[Option, ...] = ()
    ask_if: Condition | None = None

    @property
    def allowed(self) -> frozenset[str]:
        if self.type is QuestionType.YES_NO:
            return frozenset({YES, NO, UNKNOWN})
        return frozenset({o.id for o in self.options} | {UNKNOWN})


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    intro: Text


@dataclass(frozen=True)
class Rule:
    id: str
    group: str
    when: Condition
    route: Text
    article: str


@dataclass(frozen=True)
class RiskClass:
    id: RiskLabel  # one of RISK_CLASSES
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Deadline:
    id: str
    date: datetime.date
    label: Text


@dataclass(frozen=True)
class Obligation:
    id: str
    when: Condition
    title: Text
    text: Text
    article: str
    effective: str  # a deadline id
    # Also listed when the system is prohibited; every other duty (high-risk, transparency)
    # is beside the point then: what counts is what to stop and by when.
    with_prohibited: bool = False


@dataclass(frozen=True)
class Contradiction:
    id: str
    when: Condition
    message: Text


@dataclass(frozen=True)
class Criterion:
    """A GDPR/EDPB criterion or an item of the German DSK list."""

    id: str
    when: Condition
    label: Text


@dataclass(frozen=True)
class RuleSet:
    version: str
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    definitions: Mapping[str, Condition]
    classes: tuple[RiskClass, ...]
    deadlines: Mapping[str, Deadline]
    obligations: tuple[Obligation, ...]
    contradictions: tuple[Contradiction, ...]
    edpb_criteria: tuple[Criterion, ...]
    dsk_items: tuple[Criterion, ...]

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)


# Classification -----------------------------------------------------------------------------


def visible_answers(
    rules: RuleSet, answers: Mapping[str, str]
) -> tuple[dict[str, str], frozenset[str]]:
    """Answers of the questions that are shown, in order; hidden answers are dropped."""
    kept, visible, _undecided = _shown(rules, answers)
    return kept, visible


def _shown(
    rules: RuleSet, answers: Mapping[str, str]
) -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """The shown questions' answers, the shown questions, and the questions hidden only because
    whether to ask them depends on an open answer (their conditions stay open, never "no")."""
    kept: dict[str, str] = {}
    visible: set[str] = set()
    undecided: set[str] = set()
    for question in rules.questions:
        if question.ask_if is not None:
            ctx = Context(
                kept, frozenset(visible), rules.definitions, undecided=frozenset(undecided)
            )
            shown = evaluate(question.ask_if, ctx).value
            if shown is not Tri.TRUE:
                if shown is Tri.OPEN:
                    undecided.add(question.id)
                continue
        visible.add(question.id)
        if question.id in answers:
            kept[question.id] = answers[question.id]
    return kept, frozenset(visible), frozenset(undecided)


def next_question(rules: RuleSet, answers: Mapping[str, str]) -> Question | None:
    """The first shown question without an answer: the questionnaire asks one at a time."""
    kept, visible = visible_answers(rules, answers)
    return next((q for q in rules.questions if q.id in visible and q.id not in kept), None)


def validate(rules: RuleSet, answers: Mapping[str, object]) -> dict[str, str]:
    clean = {}
    for question_id, answer in answers.items():
        try:
            question = rules.question(question_id)
        except StopIteration:
            raise ValueError(f"unknown question '{question_id}'") from None
        value = "unknown" if answer is None else str(answer).lower()
        if value in {"true", "ja"}:
            value = YES
        if value in {"false", "nein"}:
            value = NO
        if value not in question.allowed:
            allowed = ", ".join(sorted(question.allowed))
            raise ValueError(f"answer to '{question_id}' must be one of {allowed}, not '{answer}'")
        clean[question_id] = value
    return clean


@dataclass(frozen=True)
class Fired:
    rule: Rule
    value: Tri  # TRUE: applies; OPEN: could apply, answers missing
    leaves: tuple[Leaf, ...]

    @property
    def open(self) -> bool:
        return self.value is Tri.OPEN


@dataclass(frozen=True)
class ClassResult:
    risk_class: RiskClass
    value: Tri
    fired: tuple[Fired, ...]  # rules that apply (or are open)
    ruled_out_by: tuple[Leaf, ...]  # when it does not apply: the answers that ruled it out

    @property
    def ruled_out(self) -> bool:
        return self.value is Tri.FALSE


@dataclass(frozen=True)
class Duty:
    obligation: Obligation
    deadline: Deadline

    def in_force(self, today: datetime.date) -> bool:
        return self.deadline.date <= today


@dataclass(frozen=True)
class Classification:
    version: str
    labels: tuple[RiskLabel, ...]  # e.g. (HIGH_RISK, TRANSPARENCY), (MINIMAL,) or (UNCLEAR,)
    classes: tuple[ClassResult, ...]
    duties: tuple[Duty, ...]
    contradictions: tuple[Contradiction, ...]
    open_questions: tuple[str, ...]  # shown questions without an answer or with "weiß nicht"
    answers: Mapping[str, str]  # the visible answers that count
    # Questions not asked because whether to ask them depends on an open answer.
    undecided: frozenset[str] = frozenset()
    # Per contradiction id: the answers that contradict each other (for the person to resolve).
    conflicting: Mapping[str, tuple[Leaf, ...]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.open_questions and not self.contradictions


def classify(rules: RuleSet, answers: Mapping[str, str]) -> Classification:
    kept, visible, undecided = _shown(rules, answers)
    ctx = Context(kept, visible, rules.definitions, undecided=undecided)
    conflicting: dict[str, tuple[Leaf, ...]] = {}
    for contradiction in rules.contradictions:
        found = evaluate(contradiction.when, ctx)
        if found.value is Tri.TRUE:
            conflicting[contradiction.id] = found.leaves
    contradictions = tuple(c for c in rules.contradictions if c.id in conflicting)
    results = []
    class_values: dict[str, Tri] = {}
    group_values: dict[str, Tri] = {}
    for risk_class in rules.classes:
        fired: list[Fired] = []
        negatives: list[Leaf] = []
        for rule in risk_class.rules:
            outcome = evaluate(rule.when, ctx)
            if outcome.value is Tri.FALSE:
                negatives.extend(outcome.leaves)
            else:
                fired.append(Fired(rule, outcome.value, outcome.leaves))
            previous = group_values.get(rule.group, Tri.FALSE)
            group_values[rule.group] = _or(previous, outcome.value)
        value = (
            Tri.TRUE
            if any(f.value is Tri.TRUE for f in fired)
            else Tri.OPEN
            if fired
            else Tri.FALSE
        )
        class_values[risk_class.id] = value
        ruled_out = tuple(dict.fromkeys(negatives)) if value is Tri.FALSE else ()
        results.append(ClassResult(risk_class, value, tuple(fired), ruled_out))
    ctx.classes, ctx.groups = class_values, group_values
    open_questions = tuple(
        q
        for q in (q.id for q in rules.questions)
        if q in visible and kept.get(q, UNKNOWN) == UNKNOWN
    )
    if contradictions:
        labels: tuple[RiskLabel, ...] = (RiskLabel.CONTRADICTION,)
    else:
        applying = tuple(r.risk_class.id for r in results if r.value is Tri.TRUE)
        any_open = any(r.value is Tri.OPEN for r in results)
        labels = applying or ((RiskLabel.UNCLEAR,) if any_open else (RiskLabel.MINIMAL,))
        if RiskLabel.PROHIBITED in applying:
            # nothing else matters until the prohibited practice stops
            labels = (RiskLabel.PROHIBITED,)
        elif applying and any_open:
            labels = (*applying, RiskLabel.UNCLEAR)
    duties: tuple[Duty, ...] = ()
    if not contradictions:
        # (a rule base that marks no duty ``with_prohibited`` – before 2026.3 – lists them all)
        prohibited = class_values.get(RiskLabel.PROHIBITED) is Tri.TRUE and any(
            o.with_prohibited for o in rules.obligations
        )
        duties = tuple(
            Duty(o, rules.deadlines[o.effective])
            for o in rules.obligations
            if (o.with_prohibited or not prohibited) and evaluate(o.when, ctx).value is Tri.TRUE
        )
    return Classification(
        version=rules.version,
        labels=labels,
        classes=tuple(results),
        duties=duties,
        contradictions=contradictions,
        open_questions=open_questions,
        answers=kept,
        undecided=undecided,
        conflicting=conflicting,
    )


def _or(a: Tri, b: Tri) -> Tri:
    if Tri.TRUE in (a, b):
        return Tri.TRUE
    if Tri.OPEN in (a, b):
        return Tri.OPEN
    return Tri.FALSE


# GDPR ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GdprResult:
    verdict: DpiaVerdict
    criteria: tuple[Criterion, ...]  # EDPB criteria met (innovative technology counts for AI)
    dsk_items: tuple[Criterion, ...]  # items of the German DSK list matched
    automated_decision: (
        bool  # Art. 22 applies: human intervention and the right to contest are owed
    )
    works_council: bool  # § 87 (1) no. 6 BetrVG: co-determination needed
    # Per criterion or item id: the answers that met it.
    why: Mapping[str, tuple[Leaf, ...]] = field(default_factory=dict)


def screen_gdpr(rules: RuleSet, answers: Mapping[str, str]) -> GdprResult:
    """The DPIA screening as the EDPB counts it: an item of the DSK list makes a DPIA
    required; two or more EDPB criteria make it likely required; one criterion alone (such as
    AI as an innovative technology) calls for a documented threshold assessment."""
    kept, visible, undecided = _shown(rules, answers)
    ctx = Context(kept, visible, rules.definitions, undecided=undecided)
    works_council = kept.get("monitors_employees") == YES
    personal = kept.get("personal_data", UNKNOWN)
    if personal == NO:
        return GdprResult(DpiaVerdict.NOT_REQUIRED, (), (), False, works_council)
    why: dict[str, tuple[Leaf, ...]] = {}

    def met(found: tuple[Criterion, ...]) -> tuple[Criterion, ...]:
        chosen = []
        for criterion in found:
            outcome = evaluate(criterion.when, ctx)
            if outcome.value is Tri.TRUE:
                chosen.append(criterion)
                why[criterion.id] = outcome.leaves
        return tuple(chosen)

    criteria = met(rules.edpb_criteria)
    dsk = met(rules.dsk_items)
    automated = kept.get("automated_decision") == YES
    if personal == UNKNOWN:
        verdict = DpiaVerdict.UNCLEAR
    elif dsk:
        verdict = DpiaVerdict.REQUIRED
    elif len(criteria) >= 2:
        verdict = DpiaVerdict.PROBABLY_REQUIRED
    elif criteria:
        verdict = DpiaVerdict.THRESHOLD
    else:
        verdict = DpiaVerdict.NOT_REQUIRED
    return GdprResult(verdict, criteria, dsk, automated, works_council, why)


@dataclass(frozen=True)
class DpoCheck:
    required: bool
    reasons: tuple[DpoReason, ...]


def data_protection_officer(
    people_processing: int,
    dpia_required: bool,
    commercial_transfer: bool,
    core_monitoring: bool,
    core_special_categories: bool,
) -> DpoCheck:
    """§ 38 BDSG and Art. 37 GDPR: is a data protection officer mandatory?"""
    if people_processing < 0:
        raise ValueError("the number of people must not be negative")
    reasons = [
        reason
        for reason, applies in (
            (DpoReason.TWENTY_PERSONS, people_processing >= 20),
            (DpoReason.DPIA, dpia_required),
            (DpoReason.COMMERCIAL_TRANSFER, commercial_transfer),
            (DpoReason.CORE_MONITORING, core_monitoring),
            (DpoReason.CORE_SPECIAL, core_special_categories),
        )
        if applies
    ]
    return DpoCheck(bool(reasons), tuple(reasons))
