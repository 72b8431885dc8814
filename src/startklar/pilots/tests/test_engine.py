"""The statistics of pilot reviews against published values (issue 14, points 5 and 10)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from startklar.pilots.engine import (
    Direction,
    Light,
    LightReason,
    Measurement,
    Sums,
    forecast,
    forecast_from_sums,
    forecast_path,
    improvement,
    kpi_status,
    month_benefit,
    progress,
    status_of,
)

# KPIs (issue 14, point 4) ----------------------------------------------------------------------

START = datetime.date(2026, 1, 5)


def series(*values: float, every: int = 7) -> list[Measurement]:
    return [
        Measurement(START + datetime.timedelta(days=every * i), v) for i, v in enumerate(values)
    ]


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "current", "share"),
    [
        (Direction.HIGHER, 100, 150, 125, 0.5),  # cases per day: half-way
        (Direction.LOWER, 12, 6, 9, 0.5),  # minutes per invoice: half-way down
        (Direction.LOWER, 12, 6, 4, 4 / 3),  # beyond the target
        (Direction.HIGHER, 100, 150, 90, -0.2),  # worse than the baseline
        (Direction.LOWER, 5, 5, 4, 1.0),  # target = baseline: kept
        (Direction.LOWER, 5, 5, 6, 0.0),  # target = baseline: missed
    ],
)
def test_progress_is_the_share_of_the_way_in_either_direction(
    direction: Direction, baseline: float, target: float, current: float, share: float
) -> None:
    assert progress(direction, baseline, target, current) == pytest.approx(share)


def test_the_forecast_matches_a_hand_computed_regression() -> None:
    """x = 0…4 days, y = 2, 4, 5, 4, 5: slope 0.6, intercept 2.8, s = √(2.4/3); at day 6
    ŷ = 6.4 ± t(0.9; 3) · s · √(1 + 1/5 + 16/10) = 6.4 ± 2.4512 (80 % range)."""
    found = forecast(series(2, 4, 5, 4, 5, every=1), START + datetime.timedelta(days=6))
    assert found is not None
    assert found.value == pytest.approx(6.4)
    assert (found.interval.low, found.interval.high) == (
        pytest.approx(3.9488, abs=1e-4),
        pytest.approx(8.8512, abs=1e-4),
    )


@pytest.mark.parametrize(
    "measurements",
    [series(), series(1, 2), [Measurement(START, v) for v in (1, 2, 3)]],
    ids=["none", "two", "one day"],
)
def test_no_forecast_without_a_trend(measurements: list[Measurement]) -> None:
    assert forecast(measurements, START + datetime.timedelta(days=60)) is None


def test_a_straight_line_forecasts_without_spread() -> None:
    found = forecast(series(10, 12, 14), START + datetime.timedelta(days=28))
    assert found is not None
    assert found.value == pytest.approx(18)
    assert found.interval.high - found.interval.low == pytest.approx(0)


TARGET_DAY = START + datetime.timedelta(days=42)  # six weeks


@pytest.mark.parametrize(
    ("direction", "measurements", "light", "reason"),
    [
        (Direction.LOWER, [], Light.GREY, LightReason.TOO_FEW),
        (Direction.LOWER, series(11, 10), Light.GREY, LightReason.TOO_FEW),
        (Direction.LOWER, series(11, 6), Light.GREEN, LightReason.REACHED),
        # falling steadily by a minute a week from 12: 6 by week six, surely
        (Direction.LOWER, series(12, 11, 10, 9), Light.GREEN, LightReason.ON_TRACK),
        # the trend just reaches 6, but the points scatter: at risk
        (Direction.LOWER, series(12, 9, 10.5, 7.5, 8.5, 6.5), Light.YELLOW, LightReason.AT_RISK),
        # hardly moving: it will miss
        (Direction.LOWER, series(12, 11.8, 11.9, 11.7), Light.RED, LightReason.OFF_TRACK),
        # higher is better: 100 → 150 cases, rising by 10 a week
        (Direction.HIGHER, series(100, 110, 120, 130), Light.GREEN, LightReason.ON_TRACK),
        (Direction.HIGHER, series(100, 101, 99, 102), Light.RED, LightReason.OFF_TRACK),
    ],
)
def test_the_traffic_light_says_why(
    direction: Direction, measurements: list[Measurement], light: Light, reason: LightReason
) -> None:
    baseline, target = (12, 6) if direction is Direction.LOWER else (100, 150)
    status = kpi_status(direction, baseline, target, TARGET_DAY, measurements)
    assert (status.light, status.reason) == (light, reason)
    if measurements:
        latest = measurements[-1].value
        assert status.progress == pytest.approx(progress(direction, baseline, target, latest))
    else:
        assert status.progress is None


# Forecast from sums (the dashboard reads sums, not measurements) ------------------------------

days = st.integers(min_value=0, max_value=3000)
values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, derandomize=True)
@given(
    points=st.lists(st.tuples(days, values), min_size=0, max_size=40, unique_by=lambda p: p[0]),
    ahead=st.integers(min_value=0, max_value=4000),
)
def test_the_forecast_from_sums_is_the_forecast(
    points: list[tuple[int, float]], ahead: int
) -> None:
    measurements = [Measurement(START + datetime.timedelta(days=d), v) for d, v in points]
    day = START + datetime.timedelta(days=ahead)
    direct = forecast(measurements, day)
    summed = forecast_from_sums(Sums.of(measurements), day)
    if direct is None:
        assert summed is None
        return
    assert summed is not None
    scale = max([1.0, *(abs(v) for _d, v in points)])
    tolerance = 1e-6 * scale * (1 + ahead)
    assert summed.value == pytest.approx(direct.value, abs=tolerance)
    assert summed.interval.low == pytest.approx(direct.interval.low, abs=tolerance)
    assert summed.interval.high == pytest.approx(direct.interval.high, abs=tolerance)


def test_the_forecast_from_sums_matches_the_hand_computed_regression() -> None:
    found = forecast_from_sums(
        Sums.of(series(2, 4, 5, 4, 5, every=1)), START + datetime.timedelta(days=6)
    )
    assert found is not None
    assert found.value == pytest.approx(6.4)
    assert found.interval.low == pytest.approx(3.9488, abs=1e-4)


@pytest.mark.parametrize(
    "measurements",
    [series(), series(1, 2), [Measurement(START, v) for v in (1, 2, 3)]],
    ids=["none", "two", "one day"],
)
def test_no_forecast_from_sums_without_a_trend(measurements: list[Measurement]) -> None:
    assert forecast_from_sums(Sums.of(measurements), START) is None


def test_a_straight_line_from_sums_has_next_to_no_spread() -> None:
    found = forecast_from_sums(
        Sums.of(series(0.1, 0.2, 0.3, every=1)), START + datetime.timedelta(days=3)
    )
    assert found is not None
    assert found.value == pytest.approx(0.4)
    assert found.interval.high - found.interval.low == pytest.approx(0, abs=1e-4)


def test_the_status_from_the_latest_value_and_forecast_agrees() -> None:
    measurements = series(12, 11, 10, 9)
    ahead = forecast_from_sums(Sums.of(measurements), TARGET_DAY)
    assert status_of(Direction.LOWER, 12, 6, 9, ahead) == kpi_status(
        Direction.LOWER, 12, 6, TARGET_DAY, measurements
    )
    nothing = status_of(Direction.LOWER, 12, 6, None, None)
    assert (nothing.light, nothing.reason, nothing.progress) == (
        Light.GREY,
        LightReason.TOO_FEW,
        None,
    )


@pytest.mark.parametrize(
    ("direction", "baseline", "mean", "euros"),
    [
        (Direction.LOWER, 12, 8, 4 * 400 * 0.75),  # 4 minutes saved per invoice
        (Direction.HIGHER, 100, 110, 10 * 400 * 0.75),
        (Direction.LOWER, 12, 13, -1 * 400 * 0.75),  # worse than before: a loss
    ],
)
def test_a_month_benefit_is_improvement_times_volume_times_rate(
    direction: Direction, baseline: float, mean: float, euros: float
) -> None:
    assert improvement(direction, baseline, mean) * 400 * 0.75 == pytest.approx(euros)
    assert month_benefit(direction, baseline, mean, 400, 0.75) == pytest.approx(euros)


def test_a_forecast_path_gives_the_forecast_of_each_day() -> None:
    sums = Sums.of(series(12, 11, 10.5, 9))
    days = [START + datetime.timedelta(days=d) for d in (21, 30, 42)]
    path = forecast_path(sums, days)
    assert [f.day for f in path] == days
    assert path[-1] == forecast_from_sums(sums, days[-1])
    assert forecast_path(Sums.of(series(1, 2)), days) == ()
