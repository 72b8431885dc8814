"""The statistics of quality reviews (pure Python with scipy, no Django).

Human review of AI output is a sample: a reviewer judges n items, e of them wrong. What the
pilot may say about the AI's error rate follows from that sample, never from the raw share alone.

* **Wilson score interval** for the error rate e/n (Wilson 1927; Newcombe 1998, method 3): with
  z the normal quantile, p̂ = e/n,
  centre = (p̂ + z²/2n) / (1 + z²/n), half width = z √(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n).
  Unlike p̂ ± z√(p̂(1−p̂)/n) it stays inside 0…1 and is honest for 0 errors in a small sample.
* **Sample size** for a wanted precision m (e.g. ± 5 percentage points) at a confidence level:
  n = ⌈z² p(1−p) / m²⌉ with p the expected error rate (0.5 when unknown: the most cautious),
  reduced for a finite population N by n / (1 + (n − 1) / N).
* **Agreement of two reviewers**: the share of items judged alike and Cohen's kappa
  κ = (p_o − p_e) / (1 − p_e), p_e the agreement expected by chance from each reviewer's own
  verdict shares; undefined (None) when chance already explains full agreement.
* **A rise against the baseline**: the one-sided two-proportion z-test with the pooled rate,
  z = (p₂ − p₁) / √(p̄(1−p̄)(1/n₁ + 1/n₂)), p-value = 1 − Φ(z).
* **Alert** for a week: the error rate is above the agreed threshold *with confidence* (the
  Wilson interval's lower end lies above it), or it rose significantly against the baseline.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from statistics import NormalDist

# The standard normal distribution of the standard library: the same quantiles and tail
# probabilities as scipy.stats.norm to the last digit that matters here, at a hundredth of the
# cost of a scipy call per value (a plan aggregates a hundred periods on every page view).
STANDARD_NORMAL = NormalDist()


@functools.lru_cache(maxsize=16)
def z_value(confidence: float) -> float:
    """The two-sided normal quantile for a confidence level (0.95 → 1.959964)."""
    if not 0 < confidence < 1:
        raise ValueError("the confidence level must lie between 0 and 1")
    return STANDARD_NORMAL.inv_cdf(1 - (1 - confidence) / 2)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high


def _check_count(errors: int, n: int) -> None:
    if n < 0 or errors < 0 or errors > n:
        raise ValueError("errors must lie between 0 and the number of items judged")


def wilson_interval(errors: int, n: int, confidence: float = 0.95) -> Interval:
    """The Wilson score interval of the rate errors/n; without items nothing is known (0…1)."""
    _check_count(errors, n)
    z = z_value(confidence)
    if n == 0:
        return Interval(0.0, 1.0)
    rate = errors / n
    denominator = 1 + z * z / n
    centre = (rate + z * z / (2 * n)) / denominator
    half = z * math.sqrt(rate * (1 - rate) / n + z * z / (4 * n * n)) / denominator
    # at 0 (or n) errors the lower (upper) end is exactly 0 (1); computed, rounding leaves a
    # hair (5.6e-17) that would put the observed rate outside its own interval
    low = 0.0 if errors == 0 else max(0.0, centre - half)
    high = 1.0 if errors == n else min(1.0, centre + half)
    return Interval(low, high)


def sample_size(
    margin: float,
    confidence: float = 0.95,
    expected_rate: float = 0.5,
    population: int | None = None,
) -> int:
    """How many items to judge so that the error rate is known to ± ``margin`` (a share, e.g.
    0.05) at ``confidence``; ``expected_rate`` 0.5 when nothing is known yet (the largest n);
    ``population``: how many items there are in all, if few."""
    if not 0 < margin < 1:
        raise ValueError("the margin must lie between 0 and 1 (e.g. 0.05 for ± 5 points)")
    if not 0 <= expected_rate <= 1:
        raise ValueError("the expected error rate must lie between 0 and 1")
    if population is not None and population < 1:
        raise ValueError("the population must hold at least one item")
    z = z_value(confidence)
    n = z * z * expected_rate * (1 - expected_rate) / (margin * margin)
    if population is not None:
        n = n / (1 + (n - 1) / population)
    return max(1, math.ceil(n - 1e-9))  # 1e-9: 384.0000000001 is 384, not 385


@dataclass(frozen=True)
class Agreement:
    items: int  # judged by both reviewers
    share: float  # judged alike
    kappa: float | None  # Cohen's kappa; None where chance explains everything


def agreement(pairs: Sequence[tuple[Hashable, Hashable]]) -> Agreement:
    """How far two reviewers agree on the same items: each pair is (first verdict, second)."""
    if not pairs:
        raise ValueError("agreement needs items judged by both reviewers")
    n = len(pairs)
    observed = sum(1 for a, b in pairs if a == b) / n
    first = Counter(a for a, _b in pairs)
    second = Counter(b for _a, b in pairs)
    expected = sum(first[v] * second[v] for v in first) / (n * n)
    kappa = None if expected >= 1 else (observed - expected) / (1 - expected)
    return Agreement(n, observed, kappa)


@dataclass(frozen=True)
class Comparison:
    z: float
    p_value: float  # one-sided: the later rate is higher


def rise(before: tuple[int, int], after: tuple[int, int]) -> Comparison:
    """The one-sided two-proportion z-test that the rate ``after`` (errors, n) is higher than
    ``before``, with the pooled rate. Without a difference to speak of (no items, or a pooled
    rate of 0 or 1) z is 0 and the p-value 0.5 or 1: no evidence of a rise."""
    (e1, n1), (e2, n2) = before, after
    _check_count(e1, n1)
    _check_count(e2, n2)
    if n1 == 0 or n2 == 0:
        return Comparison(0.0, 1.0)
    pooled = (e1 + e2) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if spread == 0:
        return Comparison(0.0, 1.0)
    z = (e2 / n2 - e1 / n1) / spread
    return Comparison(z, STANDARD_NORMAL.cdf(-z))  # the upper tail, exact far out too


class AlertReason(StrEnum):
    ABOVE_THRESHOLD = "above_threshold"  # the whole interval lies above the agreed rate
    RISE = "rise"  # significantly higher than the baseline


@dataclass(frozen=True)
class WeekResult:
    errors: int
    items: int
    rate: float | None  # None without items
    interval: Interval
    reasons: tuple[AlertReason, ...]  # why it alerts; empty: no alert

    @property
    def alert(self) -> bool:
        return bool(self.reasons)


def judge_week(
    errors: int,
    items: int,
    threshold: float,
    baseline: tuple[int, int] | None = None,
    confidence: float = 0.95,
    alpha: float = 0.05,
) -> WeekResult:
    """A week of review: its error rate with the Wilson interval, and whether it alerts – the
    rate lies above ``threshold`` with confidence, or rose against ``baseline`` (errors, n) at
    the level ``alpha``."""
    if not 0 <= threshold <= 1:
        raise ValueError("the threshold is an error rate between 0 and 1")
    if not 0 < alpha < 1:
        raise ValueError("the significance level must lie between 0 and 1")
    interval = wilson_interval(errors, items, confidence)
    reasons: list[AlertReason] = []
    if items and interval.low > threshold:
        reasons.append(AlertReason.ABOVE_THRESHOLD)
    if baseline is not None and rise(baseline, (errors, items)).p_value < alpha:
        reasons.append(AlertReason.RISE)
    return WeekResult(errors, items, errors / items if items else None, interval, tuple(reasons))


# The rubric -------------------------------------------------------------------------------
# A plan judges its items against a rubric: criteria, each with levels, each level with a
# severity. An item counts as an error when any criterion's level is an error or critical.


class Severity(StrEnum):
    OK = "ok"  # richtig
    MINOR = "minor"  # kleine Mängel
    ERROR = "error"  # falsch
    CRITICAL = "critical"  # gefährlich

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    @property
    def is_error(self) -> bool:
        return self in (Severity.ERROR, Severity.CRITICAL)


MAX_CRITERIA = 8
MIN_LEVELS, MAX_LEVELS = 2, 6
MAX_NAME = 80
KEY_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


class RubricError(ValueError):
    """A rubric or a verdict that breaks the rules; the message names the place."""


@dataclass(frozen=True)
class Level:
    key: str
    de: str
    en: str
    severity: Severity

    def name(self, language: str) -> str:
        return self.en if language.startswith("en") else self.de


@dataclass(frozen=True)
class Criterion:
    key: str
    de: str
    en: str
    levels: tuple[Level, ...]

    def name(self, language: str) -> str:
        return self.en if language.startswith("en") else self.de

    def level(self, key: str) -> Level | None:
        return next((level for level in self.levels if level.key == key), None)


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]

    def criterion(self, key: str) -> Criterion | None:
        return next((c for c in self.criteria if c.key == key), None)

    def data(self) -> dict[str, object]:
        """The rubric as JSON-ready data (the shape :func:`parse_rubric` reads)."""
        return {
            "criteria": [
                {
                    "key": c.key,
                    "name": {"de": c.de, "en": c.en},
                    "levels": [
                        {
                            "key": v.key,
                            "name": {"de": v.de, "en": v.en},
                            "severity": str(v.severity),
                        }
                        for v in c.levels
                    ],
                }
                for c in self.criteria
            ]
        }


def _key(value: object, where: str) -> str:
    if not (isinstance(value, str) and 0 < len(value) <= 40 and set(value) <= KEY_CHARACTERS):
        raise RubricError(f"{where}: the key must be 1–40 characters a–z, 0–9 or _")
    return value


def _names(value: object, where: str) -> tuple[str, str]:
    if not isinstance(value, dict):
        raise RubricError(f"{where}: needs a German and an English name")
    names = []
    for language in ("de", "en"):
        name = value.get(language)
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
            raise RubricError(f"{where}: needs a {language} name of 1–{MAX_NAME} characters")
        names.append(name.strip())
    return names[0], names[1]


def _unique(keys: list[str], where: str) -> None:
    if len(set(keys)) != len(keys):
        raise RubricError(f"{where}: keys must be unique")


def parse_rubric(data: object) -> Rubric:
    """A rubric from its data, checked: 1–8 criteria, each with 2–6 levels of which at least
    one is acceptable (ok or minor) and one an error, unique keys, German and English names."""
    criteria_data = data.get("criteria") if isinstance(data, dict) else None
    if not isinstance(criteria_data, list) or not 1 <= len(criteria_data) <= MAX_CRITERIA:
        raise RubricError(f"rubric: needs 1–{MAX_CRITERIA} criteria")
    criteria = []
    for number, item in enumerate(criteria_data, start=1):
        where = f"criterion {number}"
        if not isinstance(item, dict):
            raise RubricError(f"{where}: not a criterion")
        key = _key(item.get("key"), where)
        de, en = _names(item.get("name"), where)
        levels_data = item.get("levels")
        if not isinstance(levels_data, list) or not MIN_LEVELS <= len(levels_data) <= MAX_LEVELS:
            raise RubricError(f"{where}: needs {MIN_LEVELS}–{MAX_LEVELS} levels")
        levels = []
        for level_number, level in enumerate(levels_data, start=1):
            place = f"{where}, level {level_number}"
            if not isinstance(level, dict):
                raise RubricError(f"{place}: not a level")
            level_key = _key(level.get("key"), place)
            level_de, level_en = _names(level.get("name"), place)
            try:
                severity = Severity(str(level.get("severity")))
            except ValueError:
                raise RubricError(f"{place}: unknown severity") from None
            levels.append(Level(level_key, level_de, level_en, severity))
        _unique([level.key for level in levels], where)
        if not any(v.severity.is_error for v in levels) or all(v.severity.is_error for v in levels):
            raise RubricError(f"{where}: needs an acceptable level and an error level")
        criteria.append(Criterion(key, de, en, tuple(levels)))
    _unique([c.key for c in criteria], "rubric")
    return Rubric(tuple(criteria))


@dataclass(frozen=True)
class Outcome:
    """What a verdict says about an item: an error or not, and its worst severity."""

    error: bool
    worst: Severity


def assess(rubric: Rubric, levels: object) -> Outcome:
    """The outcome of a verdict (criterion key → level key); every criterion needs a level."""
    if not isinstance(levels, dict):
        raise RubricError("verdict: needs a level for each criterion")
    unknown = sorted(str(k) for k in levels if rubric.criterion(str(k)) is None)
    if unknown:
        raise RubricError(f"verdict: unknown criterion {unknown[0]}")
    worst = Severity.OK
    for criterion in rubric.criteria:
        chosen = levels.get(criterion.key)
        level = criterion.level(chosen) if isinstance(chosen, str) else None
        if level is None:
            raise RubricError(f"{criterion.key}: needs one of its levels")
        worst = max(worst, level.severity, key=lambda s: s.rank)
    return Outcome(worst.is_error, worst)


# Periods, trend and the plan's figures ----------------------------------------------------


class Cadence(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"


def period_start(day: date, cadence: Cadence) -> date:
    """The first day of the period ``day`` lies in: the Monday of its ISO week, or the first
    of its month."""
    if cadence is Cadence.WEEKLY:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def period_end(start: date, cadence: Cadence) -> date:
    """The last day of the period that begins on ``start``."""
    if cadence is Cadence.WEEKLY:
        return start + timedelta(days=6)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start: date
    result: WeekResult


class Trend(StrEnum):
    RISING = "rising"  # the last period significantly above the ones before
    FALLING = "falling"  # significantly below
    STEADY = "steady"  # no significant change
    UNKNOWN = "unknown"  # fewer than two periods with items


def periods(
    counts: Sequence[tuple[date, int, int]],
    threshold: float,
    baseline: tuple[int, int] | None = None,
) -> tuple[Period, ...]:
    """Each period's (start, errors, items) judged, in order of time."""
    return tuple(
        Period(start, judge_week(errors, items, threshold, baseline))
        for start, errors, items in sorted(counts)
    )


def trend(found: Sequence[Period], alpha: float = 0.05) -> Trend:
    """The last period with items against all earlier ones pooled (two-proportion tests)."""
    judged = [p.result for p in found if p.result.items]
    if len(judged) < 2:
        return Trend.UNKNOWN
    last = (judged[-1].errors, judged[-1].items)
    before = (sum(r.errors for r in judged[:-1]), sum(r.items for r in judged[:-1]))
    if rise(before, last).p_value < alpha:
        return Trend.RISING
    if rise(last, before).p_value < alpha:
        return Trend.FALLING
    return Trend.STEADY
