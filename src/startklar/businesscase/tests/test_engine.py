"""The business-case engine: the worked example to the cent, properties, bad input."""

from __future__ import annotations

import itertools
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from startklar.businesscase import caseformat
from startklar.businesscase.engine import (
    Case,
    Item,
    ItemKind,
    deterministic,
    payback_month_with,
    pert,
    simulate,
    tornado,
)
from startklar.cli import main
from startklar.core.values import Triple

ROOT = Path(__file__).resolve().parents[4]
P = Triple.point


def cents(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


SIX = Triple.point(6)


def worked_example(horizon: int = 12, minutes: Triple = SIX) -> Case:
    return Case(
        items=(
            Item("Einführung", ItemKind.ONE_OFF, {"amount": P(6000)}),
            Item("Schulung", ItemKind.ONE_OFF, {"amount": P(1500)}),
            Item("Lizenz", ItemKind.MONTHLY, {"amount": P(250)}),
            Item("Betreuung", ItemKind.INTERNAL_HOURS, {"hours": P(4), "rate": P(60)}),
            Item(
                "Zeit",
                ItemKind.TIME_SAVING,
                {"minutes": minutes, "cases": P(600), "rate": P(45), "cash_share": P(1)},
            ),
        ),
        horizon=horizon,
        annual_rate=0.08,
        ramp=P(3),
    )


def test_the_worked_example_of_the_docs_to_the_cent() -> None:
    result = deterministic(worked_example())
    assert cents(result.npv) == Decimal("15266.39")
    assert result.payback_month == 5
    assert result.roi is not None
    assert round(result.roi, 4) == 1.2197
    assert (result.total_costs, result.total_benefits) == (13380.0, 29700.0)
    assert [m.net for m in result.months[:4]] == [-7500, 410, 1310, 2210]
    assert result.months[5].cumulative == 850
    docs = (ROOT / "docs" / "business-case.md").read_text()
    assert "15,266.39" in docs
    assert "month 5" in docs


def test_twelve_months_discount_like_one_year() -> None:
    case = worked_example()
    assert (1 + case.monthly_rate) ** 12 == pytest.approx(1.08)


@pytest.mark.parametrize(
    ("file", "npv", "payback"),
    [
        ("rechnungen", "60638.74", 5),
        ("wartung", "64847.76", 15),
        ("social-media", "-11263.16", None),
        ("rechnungen-mit-vorlauf", "16061.65", 14),
    ],
)
def test_the_examples_match_the_hand_calculation_in_the_docs(
    file: str, npv: str, payback: int | None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "business-case",
                "simulate",
                str(ROOT / "examples" / "business-case" / f"{file}.yaml"),
                "--json",
                "--draws",
                "2000",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert Decimal(str(data["deterministic"]["npv"])) == Decimal(npv)
    assert data["deterministic"]["payback_month"] == payback
    formatted = f"{Decimal(npv):,.2f}".replace("-", "−")
    assert formatted in (ROOT / "docs" / "business-case.md").read_text()


def test_the_tornado_names_the_assumption_that_matters_most() -> None:
    name, case = caseformat.read(ROOT / "examples" / "business-case" / "wartung.yaml")
    swings = tornado(case)
    assert (swings[0].item, swings[0].factor) == ("Vermiedene Stillstände", "errors")
    assert all(a.width >= b.width for a, b in itertools.pairwise(swings))
    assert name == "Maschinenausfälle vorhersagen"


def test_pert_draws_respect_the_bounds_and_the_mean() -> None:
    draws = pert(Triple(10, 20, 60), 200_000, np.random.default_rng(1))
    assert draws.min() >= 10
    assert draws.max() <= 60
    assert draws.mean() == pytest.approx((10 + 4 * 20 + 60) / 6, rel=0.01)


def test_a_fixed_seed_reproduces_the_simulation() -> None:
    case = worked_example(36, Triple(4, 6, 8))
    assert simulate(case, 5000, seed=7) == simulate(case, 5000, seed=7)
    assert simulate(case, 5000, seed=7).npv != simulate(case, 5000, seed=8).npv


def test_the_payback_probability_reads_like_the_sentence_in_the_ui() -> None:
    simulation = simulate(worked_example(36, Triple(3, 6, 12)), 20_000)
    month = payback_month_with(simulation, 0.8)
    assert month is not None
    assert simulation.payback_by_month[month] >= 0.8
    assert simulation.payback_by_month[month - 1] < 0.8


def test_no_benefits_give_a_negative_npv_and_no_payback() -> None:
    case = Case((Item("Lizenz", ItemKind.MONTHLY, {"amount": Triple(50, 100, 200)}),), horizon=24)
    result = deterministic(case)
    assert result.npv < 0
    assert result.payback_month is None
    simulation = simulate(case, 1000)
    assert simulation.probability_positive == 0
    assert simulation.payback is None


def test_huge_amounts_stay_finite() -> None:
    huge = Triple(1e15, 2e15, 3e15)
    case = Case(
        (
            Item("A", ItemKind.ONE_OFF, {"amount": huge}),
            Item("B", ItemKind.OTHER_SAVING, {"amount": huge}),
        ),
        horizon=240,
    )
    simulation = simulate(case, 1000)
    assert np.isfinite([simulation.npv.p10, simulation.npv.p90]).all()
    assert np.isfinite(deterministic(case).npv)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Triple(5, 3, 9), "min ≤ most likely ≤ max"),
        (lambda: Triple(float("nan"), 1, 2), "finite"),
        (lambda: Item("x", ItemKind.MONTHLY, {"amount": Triple(-1, 0, 1)}), "negative"),
        (lambda: Item("x", ItemKind.TIME_SAVING, {"minutes": P(1)}), "needs exactly"),
        (lambda: Item("x", ItemKind.EXTRA_REVENUE, {"revenue": P(1), "margin": P(30)}), "margin"),
        (lambda: Case((), horizon=0), "horizon"),
        (lambda: Case((), annual_rate=2), "discount rate"),
        (lambda: simulate(Case(()), draws=5), "draws"),
    ],
)
def test_bad_input_is_refused_with_a_reason(build: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]


triples = st.tuples(st.floats(0, 1000), st.floats(0, 1000), st.floats(0, 1000)).map(
    lambda t: Triple(*sorted(t))
)


@settings(max_examples=40, deadline=None)
@given(triples, st.floats(0, 500))
def test_more_benefit_never_lowers_the_npv(benefit: Triple, extra: float) -> None:
    base = worked_example(24, benefit)
    more = worked_example(
        24, Triple(benefit.low + extra, benefit.likely + extra, benefit.high + extra)
    )
    assert deterministic(more).npv >= deterministic(base).npv - 1e-6
    assert simulate(more, 500, 3).npv.p50 >= simulate(base, 500, 3).npv.p50 - 1e-6


@settings(max_examples=25, deadline=None)
@given(st.floats(0, 100), st.integers(1, 48), st.integers(0, 12))
def test_zero_spread_makes_all_percentiles_the_deterministic_result(
    minutes: float, horizon: int, ramp: int
) -> None:
    case = Case(worked_example(horizon, P(minutes)).items, horizon, 0.08, P(ramp))
    expected = deterministic(case)
    simulation = simulate(case, 200)
    for value in (simulation.npv.p10, simulation.npv.p50, simulation.npv.p90):
        assert value == pytest.approx(expected.npv, rel=1e-9, abs=1e-6)
    if expected.payback_month is not None:
        assert simulation.payback is not None
        assert simulation.payback.p50 == expected.payback_month
