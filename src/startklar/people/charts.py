"""Vega-Lite specs of a pulse's results, plain dicts with the shared look of ``core.charts``:
the share of concerned staff by group (only groups whose results are shown), and how the
concerned share and the acceptance moved from pulse to pulse. Both are as wide as their box;
the page says in words and a table what they show."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from startklar.core.charts import CONFIG, TOOLTIP_HEADING

BLUE = "#0b5d7a"
RED = "#b02a37"
GREY = "#6c757d"


def concern_by_group(
    groups: Sequence[tuple[str, float]], total: float, labels: dict[str, str]
) -> dict[str, Any]:
    """Bars of the concerned share per group, with the whole company as a rule. ``labels``:
    "share" (the axis), "total" (the rule's name)."""
    values = [{"group": name, "share": round(share, 4)} for name, share in groups]
    x = {
        "field": "share",
        "type": "quantitative",
        "title": labels["share"],
        "scale": {"domain": [0, 1]},
        "axis": {"format": ".0%", "tickCount": 5},
    }
    return {
        "width": "container",
        "height": {"step": 28},
        "autosize": {"type": "fit-x", "contains": "padding", "resize": True},
        "layer": [
            {
                "data": {"values": values},
                "mark": {"type": "bar", "color": RED, "cornerRadiusEnd": 2},
                "encoding": {
                    "y": {
                        "field": "group",
                        "type": "nominal",
                        "sort": None,
                        "title": None,
                        "axis": {"labelLimit": 140},
                    },
                    "x": x,
                    "tooltip": [
                        {"field": "group", "type": "nominal", "title": TOOLTIP_HEADING},
                        {
                            "field": "share",
                            "type": "quantitative",
                            "format": ".0%",
                            "title": labels["share"],
                        },
                    ],
                },
            },
            {
                "data": {"values": [{"share": round(total, 4), "label": labels["total"]}]},
                "mark": {"type": "rule", "color": GREY, "strokeDash": [6, 4], "strokeWidth": 2},
                "encoding": {
                    "x": {"field": "share", "type": "quantitative"},
                    "tooltip": [
                        {"field": "label", "type": "nominal", "title": TOOLTIP_HEADING},
                        {"field": "share", "type": "quantitative", "format": ".0%", "title": " "},
                    ],
                },
            },
        ],
        "config": CONFIG,
    }


def trend(
    points: Sequence[tuple[datetime.date, str, float | None, int | None]], labels: dict[str, str]
) -> dict[str, Any]:
    """The concerned share (0–100 %) and the acceptance (0–100) per pulse, by the day it
    opened. ``points``: (day, title, concerned share, acceptance score). ``labels``:
    "concerned", "acceptance"."""
    values = []
    for day, title, concerned, acceptance in points:
        if concerned is not None:
            values.append(
                {
                    "day": day.isoformat(),
                    "title": title,
                    "series": labels["concerned"],
                    "value": round(concerned * 100, 1),
                }
            )
        if acceptance is not None:
            values.append(
                {
                    "day": day.isoformat(),
                    "title": title,
                    "series": labels["acceptance"],
                    "value": acceptance,
                }
            )
    # One place on the axis per pulse, named by its title, in the order they opened.
    x = {
        "field": "title",
        "type": "ordinal",
        "title": None,
        "sort": {"field": "day"},
        "axis": {"labelAngle": 0, "labelLimit": 120, "labelOverlap": True},
    }
    encoding = {
        "x": x,
        "y": {
            "field": "value",
            "type": "quantitative",
            "title": None,
            "scale": {"domain": [0, 100]},
            "axis": {"tickCount": 5},
        },
        "color": {
            "field": "series",
            "type": "nominal",
            "title": None,
            "scale": {"domain": [labels["acceptance"], labels["concerned"]], "range": [BLUE, RED]},
            "legend": {"orient": "bottom", "direction": "horizontal"},
        },
        "tooltip": [
            {"field": "title", "type": "nominal", "title": TOOLTIP_HEADING},
            {"field": "series", "type": "nominal", "title": " "},
            {"field": "value", "type": "quantitative", "format": ".0f", "title": " "},
        ],
    }
    return {
        "width": "container",
        "height": 180,
        "autosize": {"type": "fit-x", "contains": "padding", "resize": True},
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "line", "strokeWidth": 2}, "encoding": encoding},
            {"mark": {"type": "point", "filled": True, "size": 48}, "encoding": encoding},
        ],
        "config": CONFIG,
    }
