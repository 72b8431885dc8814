"""Reads of the business-case feature: the engine's view of a case, results, comparison."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from startklar.core.text import Text
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from . import engine
from .content import Option, load_questionnaire
from .models import Actual, BusinessCase, LineItem


def items(case: BusinessCase) -> list[LineItem]:
    return list(case.items.prefetch_related("factors"))


def to_case(case: BusinessCase, line_items: list[LineItem] | None = None) -> engine.Case:
    """Decimal at the boundary, floats inside the engine."""
    found = line_items if line_items is not None else items(case)
    return engine.Case(
        items=tuple(
            engine.Item(
                name=item.name,
                kind=engine.Kind(item.kind),
                factors={
                    f.key: engine.Triple(float(f.low), float(f.likely), float(f.high))
                    for f in item.factors.all()
                },
            )
            for item in found
        ),
        horizon=case.horizon,
        annual_rate=float(case.discount_rate) / 100,
        ramp=engine.Triple(float(case.ramp_low), float(case.ramp_likely), float(case.ramp_high)),
    )


@dataclass(frozen=True)
class Analysis:
    case: BusinessCase
    items: list[LineItem]
    result: engine.Result
    simulation: engine.Simulation
    swings: list[engine.Swing]
    payback_80: int | None

    @property
    def has_benefits(self) -> bool:
        return any(i.is_benefit for i in self.items)

    def month_label(self, month: int) -> datetime.date:
        start = self.case.start
        year, index = divmod(start.month - 1 + month, 12)
        return datetime.date(start.year + year, index + 1, 1)


def analysis(case: BusinessCase, draws: int = engine.DEFAULT_DRAWS) -> Analysis:
    found = items(case)
    model = to_case(case, found)
    simulation = engine.simulate(model, draws)
    return Analysis(
        case=case,
        items=found,
        result=engine.deterministic(model),
        simulation=simulation,
        swings=engine.tornado(model),
        payback_80=engine.payback_month_with(simulation, 0.8),
    )


@dataclass(frozen=True)
class ComparisonRow:
    use_case: UseCase
    case: BusinessCase | None
    simulation: engine.Simulation | None


def comparison(tenant: Tenant) -> list[ComparisonRow]:
    """All use cases; those with a business case sorted by P50 NPV, best first."""
    rows = []
    for use_case in (
        tenant.scoped(UseCase.objects).select_related("business_case").order_by("title")
    ):
        case = getattr(use_case, "business_case", None)
        simulation = engine.simulate(to_case(case), 5_000) if case is not None else None
        rows.append(ComparisonRow(use_case, case, simulation))
    rows.sort(key=lambda r: (r.simulation is None, -(r.simulation.npv.p50 if r.simulation else 0)))
    return rows


@dataclass(frozen=True)
class ActualRow:
    month: int
    date: datetime.date
    plan: float
    actual: Decimal | None

    @property
    def difference(self) -> float | None:
        return None if self.actual is None else float(self.actual) - self.plan


def plan_vs_actual(analysis_: Analysis) -> list[ActualRow]:
    """Planned benefits per month (most likely values, with the ramp) against recorded ones."""
    recorded: defaultdict[datetime.date, Decimal] = defaultdict(Decimal)
    for actual in Actual.objects.filter(item__business_case=analysis_.case):
        recorded[actual.month] += actual.value
    return [
        ActualRow(
            m.month,
            analysis_.month_label(m.month),
            m.benefits,
            recorded.get(analysis_.month_label(m.month)),
        )
        for m in analysis_.result.months
    ]


@dataclass(frozen=True)
class Recommendation:
    option: Option
    score: float
    reasons: tuple[Text, ...]  # why, strongest first


def recommendation(case: BusinessCase) -> list[Recommendation]:
    """The options by score, each with the reasons of the answers that moved it most."""
    questionnaire = load_questionnaire()
    answers = dict(case.answers.values_list("criterion_id", "value"))
    criteria = {c.id: c for c in questionnaire.criteria}
    return [
        Recommendation(
            option=questionnaire.option(scored.option),
            score=scored.score,
            reasons=tuple(
                (
                    criteria[r.criterion].reason_high
                    if answers[r.criterion] > 3
                    else criteria[r.criterion].reason_low
                )[scored.option]
                for r in scored.reasons[:3]
            ),
        )
        for scored in engine.score_options(questionnaire.weights, answers)
    ]
