"""The fast Monte Carlo engine gives the results of the plain numpy algorithm it replaced.

``reference_simulate`` below is a frozen copy of ``engine.simulate`` as it was before the engine
was made faster (issue 12): every input drawn for all draws, the draws × months cash-flow matrix,
``net @ discount``, ``np.cumsum`` and ``np.percentile``. The engine draws the same numbers from
the same seed, so everything that follows from the cumulative cash flow (the payback month of
every draw, the payback percentiles and probabilities, the chart band) must be the same floats,
and the NPV and ROI, which the engine sums in another order, the same within 1e-9 of the
figures' size. ``GOLDEN`` holds figures the engine printed before the change, so the reference
itself is known to be that engine. Issue 13 added the go-live month to both (benefits nothing up
to month G, then min(1, (t − G) / R)); at G = 0 the reference is the frozen copy's arithmetic.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from startklar.businesscase import caseformat
from startklar.businesscase.engine import (
    BAND_DRAWS,
    DEFAULT_DRAWS,
    EPSILON,
    SHARES,
    Array,
    Case,
    Item,
    ItemKind,
    Percentiles,
    Simulation,
    pert,
    simulate,
    sorted_percentiles,
)
from startklar.core.values import Triple

ROOT = Path(__file__).resolve().parents[4]
EXAMPLE = ROOT / "examples" / "business-case" / "rechnungen.yaml"
P = Triple.point
TOLERANCE = 1e-9


# The engine before issue 12, kept as it was (plain numpy) --------------------------------------


def _reference_flows(
    case: Case, values: dict[tuple[str, str], Array], ramp: Array
) -> tuple[Array, Array, Array]:
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
    t = np.arange(1, case.horizon + 1, dtype=np.float64)
    live = t - case.go_live
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # (only warnings added)
        share = np.where(ramp[..., None] > 0, live / ramp[..., None], np.where(live > 0, 1.0, 0.0))
    share = np.clip(share, 0.0, 1.0)
    benefits = np.asarray(monthly_benefit, dtype=np.float64)[..., None] * share
    costs = np.broadcast_to(
        np.asarray(monthly_cost, dtype=np.float64)[..., None], benefits.shape
    ).astype(np.float64)
    return np.asarray(one_off, dtype=np.float64), costs, benefits


def _reference_percentiles(values: Array) -> Percentiles:
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return Percentiles(float(p10), float(p50), float(p90))


def reference_simulate(case: Case, draws: int = DEFAULT_DRAWS, seed: int = 2026) -> Simulation:
    rng = np.random.default_rng(seed)
    values = {(name, key): pert(t, draws, rng) for name, key, t in case.inputs()}
    ramp = values.pop(("ramp", "months"))
    one_off, costs, benefits = _reference_flows(case, values, ramp)
    net = np.concatenate((-np.broadcast_to(one_off, (draws,))[:, None], benefits - costs), axis=1)
    discount = (1 + case.monthly_rate) ** -np.arange(0, case.horizon + 1, dtype=np.float64)
    npv = net @ discount
    cumulative = np.cumsum(net, axis=1)
    total_costs = np.broadcast_to(one_off, (draws,)) + costs.sum(axis=1)
    total_benefits = benefits.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        roi = np.where(total_costs > 0, (total_benefits - total_costs) / total_costs, np.nan)
    paid = cumulative[:, 1:] >= -EPSILON
    ever = paid.any(axis=1)
    first = np.where(ever, paid.argmax(axis=1) + 1, case.horizon + 1)
    counts = np.bincount(np.minimum(first, case.horizon + 1), minlength=case.horizon + 2)
    by_month = (np.cumsum(counts)[: case.horizon + 1] / draws).tolist()
    band = np.percentile(cumulative[:BAND_DRAWS], [10, 50, 90], axis=0)
    finite_roi = roi[np.isfinite(roi)]
    return Simulation(
        draws=draws,
        seed=seed,
        npv=_reference_percentiles(npv),
        roi=_reference_percentiles(finite_roi) if len(finite_roi) else None,
        probability_positive=float((npv > 0).mean()),
        payback=_reference_percentiles(first[ever].astype(np.float64)) if ever.any() else None,
        probability_payback=float(ever.mean()),
        payback_by_month=tuple(by_month),
        band=tuple(
            Percentiles(float(low), float(mid), float(high))
            for low, mid, high in zip(band[0], band[1], band[2], strict=True)
        ),
    )


# Comparing two simulations ---------------------------------------------------------------------


def _close(new: Percentiles, old: Percentiles, scale: float) -> bool:
    return all(
        abs(a - b) <= TOLERANCE * max(abs(a), abs(b), scale)
        for a, b in ((new.p10, old.p10), (new.p50, old.p50), (new.p90, old.p90))
    )


def assert_same(new: Simulation, old: Simulation) -> None:
    """Bit for bit where the arithmetic is the same; NPV and ROI within 1e-9 of their size.

    The NPV's size is that of the cash flows (the largest cumulative amount of the band, as an
    NPV near zero is a difference of large amounts); the ROI's is 1 + |ROI| (benefits ÷ costs).
    """
    assert (new.draws, new.seed) == (old.draws, old.seed)
    assert new.band == old.band
    assert new.payback == old.payback
    assert new.probability_payback == old.probability_payback
    assert new.payback_by_month == old.payback_by_month
    assert new.probability_positive == old.probability_positive
    flows = max(max(abs(p.p10), abs(p.p90)) for p in old.band)
    assert _close(new.npv, old.npv, max(flows, 1.0)), (new.npv, old.npv)
    if old.roi is None:
        assert new.roi is None
    else:
        assert new.roi is not None
        assert _close(new.roi, old.roi, 1 + max(abs(old.roi.p10), abs(old.roi.p90))), (
            new.roi,
            old.roi,
        )


# Today's figures, recorded from the engine before the change -----------------------------------

# (case, draws) → NPV, ROI, payback month, P(NPV > 0), P(payback), cumulative cash flow of the
# last month; seed 2026. Printed by the engine at commit 2725d24.
GOLDEN: dict[
    tuple[str, int], tuple[Percentiles, Percentiles, Percentiles, float, float, Percentiles]
] = {
    ("example", 20_000): (
        Percentiles(43591.46830674338, 59023.33821716628, 74882.87121741445),
        Percentiles(1.8348639458680325, 2.5794271167411953, 3.439941563387362),
        Percentiles(5.0, 6.0, 7.0),
        1.0,
        1.0,
        Percentiles(50239.86219762082, 67644.22362136564, 85517.36231934646),
    ),
    ("example", 100_000): (
        Percentiles(43578.12991384729, 58907.673905532596, 75152.12815297721),
        Percentiles(1.834198739569888, 2.5775980401488665, 3.449569192324983),
        Percentiles(5.0, 6.0, 7.0),
        1.0,
        1.0,
        Percentiles(50284.63200542085, 67544.31507139264, 85807.77300176401),
    ),
    ("ramp_zero", 20_000): (
        Percentiles(-833.9104101206609, 4274.963236944944, 10309.760515571845),
        Percentiles(-0.06216926927045413, 0.47267454838230066, 1.2043964576541886),
        Percentiles(6.0, 10.0, 18.0),
        0.8534,
        0.86535,
        Percentiles(-678.1407047139078, 4683.082348675349, 11011.384298229745),
    ),
    ("ramp_beyond_horizon", 20_000): (
        Percentiles(-11917.12746573791, -5205.59115123909, 1758.8676817319092),
        Percentiles(-0.6229832438998423, -0.3336217698201406, 0.11041177196719398),
        Percentiles(10.0, 12.0, 12.0),
        0.16675,
        0.15895,
        Percentiles(-12037.825985062236, -5356.965390438291, 1538.3691307371676),
    ),
}


# Cases ----------------------------------------------------------------------------------------


def example() -> Case:
    return caseformat.read(EXAMPLE)[1]


def ramp_zero() -> Case:
    """Full effect from month 1; every kind of cost and a time saving."""
    return Case(
        items=(
            Item("Einrichtung", ItemKind.ONE_OFF, {"amount": Triple(2000, 3000, 8000)}),
            Item("Lizenz", ItemKind.MONTHLY, {"amount": Triple(90, 120, 200)}),
            Item("Pflege", ItemKind.INTERNAL_HOURS, {"hours": Triple(1, 2, 6), "rate": P(55)}),
            Item(
                "Angebote",
                ItemKind.TIME_SAVING,
                {
                    "minutes": Triple(5, 12, 20),
                    "cases": Triple(40, 60, 90),
                    "rate": P(50),
                    "cash_share": P(1),  # a point draws nothing: the golden figures hold
                },
            ),
        ),
        horizon=24,
        annual_rate=0.05,
        ramp=P(0),
    )


def ramp_beyond_horizon() -> Case:
    """Benefits still growing when the horizon ends; no monthly costs; a negative rate."""
    return Case(
        items=(
            Item("Projekt", ItemKind.ONE_OFF, {"amount": Triple(10_000, 15_000, 30_000)}),
            Item("Fehler", ItemKind.ERROR_AVOIDANCE, {"errors": Triple(0, 3, 10), "cost": P(400)}),
            Item(
                "Umsatz",
                ItemKind.EXTRA_REVENUE,
                {"revenue": Triple(1000, 5000, 9000), "margin": Triple(0.1, 0.25, 0.3)},
            ),
            Item("Sonstiges", ItemKind.OTHER_SAVING, {"amount": Triple(0, 0, 500)}),
        ),
        horizon=12,
        annual_rate=-0.02,
        ramp=Triple(13, 18, 30),
    )


def all_points() -> Case:
    """No uncertainty at all: every draw the same, payback exactly at a month boundary."""
    return Case(
        items=(
            Item("Start", ItemKind.ONE_OFF, {"amount": P(1200)}),
            Item("Lizenz", ItemKind.MONTHLY, {"amount": P(100)}),
            Item("Ersparnis", ItemKind.OTHER_SAVING, {"amount": P(400)}),
        ),
        horizon=36,
        annual_rate=0.0,
        ramp=P(0),
    )


def only_costs_and_a_partial_ramp() -> Case:
    """Costs only (no payback, NPV below zero) with a ramp that starts at zero."""
    return Case(
        items=(Item("Lizenz", ItemKind.MONTHLY, {"amount": Triple(50, 80, 80)}),),
        horizon=240,
        annual_rate=0.08,
        ramp=Triple(0, 1, 4),
    )


def only_benefits() -> Case:
    """No costs at all: no ROI; paid back in month 1."""
    return Case(
        items=(Item("Ersparnis", ItemKind.OTHER_SAVING, {"amount": Triple(10, 20, 40)}),),
        horizon=6,
        ramp=Triple(0, 0, 3),
    )


def go_live_later() -> Case:
    """Live in month 5 of 24: costs without benefits first, then the ramp."""
    return replace(ramp_zero(), ramp=Triple(0, 2, 7), go_live=5)


CASES = {
    "example": example,
    "go_live_later": go_live_later,
    "ramp_zero": ramp_zero,
    "ramp_beyond_horizon": ramp_beyond_horizon,
    "all_points": all_points,
    "only_costs_and_a_partial_ramp": only_costs_and_a_partial_ramp,
    "only_benefits": only_benefits,
    "empty": lambda: Case(()),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_engine_gives_the_figures_of_the_plain_numpy_algorithm(name: str) -> None:
    case = CASES[name]()
    for draws, seed in ((DEFAULT_DRAWS, 2026), (1000, 7)):
        assert_same(simulate(case, draws, seed), reference_simulate(case, draws, seed))


def test_a_hundred_thousand_draws_give_the_same_figures() -> None:
    case = example()
    assert_same(simulate(case, 100_000), reference_simulate(case, 100_000))


@pytest.mark.parametrize(("name", "draws"), sorted(GOLDEN))
def test_the_reference_and_the_engine_print_the_figures_of_the_engine_before(
    name: str, draws: int
) -> None:
    npv, roi, payback, positive, paid, last = GOLDEN[(name, draws)]
    case = CASES[name]()
    for simulation in (reference_simulate(case, draws), simulate(case, draws)):
        assert simulation.roi is not None
        assert simulation.payback == payback
        assert (simulation.probability_positive, simulation.probability_payback) == (positive, paid)
        for found, expected in ((simulation.npv, npv), (simulation.roi, roi)):
            for a, b in (
                (found.p10, expected.p10),
                (found.p50, expected.p50),
                (found.p90, expected.p90),
            ):
                assert a == pytest.approx(b, rel=TOLERANCE)
        for a, b in zip(
            (simulation.band[-1].p10, simulation.band[-1].p50, simulation.band[-1].p90),
            (last.p10, last.p50, last.p90),
            strict=True,
        ):
            assert a == pytest.approx(b, rel=TOLERANCE)


# Random small cases ----------------------------------------------------------------------------


@st.composite
def triples(draw: st.DrawFn, high: float = 1000.0) -> Triple:
    if draw(st.booleans()):
        return P(draw(st.floats(0, high)))
    low, likely, top = sorted(draw(st.tuples(*(st.floats(0, high),) * 3)))
    return Triple(low, likely, top)


@st.composite
def items(draw: st.DrawFn, name: str) -> Item:
    kind = draw(st.sampled_from(list(ItemKind)))
    return Item(
        name,
        kind,
        {key: draw(triples(1.0 if key in SHARES else 1000.0)) for key in kind.factors},
    )


@st.composite
def cases(draw: st.DrawFn) -> Case:
    count = draw(st.integers(0, 5))
    horizon = draw(st.one_of(st.integers(1, 48), st.just(240)))
    return Case(
        items=tuple(draw(items(f"item {n}")) for n in range(count)),
        horizon=horizon,
        go_live=draw(st.integers(0, horizon - 1)),
        annual_rate=draw(st.floats(-0.4, 0.9)),
        ramp=draw(triples(120.0)),
    )


@settings(max_examples=150, deadline=None)
@given(cases(), st.integers(200, 2000), st.integers(0, 2**32 - 1))
def test_random_small_cases_give_the_figures_of_the_plain_numpy_algorithm(
    case: Case, draws: int, seed: int
) -> None:
    assert_same(simulate(case, draws, seed), reference_simulate(case, draws, seed))


# The percentiles of sorted data ----------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from([0.0, -0.0, 1.0, 1e300]),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_sorted_percentiles_are_the_floats_of_np_percentile(values: list[float]) -> None:
    data = np.array(values, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        expected = np.percentile(data, [10, 50, 90])
        found = sorted_percentiles(np.sort(data))
    assert np.array_equal(found, expected, equal_nan=True), (found, expected)


@pytest.mark.parametrize("size", [1, 2, 3, 10, 11, 20_000, 100_000])
def test_sorted_percentiles_along_rows_are_those_of_np_percentile(size: int) -> None:
    rows = np.random.default_rng(size).normal(1000, 500, size=(4, size)).cumsum(axis=0)
    rows[3, size // 2] = np.nan
    expected = np.percentile(rows, [10, 50, 90], axis=1)
    found = sorted_percentiles(np.sort(rows, axis=1))
    assert found.shape == (3, 4)
    assert np.array_equal(found, expected, equal_nan=True), (found, expected)
