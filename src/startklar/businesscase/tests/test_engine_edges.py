"""The business-case engine's edges: the case's own limits, comparing cases, and the
make/buy/partner scoring worked by hand."""

from __future__ import annotations

import pytest

from startklar.businesscase.engine import (
    Case,
    Item,
    ItemKind,
    Reason,
    compare,
    score_options,
    simulate,
)
from startklar.core.values import Triple

P = Triple.point


def case_saving(monthly: float, one_off: float = 5000) -> Case:
    return Case(
        items=(
            Item("Einführung", ItemKind.ONE_OFF, {"amount": P(one_off)}),
            Item(
                "Ersparnis",
                ItemKind.OTHER_SAVING,
                {"amount": Triple(monthly / 2, monthly, monthly * 1.5)},
            ),
        ),
        horizon=24,
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Case((), ramp=Triple(-1, 0, 2)), "ramp must be 0 to 120 months"),
        (lambda: Case((), ramp=Triple(0, 6, 121)), "ramp must be 0 to 120 months"),
        (
            lambda: Case(
                (
                    Item("Lizenz", ItemKind.MONTHLY, {"amount": P(100)}),
                    Item("Lizenz", ItemKind.MONTHLY, {"amount": P(200)}),
                )
            ),
            "item names must be unique",
        ),
    ],
)
def test_a_case_refuses_a_ramp_out_of_range_and_twice_the_same_item(
    build: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]


def test_the_longest_ramp_and_distinct_names_are_accepted() -> None:
    case = Case(
        (
            Item("Lizenz", ItemKind.MONTHLY, {"amount": P(100)}),
            Item("Wartung", ItemKind.MONTHLY, {"amount": P(100)}),
        ),
        ramp=Triple(0, 60, 120),
    )
    assert [name for name, _factor, _estimate in case.inputs()] == ["Lizenz", "Wartung", "ramp"]


def test_compare_ranks_cases_by_their_median_npv_and_reproduces_each_simulation() -> None:
    cases = [("klein", case_saving(300)), ("gross", case_saving(900)), ("mittel", case_saving(600))]
    ranked = compare(cases, draws=2000, seed=7)
    assert [name for name, _simulation in ranked] == ["gross", "mittel", "klein"]
    medians = [simulation.npv.p50 for _name, simulation in ranked]
    assert medians == sorted(medians, reverse=True)
    assert ranked[0][1] == simulate(case_saving(900), 2000, 7)
    assert compare([], draws=2000) == []


WEIGHTS = {
    "know-how": {"make": 2, "buy": -1},
    "speed": {"buy": 2, "partner": 1},
    "cost": {"make": -1},
    "data": {"make": 1, "partner": 0},
}


def test_make_buy_partner_scores_worked_by_hand() -> None:
    # make:    know-how 2 × (5 − 3) = 4, cost −1 × (4 − 3) = −1, data answered 3 → 0  ⇒ 3
    # partner: speed 1 × (1 − 3) = −2                                              ⇒ −2
    # buy:     know-how −1 × 2 = −2, speed 2 × −2 = −4                              ⇒ −6
    scores = score_options(WEIGHTS, {"know-how": 5, "speed": 1, "cost": 4, "data": 3})
    assert [(s.option, s.score) for s in scores] == [("make", 3.0), ("partner", -2.0), ("buy", -6)]
    make, partner, buy = scores
    # a positive score lists its pros first, a negative one its cons first
    assert make.reasons == (Reason("know-how", "make", 4.0), Reason("cost", "make", -1.0))
    assert partner.reasons == (Reason("speed", "partner", -2.0),)
    assert buy.reasons == (Reason("speed", "buy", -4.0), Reason("know-how", "buy", -2.0))


def test_unanswered_and_neutral_criteria_give_no_reason_and_ties_go_by_name() -> None:
    scores = score_options(WEIGHTS, {"data": 3})
    assert [(s.option, s.score, s.reasons) for s in scores] == [
        ("buy", 0, ()),
        ("make", 0, ()),
        ("partner", 0, ()),
    ]
    assert score_options({}, {"know-how": 5}) == []
