"""The statistics of a pilot's KPIs (pure Python with scipy, no Django).

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
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from scipy.stats import t

from startklar.reviews.engine import Interval, z_value


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
