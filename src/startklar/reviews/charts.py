"""Vega-Lite spec of the quality reviews, a plain dict with the shared look of ``core.charts``.

The error rate of each period as a point with its Wilson 95 % interval as a bar, and the agreed
threshold as a dashed line: a period alerts when its whole interval lies above the line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from startklar.core.charts import CONFIG, TOOLTIP_HEADING

if TYPE_CHECKING:
    from .queries import PlanSummary

BLUE = "#0b5d7a"  # 7.3:1 on white
RED = "#b0413e"  # 5.9:1 on white
PERCENT = ".0%"


def error_rates(summary: PlanSummary, labels: dict[str, str]) -> dict[str, Any]:
    """``labels``: "period" (the axis), "rate", "low", "high", "items", "errors",
    "threshold", "alert", "no_alert", and one name per period start (ISO date)."""
    rows = [
        {
            "period": labels[p.start.isoformat()],
            "rate": round(p.rate, 4) if p.rate is not None else None,
            "low": round(p.low, 4),
            "high": round(p.high, 4),
            "items": p.n,
            "errors": p.errors,
            "state": labels["alert"] if p.alert else labels["no_alert"],
        }
        for p in summary.periods
    ]
    order = [row["period"] for row in rows]
    x = {
        "field": "period",
        "type": "ordinal",
        "sort": order,
        "title": labels["period"],
        "axis": {"labelAngle": 0},
    }
    percent = {"type": "quantitative", "format": PERCENT}
    top = max([summary.threshold * 1.5, *(p.high for p in summary.periods), 0.05])
    y = {
        "field": "rate",
        "type": "quantitative",
        "title": labels["rate"],
        "axis": {"format": PERCENT},
        "scale": {"domain": [0, min(1.0, round(top + 0.02, 2))]},
    }
    tooltip = [
        {"field": "period", "type": "ordinal", "title": TOOLTIP_HEADING},
        {"field": "rate", **percent, "title": labels["rate"]},
        {"field": "low", **percent, "title": labels["low"]},
        {"field": "high", **percent, "title": labels["high"]},
        {"field": "errors", "type": "quantitative", "title": labels["errors"]},
        {"field": "items", "type": "quantitative", "title": labels["items"]},
    ]
    colour = {
        "field": "state",
        "type": "nominal",
        "scale": {"domain": [labels["no_alert"], labels["alert"]], "range": [BLUE, RED]},
        "legend": {"orient": "bottom", "title": None, "direction": "vertical"},
    }
    return {
        "width": "container",
        "height": 260,
        "autosize": {"type": "fit", "contains": "padding", "resize": True},
        "layer": [
            {
                "data": {"values": rows},
                "mark": {"type": "rule", "strokeWidth": 3, "opacity": 0.5},
                "encoding": {
                    "x": x,
                    "y": {**y, "field": "low"},
                    "y2": {"field": "high"},
                    "color": colour,
                    "tooltip": tooltip,
                },
            },
            {
                "data": {"values": rows},
                "mark": {"type": "point", "filled": True, "size": 90},
                "encoding": {"x": x, "y": y, "color": colour, "tooltip": tooltip},
            },
            {
                "data": {"values": [{"threshold": summary.threshold}]},
                "mark": {"type": "rule", "color": RED, "strokeDash": [6, 4], "strokeWidth": 1.5},
                "encoding": {
                    "y": {"field": "threshold", "type": "quantitative"},
                    "tooltip": [{"field": "threshold", **percent, "title": labels["threshold"]}],
                },
            },
        ],
        "config": {**CONFIG, "legend": {**CONFIG["legend"], "labelLimit": 0}},
    }
