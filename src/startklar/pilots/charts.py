"""Vega-Lite spec of a KPI's trend, a plain dict with the shared look of ``core.charts``.

The measured points (or weekly/monthly means) as a line with points, the baseline and the target
as horizontal rules, the target date as a vertical rule, and the forecast from the last
measurement to the target date with its 80 % range as a shaded band. The chart is as wide as its
box; ``static/startklar/charts.js`` formats numbers and dates in the page's language.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils.translation import get_language

from startklar.core.charts import CONFIG, TOOLTIP_HEADING

from .engine import Forecast

BLUE = "#0b5d7a"  # measured, 7.3:1 on white
GREEN = "#1e7b34"  # target
GREY = "#6c757d"  # baseline, target date
ORANGE = "#b35c00"  # forecast
NUMBER = ",.4~f"
HEIGHT = 200


def _day(day: datetime.date) -> str:
    return day.isoformat()


def kpi_trend(
    points: Sequence[tuple[datetime.date, float]],
    baseline: float,
    target: float,
    target_date: datetime.date,
    path: Sequence[Forecast],
    labels: dict[str, str],
) -> dict[str, Any]:
    """``labels``: "value" (the y axis: the unit or "value"), "measured" (or "weekly mean"),
    "baseline", "target", "target_date", "forecast", "range"."""
    measured = [{"day": _day(d), "value": round(v, 4)} for d, v in points]
    band = [
        {
            "day": _day(f.day),
            "value": round(f.value, 4),
            "low": round(f.interval.low, 4),
            "high": round(f.interval.high, 4),
        }
        for f in path
    ]
    x = {
        "field": "day",
        "type": "temporal",
        "title": None,
        # one form for every tick (Vega mixes "Okt 18" and "November" by itself)
        "axis": {
            "tickCount": {"expr": "max(2, floor(width / 90))"},
            "labelOverlap": True,
            "format": "%d.%m." if (get_language() or "de").startswith("de") else "%d %b",
        },
    }
    y_axis = {"format": NUMBER, "tickCount": 5}
    y = {"type": "quantitative", "scale": {"zero": False}}
    day_tip = {"field": "day", "type": "temporal", "title": TOOLTIP_HEADING, "format": "%x"}
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": [{"value": baseline, "label": labels["baseline"]}]},
            "mark": {"type": "rule", "color": GREY, "strokeDash": [6, 4], "strokeWidth": 1.5},
            "encoding": {
                "y": {**y, "field": "value", "title": labels["value"], "axis": y_axis},
                "tooltip": [
                    {"field": "label", "type": "nominal", "title": TOOLTIP_HEADING},
                    {"field": "value", "type": "quantitative", "format": NUMBER, "title": " "},
                ],
            },
        },
        {
            "data": {"values": [{"value": target, "label": labels["target"]}]},
            "mark": {"type": "rule", "color": GREEN, "strokeWidth": 2},
            "encoding": {
                "y": {**y, "field": "value"},
                "tooltip": [
                    {"field": "label", "type": "nominal", "title": TOOLTIP_HEADING},
                    {"field": "value", "type": "quantitative", "format": NUMBER, "title": " "},
                ],
            },
        },
        {
            "data": {"values": [{"day": _day(target_date), "label": labels["target_date"]}]},
            "mark": {"type": "rule", "color": GREY, "strokeDash": [2, 3]},
            "encoding": {
                "x": x,
                "tooltip": [
                    {"field": "label", "type": "nominal", "title": TOOLTIP_HEADING},
                    {**day_tip, "title": " "},
                ],
            },
        },
    ]
    if band:
        tip = [
            {**day_tip},
            {
                "field": "value",
                "type": "quantitative",
                "format": NUMBER,
                "title": labels["forecast"],
            },
            {"field": "low", "type": "quantitative", "format": NUMBER, "title": labels["low"]},
            {"field": "high", "type": "quantitative", "format": NUMBER, "title": labels["high"]},
        ]
        layers += [
            {
                "data": {"values": band},
                "mark": {"type": "area", "color": ORANGE, "opacity": 0.18},
                "encoding": {
                    "x": x,
                    "y": {**y, "field": "low"},
                    "y2": {"field": "high"},
                    "tooltip": tip,
                },
            },
            {
                "data": {"values": band},
                "mark": {"type": "line", "color": ORANGE, "strokeDash": [5, 4], "strokeWidth": 2},
                "encoding": {"x": x, "y": {**y, "field": "value"}, "tooltip": tip},
            },
        ]
    if measured:
        tip = [
            {**day_tip},
            {
                "field": "value",
                "type": "quantitative",
                "format": NUMBER,
                "title": labels["measured"],
            },
        ]
        layers += [
            {
                "data": {"values": measured},
                "mark": {"type": "line", "color": BLUE, "strokeWidth": 2},
                "encoding": {"x": x, "y": {**y, "field": "value"}},
            },
            {
                "data": {"values": measured},
                "mark": {"type": "point", "filled": True, "color": BLUE, "size": 36},
                "encoding": {"x": x, "y": {**y, "field": "value"}, "tooltip": tip},
            },
        ]
    return {
        "width": "container",
        "height": HEIGHT,
        "autosize": {"type": "fit-x", "contains": "padding", "resize": True},
        "layer": layers,
        "config": CONFIG,
    }
