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
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from startklar.reviews.engine import Interval, z_value


@functools.lru_cache(maxsize=256)
def t_quantile(confidence: float, freedom: int) -> float:
    """The two-sided quantile of Student's t with ``freedom`` degrees of freedom (a scipy call
    costs half a millisecond; a dashboard asks for the same few again and again)."""
    # Imported here, and from scipy.special rather than scipy.stats (the same function
    # underneath): scipy.stats takes seconds to load, which every ``startklar`` command and
    # every process of the web server would pay through the models.
    from scipy.special import stdtrit

    return float(stdtrit(freedom, 1 - (1 - confidence) / 2))


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
    half = t_quantile(confidence, n - 2) * spread * math.sqrt(1 + 1 / n + (x0 - mean_x) ** 2 / sxx)
    return Forecast(day, value, Interval(value - half, value + half))


EPOCH = datetime.date(2000, 1, 1)  # day 0 of the sums a database adds up


@dataclass(frozen=True)
class Sums:
    """What least squares needs of a KPI's measurements, as a database adds them up: x is the
    day counted from :data:`EPOCH` (whole days, so the x sums are exact integers), y the value."""

    n: int
    sx: int
    sxx: int
    sy: float
    sxy: float
    syy: float

    @classmethod
    def of(cls, measurements: Sequence[Measurement]) -> Sums:
        xs = [(m.day - EPOCH).days for m in measurements]
        ys = [m.value for m in measurements]
        return cls(
            n=len(xs),
            sx=sum(xs),
            sxx=sum(x * x for x in xs),
            sy=sum(ys),
            sxy=sum(x * y for x, y in zip(xs, ys, strict=True)),
            syy=sum(y * y for y in ys),
        )


def forecast_from_sums(
    sums: Sums, day: datetime.date, confidence: float = FORECAST_CONFIDENCE
) -> Forecast | None:
    """What :func:`forecast` gives for the measurements ``sums`` adds up, without the
    measurements themselves (a dashboard of many KPIs reads only their sums)."""
    path = forecast_path(sums, (day,), confidence)
    return path[0] if path else None


def forecast_path(
    sums: Sums, days: Sequence[datetime.date], confidence: float = FORECAST_CONFIDENCE
) -> tuple[Forecast, ...]:
    """:func:`forecast_from_sums` for each of ``days`` (a chart's band), the quantile
    computed once; empty where there is no trend."""
    z_value(confidence)  # checks the level
    n = sums.n
    if n < 3:
        return ()
    # n·Sxx in integers: exact, so "all on one day" is exactly zero.
    n_sxx = n * sums.sxx - sums.sx * sums.sx
    if n_sxx <= 0:
        return ()
    sxx = n_sxx / n
    mean_x, mean_y = sums.sx / n, sums.sy / n
    sxy = sums.sxy - sums.sx * sums.sy / n
    syy = sums.syy - sums.sy * sums.sy / n
    slope = sxy / sxx
    residual = max(0.0, syy - slope * sxy)  # rounding can leave a hair below zero
    spread = math.sqrt(residual / (n - 2))
    quantile = t_quantile(confidence, n - 2)
    found = []
    for day in days:
        x0 = (day - EPOCH).days
        value = mean_y + slope * (x0 - mean_x)
        half = quantile * spread * math.sqrt(1 + 1 / n + (x0 - mean_x) ** 2 / sxx)
        found.append(Forecast(day, value, Interval(value - half, value + half)))
    return tuple(found)


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
    return status_of(direction, baseline, target, latest.value, forecast(measurements, target_day))


def status_of(
    direction: Direction,
    baseline: float,
    target: float,
    latest: float | None,
    ahead: Forecast | None,
) -> KpiStatus:
    """:func:`kpi_status` from the latest value and the forecast (e.g. from
    :func:`forecast_from_sums`); ``latest`` None: nothing measured yet."""
    if latest is None:
        return KpiStatus(None, None, Light.GREY, LightReason.TOO_FEW)
    share = progress(direction, baseline, target, latest)
    if meets(direction, latest, target):
        return KpiStatus(share, ahead, Light.GREEN, LightReason.REACHED)
    if ahead is None:
        return KpiStatus(share, None, Light.GREY, LightReason.TOO_FEW)
    worst = ahead.interval.low if direction is Direction.HIGHER else ahead.interval.high
    if meets(direction, worst, target):
        return KpiStatus(share, ahead, Light.GREEN, LightReason.ON_TRACK)
    if meets(direction, ahead.value, target):
        return KpiStatus(share, ahead, Light.YELLOW, LightReason.AT_RISK)
    return KpiStatus(share, ahead, Light.RED, LightReason.OFF_TRACK)


# The scale decision ----------------------------------------------------------------------------
#
# A pilot is ready to scale when the evidence holds on every item: the KPIs, the error rate of
# the human reviews, the business case, the law and the people. The gate is computed from facts
# the pages gather; what Startklar cannot see (duties addressed, usage policy acknowledged)
# counts only with a person's note. An owner may still decide against an open item: that is an
# override, recorded with its reason (the services' business, not the gate's).

PLAN_SHARE = 0.8  # realised benefits should reach at least this share of the planned ones


class GateItem(StrEnum):
    KPIS = "kpis"
    ERROR_RATE = "error_rate"
    BUSINESS_CASE = "business_case"
    AI_ACT = "ai_act"
    DPIA = "dpia"
    DPA = "dpa"
    LITERACY = "literacy"
    OPERATION_OWNER = "operation_owner"
    USAGE_POLICY = "usage_policy"


# Items where a documented reason counts instead of the evidence (a KPI missed for a known
# cause, a business case behind plan for a one-off reason).
WAIVABLE = frozenset({GateItem.KPIS, GateItem.BUSINESS_CASE})


class GateState(StrEnum):
    MET = "met"
    WAIVED = "waived"  # not met, but a documented reason lets it pass
    NOT_NEEDED = "not_needed"
    OPEN = "open"
    BLOCKED = "blocked"  # cannot pass at all (a prohibited practice)


class GateReason(StrEnum):
    KPIS_MET = "kpis_met"
    NO_KPIS = "no_kpis"
    KPIS_MISSED = "kpis_missed"
    REVIEWS_OK = "reviews_ok"
    NO_REVIEW_PLAN = "no_review_plan"
    TOO_FEW_REVIEWS = "too_few_reviews"
    ERROR_RATE_HIGH = "error_rate_high"
    OPEN_ALERTS = "open_alerts"
    PLAN_REACHED = "plan_reached"
    NO_BUSINESS_CASE = "no_business_case"
    NO_ACTUALS = "no_actuals"
    BEHIND_PLAN = "behind_plan"
    CLASSIFIED = "classified"
    NOT_CLASSIFIED = "not_classified"
    PROHIBITED = "prohibited"
    DUTIES_OPEN = "duties_open"
    DUTIES_ADDRESSED = "duties_addressed"
    DPIA_DONE = "dpia_done"
    DPIA_NOT_NEEDED = "dpia_not_needed"
    DPIA_OPEN = "dpia_open"
    DPIA_UNKNOWN = "dpia_unknown"
    NO_SYSTEM = "no_system"
    DPA_SIGNED = "dpa_signed"
    DPA_MISSING = "dpa_missing"
    ALL_TRAINED = "all_trained"
    NO_USERS = "no_users"
    UNTRAINED = "untrained"
    OWNER_NAMED = "owner_named"
    NO_OWNER = "no_owner"
    POLICY_ACKNOWLEDGED = "policy_acknowledged"
    POLICY_OPEN = "policy_open"
    WAIVED = "waived"


class Dpia(StrEnum):
    """What the GDPR screening and the register say about the impact assessment."""

    UNKNOWN = "unknown"  # the screening is not answered
    NOT_NEEDED = "not_needed"
    DONE = "done"  # needed, and done for every AI system of the pilot
    OPEN = "open"  # needed, not done for every system


@dataclass(frozen=True)
class ReviewFacts:
    """One review plan of an AI system of the pilot."""

    name: str
    enough: bool  # at least the sample size the wanted precision needs
    rate: float | None
    threshold: float
    open_alerts: int


@dataclass(frozen=True)
class Evidence:
    kpis_missed: tuple[str, ...]  # names of KPIs not at target (without a waiver of their own)
    kpi_count: int
    reviews: tuple[ReviewFacts, ...]
    has_business_case: bool
    planned: float | None  # planned benefits over the months with actuals; None: no actuals
    actual: float | None
    classified: bool  # the AI Act and GDPR questionnaire of the use case is answered
    prohibited: bool
    duties: bool  # AI Act duties beyond AI literacy apply
    dpia: Dpia
    systems: tuple[str, ...]  # the pilot's AI systems
    dpa_missing: tuple[str, ...]  # … without a signed data-processing agreement (where needed)
    users: int  # people recorded as using the systems
    untrained: tuple[str, ...]  # … without an AI-literacy record
    operation_owner: bool
    notes: frozenset[GateItem]  # items with a person's note (duties addressed, policy, reasons)


@dataclass(frozen=True)
class GateResult:
    item: GateItem
    state: GateState
    reason: GateReason
    names: tuple[str, ...] = ()  # what the reason is about (KPIs, systems, people)

    @property
    def passes(self) -> bool:
        return self.state in (GateState.MET, GateState.WAIVED, GateState.NOT_NEEDED)


@dataclass(frozen=True)
class Gate:
    items: tuple[GateResult, ...]

    @property
    def ready(self) -> bool:
        return all(item.passes for item in self.items)

    @property
    def open(self) -> tuple[GateItem, ...]:
        return tuple(item.item for item in self.items if not item.passes)

    @property
    def blocked(self) -> bool:
        return any(item.state is GateState.BLOCKED for item in self.items)


def _waivable(
    evidence: Evidence, item: GateItem, reason: GateReason, names: tuple[str, ...] = ()
) -> GateResult:
    if item in evidence.notes:
        return GateResult(item, GateState.WAIVED, GateReason.WAIVED, names)
    return GateResult(item, GateState.OPEN, reason, names)


def _kpis(evidence: Evidence) -> GateResult:
    item = GateItem.KPIS
    if evidence.kpi_count == 0:
        return GateResult(item, GateState.OPEN, GateReason.NO_KPIS)
    if evidence.kpis_missed:
        return _waivable(evidence, item, GateReason.KPIS_MISSED, evidence.kpis_missed)
    return GateResult(item, GateState.MET, GateReason.KPIS_MET)


def _reviews(evidence: Evidence) -> GateResult:
    item = GateItem.ERROR_RATE
    if not evidence.reviews:
        return GateResult(item, GateState.OPEN, GateReason.NO_REVIEW_PLAN)
    few = tuple(r.name for r in evidence.reviews if not r.enough)
    if few:
        return GateResult(item, GateState.OPEN, GateReason.TOO_FEW_REVIEWS, few)
    high = tuple(r.name for r in evidence.reviews if r.rate is not None and r.rate > r.threshold)
    if high:
        return GateResult(item, GateState.OPEN, GateReason.ERROR_RATE_HIGH, high)
    alerts = tuple(r.name for r in evidence.reviews if r.open_alerts)
    if alerts:
        return GateResult(item, GateState.OPEN, GateReason.OPEN_ALERTS, alerts)
    return GateResult(item, GateState.MET, GateReason.REVIEWS_OK)


def _business_case(evidence: Evidence) -> GateResult:
    item = GateItem.BUSINESS_CASE
    if not evidence.has_business_case:
        return _waivable(evidence, item, GateReason.NO_BUSINESS_CASE)
    if evidence.planned is None or evidence.actual is None:
        return _waivable(evidence, item, GateReason.NO_ACTUALS)
    if evidence.actual < PLAN_SHARE * evidence.planned:
        return _waivable(evidence, item, GateReason.BEHIND_PLAN)
    return GateResult(item, GateState.MET, GateReason.PLAN_REACHED)


def _ai_act(evidence: Evidence) -> GateResult:
    item = GateItem.AI_ACT
    if not evidence.classified:
        return GateResult(item, GateState.OPEN, GateReason.NOT_CLASSIFIED)
    if evidence.prohibited:
        return GateResult(item, GateState.BLOCKED, GateReason.PROHIBITED)
    if not evidence.duties:
        return GateResult(item, GateState.MET, GateReason.CLASSIFIED)
    if item in evidence.notes:
        return GateResult(item, GateState.MET, GateReason.DUTIES_ADDRESSED)
    return GateResult(item, GateState.OPEN, GateReason.DUTIES_OPEN)


def _dpia(evidence: Evidence) -> GateResult:
    item = GateItem.DPIA
    if evidence.dpia is Dpia.NOT_NEEDED:
        return GateResult(item, GateState.NOT_NEEDED, GateReason.DPIA_NOT_NEEDED)
    if evidence.dpia is Dpia.DONE:
        return GateResult(item, GateState.MET, GateReason.DPIA_DONE)
    if evidence.dpia is Dpia.OPEN:
        return GateResult(item, GateState.OPEN, GateReason.DPIA_OPEN)
    return GateResult(item, GateState.OPEN, GateReason.DPIA_UNKNOWN)


def _dpa(evidence: Evidence) -> GateResult:
    item = GateItem.DPA
    if not evidence.systems:
        return GateResult(item, GateState.OPEN, GateReason.NO_SYSTEM)
    if evidence.dpa_missing:
        return GateResult(item, GateState.OPEN, GateReason.DPA_MISSING, evidence.dpa_missing)
    return GateResult(item, GateState.MET, GateReason.DPA_SIGNED)


def _literacy(evidence: Evidence) -> GateResult:
    item = GateItem.LITERACY
    if not evidence.systems:
        return GateResult(item, GateState.OPEN, GateReason.NO_SYSTEM)
    if evidence.users == 0:
        return GateResult(item, GateState.OPEN, GateReason.NO_USERS)
    if evidence.untrained:
        return GateResult(item, GateState.OPEN, GateReason.UNTRAINED, evidence.untrained)
    return GateResult(item, GateState.MET, GateReason.ALL_TRAINED)


def gate(evidence: Evidence) -> Gate:
    """Each item of the scale decision with its state and the reason for it."""
    owner = (
        GateResult(GateItem.OPERATION_OWNER, GateState.MET, GateReason.OWNER_NAMED)
        if evidence.operation_owner
        else GateResult(GateItem.OPERATION_OWNER, GateState.OPEN, GateReason.NO_OWNER)
    )
    policy = (
        GateResult(GateItem.USAGE_POLICY, GateState.MET, GateReason.POLICY_ACKNOWLEDGED)
        if GateItem.USAGE_POLICY in evidence.notes
        else GateResult(GateItem.USAGE_POLICY, GateState.OPEN, GateReason.POLICY_OPEN)
    )
    return Gate(
        (
            _kpis(evidence),
            _reviews(evidence),
            _business_case(evidence),
            _ai_act(evidence),
            _dpia(evidence),
            _dpa(evidence),
            _literacy(evidence),
            owner,
            policy,
        )
    )


def improvement(direction: Direction, baseline: float, value: float) -> float:
    """How much better ``value`` is than the baseline, in the KPI's unit (negative: worse)."""
    return value - baseline if direction is Direction.HIGHER else baseline - value


def month_benefit(
    direction: Direction, baseline: float, month_mean: float, volume: float, rate: float
) -> float:
    """Euros a month's measurements are worth: the improvement of the month's mean over the
    baseline × cases per month × euros per unit of improvement (e.g. 4 minutes saved per
    invoice × 400 invoices × 0.75 € per minute = 1,200 €). Worse than the baseline: negative."""
    return improvement(direction, baseline, month_mean) * volume * rate
