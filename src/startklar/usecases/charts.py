"""Vega-Lite spec of the portfolio matrix, plain dicts (same spec for page and PDF).

The chart is as wide as its box (``width: "container"``); numbers are formatted by Vega with the
page's locale, which ``static/startklar/charts.js`` sets from ``<html lang>``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from startklar.core.charts import CONFIG, TOOLTIP_HEADING

from .engine.portfolio import Quadrant
from .models import Status

if TYPE_CHECKING:
    from .queries import Row

# Quadrant names in the plot's corners: (x, y, align, quadrant)
QUADRANT_LABELS = (
    (99, 97, "right", Quadrant.QUICK_WINS),
    (1, 97, "left", Quadrant.STRATEGIC_LEVERS),
    (99, 3, "right", Quadrant.NICE_TO_HAVE),
    (1, 3, "left", Quadrant.AVOID),
)
# Names beside the bubbles are placed for a plot of this size (pixels) and hidden when the plot
# is narrower than NAMES_FROM; where a name would overlap another one, a bubble or a quadrant
# name, it is left out (the tooltip and the table below the chart always carry it).
PLOT_WIDTH, PLOT_HEIGHT = 600, 360
NAMES_FROM = 520
CHAR_WIDTH, NAME_HEIGHT, NAME_LIMIT = 6.2, 13, 150
SIZES = (80, 1400)  # bubble area in square pixels, by estimated cost
TITLE_LENGTH = 32
# One colour per status, each at least 4.5:1 on white.
STATUS_COLOURS: dict[str, str] = {
    Status.IDEA: "#6c757d",
    Status.ASSESSED: "#1f5fa8",
    Status.SELECTED: "#6a3d9a",
    Status.PILOT: "#a5530a",
    Status.SCALING: "#00695c",
    Status.IN_OPERATION: "#2e7d32",
    Status.POSTPONED: "#7b4a3a",
    Status.DISCARDED: "#b0413e",
}


def _short(title: str) -> str:
    return title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1].rstrip() + "…"


Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class _Taken:
    """The boxes already taken, filed by the cells of a grid they touch, so that a new box is
    compared only with the boxes in its own cells (every box it overlaps shares one with it)."""

    CELL = 40.0

    def __init__(self) -> None:
        self.cells: defaultdict[tuple[int, int], list[Box]] = defaultdict(list)

    def _cells(self, box: Box) -> list[tuple[int, int]]:
        return [
            (column, row)
            for column in range(math.floor(box[0] / self.CELL), math.floor(box[2] / self.CELL) + 1)
            for row in range(math.floor(box[1] / self.CELL), math.floor(box[3] / self.CELL) + 1)
        ]

    def add(self, box: Box) -> None:
        for cell in self._cells(box):
            self.cells[cell].append(box)

    def overlaps(self, box: Box, own: Box) -> bool:
        """Whether ``box`` overlaps a taken box other than ``own`` (nor one equal to it)."""
        return any(
            _overlaps(box, t)
            for cell in self._cells(box)
            for t in self.cells.get(cell, ())
            if t != own
        )


Spot = tuple[str, int, int]  # align, dx, dy (pixels) of a name relative to its bubble's centre


def _along(r: float) -> tuple[tuple[str, float], ...]:
    """Above or below a bubble of radius r: centred, from its left edge, to its right edge."""
    return (("center", 0), ("left", -r), ("right", r))


def _place_names(points: list[dict[str, Any]], quadrant_names: list[str]) -> list[Spot | None]:
    """A free spot for each point's name: right, left, above or below its bubble, or none."""
    top_cost = max((p["cost"] for p in points), default=0) or 1

    def centre(p: dict[str, Any]) -> tuple[float, float, float]:
        area = SIZES[0] + (SIZES[1] - SIZES[0]) * p["cost"] / top_cost
        x = p["feasibility"] / 100 * PLOT_WIDTH
        y = (100 - p["value"]) / 100 * PLOT_HEIGHT
        return x, y, math.sqrt(area / math.pi)

    taken = _Taken()
    for name, (qx, qy, align, _key) in zip(quadrant_names, QUADRANT_LABELS, strict=True):
        width = len(name) * (CHAR_WIDTH + 1)
        x = qx / 100 * PLOT_WIDTH
        y = (100 - qy) / 100 * PLOT_HEIGHT
        left = x if align == "left" else x - width
        taken.add((left, y - NAME_HEIGHT / 2, left + width, y + NAME_HEIGHT / 2))
    for p in points:
        x, y, r = centre(p)
        taken.add((x - r, y - r, x + r, y + r))
    found: list[Spot | None] = [None] * len(points)
    for n in sorted(
        range(len(points)), key=lambda n: (-points[n]["value"], points[n]["feasibility"])
    ):
        p = points[n]
        x, y, r = centre(p)
        width = min(len(p["short"]) * CHAR_WIDTH, NAME_LIMIT)
        half = NAME_HEIGHT / 2
        above, below = -r - half - 2, r + half + 2
        candidates: list[tuple[str, float, float]] = [
            ("left", r + 4, 0),
            ("right", -r - 4, 0),
            *((align, dx, dy) for dy in (above, below) for align, dx in _along(r)),
        ]
        spots = []
        for align, dx, dy in candidates:
            anchor = x + dx
            left = {"left": anchor, "right": anchor - width}.get(align, anchor - width / 2)
            spots.append((align, dx, dy, (left, y + dy - half, left + width, y + dy + half)))
        own = (x - r, y - r, x + r, y + r)
        for align, dx, dy, box in spots:
            inside = box[0] >= 0 and box[2] <= PLOT_WIDTH and box[1] >= 0 and box[3] <= PLOT_HEIGHT
            if inside and not taken.overlaps(box, own):
                found[n] = (align, round(dx), round(dy))
                taken.add(box)
                break
    return found


def matrix(
    rows: Sequence[Row[Any]], labels: dict[str, str], status_labels: dict[str, str]
) -> dict[str, Any]:
    """Value (y) against feasibility (x), bubble size = estimated cost, colour = status."""
    points: list[dict[str, Any]] = [
        {
            "title": r.use_case.title,
            "short": _short(r.use_case.title),
            "value": round(r.value, 1),
            "feasibility": round(r.feasibility, 1),
            "cost": float(r.use_case.estimated_cost or 0),
            "status": status_labels[r.use_case.status],
        }
        for r in rows
        if r.value is not None and r.feasibility is not None
    ]
    present: set[str] = {str(p["status"]) for p in points}
    shown = [key for key, label in status_labels.items() if label in present]
    scale = {"domain": [0, 100], "nice": False}
    x = {"field": "feasibility", "type": "quantitative", "scale": scale, "title": labels["x"]}
    y = {"field": "value", "type": "quantitative", "scale": scale, "title": labels["y"]}
    tooltip = [
        {"field": "title", "type": "nominal", "title": TOOLTIP_HEADING},
        {"field": "status", "type": "nominal", "title": _("Status")},
        {"field": "value", "type": "quantitative", "title": labels["y"], "format": ",.0f"},
        {"field": "feasibility", "type": "quantitative", "title": labels["x"], "format": ",.0f"},
        {"field": "cost", "type": "quantitative", "title": _("Estimated cost"), "format": "$,.0f"},
    ]
    quadrants: list[dict[str, Any]] = [
        {"x": qx, "y": qy, "align": align, "label": labels[key]}
        for qx, qy, align, key in QUADRANT_LABELS
    ]
    spots = _place_names(points, [q["label"] for q in quadrants])
    return {
        "width": "container",
        "height": 420,
        "autosize": {"type": "fit-x", "contains": "padding", "resize": True},
        "layer": [
            {
                "data": {"values": [{"at": 50}]},
                "mark": {"type": "rule", "color": "#adb5bd", "strokeDash": [4, 4]},
                "encoding": {"x": {"field": "at", "type": "quantitative", "scale": scale}},
            },
            {
                "data": {"values": [{"at": 50}]},
                "mark": {"type": "rule", "color": "#adb5bd", "strokeDash": [4, 4]},
                "encoding": {"y": {"field": "at", "type": "quantitative", "scale": scale}},
            },
            *[
                {
                    "data": {"values": [q for q in quadrants if q["align"] == align]},
                    "mark": {
                        "type": "text",
                        "align": align,
                        "color": "#495057",
                        "fontSize": 12,
                        "fontWeight": "bold",
                    },
                    "encoding": {
                        "x": {"field": "x", "type": "quantitative", "scale": scale},
                        "y": {"field": "y", "type": "quantitative", "scale": scale},
                        "text": {"field": "label", "type": "nominal"},
                    },
                }
                for align in ("left", "right")
            ],
            {
                "data": {"values": points},
                "mark": {"type": "circle", "opacity": 0.85, "stroke": "#fff", "strokeWidth": 1},
                "encoding": {
                    "x": x,
                    "y": y,
                    "size": {
                        "field": "cost",
                        "type": "quantitative",
                        "scale": {"range": list(SIZES), "zero": True},
                        "legend": None,
                    },
                    "color": {
                        "field": "status",
                        "type": "nominal",
                        "scale": {
                            "domain": [status_labels[s] for s in shown],
                            "range": [STATUS_COLOURS.get(s, "#495057") for s in shown],
                        },
                        "legend": {
                            "orient": "bottom",
                            "title": None,
                            "columns": {"expr": "width < 480 ? 2 : 4"},
                        },
                    },
                    "tooltip": tooltip,
                },
            },
            *[
                {
                    # Names beside the bubbles only where there is room (see _place_names);
                    # one layer per spot relative to the bubble (a mark's offset is fixed).
                    "data": {
                        "values": [p for p, at in zip(points, spots, strict=True) if at == spot]
                    },
                    "mark": {
                        "type": "text",
                        "align": spot[0],
                        "dx": spot[1],
                        "dy": spot[2],
                        "baseline": "middle",
                        "fontSize": 11,
                        "color": "#212529",
                        "limit": NAME_LIMIT,
                    },
                    "encoding": {
                        "x": x,
                        "y": y,
                        "text": {
                            "condition": {"test": f"width >= {NAMES_FROM}", "field": "short"},
                            "value": "",
                        },
                        "tooltip": tooltip,
                    },
                }
                for spot in sorted({at for at in spots if at is not None})
            ],
        ],
        "config": CONFIG,
    }
