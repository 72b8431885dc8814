"""Potential analysis, portfolio quadrants, the recommended focus set and the budget optimiser.

Each criterion is scored 1–5 (5 is always good; for risk, 5 means low risk). An axis score is
the weighted mean of its criteria mapped to 0–100. The optimiser picks the set of use cases
with the most value whose costs fit the budget and whose person-days fit the capacity (a 0/1
knapsack with two limits, solved exactly with scipy's MILP solver).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from startklar.core.text import Text

THRESHOLD = 50.0
FOCUS_MAX = 3


class Axis(StrEnum):
    VALUE = "nutzen"
    FEASIBILITY = "umsetzbarkeit"


@dataclass(frozen=True)
class Criterion:
    id: str
    axis: Axis
    name: Text
    help: Text
    weight: float  # default weight
    informed_by: str | None = None  # readiness dimension that suggests the default score


@dataclass(frozen=True)
class DefaultScore:
    score: int
    dimension: str | None  # the readiness dimension it came from, None: neutral default
    dimension_score: float | None


def default_scores(
    criteria: Sequence[Criterion], readiness: Mapping[str, float | None] | None
) -> dict[str, DefaultScore]:
    """Start values for a new use case: 3, or what the latest readiness round suggests
    (a weak data dimension suggests low data availability, and so on)."""
    result = {}
    for criterion in criteria:
        value = (
            readiness.get(criterion.informed_by) if readiness and criterion.informed_by else None
        )
        if value is None:
            result[criterion.id] = DefaultScore(3, None, None)
        else:
            level = 1 + round(value / 25)  # 0–100 → 1–5
            result[criterion.id] = DefaultScore(level, criterion.informed_by, value)
    return result


def axis_score(
    criteria: Sequence[Criterion],
    axis: Axis,
    scores: Mapping[str, float],
    weights: Mapping[str, float] | None = None,
) -> float | None:
    """Weighted mean of the axis's scored criteria, 0–100; None if none is scored."""
    pairs = [
        ((weights or {}).get(c.id, c.weight), scores[c.id])
        for c in criteria
        if c.axis is axis and c.id in scores
    ]
    total = sum(w for w, _s in pairs)
    if not pairs or total <= 0:
        return None
    return sum(w * (s - 1) / 4 * 100 for w, s in pairs) / total


class Quadrant(StrEnum):
    QUICK_WINS = "quick_wins"
    STRATEGIC_LEVERS = "strategische_hebel"
    NICE_TO_HAVE = "nice_to_have"
    AVOID = "vermeiden"


def quadrant(value: float, feasibility: float) -> Quadrant:
    if value >= THRESHOLD:
        return Quadrant.QUICK_WINS if feasibility >= THRESHOLD else Quadrant.STRATEGIC_LEVERS
    return Quadrant.NICE_TO_HAVE if feasibility >= THRESHOLD else Quadrant.AVOID


@dataclass(frozen=True)
class Candidate:
    id: str
    value: float  # 0–100 (value axis), or any value measure
    feasibility: float
    cost: float  # EUR
    days: float  # person-days


def focus_set(candidates: Sequence[Candidate]) -> tuple[Candidate, ...]:
    """Two or three use cases to start with: quick wins first, then strategic levers, by the
    mean of value and feasibility."""
    order = {Quadrant.QUICK_WINS: 0, Quadrant.STRATEGIC_LEVERS: 1}
    eligible = [c for c in candidates if quadrant(c.value, c.feasibility) in order]
    eligible.sort(
        key=lambda c: (order[quadrant(c.value, c.feasibility)], -(c.value + c.feasibility), c.id)
    )
    return tuple(eligible[:FOCUS_MAX])


class Why(StrEnum):
    CHOSEN = "chosen"
    OVER_BUDGET_ALONE = "over_budget_alone"  # costs more than the whole budget
    OVER_CAPACITY_ALONE = "over_capacity_alone"
    NO_BUDGET_LEFT = "no_budget_left"  # would fit alone, but not next to the chosen ones
    NO_CAPACITY_LEFT = "no_capacity_left"
    LESS_VALUE = "less_value"  # fits, but the chosen combination is worth more
    NO_VALUE = "no_value"


@dataclass(frozen=True)
class Decision:
    candidate: Candidate
    why: Why

    @property
    def chosen(self) -> bool:
        return self.why is Why.CHOSEN


@dataclass(frozen=True)
class Plan:
    chosen: tuple[Candidate, ...]
    decisions: tuple[Decision, ...]
    budget: float
    capacity: float
    feasible: bool  # False: not a single candidate fits the limits

    @property
    def value(self) -> float:
        return sum(c.value for c in self.chosen)

    @property
    def cost(self) -> float:
        return sum(c.cost for c in self.chosen)

    @property
    def days(self) -> float:
        return sum(c.days for c in self.chosen)


def optimise(candidates: Sequence[Candidate], budget: float, capacity: float) -> Plan:
    """The most valuable set within budget (EUR) and capacity (person-days)."""
    if budget < 0 or capacity < 0:
        raise ValueError("budget and capacity must not be negative")
    fits_alone = [c for c in candidates if c.cost <= budget and c.days <= capacity and c.value > 0]
    chosen_ids: set[str] = set()
    if fits_alone:
        # Imported here: scipy takes about a second to load, and every ``startklar`` command
        # (backup, worker, …) would pay for it through the content loaders.
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint, milp

        values = np.array([c.value for c in fits_alone])
        limits = LinearConstraint(
            np.array([[c.cost for c in fits_alone], [c.days for c in fits_alone]]),
            ub=np.array([budget, capacity]),
        )
        result = milp(
            -values,
            constraints=limits,
            integrality=np.ones(len(fits_alone), dtype=np.int8),
            bounds=Bounds(0, 1),
            options={"mip_rel_gap": 0},  # the best set, not one within 0.01 % of it
        )
        if result.x is not None:
            chosen_ids = {c.id for c, x in zip(fits_alone, result.x, strict=True) if x > 0.5}
    chosen = tuple(c for c in candidates if c.id in chosen_ids)
    cost_left = budget - sum(c.cost for c in chosen)
    days_left = capacity - sum(c.days for c in chosen)
    decisions = []
    for c in candidates:
        if c.id in chosen_ids:
            why = Why.CHOSEN
        elif c.value <= 0:
            why = Why.NO_VALUE
        elif c.cost > budget:
            why = Why.OVER_BUDGET_ALONE
        elif c.days > capacity:
            why = Why.OVER_CAPACITY_ALONE
        elif c.cost > cost_left:
            why = Why.NO_BUDGET_LEFT
        elif c.days > days_left:
            why = Why.NO_CAPACITY_LEFT
        else:
            why = Why.LESS_VALUE
        decisions.append(Decision(c, why))
    return Plan(chosen, tuple(decisions), budget, capacity, feasible=bool(fits_alone))
