"""The statistics of a pilot (pure Python with scipy, no Django).

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

A KPI is measured against its baseline and target:

* **progress** = (current − baseline) / (target − baseline): the share of the way done, for
  KPIs where higher is better and where lower is better alike;
* **forecast** to the target date: the least-squares line through the measurements (day →
  value) and its prediction interval ŷ ± t₍ₙ₋₂₎ s √(1 + 1/n + (x₀ − x̄)² / Sₓₓ), from three
  measurements on at least two days;
* **traffic light** with its reason: green when the target is reached or the whole forecast
  interval reaches it, yellow when only the forecast itself does, red when it does not, grey with
  too few measurements to say.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from scipy.stats import norm, t


def z_value(confidence: float) -> float:
    """The two-sided normal quantile for a confidence level (0.95 → 1.959964)."""
    if not 0 < confidence < 1:
        raise ValueError("the confidence level must lie between 0 and 1")
    return float(norm.ppf(1 - (1 - confidence) / 2))


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
    return Comparison(z, float(norm.sf(z)))


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


# KPIs ------------------------------------------------------------------------------------------


class Direction(StrEnum):
    HIGHER = "higher"  # higher is better (e.g. cases per day)
    LOWER = "lower"  # lower is better (e.g. minutes per invoice)


def meets(direction: Direction, value: float, target: float) -> bool:
    return value >= target if direction is Direction.HIGHER else value <= target


def progress(direction: Direction, baseline: float, target: float, current: float) -> float:
    """The share of the way from baseline to target (1.0: reached; above 1: beyond it;
    negative: worse than the baseline). A target equal to the baseline is reached or not."""
    if target == baseline:
        return 1.0 if meets(direction, current, target) else 0.0
    return (current - baseline) / (target - baseline)


@dataclass(frozen=True)
class Measurement:
    day: datetime.date
    value: float


@dataclass(frozen=True)
class Forecast:
    day: datetime.date
    value: float
    interval: Interval  # prediction interval for the value measured that day


FORECAST_CONFIDENCE = 0.8  # a planning range, not a test: 8 of 10 such forecasts hold


def forecast(
    measurements: Sequence[Measurement],
    day: datetime.date,
    confidence: float = FORECAST_CONFIDENCE,
) -> Forecast | None:
    """The value the trend of ``measurements`` gives for ``day``; None with fewer than three
    measurements or all on one day (no trend to speak of)."""
    z_value(confidence)  # checks the level
    n = len(measurements)
    if n < 3:
        return None
    origin = min(m.day for m in measurements)
    xs = [(m.day - origin).days for m in measurements]
    ys = [m.value for m in measurements]
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = mean_y - slope * mean_x
    residual = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    spread = math.sqrt(residual / (n - 2))
    x0 = (day - origin).days
    value = intercept + slope * x0
    half = (
        float(t.ppf(1 - (1 - confidence) / 2, n - 2))
        * spread
        * math.sqrt(1 + 1 / n + (x0 - mean_x) ** 2 / sxx)
    )
    return Forecast(day, value, Interval(value - half, value + half))


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    GREY = "grey"


class LightReason(StrEnum):
    REACHED = "reached"  # the latest measurement meets the target
    ON_TRACK = "on_track"  # the whole forecast range meets it by the target date
    AT_RISK = "at_risk"  # the forecast meets it, its range does not entirely
    OFF_TRACK = "off_track"  # the forecast misses it
    TOO_FEW = "too_few"  # fewer than three measurements on two days: no trend yet


@dataclass(frozen=True)
class KpiStatus:
    progress: float | None  # of the latest measurement; None without one
    forecast: Forecast | None
    light: Light
    reason: LightReason


def kpi_status(
    direction: Direction,
    baseline: float,
    target: float,
    target_day: datetime.date,
    measurements: Sequence[Measurement],
) -> KpiStatus:
    """Where a KPI stands: progress of the latest measurement, the forecast for the target
    date and the traffic light with its reason."""
    if not measurements:
        return KpiStatus(None, None, Light.GREY, LightReason.TOO_FEW)
    latest = max(measurements, key=lambda m: m.day)
    share = progress(direction, baseline, target, latest.value)
    ahead = forecast(measurements, target_day)
    if meets(direction, latest.value, target):
        return KpiStatus(share, ahead, Light.GREEN, LightReason.REACHED)
    if ahead is None:
        return KpiStatus(share, None, Light.GREY, LightReason.TOO_FEW)
    worst = ahead.interval.low if direction is Direction.HIGHER else ahead.interval.high
    if meets(direction, worst, target):
        return KpiStatus(share, ahead, Light.GREEN, LightReason.ON_TRACK)
    if meets(direction, ahead.value, target):
        return KpiStatus(share, ahead, Light.YELLOW, LightReason.AT_RISK)
    return KpiStatus(share, ahead, Light.RED, LightReason.OFF_TRACK)
