"""The statistics of pilot reviews against published values (issue 14, points 5 and 10)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from startklar.reviews.engine import (
    AlertReason,
    Interval,
    agreement,
    judge_week,
    rise,
    sample_size,
    wilson_interval,
    z_value,
)


@pytest.mark.parametrize(
    ("errors", "n", "low", "high"),
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion",
        # Statistics in Medicine 17, Table I, method 3 (score interval without correction)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # the mirror image: n errors in n items
        (20, 20, 0.8389, 1.0),
    ],
)
def test_the_wilson_interval_matches_published_values(
    errors: int, n: int, low: float, high: float
) -> None:
    interval = wilson_interval(errors, n)
    assert (round(interval.low, 4), round(interval.high, 4)) == (low, high)


def test_without_items_nothing_is_known() -> None:
    assert wilson_interval(0, 0) == Interval(0.0, 1.0)


@pytest.mark.parametrize(("errors", "n"), [(-1, 10), (11, 10), (0, -1)])
def test_impossible_counts_are_refused(errors: int, n: int) -> None:
    with pytest.raises(ValueError, match="errors must lie between"):
        wilson_interval(errors, n)


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.1])
def test_a_confidence_level_outside_0_and_1_is_refused(confidence: float) -> None:
    with pytest.raises(ValueError, match="confidence level"):
        z_value(confidence)


def test_the_normal_quantiles() -> None:
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_value(0.99) == pytest.approx(2.575829, abs=1e-6)
    assert z_value(0.90) == pytest.approx(1.644854, abs=1e-6)


@given(st.integers(0, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
@settings(derandomize=True, max_examples=200)
def test_the_interval_holds_the_rate_and_stays_within_0_and_1(count: tuple[int, int]) -> None:
    errors, n = count
    interval = wilson_interval(errors, n)
    assert 0.0 <= interval.low <= interval.high <= 1.0
    if n:
        assert errors / n in interval
        assert interval.high - interval.low <= wilson_interval(errors, n, 0.99).high - (
            wilson_interval(errors, n, 0.99).low
        )


@pytest.mark.parametrize(
    ("margin", "confidence", "expected", "population", "n"),
    [
        # the usual survey tables: ± 5, 3 and 10 points at 95 %, ± 5 at 99 %
        (0.05, 0.95, 0.5, None, 385),
        (0.03, 0.95, 0.5, None, 1068),
        (0.10, 0.95, 0.5, None, 97),
        (0.05, 0.99, 0.5, None, 664),
        # a finite population of 1,000 items a week: 278
        (0.05, 0.95, 0.5, 1000, 278),
        # an expected error rate of 10 %: far fewer items
        (0.05, 0.95, 0.1, None, 139),
        # certainty about the rate needs a single item, never none
        (0.05, 0.95, 0.0, None, 1),
    ],
)
def test_the_sample_size_matches_published_tables(
    margin: float, confidence: float, expected: float, population: int | None, n: int
) -> None:
    assert sample_size(margin, confidence, expected, population) == n


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"margin": 0}, "margin"),
        ({"margin": 1}, "margin"),
        ({"margin": 0.05, "expected_rate": 1.2}, "expected error rate"),
        ({"margin": 0.05, "population": 0}, "population"),
    ],
)
def test_impossible_sample_questions_are_refused(arguments: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sample_size(**arguments)  # type: ignore[arg-type]


def test_cohens_kappa_matches_the_textbook_example() -> None:
    """50 items, both "yes" 20, both "no" 15, split 5 and 10: p_o = 0.7, p_e = 0.5, κ = 0.4."""
    pairs = [("ja", "ja")] * 20 + [("ja", "nein")] * 5 + [("nein", "ja")] * 10
    pairs += [("nein", "nein")] * 15
    found = agreement(pairs)
    assert (found.items, found.share) == (50, 0.7)
    assert found.kappa == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("pairs", "share", "kappa"),
    [
        ([("richtig", "richtig"), ("falsch", "falsch")], 1.0, 1.0),
        ([("richtig", "falsch"), ("falsch", "richtig")], 0.0, -1.0),
        # both always say the same verdict: chance explains it all, kappa is undefined
        ([("richtig", "richtig")] * 3, 1.0, None),
    ],
)
def test_agreement_at_its_edges(
    pairs: list[tuple[str, str]], share: float, kappa: float | None
) -> None:
    found = agreement(pairs)
    assert found.share == share
    assert found.kappa == (None if kappa is None else pytest.approx(kappa))


def test_agreement_needs_items() -> None:
    with pytest.raises(ValueError, match="both reviewers"):
        agreement([])


@pytest.mark.parametrize(
    ("before", "after", "z", "p"),
    [
        # p1 = 0.15, p2 = 0.25, pooled 0.2: se = 0.04, z = 2.5, one-sided p = 0.00621
        ((30, 200), (50, 200), 2.5, 0.00621),
        ((50, 200), (30, 200), -2.5, 0.99379),
        ((10, 100), (10, 100), 0.0, 0.5),
        ((0, 50), (0, 50), 0.0, 1.0),  # nothing ever wrong: no spread, no evidence
        ((0, 0), (5, 10), 0.0, 1.0),  # no baseline items
    ],
)
def test_the_two_proportion_test_on_known_cases(
    before: tuple[int, int], after: tuple[int, int], z: float, p: float
) -> None:
    found = rise(before, after)
    assert found.z == pytest.approx(z)
    assert found.p_value == pytest.approx(p, abs=5e-6)


@pytest.mark.parametrize(
    ("errors", "items", "baseline", "reasons"),
    [
        # 12 of 40 wrong: interval 0.18–0.46, wholly above 10 %
        (12, 40, None, (AlertReason.ABOVE_THRESHOLD,)),
        # 5 of 40: 12.5 % is above 10 %, but the interval (0.05–0.26) is not: no alert yet
        (5, 40, None, ()),
        # a rise from 15 % to 25 % (200 items each) under a threshold of 30 %
        (50, 200, (30, 200), (AlertReason.RISE,)),
        (80, 200, (30, 200), (AlertReason.ABOVE_THRESHOLD, AlertReason.RISE)),
        (0, 0, (30, 200), ()),  # a week without reviews alerts on nothing
    ],
)
def test_a_week_alerts_only_with_evidence(
    errors: int,
    items: int,
    baseline: tuple[int, int] | None,
    reasons: tuple[AlertReason, ...],
) -> None:
    threshold = 0.3 if baseline else 0.1
    week = judge_week(errors, items, threshold, baseline)
    assert week.reasons == reasons
    assert week.alert is bool(reasons)
    assert week.rate == (errors / items if items else None)


@pytest.mark.parametrize(
    ("threshold", "alpha", "message"),
    [
        (1.5, 0.05, "threshold"),
        (-0.1, 0.05, "threshold"),
        (0.1, 0, "significance"),
        (0.1, 1, "significance"),
    ],
)
def test_impossible_alert_settings_are_refused(
    threshold: float, alpha: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        judge_week(1, 10, threshold, alpha=alpha)
