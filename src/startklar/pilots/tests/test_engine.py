"""The statistics of pilot reviews against published values (issue 14, points 5 and 10)."""

from __future__ import annotations

import datetime

import pytest

from startklar.pilots.engine import (
    Direction,
    Light,
    LightReason,
    Measurement,
    forecast,
    kpi_status,
    progress,
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
