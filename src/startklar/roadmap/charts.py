"""Vega-Lite spec of the roadmap as a Gantt chart, a plain dict with the shared look of
``core.charts``: one row per item (in the order given), a bar from its start to its end coloured
by its state, a milestone as a diamond, the dependencies as thin lines from an item's end to the
start of the one waiting for it, the three phases as bands behind, and today as a red line.

The chart is as wide as its box and as high as its rows; ``static/startklar/charts.js`` formats
the dates in the page's language. The page and the management report use the same spec.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from startklar.core.charts import CONFIG, TOOLTIP_HEADING

ROW = 24  # pixels per item
MAX_LABEL = 42  # characters of a title on the axis (the tooltip has all of it)
# Open, done, overdue, late for its legal date: told apart by colour and, for the legend,
# by name; the table below the chart says the same in words.
STATES = ("open", "done", "overdue", "late")
COLOURS = ("#0b5d7a", "#1e7b34", "#b02a37", "#b35c00")
PHASE_SHADES = ("#f1f6f9", "#ffffff", "#f1f6f9")
TODAY = "#b02a37"
# On a phone the titles get a third of the width; in a page's box and in a PDF up to 260 px.
NARROW = "(containerSize()[0] > 0 && containerSize()[0] < 520)"
LABEL_LIMIT = f"{NARROW} ? 120 : 260"


@dataclass(frozen=True)
class Bar:
    key: str  # unique per row (the item's id)
    title: str
    start: datetime.date
    end: datetime.date  # the last day, inclusive
    state: str  # one of STATES
    milestone: bool
    owner: str
    depends_on: tuple[str, ...] = ()


def _day(day: datetime.date) -> str:
    return day.isoformat()


def _label(title: str) -> str:
    return title if len(title) <= MAX_LABEL else title[: MAX_LABEL - 1] + "…"


def gantt(
    bars: Sequence[Bar],
    today: datetime.date,
    phases: Sequence[tuple[str, datetime.date, datetime.date]],
    labels: Mapping[str, str],
) -> dict[str, Any]:
    """``phases``: (name, first day, last day) of each phase shown as a band. ``labels``: the
    names of the ``STATES`` and "start", "end", "owner", "today", "milestone"."""
    rows = [
        {
            "row": f"{index + 1:03d} {_label(bar.title)}",
            "title": bar.title,
            "start": _day(bar.start),
            # a bar covers its last day: it ends where the next day begins
            "end": _day(bar.end + datetime.timedelta(days=1)),
            "last": _day(bar.end),
            "state": labels[bar.state],
            "owner": bar.owner or "–",
        }
        for index, bar in enumerate(bars)
    ]
    order = [r["row"] for r in rows]
    by_key = {bar.key: row for bar, row in zip(bars, rows, strict=True)}
    links = [
        {
            "from_row": by_key[needed]["row"],
            "to_row": row["row"],
            "from": by_key[needed]["end"],
            "to": row["start"],
        }
        for bar, row in zip(bars, rows, strict=True)
        for needed in bar.depends_on
        if needed in by_key
    ]
    y = {
        "field": "row",
        "type": "nominal",
        "sort": order,
        "title": None,
        # room above the first and below the last row (for the phases' names)
        "scale": {"paddingOuter": 0.8},
        # the row's number keeps equal titles apart; the axis shows the title only
        "axis": {"labelExpr": "substring(datum.label, 4)", "labelLimit": {"expr": LABEL_LIMIT}},
    }
    date_axis = {
        "format": "%b %Y",
        "tickCount": {"expr": "max(2, floor(width / 110))"},
        "labelOverlap": True,
        "title": None,
        "grid": True,
        "orient": "top",
    }
    x = {"field": "start", "type": "temporal", "axis": date_axis}
    tooltip = [
        {"field": "title", "type": "nominal", "title": TOOLTIP_HEADING},
        {"field": "start", "type": "temporal", "format": "%x", "title": labels["start"]},
        {"field": "last", "type": "temporal", "format": "%x", "title": labels["end"]},
        {"field": "state", "type": "nominal", "title": " "},
        {"field": "owner", "type": "nominal", "title": labels["owner"]},
    ]
    colour = {
        "field": "state",
        "type": "nominal",
        "title": None,
        "scale": {"domain": [labels[s] for s in STATES], "range": list(COLOURS)},
        "legend": {
            "orient": "bottom",
            "direction": "horizontal",
            "symbolOpacity": 1,
            "labelLimit": 0,  # "after its legal date" whole
            "columns": {"expr": f"{NARROW} ? 2 : 4"},
        },
    }
    bar_rows = [r for r, b in zip(rows, bars, strict=True) if not b.milestone]
    milestone_rows = [
        {**r, "what": labels["milestone"]} for r, b in zip(rows, bars, strict=True) if b.milestone
    ]
    layers: list[dict[str, Any]] = []
    if phases:
        layers.append(
            {
                "data": {
                    "values": [
                        {
                            "phase": name,
                            "start": _day(first),
                            "end": _day(last + datetime.timedelta(days=1)),
                            "shade": index,
                        }
                        for index, (name, first, last) in enumerate(phases)
                    ]
                },
                "layer": [
                    {
                        "mark": {"type": "rect", "opacity": 1},
                        "encoding": {
                            "x": {**x, "field": "start"},
                            "x2": {"field": "end"},
                            "fill": {
                                "field": "shade",
                                "type": "ordinal",
                                "scale": {"range": list(PHASE_SHADES)},
                                "legend": None,
                            },
                        },
                    },
                    {
                        # in the room below the last row, clipped to the plot: a name that runs
                        # past the chart's end is cut rather than shrinking the plot for it
                        "mark": {
                            "type": "text",
                            "clip": True,
                            "align": "left",
                            "baseline": "bottom",
                            "dx": 4,
                            "dy": -2,
                            "color": "#6c757d",
                            "fontSize": 11,
                            "y": {"expr": "height"},
                        },
                        "encoding": {
                            "x": {**x, "field": "start"},
                            "text": {"field": "phase"},
                        },
                    },
                ],
            }
        )
    if links:
        layers.append(
            {
                "data": {"values": links},
                "mark": {"type": "rule", "color": "#adb5bd", "strokeWidth": 1},
                "encoding": {
                    "x": {**x, "field": "from"},
                    "x2": {"field": "to"},
                    "y": {**y, "field": "from_row"},
                    "y2": {"field": "to_row"},
                },
            }
        )
    if bar_rows:
        layers.append(
            {
                "data": {"values": bar_rows},
                "mark": {"type": "bar", "cornerRadius": 2, "height": {"band": 0.6}},
                "encoding": {
                    "x": x,
                    "x2": {"field": "end"},
                    "y": y,
                    "color": colour,
                    "tooltip": tooltip,
                },
            }
        )
    if milestone_rows:
        layers.append(
            {
                "data": {"values": milestone_rows},
                "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 140},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": colour,
                    "tooltip": [
                        *tooltip[:2],
                        {"field": "what", "type": "nominal", "title": " "},
                        *tooltip[3:],
                    ],
                },
            }
        )
    layers.append(
        {
            "data": {"values": [{"start": _day(today), "label": labels["today"]}]},
            "mark": {"type": "rule", "color": TODAY, "strokeDash": [4, 3], "strokeWidth": 1.5},
            "encoding": {
                "x": x,
                "tooltip": [
                    {"field": "label", "type": "nominal", "title": TOOLTIP_HEADING},
                    {"field": "start", "type": "temporal", "format": "%x", "title": " "},
                ],
            },
        }
    )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "config": CONFIG,
        "width": "container",
        "height": {"step": ROW} if rows else 40,
        "layer": layers,
    }
