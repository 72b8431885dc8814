"""Business case with uncertainty (pure Python + numpy, no Django).

Timeline: month 0 is the start, when one-off costs fall due. Monthly costs flow in months
1 … H (the horizon). The system goes live G months after the start (G = 0: at once); benefits
flow from month G + 1 and grow linearly during the adoption ramp: in month t they reach
min(1, (t − G) / R) of their full value (R = months until full effect; R = 0: full at once),
nothing up to month G. Time saved counts as cash only with its cash-effective share; the rest is
freed capacity, reported beside the cash figures and never in them.

* monthly discount rate r_m = (1 + r)^(1/12) − 1 for the annual rate r;
* NPV = Σ_{t=0..H} net_t / (1 + r_m)^t;
* ROI = (Σ benefits − Σ costs) / Σ costs over the horizon, undiscounted (None without costs);
  annualised ROI = (1 + ROI)^(12 / H) − 1;
* payback month = first month t ≥ 1 with cumulative undiscounted net ≥ 0 (None: not within the
  horizon); discounted payback month: the same with the discounted net;
* IRR: the annual rate at which the NPV is zero, (1 + i_m)^12 − 1, where the monthly flows are
  an investment (negative first, then positive, one change of sign); None otherwise.

Every input is a three-point estimate (min, most likely, max). Monte Carlo draws each input
independently from a PERT distribution (a Beta distribution with λ = 4; a point if min = max),
vectorised over all draws, seeded and reproducible. The tornado swings each input from min to
max with everything else at the most likely value. Formulas and a worked example:
``docs/business-case.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from startklar.core.values import Triple

DEFAULT_DRAWS = 20_000
BAND_DRAWS = 20_000
PERT_LAMBDA = 4.0
EPSILON = 1e-6  # cents are rounded away at the boundary; this only absorbs float noise
Array = npt.NDArray[np.float64]


class ItemKind(StrEnum):
    """What an item is and how its factors combine into a monthly (or one-off) amount."""

    ONE_OFF = "one_off"  # amount (EUR), once in month 0
    MONTHLY = "monthly"  # amount per month (EUR)
    INTERNAL_HOURS = "internal_hours"  # hours per month × hourly rate
    # minutes saved per case × cases per month × hourly rate / 60 × cash-effective share; the
    # rest (1 − share) is freed capacity, not cash
    TIME_SAVING = "time_saving"
    ERROR_AVOIDANCE = "error_avoidance"  # errors avoided per month × cost per error
    EXTRA_REVENUE = "extra_revenue"  # extra revenue per month × margin (0–1)
    OTHER_SAVING = "other_saving"  # avoided costs per month (EUR)

    @property
    def is_benefit(self) -> bool:
        return self in BENEFITS

    @property
    def factors(self) -> tuple[str, ...]:
        return FACTORS[self]


BENEFITS = frozenset(
    {ItemKind.TIME_SAVING, ItemKind.ERROR_AVOIDANCE, ItemKind.EXTRA_REVENUE, ItemKind.OTHER_SAVING}
)
FACTORS: dict[ItemKind, tuple[str, ...]] = {
    ItemKind.ONE_OFF: ("amount",),
    ItemKind.MONTHLY: ("amount",),
    ItemKind.INTERNAL_HOURS: ("hours", "rate"),
    ItemKind.TIME_SAVING: ("minutes", "cases", "rate", "cash_share"),
    ItemKind.ERROR_AVOIDANCE: ("errors", "cost"),
    ItemKind.EXTRA_REVENUE: ("revenue", "margin"),
    ItemKind.OTHER_SAVING: ("amount",),
}
SCALE = {ItemKind.TIME_SAVING: 1 / 60}
SHARES = frozenset({"margin", "cash_share"})  # factors that are a share between 0 and 1


@dataclass(frozen=True)
class Item:
    name: str
    kind: ItemKind
    factors: Mapping[str, Triple]

    def __post_init__(self) -> None:
        if set(self.factors) != set(self.kind.factors):
            raise ValueError(f"{self.name}: needs exactly {', '.join(self.kind.factors)}")
        for key, value in self.factors.items():
            if value.low < 0:
                raise ValueError(f"{self.name}: {key} must not be negative")
        for key in SHARES & set(self.factors):
            if self.factors[key].high > 1:
                raise ValueError(f"{self.name}: {key} is a share between 0 and 1")

    def amount(self, values: Mapping[str, Array | float]) -> Array | float:
        result: Array | float = SCALE.get(self.kind, 1.0)
        for key in self.kind.factors:
            result = result * values[key]
        return result

    def capacity(self, values: Mapping[str, float]) -> tuple[float, float]:
        """Freed capacity per month at full effect: (value in EUR, hours); none but for time
        saved. The part of the time saved that is not cash-effective."""
        if self.kind is not ItemKind.TIME_SAVING:
            return 0.0, 0.0
        hours = values["minutes"] * values["cases"] / 60 * (1 - values["cash_share"])
        return hours * values["rate"], hours


@dataclass(frozen=True)
class Case:
    items: tuple[Item, ...]
    horizon: int = 36
    annual_rate: float = 0.08
    ramp: Triple = field(default_factory=lambda: Triple.point(0))
    go_live: int = 0  # months after the start until the system is live; benefits follow it

    def __post_init__(self) -> None:
        if not 1 <= self.horizon <= 240:
            raise ValueError("the horizon must be 1 to 240 months")
        if not 0 <= self.go_live < self.horizon:
            raise ValueError("the go-live month must lie before the end of the horizon")
        if not -0.5 < self.annual_rate < 1:
            raise ValueError("the discount rate must be between −50 % and 100 %")
        if self.ramp.low < 0 or self.ramp.high > 120:
            raise ValueError("the ramp must be 0 to 120 months")
        names = [i.name for i in self.items]
        if len(set(names)) != len(names):
            raise ValueError("item names must be unique")

    @property
    def monthly_rate(self) -> float:
        return float((1 + self.annual_rate) ** (1 / 12) - 1)

    def inputs(self) -> list[tuple[str, str, Triple]]:
        """Every uncertain input as (item, factor, estimate); the ramp as ("ramp", "months")."""
        found = [(i.name, key, i.factors[key]) for i in self.items for key in i.kind.factors]
        return [*found, ("ramp", "months", self.ramp)]


# Deterministic --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    month: int
    costs: float
    benefits: float  # cash-effective
    net: float
    cumulative: float
    discounted: float
    discounted_cumulative: float = 0.0
    capacity: float = 0.0  # freed capacity (EUR), beside the cash flow, not in it


@dataclass(frozen=True)
class Result:
    months: tuple[Month, ...]
    npv: float
    roi: float | None  # over the horizon
    payback_month: int | None
    total_costs: float
    total_benefits: float
    roi_annualised: float | None = None
    discounted_payback_month: int | None = None
    irr: float | None = None  # per year
    capacity_value: float = 0.0  # freed capacity over the horizon (EUR), not in the cash flow
    capacity_hours: float = 0.0  # … in hours


def _amounts(
    case: Case, values: Mapping[tuple[str, str], Array | float]
) -> tuple[Array | float, Array | float, Array | float]:
    """One-off costs, monthly costs and full monthly benefits: floats, or one per draw (N,)."""
    one_off: Array | float = 0.0
    monthly_cost: Array | float = 0.0
    monthly_benefit: Array | float = 0.0
    for item in case.items:
        amount = item.amount({key: values[(item.name, key)] for key in item.kind.factors})
        if item.kind is ItemKind.ONE_OFF:
            one_off = one_off + amount
        elif item.kind.is_benefit:
            monthly_benefit = monthly_benefit + amount
        else:
            monthly_cost = monthly_cost + amount
    return one_off, monthly_cost, monthly_benefit


def benefit_share(case: Case, ramp: float) -> Array:
    """The share of the full benefits in months 1 … H: nothing up to the go-live month G,
    then min(1, (t − G) / R)."""
    live = np.arange(1, case.horizon + 1, dtype=np.float64) - case.go_live
    if ramp > 0:
        return np.asarray(np.clip(live / ramp, 0.0, 1.0), dtype=np.float64)
    return np.asarray(live > 0, dtype=np.float64)


def _flows(
    case: Case, values: Mapping[tuple[str, str], float]
) -> tuple[float, Array, Array, Array]:
    """At one set of values: the one-off costs, monthly costs (H,), monthly benefits (H,) and
    the share of the full effect per month (H,)."""
    one_off, monthly_cost, monthly_benefit = _amounts(case, values)
    share = benefit_share(case, case.ramp.likely)
    costs = np.full(case.horizon, monthly_cost, dtype=np.float64)
    return float(one_off), costs, np.asarray(monthly_benefit * share, dtype=np.float64), share


def _discount(case: Case) -> Array:
    t = np.arange(0, case.horizon + 1, dtype=np.float64)
    return np.asarray((1 + case.monthly_rate) ** -t, dtype=np.float64)


def deterministic(case: Case) -> Result:
    """The monthly cash-flow table at the most likely values."""
    values = {(name, key): t.likely for name, key, t in case.inputs()}
    one_off, costs, benefits, share = _flows(case, values)
    net = np.concatenate(([-one_off], benefits - costs))
    cost_row = np.concatenate(([one_off], costs))
    benefit_row = np.concatenate(([0.0], benefits))
    cumulative = np.cumsum(net)
    discounted = net * _discount(case)
    discounted_cumulative = np.cumsum(discounted)
    capacity_value = capacity_hours = 0.0
    for item in case.items:
        value, hours = item.capacity({key: values[(item.name, key)] for key in item.kind.factors})
        capacity_value, capacity_hours = capacity_value + value, capacity_hours + hours
    capacity_row = np.concatenate(([0.0], capacity_value * share))
    months = tuple(
        Month(
            t,
            float(cost_row[t]),
            float(benefit_row[t]),
            float(net[t]),
            float(cumulative[t]),
            float(discounted[t]),
            float(discounted_cumulative[t]),
            float(capacity_row[t]),
        )
        for t in range(case.horizon + 1)
    )
    total_costs, total_benefits = float(cost_row.sum()), float(benefit_row.sum())
    roi = (total_benefits - total_costs) / total_costs if total_costs > 0 else None
    return Result(
        months=months,
        npv=float(discounted.sum()),
        roi=roi,
        payback_month=_payback(cumulative),
        total_costs=total_costs,
        total_benefits=total_benefits,
        roi_annualised=None if roi is None else annualised(roi, case.horizon),
        discounted_payback_month=_payback(discounted_cumulative),
        irr=irr(net),
        capacity_value=float(capacity_row.sum()),
        capacity_hours=float(capacity_hours * share.sum()),
    )


def annualised(roi: float, horizon: int) -> float:
    """A return over ``horizon`` months as a rate per year, compounded: (1 + ROI)^(12 / H) − 1.
    Benefits are never negative, so 1 + ROI ≥ 0."""
    return float(max(0.0, 1 + roi) ** (12 / horizon) - 1)


# Annual rates between which an IRR is reported: −99.99 % and 1,000,000 % a year.
IRR_LOWEST, IRR_HIGHEST = -0.9999, 10_000.0


def irr(net: Sequence[float] | Array) -> float | None:
    """The internal rate of return per year of monthly net cash flows (month 0 first).

    Reported only for an investment: the flows that are not zero start negative and change
    sign exactly once. Then the NPV falls as the rate rises and is zero at exactly one rate
    (Descartes' rule of signs), found by bisection of the monthly rate. None when the flows
    are no investment (nothing invested, never a return, or several changes of sign, which
    can have several rates or none) or the rate lies outside −99.99 % … 1,000,000 % a year.
    """
    flows = np.asarray(net, dtype=np.float64)
    signs = np.sign(flows[np.abs(flows) > EPSILON])
    if not len(signs) or signs[0] > 0 or np.count_nonzero(np.diff(signs)) != 1:
        return None
    t = np.arange(len(flows), dtype=np.float64)

    def npv(monthly: float) -> float:
        return float(flows @ (1 + monthly) ** -t)

    low, high = ((1 + rate) ** (1 / 12) - 1 for rate in (IRR_LOWEST, IRR_HIGHEST))
    if not npv(low) > 0 > npv(high):
        return None
    for _step in range(200):  # far more than the 53 bits of a float need
        middle = (low + high) / 2
        if npv(middle) > 0:
            low = middle
        else:
            high = middle
    return float((1 + (low + high) / 2) ** 12 - 1)


def _payback(cumulative: Array) -> int | None:
    reached = np.nonzero(cumulative[1:] >= -EPSILON)[0]
    return int(reached[0]) + 1 if len(reached) else None


# Monte Carlo ------------------------------------------------------------------------------------


def pert(estimate: Triple, draws: int, rng: np.random.Generator) -> Array:
    low, likely, high = estimate.low, estimate.likely, estimate.high
    if high == low:
        return np.full(draws, likely, dtype=np.float64)
    alpha = 1 + PERT_LAMBDA * (likely - low) / (high - low)
    beta = 1 + PERT_LAMBDA * (high - likely) / (high - low)
    return np.asarray(low + (high - low) * rng.beta(alpha, beta, size=draws), dtype=np.float64)


@dataclass(frozen=True)
class Percentiles:
    p10: float
    p50: float
    p90: float


@dataclass(frozen=True)
class Simulation:
    draws: int
    seed: int
    npv: Percentiles
    roi: Percentiles | None
    probability_positive: float  # P(NPV > 0)
    payback: Percentiles | None  # of the draws that pay back within the horizon
    probability_payback: float  # share of draws that pay back within the horizon
    payback_by_month: tuple[float, ...]  # P(paid back by month t), t = 0..H
    band: tuple[Percentiles, ...]  # cumulative cash flow per month t = 0..H


PERCENTS = (10, 50, 90)


def sorted_percentiles(ordered: Array) -> Array:
    """``np.percentile(values, [10, 50, 90], axis=-1)`` of values sorted along the last axis.

    The same floats as numpy's default (linear) method, computed the same way: the virtual
    index (n − 1) · q, the two neighbouring order statistics, numpy's two-sided interpolation,
    and NaN where the data hold a NaN (``np.sort`` puts it last). Shape (3, …). Sorting a copy
    and reading three pairs is several times faster than ``np.percentile``'s selection.
    """
    count = ordered.shape[-1]
    virtual = (count - 1) * np.true_divide(np.array(PERCENTS, dtype=np.float64), 100)
    previous = np.floor(virtual)
    following = previous + 1
    beyond = virtual >= count - 1  # at the last value: numpy takes it twice
    previous[beyond] = -1
    following[beyond] = -1
    lower_index, upper_index = previous.astype(np.intp), following.astype(np.intp)
    gamma = virtual - lower_index
    lower, upper = ordered[..., lower_index], ordered[..., upper_index]
    difference = upper - lower
    result = lower + difference * gamma
    np.subtract(upper, difference * (1 - gamma), out=result, where=gamma >= 0.5)
    result[np.isnan(ordered[..., -1])] = np.nan
    return np.asarray(np.moveaxis(result, -1, 0), dtype=np.float64)


def _percentiles(ordered: Array) -> Percentiles:
    p10, p50, p90 = sorted_percentiles(ordered).tolist()
    return Percentiles(p10, p50, p90)


def simulate(case: Case, draws: int = DEFAULT_DRAWS, seed: int = 2026) -> Simulation:
    """Monte Carlo over ``draws`` sets of inputs, all draws at once, one month after another.

    No draws × months matrix is built: each month updates a few vectors of one value per draw
    (NPV, cumulative cash flow, paid back yet), and after the longest ramp drawn every draw's
    monthly net is its full net, computed once. The cumulative cash flow is summed in the order
    ``np.cumsum`` sums a row, so every draw's payback month and the band are the same floats as
    from the matrix; the NPV and the totals are summed in another order than a matrix product
    would (the same within float rounding). Percentiles come from sorted copies
    (:func:`sorted_percentiles`, the floats of ``np.percentile``).
    """
    if not 100 <= draws <= 1_000_000:
        raise ValueError("draws must be between 100 and 1,000,000")
    rng = np.random.default_rng(seed)
    values = {(name, key): pert(t, draws, rng) for name, key, t in case.inputs()}
    ramp = values.pop(("ramp", "months"))
    one_off, monthly_cost, monthly_benefit = (
        np.broadcast_to(np.asarray(amount, dtype=np.float64), (draws,))
        for amount in _amounts(case, values)
    )
    horizon, discount = case.horizon, _discount(case)
    # Months 1 … ramping − 1: before the go-live or while some draw's benefits still grow
    # (min(1, (t − G) / ramp) < 1); from month ``ramping`` on every draw's monthly cash flow is
    # the same, its full net.
    go_live = case.go_live
    ramping = min(go_live + max(1, math.ceil(float(ramp.max()))), horizon + 1)

    npv = -one_off
    cumulative = npv.copy()
    band = np.empty((horizon + 1, min(draws, BAND_DRAWS)), dtype=np.float64)
    band[0] = cumulative[: band.shape[1]]
    paid = np.zeros(draws, dtype=np.bool_)
    reached = np.empty(draws, dtype=np.bool_)
    paid_by = np.zeros(horizon + 1, dtype=np.int64)  # draws paid back by month t
    total_benefits = np.zeros(draws, dtype=np.float64)
    net = np.empty(draws, dtype=np.float64)
    scratch = np.empty(draws, dtype=np.float64)
    full = monthly_benefit - monthly_cost
    for t in range(1, horizon + 1):
        if t < ramping:
            if t <= go_live:  # not live yet: costs without benefits
                scratch.fill(0.0)
            else:
                with np.errstate(divide="ignore", over="ignore"):  # ramp 0 (or tiny): ∞ → 1
                    np.divide(t - go_live, ramp, out=scratch)
                np.minimum(scratch, 1.0, out=scratch)
            np.multiply(monthly_benefit, scratch, out=scratch)
            total_benefits += scratch
            np.subtract(scratch, monthly_cost, out=net)
            npv += np.multiply(net, discount[t], out=scratch)
            cumulative += net
        else:
            cumulative += full
        band[t] = cumulative[: band.shape[1]]
        if paid_by[t - 1] < draws:
            np.greater_equal(cumulative, -EPSILON, out=reached)
            paid |= reached
            paid_by[t] = np.count_nonzero(paid)
        else:
            paid_by[t] = draws
    full_months = horizon + 1 - ramping
    if full_months:
        npv += full * discount[ramping:].sum()
        total_benefits += monthly_benefit * full_months
    total_costs = one_off + monthly_cost * horizon
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # only finite ROIs count
        roi = (total_benefits - total_costs) / total_costs
    finite_roi = np.sort(roi[(total_costs > 0) & np.isfinite(roi)])
    paybacks = np.repeat(np.arange(1, horizon + 1, dtype=np.float64), np.diff(paid_by))
    # The chart band needs no more precision than 20,000 draws give; draws are independent, so
    # the first ones are a fair sample and the percentiles of the rest are not computed.
    band.sort(axis=1)
    low, mid, high = sorted_percentiles(band).tolist()
    return Simulation(
        draws=draws,
        seed=seed,
        npv=_percentiles(np.sort(npv)),
        roi=_percentiles(finite_roi) if len(finite_roi) else None,
        probability_positive=np.count_nonzero(npv > 0) / draws,
        payback=_percentiles(paybacks) if len(paybacks) else None,
        probability_payback=float(paid_by[-1] / draws),
        payback_by_month=tuple((paid_by / draws).tolist()),
        band=tuple(Percentiles(*p) for p in zip(low, mid, high, strict=True)),
    )


def payback_month_with(simulation: Simulation, probability: float) -> int | None:
    """The first month by which the case has paid off with at least this probability."""
    return next(
        (t for t, p in enumerate(simulation.payback_by_month) if p >= probability - 1e-12), None
    )


# Tornado --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Swing:
    item: str
    factor: str
    npv_low: float  # NPV with this input at its minimum
    npv_high: float  # … at its maximum

    @property
    def width(self) -> float:
        return abs(self.npv_high - self.npv_low)


def _with(case: Case, item: str, factor: str, value: float) -> Case:
    if item == "ramp":
        return replace(case, ramp=Triple.point(value))
    items = tuple(
        Item(i.name, i.kind, {**i.factors, factor: Triple.point(value)}) if i.name == item else i
        for i in case.items
    )
    return replace(case, items=items)


def tornado(case: Case) -> list[Swing]:
    """NPV swing of every uncertain input, widest first (inputs without spread are left out)."""
    swings = [
        Swing(
            item,
            factor,
            deterministic(_with(case, item, factor, estimate.low)).npv,
            deterministic(_with(case, item, factor, estimate.high)).npv,
        )
        for item, factor, estimate in case.inputs()
        if estimate.high > estimate.low
    ]
    swings.sort(key=lambda s: (-s.width, s.item, s.factor))
    return swings


def compare(
    cases: Sequence[tuple[str, Case]], draws: int = DEFAULT_DRAWS, seed: int = 2026
) -> list[tuple[str, Simulation]]:
    """Several cases, sorted by P50 NPV, best first."""
    results = [(name, simulate(case, draws, seed)) for name, case in cases]
    results.sort(key=lambda r: -r[1].npv.p50)
    return results


# Make, buy or partner ----------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    criterion: str
    option: str
    contribution: float  # points this answer added to (or took from) the option


@dataclass(frozen=True)
class OptionScore:
    option: str
    score: float
    reasons: tuple[Reason, ...]  # strongest first: for positive scores the pros, else the cons


def score_options(
    weights: Mapping[str, Mapping[str, int]], answers: Mapping[str, int]
) -> list[OptionScore]:
    """score(option) = Σ weight[criterion][option] × (answer − 3); best option first.

    ``weights`` maps criterion → option → weight (−2 … 2); unanswered criteria count as 3.
    """
    options = sorted({o for w in weights.values() for o in w})
    results = []
    for option in options:
        contributions = [
            Reason(criterion, option, float(w.get(option, 0) * (answers[criterion] - 3)))
            for criterion, w in weights.items()
            if criterion in answers and w.get(option, 0) and answers[criterion] != 3
        ]
        score = sum(r.contribution for r in contributions)
        contributions.sort(key=lambda r: -r.contribution if score >= 0 else r.contribution)
        results.append(OptionScore(option, score, tuple(contributions)))
    results.sort(key=lambda r: (-r.score, r.option))
    return results
