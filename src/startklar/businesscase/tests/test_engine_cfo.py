"""Issue 13 (points 20 and 21): go-live month, cash-effective time savings and freed capacity,
discounted payback, IRR and annualised ROI; the second worked example of
``docs/business-case.md`` to the cent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from startklar.businesscase.engine import (
    Case,
    Item,
    ItemKind,
    annualised,
    benefit_share,
    deterministic,
    irr,
    simulate,
)
from startklar.core.values import Triple

ROOT = Path(__file__).resolve().parents[4]
P = Triple.point


def cents(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def invoices(horizon: int = 36, go_live: int = 2, cash_share: float = 0.5, ramp: float = 3) -> Case:
    """The worked example of the docs (Muster Metallbau), with a go-live month and a share."""
    return Case(
        items=(
            Item("Einführung", ItemKind.ONE_OFF, {"amount": P(6000)}),
            Item("Schulung", ItemKind.ONE_OFF, {"amount": P(1500)}),
            Item("Lizenz", ItemKind.MONTHLY, {"amount": P(250)}),
            Item("Betreuung", ItemKind.INTERNAL_HOURS, {"hours": P(4), "rate": P(60)}),
            Item(
                "Zeit",
                ItemKind.TIME_SAVING,
                {"minutes": P(6), "cases": P(600), "rate": P(45), "cash_share": P(cash_share)},
            ),
        ),
        horizon=horizon,
        annual_rate=0.08,
        ramp=P(ramp),
        go_live=go_live,
    )


# Go-live month and ramp ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("go_live", "ramp", "shares"),
    [
        (0, 0, [1, 1, 1, 1, 1, 1]),
        (0, 3, [1 / 3, 2 / 3, 1, 1, 1, 1]),
        (2, 0, [0, 0, 1, 1, 1, 1]),
        (2, 3, [0, 0, 1 / 3, 2 / 3, 1, 1]),
        (1, 2.5, [0, 0.4, 0.8, 1, 1, 1]),
        (5, 6, [0, 0, 0, 0, 0, 1 / 6]),
    ],
)
def test_benefits_start_after_the_go_live_month_and_then_ramp_up(
    go_live: int, ramp: float, shares: list[float]
) -> None:
    case = Case((), horizon=6, go_live=go_live, ramp=P(ramp))
    assert benefit_share(case, ramp) == pytest.approx(shares)


@pytest.mark.parametrize(
    ("go_live", "cash_share", "npv", "payback", "discounted_payback"),
    [
        (0, 1.0, "60638.74", 5, 5),  # the example of the docs as before: unchanged
        (2, 1.0, "55324.53", 8, 8),  # two months later live: benefits and payback move
        (0, 0.5, "18718.75", 11, 11),  # half of the time saved is cash
        (2, 0.5, "16061.65", 14, 15),  # both: the second worked example
    ],
)
def test_go_live_and_cash_share_move_npv_and_payback(
    go_live: int, cash_share: float, npv: str, payback: int, discounted_payback: int
) -> None:
    result = deterministic(invoices(36, go_live, cash_share))
    assert cents(result.npv) == Decimal(npv)
    assert (result.payback_month, result.discounted_payback_month) == (payback, discounted_payback)


def test_the_second_worked_example_of_the_docs_to_the_cent() -> None:
    result = deterministic(invoices())
    months = result.months
    # Costs from month 1, cash benefits only from month 3 (live after month 2, ramp 3 months).
    assert [m.benefits for m in months[:6]] == [0, 0, 0, 450, 900, 1350]
    assert [m.net for m in months[:6]] == [-7500, -490, -490, -40, 410, 860]
    assert (months[13].cumulative, months[14].cumulative) == (-370, 490)
    assert [cents(m.discounted_cumulative) for m in months[14:16]] == [
        Decimal("-17.20"),
        Decimal("763.92"),
    ]
    assert cents(result.npv) == Decimal("16061.65")
    assert (result.payback_month, result.discounted_payback_month) == (14, 15)
    assert (result.total_costs, result.total_benefits) == (25140.0, 44550.0)
    assert result.roi is not None
    assert result.roi_annualised is not None
    assert result.irr is not None
    assert round(result.roi, 4) == 0.7721
    assert round(result.roi_annualised, 4) == 0.2101
    assert round(result.irr, 4) == 1.2945
    assert (result.capacity_value, result.capacity_hours) == (44550.0, 990.0)
    docs = (ROOT / "docs" / "business-case.md").read_text()
    for figure in ("16,061.65", "month 14", "month 15", "77.21 %", "21.01 %", "129.45 %", "990"):
        assert figure in docs, figure


def test_an_existing_case_keeps_its_figures_at_the_defaults() -> None:
    """Go-live 0 and a cash share of 1 are the case as it was computed before issue 13."""
    before = invoices(12, 0, 1.0)
    assert before.go_live == Case(before.items, 12, 0.08, P(3)).go_live == 0
    result = deterministic(before)
    assert cents(result.npv) == Decimal("15266.39")
    assert result.payback_month == 5
    assert result.capacity_value == 0


# Cash-effective savings and freed capacity ---------------------------------------------------


@pytest.mark.parametrize(
    ("cash_share", "cash", "capacity", "hours"),
    [
        (1.0, 2700.0, 0.0, 0.0),
        (0.4, 1080.0, 1620.0, 36.0),
        (0.0, 0.0, 2700.0, 60.0),
    ],
)
def test_time_saved_splits_into_cash_and_freed_capacity(
    cash_share: float, cash: float, capacity: float, hours: float
) -> None:
    result = deterministic(invoices(horizon=1, go_live=0, cash_share=cash_share, ramp=0))
    month = result.months[1]
    assert month.benefits == pytest.approx(cash)
    assert month.capacity == pytest.approx(capacity)
    assert month.benefits + month.capacity == pytest.approx(2700)  # nothing lost, nothing twice
    assert (result.capacity_value, result.capacity_hours) == pytest.approx((capacity, hours))
    # Only the cash part is in the cash flow.
    assert month.net == pytest.approx(cash - 490)


def test_other_kinds_free_no_capacity() -> None:
    item = Item("Fehler", ItemKind.ERROR_AVOIDANCE, {"errors": P(2), "cost": P(100)})
    assert item.capacity({"errors": 2, "cost": 100}) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: invoices(cash_share=1.5), "cash_share is a share between 0 and 1"),
        (lambda: invoices(horizon=12, go_live=12), "go-live month"),
        (lambda: invoices(go_live=-1), "go-live month"),
    ],
)
def test_a_share_above_one_and_a_go_live_outside_the_horizon_are_refused(
    build: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]


# IRR, annualised ROI ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flows", "expected"),
    [
        ([-1000, *[0] * 11, 1100], 0.10),  # 10 % after a year: 10 % a year
        ([-1000, *[0] * 23, 1210], 0.10),  # 21 % after two years: 10 % a year
        ([0, -1000, *[0] * 11, 1100], 0.10),  # a month later, the same rate
        ([-1000, *[0] * 11, 900], -0.10),  # a loss has a negative IRR
        ([-1000, *[100] * 10], 0.0),  # exactly the money back
    ],
)
def test_irr_of_an_investment(flows: list[float], expected: float) -> None:
    found = irr(flows)
    assert found == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("flows", "why"),
    [
        ([], "no flows"),
        ([0, 0, 0], "nothing at all"),
        ([-100, -100], "never a return"),
        ([100, 100], "nothing invested"),
        ([100, -200], "a loan, not an investment"),
        ([-1000, 2100, -1100], "two changes of sign"),
        ([-1_000_000, 1], "below −99.99 % a year"),
        ([-1, 1e12], "above 1,000,000 % a year"),
    ],
)
def test_irr_does_not_exist(flows: list[float], why: str) -> None:
    assert irr(flows) is None, why


def test_the_irr_is_the_rate_at_which_the_npv_is_zero() -> None:
    for case in (invoices(), invoices(cash_share=0.3)):
        result = deterministic(case)
        assert result.irr is not None
        net = np.array([m.net for m in result.months])
        at_irr = net @ (1 + result.irr) ** (-np.arange(len(net)) / 12)
        assert at_irr == pytest.approx(0, abs=1e-6)
        if result.irr < 1:  # a rate the case accepts: its NPV there is zero too
            same = Case(case.items, 36, result.irr, P(3), go_live=2)
            assert deterministic(same).npv == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize(
    ("roi", "horizon", "expected"),
    [
        (1.2197, 12, 1.2197),  # one year: the same
        (0.21, 24, 0.10),  # 21 % in two years: 10 % a year
        (-1.0, 36, -1.0),  # nothing back
        (0.0, 7, 0.0),
        (0.1, 6, 0.21),  # half a year: compounded to a year
    ],
)
def test_roi_annualised(roi: float, horizon: int, expected: float) -> None:
    assert annualised(roi, horizon) == pytest.approx(expected)


def test_no_costs_no_roi() -> None:
    case = Case((Item("Ersparnis", ItemKind.OTHER_SAVING, {"amount": P(10)}),), horizon=12)
    result = deterministic(case)
    assert (result.roi, result.roi_annualised, result.irr) == (None, None, None)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    st.integers(1, 60),
    st.floats(0, 3000),
    st.floats(0, 1),
    st.integers(0, 11),
    st.floats(0, 0.5),
)
def test_irr_above_the_discount_rate_exactly_when_the_npv_is_positive(
    horizon: int, minutes_cases: float, cash_share: float, go_live: int, rate: float
) -> None:
    go_live = min(go_live, horizon - 1)
    items = (
        Item("Start", ItemKind.ONE_OFF, {"amount": P(5000)}),
        Item("Lizenz", ItemKind.MONTHLY, {"amount": P(100)}),
        Item(
            "Zeit",
            ItemKind.TIME_SAVING,
            {
                "minutes": P(1),
                "cases": P(minutes_cases),
                "rate": P(60),
                "cash_share": P(cash_share),
            },
        ),
    )
    result = deterministic(Case(items, horizon, rate, P(2), go_live))
    if result.irr is None or abs(result.npv) < 1e-6:
        return
    assert (result.irr > rate) == (result.npv > 0)


# The simulation follows the go-live month -----------------------------------------------------


@pytest.mark.parametrize("go_live", [0, 1, 4, 11])
@pytest.mark.parametrize("ramp", [0.0, 2.0, 5.5])
def test_without_spread_the_simulation_is_the_deterministic_result(
    go_live: int, ramp: float
) -> None:
    case = invoices(horizon=24, go_live=go_live, cash_share=0.7, ramp=ramp)
    expected = deterministic(case)
    simulation = simulate(case, 200)
    assert simulation.npv.p50 == pytest.approx(expected.npv, rel=1e-9, abs=1e-6)
    paid = expected.payback_month
    if paid is None:
        assert simulation.payback is None
    else:
        assert simulation.payback is not None
        assert simulation.payback.p50 == paid
    band = np.array([p.p50 for p in simulation.band])
    assert band == pytest.approx([m.cumulative for m in expected.months])


def test_a_later_go_live_never_raises_the_npv() -> None:
    npvs = [deterministic(invoices(36, g, 1.0)).npv for g in range(0, 35, 3)]
    assert npvs == sorted(npvs, reverse=True)
    p50s = [simulate(invoices(36, g, 1.0), 500, 1).npv.p50 for g in (0, 6, 12)]
    assert p50s == sorted(p50s, reverse=True)
