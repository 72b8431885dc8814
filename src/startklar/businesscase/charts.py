"""Vega-Lite specs of the business case, plain dicts (same spec for page and PDF).

Every chart is as wide as its box (``width: "container"``, re-sized by Vega on window resize).
Numbers are formatted by Vega with the page's locale, which ``static/startklar/charts.js``
sets from ``<html lang>``: ``$,.0f`` reads ``90.000 €`` in German and ``€90,000`` in English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from startklar.core.charts import CONFIG as BASE
from startklar.core.charts import TOOLTIP_HEADING

if TYPE_CHECKING:
    from .queries import Analysis

BLUE = "#0b5d7a"  # 7.3:1 on white
RED = "#b0413e"  # 5.9:1 on white
GREY = "#495057"
MONEY = "$,.0f"
ROW = 44  # pixels per input of the tornado: name above, bar below
TORNADO_INPUTS = 10

# Names in the legend are never cut ("Eingangsgröße auf Maximum").
CONFIG: dict[str, Any] = {**BASE, "legend": {**BASE["legend"], "labelLimit": 0}}


def _top(spec: dict[str, Any], *, fit: str = "fit") -> dict[str, Any]:
    return {
        "width": "container",
        "autosize": {"type": fit, "contains": "padding", "resize": True},
        **spec,
        "config": CONFIG,
    }


def cashflow(analysis: Analysis, labels: dict[str, str]) -> dict[str, Any]:
    """Cumulative cash flow: P10–P90 band of the simulation, its median and the most likely path."""
    rows = [
        {
            "month": m.month,
            "date": analysis.month_label(m.month).isoformat(),
            "p10": round(band.p10, 2),
            "p50": round(band.p50, 2),
            "p90": round(band.p90, 2),
            "likely": round(m.cumulative, 2),
        }
        for m, band in zip(analysis.result.months, analysis.simulation.band, strict=True)
    ]
    last = rows[-1]["month"] if rows else 1
    x = {
        "field": "month",
        "type": "quantitative",
        "title": labels["month"],
        "scale": {"domain": [0, last], "nice": False},
        "axis": {"format": "d", "tickMinStep": 1},
    }
    money = {"type": "quantitative", "format": MONEY}
    tooltip = [
        {
            "field": "date",
            "type": "temporal",
            "timeUnit": "utcyearmonth",
            "title": TOOLTIP_HEADING,
            "format": "%B %Y",
        },
        {"field": "month", "type": "quantitative", "title": labels["month"], "format": "d"},
        {"field": "p90", **money, "title": _("P90 (1 in 10 above)")},
        {"field": "p50", **money, "title": _("Median (P50)")},
        {"field": "p10", **money, "title": _("P10 (9 in 10 above)")},
        {"field": "likely", **money, "title": _("Most likely values")},
    ]
    return _top(
        {
            "height": 300,
            "data": {"values": rows},
            "layer": [
                {
                    "mark": {"type": "area", "opacity": 0.25, "color": BLUE},
                    "encoding": {
                        "x": x,
                        "y": {
                            "field": "p10",
                            "type": "quantitative",
                            "title": labels["euro"],
                            "axis": {"format": MONEY},
                        },
                        "y2": {"field": "p90"},
                    },
                },
                {
                    "data": {"values": [{"y": 0}]},
                    "mark": {"type": "rule", "color": "#6c757d"},
                    "encoding": {"y": {"field": "y", "type": "quantitative"}},
                },
                {
                    "mark": {"type": "line", "color": BLUE, "strokeWidth": 2.5},
                    "encoding": {"x": x, "y": {"field": "p50", "type": "quantitative"}},
                },
                {
                    "mark": {"type": "line", "color": RED, "strokeWidth": 2, "strokeDash": [5, 4]},
                    "encoding": {"x": x, "y": {"field": "likely", "type": "quantitative"}},
                },
                {
                    # An invisible rule per month that shows all values of the month on hover.
                    "params": [
                        {
                            "name": "hover",
                            "select": {
                                "type": "point",
                                "fields": ["month"],
                                "nearest": True,
                                "on": "pointerover",
                                "clear": "pointerout",
                            },
                        }
                    ],
                    "mark": {"type": "rule", "color": GREY, "strokeWidth": 8},
                    "encoding": {
                        "x": x,
                        "opacity": {
                            "condition": {"param": "hover", "empty": False, "value": 0.25},
                            "value": 0,
                        },
                        "tooltip": tooltip,
                    },
                },
            ],
        }
    )


def tornado(
    analysis: Analysis, labels: dict[str, str], names: dict[tuple[str, str], str]
) -> dict[str, Any]:
    """NPV with each input at its minimum and at its maximum, all others at their most likely
    value; widest swing on top. Each bar runs from the NPV at the input's minimum to the NPV at its
    maximum, split at the base NPV (the line). The input's name stands above its bar, cut to the
    width of the chart; the tooltip and the table below the chart carry the full name.
    """
    base = round(analysis.result.npv, 2)
    at_min, at_max = _("Input at its minimum"), _("Input at its maximum")
    inputs = [
        {
            "input": names.get((s.item, s.factor), f"{s.item} ({s.factor})"),
            "order": n,
            "npv_min": round(s.npv_low, 2),
            "npv_max": round(s.npv_high, 2),
            "base": base,
        }
        for n, s in enumerate(analysis.swings[:TORNADO_INPUTS])
    ]
    bars = [
        {**row, "end": end, "npv": row[key]}
        for row in inputs
        for end, key in ((at_min, "npv_min"), (at_max, "npv_max"))
    ]
    y = {
        "field": "input",
        "type": "nominal",
        "sort": {"field": "order", "op": "min"},
        "axis": None,
        "scale": {"paddingInner": 0, "paddingOuter": 0},
    }
    money = {"type": "quantitative", "format": MONEY}
    tooltip = [
        {"field": "input", "type": "nominal", "title": TOOLTIP_HEADING},
        {"field": "npv_min", **money, "title": _("NPV at its minimum")},
        {"field": "npv_max", **money, "title": _("NPV at its maximum")},
        {"field": "base", **money, "title": _("NPV with the most likely values")},
    ]
    return _top(
        {
            "height": ROW * max(1, len(inputs)),
            "datasets": {"inputs": inputs, "bars": bars},
            "layer": [
                {
                    "data": {"name": "bars"},
                    "mark": {"type": "bar", "height": 14, "yOffset": 8},
                    "encoding": {
                        "y": y,
                        "x": {
                            "field": "base",
                            "type": "quantitative",
                            "title": labels["npv"],
                            "scale": {"zero": False, "nice": True},
                            "axis": {
                                "format": MONEY,
                                "tickCount": {"expr": "max(2, floor(width / 120))"},
                            },
                        },
                        "x2": {"field": "npv"},
                        "color": {
                            "field": "end",
                            "type": "nominal",
                            "scale": {"domain": [at_min, at_max], "range": [RED, BLUE]},
                            # One entry per line: side by side they overflow a phone.
                            "legend": {
                                "orient": "bottom",
                                "title": None,
                                "direction": "vertical",
                            },
                        },
                        "tooltip": tooltip,
                    },
                },
                {
                    "data": {"name": "inputs"},
                    "mark": {
                        "type": "text",
                        "align": "left",
                        "baseline": "bottom",
                        "dy": -2,
                        "fontSize": 12,
                        "color": "#212529",
                        "limit": {"expr": "width"},
                    },
                    "encoding": {
                        "y": y,
                        "x": {"value": 0},
                        "text": {"field": "input", "type": "nominal"},
                        "tooltip": tooltip,
                    },
                },
                {
                    # The base NPV as a mark at each bar, so it never crosses an input's name.
                    "data": {"name": "inputs"},
                    "mark": {
                        "type": "tick",
                        "orient": "vertical",
                        "color": "#212529",
                        "thickness": 2,
                        "size": 22,
                        "yOffset": 8,
                    },
                    "encoding": {
                        "y": y,
                        "x": {"field": "base", "type": "quantitative"},
                        "tooltip": [tooltip[-1]],
                    },
                },
            ],
        },
        fit="fit-x",
    )
