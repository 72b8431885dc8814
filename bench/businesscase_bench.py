"""Business case: 100,000 draws × 36 months (< 0.3 s) and 50 cases (< 5 s), against a
straightforward pure-Python Monte Carlo loop measured in the same run."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

from usecases_bench import Result

from startklar.businesscase import caseformat
from startklar.businesscase.engine import Case, ItemKind, compare, simulate
from startklar.core.values import Triple

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "business-case" / "rechnungen.yaml"


def python_loop(case: Case, draws: int, seed: int = 1) -> list[float]:
    """Baseline: one draw at a time, month by month, with the standard library."""
    rng = random.Random(seed)
    rate = case.monthly_rate

    def draw(t: Triple) -> float:
        if t.high == t.low:
            return t.likely
        a = 1 + 4 * (t.likely - t.low) / (t.high - t.low)
        b = 1 + 4 * (t.high - t.likely) / (t.high - t.low)
        return t.low + (t.high - t.low) * rng.betavariate(a, b)

    npvs = []
    for _ in range(draws):
        one_off = monthly_cost = benefit = 0.0
        for item in case.items:
            amount = 1 / 60 if item.kind is ItemKind.TIME_SAVING else 1.0
            for key in item.kind.factors:
                amount *= draw(item.factors[key])
            if item.kind is ItemKind.ONE_OFF:
                one_off += amount
            elif item.kind.is_benefit:
                benefit += amount
            else:
                monthly_cost += amount
        ramp = draw(case.ramp)
        npv = -one_off
        for t in range(1, case.horizon + 1):
            share = min(1.0, t / ramp) if ramp > 0 else 1.0
            npv += (benefit * share - monthly_cost) / (1 + rate) ** t
        npvs.append(npv)
    return npvs


def run() -> Iterator[Result]:
    _name, case = caseformat.read(EXAMPLE)
    simulate(case, 1000)  # warm up numpy
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        simulate(case, 100_000)
        best = min(best, time.perf_counter() - start)
    start = time.perf_counter()
    python_loop(case, 5_000)
    per_draw = (time.perf_counter() - start) / 5_000
    yield Result(
        "Monte Carlo 100,000 draws × 36 months", best * 1000, "ms", 300, per_draw * 100_000 * 1000
    )

    cases = [(f"case {n}", case) for n in range(50)]
    start = time.perf_counter()
    compare(cases)
    elapsed = time.perf_counter() - start
    yield Result(
        "50 cases × 20,000 draws", elapsed * 1000, "ms", 5000, per_draw * 20_000 * 50 * 1000
    )
