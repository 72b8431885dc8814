"""Reifegrad-Check: scores, stage, hurdles and first steps (pure Python, no Django).

Answers are levels 1–5 per question; ``None`` means "weiß nicht" and counts like a missing
answer: it never lowers a score and never triggers a hurdle. A dimension's score is the mean
of its known answers mapped to 0–100 ((level − 1) / 4 × 100). The overall score is the mean of
the dimension scores that have answers; a stage is only named when at least half of all
questions have a known answer, so a barely started check never shows a maturity.

Hurdles are ranked by severity (an ``urgent`` hurdle – an ongoing breach – first within its
severity), then by how strongly the answers support them (a finding's
``strength``, 0–1): an answer at the weak end of the scale supports a hurdle more than one just
inside its limit, a condition of several parts holds only as strongly as its weakest part, and of
several alternatives the strongest counts – so a hurdle reached along many alternatives ranks no
higher than along the strongest of them (banks before 2026.2 counted the evidence instead, and
keep doing so, so that their rounds keep their results). A hurdle may be raised to high
severity by a further condition (``high_when``: e.g. when the chosen use cases depend on it),
and an action may hold only for some answers (``when``/``unless``: talking to the data
protection officer presupposes there is one), so hurdles and first steps fit the answers.
Questions that describe the company's situation rather than its maturity (``scored: false``)
count for the rules but not for the scores.

Several respondents are combined per question by the median of their known answers; per
dimension the result shows the median and the spread of the respondents' scores, and
perception gaps flag questions where two perspectives lie two or more levels apart.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TypedDict

from startklar.core.text import Text

MIN_LEVEL, MAX_LEVEL = 1, 5
MIN_COVERAGE_FOR_STAGE = 0.5
GAP_LEVELS = 2.0
FIRST_STEPS = 3

Answers = Mapping[str, float | None]


class Area(StrEnum):
    """Where a hurdle lies (the values are the question bank's ids)."""

    TECHNOLOGY = "technologie"
    ORGANISATION = "organisation"
    PEOPLE = "mensch"
    GAP = "luecke"
    STRUCTURE = "struktur"


class Severity(StrEnum):
    HIGH = "hoch"
    MEDIUM = "mittel"
    LOW = "niedrig"

    @property
    def weight(self) -> int:
        return SEVERITY_WEIGHTS[self]


SEVERITY_WEIGHTS = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1}


@dataclass(frozen=True)
class Question:
    id: str
    dimension_id: str
    text: Text
    why: Text
    levels: tuple[Text, ...]
    scored: bool = True  # False: describes the situation (e.g. a works council), no score


@dataclass(frozen=True)
class Dimension:
    id: str
    name: Text
    description: Text
    questions: tuple[Question, ...]

    @property
    def scored(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.scored)


@dataclass(frozen=True)
class Stage:
    id: str
    min: float
    name: Text
    description: Text


@dataclass(frozen=True)
class Perspective:
    id: str
    name: Text


# Conditions -------------------------------------------------------------------------------


class EvidenceKind(StrEnum):
    AT_MOST = "at_most"  # an answer at or below a level
    AT_LEAST = "at_least"  # an answer at or above a level
    SCORE_BELOW = "score_below"  # a dimension's score below a limit


@dataclass(frozen=True)
class Evidence:
    """One fact that made a hurdle fire: an answer or a dimension score and the rule's limit."""

    kind: EvidenceKind
    subject: str  # question id, or dimension id for SCORE_BELOW
    value: float
    limit: float

    @property
    def about_dimension(self) -> bool:
        return self.kind is EvidenceKind.SCORE_BELOW

    @property
    def strength(self) -> float:
        """How strongly this fact supports a hurdle, in (0, 1]: an answer of level 1 under a
        limit of 2 fully, an answer at the limit least; a score far below its limit more than
        one just below it. A minimum level (``at_least``) is a precondition: it holds or not."""
        if self.kind is EvidenceKind.AT_MOST:
            return (self.limit - self.value + 1) / (self.limit - MIN_LEVEL + 1)
        if self.kind is EvidenceKind.SCORE_BELOW:
            return (self.limit - self.value) / self.limit
        return 1.0


@dataclass(frozen=True)
class Match:
    """A condition that holds: the facts that make it hold and how strongly they support it."""

    evidence: tuple[Evidence, ...]
    strength: float


ScoreMap = Mapping[str, float | None]


def _single(evidence: Evidence) -> Match:
    return Match((evidence,), evidence.strength)


@dataclass(frozen=True)
class QuestionAtMost:
    question: str
    level: int

    def match(self, answers: Answers, scores: ScoreMap) -> Match | None:
        value = answers.get(self.question)
        if value is None or value > self.level:
            return None
        return _single(Evidence(EvidenceKind.AT_MOST, self.question, value, self.level))


@dataclass(frozen=True)
class QuestionAtLeast:
    question: str
    level: int

    def match(self, answers: Answers, scores: ScoreMap) -> Match | None:
        value = answers.get(self.question)
        if value is None or value < self.level:
            return None
        return _single(Evidence(EvidenceKind.AT_LEAST, self.question, value, self.level))


@dataclass(frozen=True)
class DimensionBelow:
    dimension: str
    score: float

    def match(self, answers: Answers, scores: ScoreMap) -> Match | None:
        value = scores.get(self.dimension)
        if value is None or value >= self.score:
            return None
        return _single(Evidence(EvidenceKind.SCORE_BELOW, self.dimension, value, self.score))


@dataclass(frozen=True)
class AllOf:
    """Holds when every part holds, as strongly as its weakest part."""

    conditions: tuple[Condition, ...]

    def match(self, answers: Answers, scores: ScoreMap) -> Match | None:
        parts = []
        for condition in self.conditions:
            part = condition.match(answers, scores)
            if part is None:
                return None
            parts.append(part)
        return Match(tuple(e for p in parts for e in p.evidence), min(p.strength for p in parts))


@dataclass(frozen=True)
class AnyOf:
    """Holds when any part holds, as strongly as its strongest part; the evidence of every part
    that holds is kept (it is shown), but more parts never make the match stronger."""

    conditions: tuple[Condition, ...]

    def match(self, answers: Answers, scores: ScoreMap) -> Match | None:
        parts = [m for c in self.conditions if (m := c.match(answers, scores)) is not None]
        if not parts:
            return None
        return Match(tuple(e for p in parts for e in p.evidence), max(p.strength for p in parts))


Condition = QuestionAtMost | QuestionAtLeast | DimensionBelow | AllOf | AnyOf


@dataclass(frozen=True)
class Action:
    """What helps against a hurdle. ``when``: offered only if it holds; ``unless``: not offered
    if it holds (a "weiß nicht" answer makes neither hold, so ``unless`` is the choice for an
    action that presupposes something, e.g. a data protection officer)."""

    what: Text
    who: Text
    first_step: Text
    when: Condition | None = None
    unless: Condition | None = None
    # In a small company (no department heads, IT from a service provider): who does it and
    # how it starts there, where that differs.
    who_small: Text | None = None
    first_step_small: Text | None = None

    def sized(self, small: bool) -> Action:
        """The action as a company of this size reads it."""
        if not small:
            return self
        return replace(
            self,
            who=self.who_small or self.who,
            first_step=self.first_step_small or self.first_step,
        )

    def fits(self, answers: Answers, scores: ScoreMap) -> bool:
        if self.when is not None and self.when.match(answers, scores) is None:
            return False
        return self.unless is None or self.unless.match(answers, scores) is None


@dataclass(frozen=True)
class Hurdle:
    id: str
    area: Area
    severity: Severity
    title: Text
    explanation: Text
    when: Condition
    actions: tuple[Action, ...]
    high_when: Condition | None = None  # raises the severity to high (its facts are shown)
    # An ongoing breach (e.g. company data in private AI accounts): before every other hurdle
    # of its severity, so that stopping it is the first step.
    urgent: bool = False


class Ranking(StrEnum):
    """How a bank's hurdles are ordered within a severity."""

    STRENGTH = "strength"  # by how strongly the answers support them (from 2026.2)
    EVIDENCE_COUNT = "evidence_count"  # by the number of facts (2026.1, kept for its rounds)


@dataclass(frozen=True)
class Bank:
    version: str
    stages: tuple[Stage, ...]
    perspectives: tuple[Perspective, ...]
    dimensions: tuple[Dimension, ...]
    hurdles: tuple[Hurdle, ...]
    ranking: Ranking = Ranking.STRENGTH
    # Below this headcount a company counts as small: actions name the roles it has.
    small_below: int | None = None
    questions: Mapping[str, Question] = field(init=False, repr=False, compare=False)

    def small(self, headcount: int | None) -> bool:
        """Whether a company of ``headcount`` staff is small for this bank's actions."""
        return (
            headcount is not None
            and self.small_below is not None
            and (headcount < self.small_below)
        )

    def __post_init__(self) -> None:
        questions = {q.id: q for d in self.dimensions for q in d.questions}
        object.__setattr__(self, "questions", questions)


# Results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    score: float | None  # None: no known answer
    known: int
    unknown: int  # answered "weiß nicht"
    total: int

    @property
    def coverage(self) -> float:
        return self.known / self.total if self.total else 0.0


@dataclass(frozen=True)
class Finding:
    """A hurdle that holds: its facts, how strongly they support it (0–1), its severity for
    these answers and the actions that fit them, in the bank's order."""

    hurdle: Hurdle
    evidence: tuple[Evidence, ...]
    strength: float
    severity: Severity
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class FirstStep:
    hurdle: Hurdle
    action: Action


@dataclass(frozen=True)
class Scores:
    """An assessment in numbers: per dimension, overall and stage (what a trend compares)."""

    dimensions: tuple[DimensionScore, ...]
    overall: float | None
    stage: Stage | None
    coverage: float

    @property
    def rated(self) -> bool:
        """False: "noch nicht bewertet" – no score, no stage, no hurdle is shown."""
        return self.overall is not None


@dataclass(frozen=True)
class Assessment:
    dimensions: tuple[DimensionScore, ...]
    overall: float | None
    stage: Stage | None
    coverage: float
    findings: tuple[Finding, ...]
    first_steps: tuple[FirstStep, ...]

    @property
    def rated(self) -> bool:
        """False: "noch nicht bewertet" – no score, no stage, no hurdle is shown."""
        return self.overall is not None

    @property
    def scores(self) -> Scores:
        return Scores(self.dimensions, self.overall, self.stage, self.coverage)


def validate_answers(bank: Bank, answers: Mapping[str, object]) -> dict[str, float | None]:
    """Known question ids with levels 1–5 or None; raises ``ValueError`` naming the problem."""
    clean: dict[str, float | None] = {}
    for question_id, value in answers.items():
        if question_id not in bank.questions:
            raise ValueError(f"unknown question '{question_id}'")
        if value is None:
            clean[question_id] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"answer to '{question_id}' must be a level 1–5 or null")
        if not MIN_LEVEL <= value <= MAX_LEVEL:
            raise ValueError(f"answer to '{question_id}' must be between 1 and 5, not {value}")
        clean[question_id] = float(value)
    return clean


def level_score(level: float) -> float:
    return (level - MIN_LEVEL) / (MAX_LEVEL - MIN_LEVEL) * 100


def score_dimension(dimension: Dimension, answers: Answers) -> DimensionScore:
    questions = dimension.scored
    known = [answers[q.id] for q in questions if answers.get(q.id) is not None]
    unknown = sum(1 for q in questions if q.id in answers and answers[q.id] is None)
    score = statistics.fmean(level_score(v) for v in known if v is not None) if known else None
    return DimensionScore(dimension, score, len(known), unknown, len(questions))


def stage_for(bank: Bank, overall: float) -> Stage:
    return [s for s in bank.stages if s.min <= overall][-1]


def assess(bank: Bank, answers: Answers) -> Assessment:
    dimensions = tuple(score_dimension(d, answers) for d in bank.dimensions)
    known = sum(d.known for d in dimensions)
    total = sum(d.total for d in dimensions)
    coverage = known / total if total else 0.0
    rated = [d.score for d in dimensions if d.score is not None]
    if not rated:
        return Assessment(dimensions, None, None, coverage, (), ())
    overall = statistics.fmean(rated)
    stage = stage_for(bank, overall) if coverage >= MIN_COVERAGE_FOR_STAGE else None
    findings = find_hurdles(bank, answers, {d.dimension.id: d.score for d in dimensions})
    return Assessment(dimensions, overall, stage, coverage, findings, first_steps(findings))


def find_hurdles(
    bank: Bank, answers: Answers, scores: Mapping[str, float | None]
) -> tuple[Finding, ...]:
    """Hurdles whose condition holds, most important first: severity, then how strongly the
    answers support them (``bank.ranking``), then the bank's order."""
    found = []
    for order, hurdle in enumerate(bank.hurdles):
        match = hurdle.when.match(answers, scores)
        if match is None:
            continue
        evidence = list(match.evidence)
        severity = hurdle.severity
        raised = None if hurdle.high_when is None else hurdle.high_when.match(answers, scores)
        if raised is not None:
            severity = Severity.HIGH
            evidence.extend(raised.evidence)
        actions = tuple(a for a in hurdle.actions if a.fits(answers, scores))
        finding = Finding(hurdle, tuple(_unique(evidence)), match.strength, severity, actions)
        found.append((order, finding))

    def weight(finding: Finding) -> float:
        if bank.ranking is Ranking.EVIDENCE_COUNT:
            return len(finding.evidence)
        return finding.strength

    found.sort(
        key=lambda item: (
            -item[1].severity.weight,
            not item[1].hurdle.urgent,
            -weight(item[1]),
            item[0],
        )
    )
    return tuple(finding for _order, finding in found)


def first_steps(findings: Sequence[Finding], count: int = FIRST_STEPS) -> tuple[FirstStep, ...]:
    """ "Was zuerst?": the first fitting action of the most important hurdles, then their next
    ones. An action the answers make pointless is never among them (``Action.fits``)."""
    steps: list[FirstStep] = []
    depth = 0
    while len(steps) < count and any(depth < len(f.actions) for f in findings):
        for finding in findings:
            if depth < len(finding.actions) and len(steps) < count:
                steps.append(FirstStep(finding.hurdle, finding.actions[depth]))
        depth += 1
    return tuple(steps)


def _unique(evidence: Iterable[Evidence]) -> list[Evidence]:
    return list(dict.fromkeys(evidence))


# Several respondents ----------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    respondent: str
    perspective: str
    answers: Answers


@dataclass(frozen=True)
class Spread:
    dimension: Dimension
    median: float | None
    low: float | None
    high: float | None
    respondents: int


@dataclass(frozen=True)
class PerceptionGap:
    question: Question
    high_perspective: str
    high_level: float
    low_perspective: str
    low_level: float

    @property
    def difference(self) -> float:
        return self.high_level - self.low_level


@dataclass(frozen=True)
class RoundResult:
    combined: Assessment
    spreads: tuple[Spread, ...]
    gaps: tuple[PerceptionGap, ...]
    respondents: int


def combine_answers(bank: Bank, responses: Sequence[Response]) -> dict[str, float | None]:
    """Per question the median of the known answers; None if everyone said "weiß nicht"."""
    combined: dict[str, float | None] = {}
    for question_id in bank.questions:
        given = [r.answers[question_id] for r in responses if question_id in r.answers]
        if not given:
            continue
        known = [v for v in given if v is not None]
        combined[question_id] = statistics.median(known) if known else None
    return combined


def perception_gaps(bank: Bank, responses: Sequence[Response]) -> tuple[PerceptionGap, ...]:
    gaps = []
    for question in bank.questions.values():
        by_perspective: dict[str, list[float]] = {}
        for response in responses:
            value = response.answers.get(question.id)
            if value is not None:
                by_perspective.setdefault(response.perspective, []).append(value)
        if len(by_perspective) < 2:
            continue
        medians = {p: statistics.median(v) for p, v in by_perspective.items()}
        high = max(medians, key=lambda p: (medians[p], p))
        low = min(medians, key=lambda p: (medians[p], p))
        if medians[high] - medians[low] >= GAP_LEVELS:
            gaps.append(PerceptionGap(question, high, medians[high], low, medians[low]))
    gaps.sort(key=lambda g: -g.difference)
    return tuple(gaps)


def assess_round(bank: Bank, responses: Sequence[Response]) -> RoundResult:
    per_respondent = {r.respondent: assess(bank, r.answers) for r in responses}
    spreads = []
    for index, dimension in enumerate(bank.dimensions):
        scores = [
            score
            for a in per_respondent.values()
            if (score := a.dimensions[index].score) is not None
        ]
        spreads.append(
            Spread(
                dimension,
                statistics.median(scores) if scores else None,
                min(scores) if scores else None,
                max(scores) if scores else None,
                len(scores),
            )
        )
    return RoundResult(
        combined=assess(bank, combine_answers(bank, responses)),
        spreads=tuple(spreads),
        gaps=perception_gaps(bank, responses),
        respondents=len(responses),
    )


# Plain data for JSON (CLI and export) -------------------------------------------------------


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def assessment_to_dict(
    assessment: Assessment, language: str, small: bool = False
) -> dict[str, object]:
    return {
        "rated": assessment.rated,
        "overall": _round(assessment.overall),
        "stage": (
            {"id": assessment.stage.id, "name": assessment.stage.name.get(language)}
            if assessment.stage
            else None
        ),
        "coverage": round(assessment.coverage, 3),
        "dimensions": [
            {
                "id": d.dimension.id,
                "name": d.dimension.name.get(language),
                "score": _round(d.score),
                "known": d.known,
                "unknown": d.unknown,
                "total": d.total,
            }
            for d in assessment.dimensions
        ],
        "hurdles": [
            {
                "id": f.hurdle.id,
                "area": f.hurdle.area.value,
                "severity": f.severity.value,
                "title": f.hurdle.title.get(language),
                "explanation": f.hurdle.explanation.get(language),
                "evidence": [
                    {"kind": e.kind.value, "subject": e.subject, "value": e.value, "limit": e.limit}
                    for e in f.evidence
                ],
                "actions": [_action(a.sized(small), language) for a in f.actions],
            }
            for f in assessment.findings
        ],
        "first_steps": [
            {"hurdle": s.hurdle.id, **_action(s.action.sized(small), language)}
            for s in assessment.first_steps
        ],
    }


def _action(action: Action, language: str) -> dict[str, str]:
    return {
        "what": action.what.get(language),
        "who": action.who.get(language),
        "first_step": action.first_step.get(language),
    }


def round_to_dict(result: RoundResult, language: str, small: bool = False) -> dict[str, object]:
    return {
        "respondents": result.respondents,
        "combined": assessment_to_dict(result.combined, language, small),
        "spread": [
            {
                "dimension": s.dimension.id,
                "median": _round(s.median),
                "low": _round(s.low),
                "high": _round(s.high),
                "respondents": s.respondents,
            }
            for s in result.spreads
        ],
        "perception_gaps": [
            {
                "question": g.question.id,
                "text": g.question.text.get(language),
                "high": {"perspective": g.high_perspective, "level": g.high_level},
                "low": {"perspective": g.low_perspective, "level": g.low_level},
            }
            for g in result.gaps
        ],
    }


# Stored results (plain data) -----------------------------------------------------------------
#
# A closed round's result is stored so that pages need not assess it again. The data names the
# bank's stages, hurdles and questions by id and its dimensions and actions by position; read
# back with the same bank, it is equal to the result it was made from (the tests check it).


class ScoresData(TypedDict):
    overall: float | None
    stage: str | None  # the stage's id
    coverage: float
    dimensions: list[tuple[float | None, int, int]]  # score, known, unknown, in the bank's order


class DetailsData(TypedDict):
    respondents: int
    # hurdle id, evidence, strength, severity, indexes of the fitting actions
    findings: list[tuple[str, list[tuple[str, str, float, float]], float, str, list[int]]]
    first_steps: list[tuple[str, int]]  # hurdle id, index of the action
    spreads: list[tuple[float | None, float | None, float | None, int]]  # in the bank's order
    gaps: list[tuple[str, str, float, str, float]]  # question id, high and low perspective


def scores_to_data(scores: Scores) -> ScoresData:
    return {
        "overall": scores.overall,
        "stage": scores.stage.id if scores.stage else None,
        "coverage": scores.coverage,
        "dimensions": [(d.score, d.known, d.unknown) for d in scores.dimensions],
    }


def scores_from_data(bank: Bank, data: ScoresData) -> Scores:
    stages = {s.id: s for s in bank.stages}
    dimensions = tuple(
        DimensionScore(dimension, score, known, unknown, len(dimension.scored))
        for dimension, (score, known, unknown) in zip(
            bank.dimensions, data["dimensions"], strict=True
        )
    )
    stage = None if data["stage"] is None else stages[data["stage"]]
    return Scores(dimensions, data["overall"], stage, data["coverage"])


def details_to_data(result: RoundResult) -> DetailsData:
    """What a round's result holds beyond its scores (``scores_to_data``)."""
    combined = result.combined
    return {
        "respondents": result.respondents,
        "findings": [
            (
                f.hurdle.id,
                [(e.kind.value, e.subject, e.value, e.limit) for e in f.evidence],
                f.strength,
                f.severity.value,
                [f.hurdle.actions.index(a) for a in f.actions],
            )
            for f in combined.findings
        ],
        "first_steps": [
            (s.hurdle.id, s.hurdle.actions.index(s.action)) for s in combined.first_steps
        ],
        "spreads": [(s.median, s.low, s.high, s.respondents) for s in result.spreads],
        "gaps": [
            (g.question.id, g.high_perspective, g.high_level, g.low_perspective, g.low_level)
            for g in result.gaps
        ],
    }


def round_result_from_data(bank: Bank, scores: ScoresData, details: DetailsData) -> RoundResult:
    """The result ``scores_to_data`` and ``details_to_data`` were made from."""
    numbers = scores_from_data(bank, scores)
    hurdles = {h.id: h for h in bank.hurdles}
    findings = tuple(
        Finding(
            hurdles[hurdle],
            tuple(
                Evidence(EvidenceKind(kind), subject, value, limit)
                for kind, subject, value, limit in evidence
            ),
            strength,
            Severity(severity),
            tuple(hurdles[hurdle].actions[i] for i in actions),
        )
        for hurdle, evidence, strength, severity, actions in details["findings"]
    )
    steps = tuple(
        FirstStep(hurdles[hurdle], hurdles[hurdle].actions[index])
        for hurdle, index in details["first_steps"]
    )
    spreads = tuple(
        Spread(dimension, median, low, high, respondents)
        for dimension, (median, low, high, respondents) in zip(
            bank.dimensions, details["spreads"], strict=True
        )
    )
    gaps = tuple(
        PerceptionGap(bank.questions[question], high, high_level, low, low_level)
        for question, high, high_level, low, low_level in details["gaps"]
    )
    combined = Assessment(
        numbers.dimensions, numbers.overall, numbers.stage, numbers.coverage, findings, steps
    )
    return RoundResult(combined, spreads, gaps, details["respondents"])
