"""Whether a file is enough for a use case (pure Python, no Django).

The catalogue names each use case's data prerequisites in words; the content
(``startklar.datacheck.content``, ``rules.yaml``) turns them into rules: a use case's own list
(by catalogue id), or else the list of its technique. :func:`evaluate` checks each rule against
the facts of a file's profile (:class:`ProfileFacts`, which the caller fills from the profile)
and against the answers to the questions a file cannot answer ("≥ 200 sample documents?").

Each :class:`Check` is ``met``, ``not_met`` or ``unclear`` with its evidence (numbers and column
names, never values). Rules by kind (:class:`CheckKind`):

* ``column``: at least ``minimum`` (default 1) columns of one of ``types`` whose header matches
  ``names`` (when given) and that have at least ``min_distinct`` distinct values. Met with
  enough such columns; unclear when there are enough columns of the type whose header does
  not tell, or whose header fits but whose type does not (e.g. quantities stored as text);
  not met otherwise;
* ``history``: months from the first to the last date ≥ ``minimum``;
* ``gaps``: share of missing periods (days, weeks, months) ≤ ``maximum``;
* ``grain``: dates at least as fine as ``grain`` (e.g. daily);
* ``rows``: rows ≥ ``minimum``;
* ``missing``: the worst share of missing values ≤ ``maximum``, over the columns the ``column``
  rules named in ``of`` recognise (all columns that are not empty when ``of`` is empty);
* ``duplicates``: share of duplicate rows ≤ ``maximum``;
* ``asked``: the answer: yes → met, no → not met, unknown or none → unclear.

History, gaps and grain are unclear without date coverage; every file check is unclear when
there is no file (``facts`` is ``None``).

**Score** (0–100): each check counts with its rule's weight, met as 1, unclear as ½ (nobody
knows yet), not met as 0; the score is the weighted mean × 100, rounded. When an essential rule
is not met, the score is at most :data:`ESSENTIAL_CAP` (the data is not enough, however good
the rest). No score (``None``) when every check is unclear or there are no rules: nothing was
checkable.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from startklar.datacheck.engine.personal import Hint

MET = "met"
NOT_MET = "not_met"
UNCLEAR = "unclear"
STATES = (MET, NOT_MET, UNCLEAR)

YES = "yes"
NO = "no"
UNKNOWN = "unknown"
ANSWERS = (YES, NO, UNKNOWN)

# Where a use case's rules came from.
FROM_USE_CASE = "use_case"
FROM_TECHNIQUE = "technique"
FROM_NOTHING = "none"
SOURCES = (FROM_USE_CASE, FROM_TECHNIQUE, FROM_NOTHING)

# How fine dates are, finest first (the profile's date coverage names its grain).
GRAINS = ("minute", "hour", "day", "week", "month", "quarter", "year")

VALUES = {MET: 1.0, UNCLEAR: 0.5, NOT_MET: 0.0}
ESSENTIAL_CAP = 40  # the highest score while an essential rule is not met
DAYS_PER_MONTH = 365.25 / 12

EvidenceValue = int | float | str | tuple[str, ...] | None


class CheckKind(StrEnum):
    COLUMN = "column"
    HISTORY = "history"
    GAPS = "gaps"
    GRAIN = "grain"
    ROWS = "rows"
    MISSING = "missing"
    DUPLICATES = "duplicates"
    ASKED = "asked"


# The facts of a profile ----------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnFacts:
    name: str
    inferred: str  # the profile's type: number, date, datetime, boolean, text, identifier, empty
    missing: int  # values missing, placeholders ("k.A.", "-") included
    distinct: int  # distinct values present


@dataclass(frozen=True)
class CoverageFacts:
    """The date coverage of the file's main date column."""

    column: str
    months: float  # from the first to the last date (:func:`months_between`)
    grain: str  # one of GRAINS
    missing_periods: int
    expected_periods: int


@dataclass(frozen=True)
class ProfileFacts:
    """What the rules need to know of a profile (the caller maps its profile to this)."""

    rows: int
    columns: tuple[ColumnFacts, ...]
    duplicate_rows: int = 0
    coverage: CoverageFacts | None = None


def months_between(first: datetime.date, last: datetime.date) -> float:
    """Months from ``first`` to ``last`` in months of 30.44 days (a year's twelfth), rounded to
    a tenth: what :attr:`CoverageFacts.months` holds."""
    return round((last - first).days / DAYS_PER_MONTH, 1)


# Rules -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    key: str
    check: CheckKind
    types: tuple[str, ...] = ()  # column, missing: the profile types that count
    names: Hint | None = None  # column, missing: the headers that count
    minimum: float | None = None  # column: columns; history: months; rows: rows
    maximum: float | None = None  # gaps, missing, duplicates: the highest share allowed
    min_distinct: int = 1  # column: distinct values a column needs
    grain: str | None = None  # grain: the coarsest grain allowed
    of: tuple[str, ...] = ()  # missing: the column rules whose columns count
    weight: float = 1.0
    essential: bool = False


@dataclass(frozen=True)
class RuleSet:
    rules: Mapping[str, Rule]
    techniques: Mapping[str, tuple[str, ...]]  # technique → rule keys
    use_cases: Mapping[str, tuple[str, ...]]  # catalogue id → rule keys

    def for_use_case(
        self, catalogue_id: str | None, technique: str | None
    ) -> tuple[str, tuple[str, ...]]:
        """Where a use case's rules come from (one of SOURCES) and their keys: its own list,
        else its technique's, else none."""
        if catalogue_id is not None and catalogue_id in self.use_cases:
            return FROM_USE_CASE, self.use_cases[catalogue_id]
        if technique is not None and technique in self.techniques:
            return FROM_TECHNIQUE, self.techniques[technique]
        return FROM_NOTHING, ()


# Results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    key: str  # the rule's key
    state: str  # one of STATES
    evidence: Mapping[str, EvidenceValue] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        evidence = {k: list(v) if isinstance(v, tuple) else v for k, v in self.evidence.items()}
        return {"key": self.key, "state": self.state, "evidence": evidence}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Check:
        key, state, evidence = data.get("key"), data.get("state"), data.get("evidence")
        if not isinstance(key, str) or state not in STATES or not isinstance(evidence, dict):
            raise ValueError(f"not a check: {data!r}")
        return cls(key, str(state), {str(k): _evidence(v) for k, v in evidence.items()})


def _evidence(value: object) -> EvidenceValue:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(str(v) for v in value)
    if value is None or (isinstance(value, int | float | str) and not isinstance(value, bool)):
        return value
    raise ValueError(f"not evidence: {value!r}")


@dataclass(frozen=True)
class Fitness:
    use_case: str | None  # the catalogue id
    source: str  # one of SOURCES: whose rules were checked
    checks: tuple[Check, ...]
    score: int | None  # 0–100; None when nothing was checkable

    def to_dict(self) -> dict[str, object]:
        return {
            "use_case": self.use_case,
            "source": self.source,
            "checks": [c.to_dict() for c in self.checks],
            "score": self.score,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Fitness:
        use_case, source = data.get("use_case"), data.get("source")
        checks, score = data.get("checks"), data.get("score")
        if (
            not (use_case is None or isinstance(use_case, str))
            or source not in SOURCES
            or not isinstance(checks, list)
            or not (score is None or (isinstance(score, int) and not isinstance(score, bool)))
        ):
            raise ValueError(f"not a fitness: {data!r}")
        parsed = tuple(Check.from_dict(c) for c in checks if isinstance(c, dict))
        if len(parsed) != len(checks):
            raise ValueError("every check must be a mapping")
        return cls(use_case, str(source), parsed, score)


# Evaluation --------------------------------------------------------------------------------


def evaluate(
    rules: RuleSet,
    catalogue_id: str | None,
    technique: str | None,
    facts: ProfileFacts | None,
    answers: Mapping[str, str] | None = None,
) -> Fitness:
    """The checks of a use case's rules and their score. ``answers`` maps the keys of asked
    rules to one of ANSWERS (another value is a ``ValueError``)."""
    given = dict(answers or {})
    wrong = sorted(k for k, v in given.items() if v not in ANSWERS)
    if wrong:
        raise ValueError(f"answers must be one of {', '.join(ANSWERS)}: {', '.join(wrong)}")
    source, keys = rules.for_use_case(catalogue_id, technique)
    chosen = [rules.rules[k] for k in keys]
    checks = tuple(_check(rule, facts, given, rules) for rule in chosen)
    return Fitness(catalogue_id, source, checks, score(chosen, checks))


def score(rules: Sequence[Rule], checks: Sequence[Check]) -> int | None:
    """The score of ``checks`` of ``rules`` (in the same order), as the module says."""
    if all(c.state == UNCLEAR for c in checks):
        return None
    weight = sum(r.weight for r in rules)
    value = sum(r.weight * VALUES[c.state] for r, c in zip(rules, checks, strict=True))
    result = round(100 * value / weight)
    if any(r.essential and c.state == NOT_MET for r, c in zip(rules, checks, strict=True)):
        result = min(result, ESSENTIAL_CAP)
    return result


def _check(
    rule: Rule, facts: ProfileFacts | None, answers: Mapping[str, str], rules: RuleSet
) -> Check:
    if rule.check is CheckKind.ASKED:
        answer = answers.get(rule.key, UNKNOWN)
        state = {YES: MET, NO: NOT_MET}.get(answer, UNCLEAR)
        return Check(rule.key, state, {"answer": answer})
    if facts is None:
        return Check(rule.key, UNCLEAR, {})
    match rule.check:
        case CheckKind.COLUMN:
            return _column(rule, facts)
        case CheckKind.HISTORY | CheckKind.GAPS | CheckKind.GRAIN:
            return _dates(rule, facts.coverage)
        case CheckKind.ROWS:
            needed = int(rule.minimum or 0)
            state = MET if facts.rows >= needed else NOT_MET
            return Check(rule.key, state, {"rows": facts.rows, "needed": needed})
        case CheckKind.MISSING:
            return _missing(rule, facts, rules)
        case _:  # duplicates
            return _share(
                rule, facts.duplicate_rows, facts.rows, {"duplicates": facts.duplicate_rows}
            )


def _typed(rule: Rule, column: ColumnFacts) -> bool:
    return column.inferred in rule.types and column.distinct >= rule.min_distinct


def _named(rule: Rule, column: ColumnFacts) -> bool:
    return rule.names is None or rule.names.matches(column.name)


def matching_columns(rule: Rule, facts: ProfileFacts) -> tuple[str, ...]:
    """The columns a ``column`` rule recognises: of its types, named as it says."""
    return tuple(c.name for c in facts.columns if _typed(rule, c) and _named(rule, c))


def _column(rule: Rule, facts: ProfileFacts) -> Check:
    needed = int(rule.minimum or 1)
    found = matching_columns(rule, facts)
    maybe = tuple(
        c.name
        for c in facts.columns
        if c.name not in found
        and (_typed(rule, c) or (rule.names is not None and rule.names.matches(c.name)))
        and c.distinct > 0
    )
    if len(found) >= needed:
        state = MET
    elif len(found) + len(maybe) >= needed:
        state = UNCLEAR
    else:
        state = NOT_MET
    return Check(rule.key, state, {"columns": found, "candidates": maybe, "needed": needed})


def _dates(rule: Rule, coverage: CoverageFacts | None) -> Check:
    if coverage is None:
        return Check(rule.key, UNCLEAR, {})
    evidence: dict[str, EvidenceValue] = {"column": coverage.column, "grain": coverage.grain}
    if rule.check is CheckKind.HISTORY:
        needed = rule.minimum or 0.0
        state = MET if coverage.months >= needed else NOT_MET
        return Check(rule.key, state, {**evidence, "months": coverage.months, "needed": needed})
    if rule.check is CheckKind.GRAIN:
        allowed = str(rule.grain)
        if coverage.grain not in GRAINS or allowed not in GRAINS:
            return Check(rule.key, UNCLEAR, {**evidence, "allowed": allowed})
        fine = GRAINS.index(coverage.grain) <= GRAINS.index(allowed)
        return Check(rule.key, MET if fine else NOT_MET, {**evidence, "allowed": allowed})
    return _share(
        rule,
        coverage.missing_periods,
        coverage.expected_periods,
        {**evidence, "missing_periods": coverage.missing_periods},
    )


def _share(rule: Rule, part: int, whole: int, evidence: Mapping[str, EvidenceValue]) -> Check:
    allowed = rule.maximum or 0.0
    if whole <= 0:
        return Check(rule.key, UNCLEAR, {**evidence, "allowed": allowed})
    share = round(part / whole, 4)
    state = MET if share <= allowed else NOT_MET
    return Check(rule.key, state, {**evidence, "share": share, "of": whole, "allowed": allowed})


def _missing(rule: Rule, facts: ProfileFacts, rules: RuleSet) -> Check:
    if rule.of:
        names = {n for key in rule.of for n in matching_columns(rules.rules[key], facts)}
        columns = [c for c in facts.columns if c.name in names]
    else:
        columns = [c for c in facts.columns if c.inferred != "empty"]
    if not columns or facts.rows <= 0:
        return Check(rule.key, UNCLEAR, {"allowed": rule.maximum or 0.0})
    worst = max(columns, key=lambda c: c.missing)
    return _share(rule, worst.missing, facts.rows, {"column": worst.name})
