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


# The rubric, periods and trend ------------------------------------------------------------

from datetime import date  # noqa: E402

from startklar.reviews.engine import (  # noqa: E402
    Cadence,
    Period,
    RubricError,
    Severity,
    Trend,
    WeekResult,
    assess,
    parse_rubric,
    period_end,
    period_start,
    periods,
    trend,
)


def _level(key: str, severity: str) -> dict[str, object]:
    return {"key": key, "name": {"de": key.upper(), "en": key}, "severity": severity}


def _rubric(**changes: object) -> dict[str, object]:
    criterion: dict[str, object] = {
        "key": "correct",
        "name": {"de": "Richtig", "en": "Correct"},
        "levels": [_level("right", "ok"), _level("minor", "minor"), _level("wrong", "error")],
    }
    criterion.update(changes)
    second = {
        "key": "safe",
        "name": {"de": "Sicher", "en": "Safe"},
        "levels": [_level("safe", "ok"), _level("dangerous", "critical")],
    }
    return {"criteria": [criterion, second]}


def test_a_rubric_reads_back_as_it_was_written() -> None:
    rubric = parse_rubric(_rubric())
    assert parse_rubric(rubric.data()) == rubric
    assert rubric.criterion("safe") is not None
    assert rubric.criterion("nope") is None
    correct = rubric.criteria[0]
    assert (correct.name("de"), correct.name("en-gb")) == ("Richtig", "Correct")
    assert (correct.levels[0].name("de"), correct.levels[0].name("en")) == ("RIGHT", "right")
    assert correct.level("wrong") is not None
    assert correct.level("x") is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "1–8 criteria"),
        ({"criteria": []}, "1–8 criteria"),
        ({"criteria": ["x"]}, "not a criterion"),
        (_rubric(key="Große Buchstaben"), "key must be"),
        (_rubric(name="Richtig"), "German and an English name"),
        (_rubric(name={"de": "Richtig", "en": " "}), "en name"),
        (_rubric(levels=[_level("right", "ok")]), "2–6 levels"),
        (_rubric(levels=["x", "y"]), "not a level"),
        (_rubric(levels=[_level("right", "ok"), _level("bad", "schlimm")]), "unknown severity"),
        (_rubric(levels=[_level("right", "ok"), _level("right", "error")]), "unique"),
        (_rubric(levels=[_level("right", "ok"), _level("fine", "minor")]), "an error level"),
        (_rubric(levels=[_level("wrong", "error"), _level("bad", "critical")]), "acceptable"),
        (_rubric(key="safe"), "rubric: keys must be unique"),
    ],
)
def test_a_broken_rubric_is_refused_naming_the_place(data: object, message: str) -> None:
    with pytest.raises(RubricError, match=message):
        parse_rubric(data)


@pytest.mark.parametrize(
    ("levels", "error", "worst"),
    [
        ({"correct": "right", "safe": "safe"}, False, Severity.OK),
        ({"correct": "minor", "safe": "safe"}, False, Severity.MINOR),
        ({"correct": "wrong", "safe": "safe"}, True, Severity.ERROR),
        ({"correct": "minor", "safe": "dangerous"}, True, Severity.CRITICAL),
    ],
)
def test_an_item_is_an_error_when_any_criterion_is(
    levels: dict[str, str], error: bool, worst: Severity
) -> None:
    outcome = assess(parse_rubric(_rubric()), levels)
    assert (outcome.error, outcome.worst) == (error, worst)


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ("right", "a level for each criterion"),
        ({"correct": "right", "safe": "safe", "tone": "ok"}, "unknown criterion tone"),
        ({"correct": "right"}, "safe: needs one of its levels"),
        ({"correct": "great", "safe": "safe"}, "correct: needs one of its levels"),
        ({"correct": 1, "safe": "safe"}, "correct: needs one of its levels"),
    ],
)
def test_a_verdict_outside_the_rubric_is_refused(levels: object, message: str) -> None:
    with pytest.raises(RubricError, match=message):
        assess(parse_rubric(_rubric()), levels)


def test_periods_begin_on_monday_or_the_first_and_end_on_sunday_or_the_last() -> None:
    thursday = date(2026, 12, 31)
    assert period_start(thursday, Cadence.WEEKLY) == date(2026, 12, 28)
    assert period_end(date(2026, 12, 28), Cadence.WEEKLY) == date(2027, 1, 3)
    assert period_start(thursday, Cadence.MONTHLY) == date(2026, 12, 1)
    assert period_end(date(2026, 12, 1), Cadence.MONTHLY) == date(2026, 12, 31)
    assert period_end(date(2028, 2, 1), Cadence.MONTHLY) == date(2028, 2, 29)


def test_periods_are_judged_in_order_of_time() -> None:
    found = periods(
        [(date(2026, 3, 9), 9, 40), (date(2026, 3, 2), 3, 40)], threshold=0.1, baseline=(4, 80)
    )
    assert [p.start for p in found] == [date(2026, 3, 2), date(2026, 3, 9)]
    assert not found[0].result.alert
    assert set(found[1].result.reasons) == {AlertReason.ABOVE_THRESHOLD, AlertReason.RISE}


def _period(errors: int, items: int) -> Period:
    return Period(date(2026, 1, 1), judge_week(errors, items, 0.1))


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        ([], Trend.UNKNOWN),
        ([_period(2, 40), _period(0, 0)], Trend.UNKNOWN),
        ([_period(2, 40), _period(2, 40), _period(12, 40)], Trend.RISING),
        ([_period(12, 40), _period(12, 40), _period(1, 40)], Trend.FALLING),
        ([_period(4, 40), _period(5, 40)], Trend.STEADY),
    ],
)
def test_the_trend_compares_the_last_period_with_the_ones_before(
    found: list[Period], expected: Trend
) -> None:
    assert trend(found) is expected


def test_severities_rank_and_say_whether_they_are_errors() -> None:
    assert [s.rank for s in Severity] == [0, 1, 2, 3]
    assert [s.is_error for s in Severity] == [False, False, True, True]
    assert WeekResult(0, 0, None, Interval(0, 1), ()).alert is False
