"""Vega-Lite specs of the readiness check, plain dicts.

The same spec is rendered in the browser (vendored vega-embed) and later embedded in the PDF
report (vl-convert). A radar chart is drawn as lines on x/y coordinates, because Vega-Lite has
no polar line mark. Every chart is as wide as its box (``width: "container"``); the radar is
marked ``usermeta.aspectRatio = 1`` and ``static/startklar/charts.js`` keeps its plot square.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from startklar.core.charts import CONFIG, TOOLTIP_HEADING

from . import engine

SIZE = 380  # the radar's height before charts.js makes it as high as it is wide
RINGS = (25, 50, 75, 100)
LABEL_RADIUS = 108  # the names stand just outside the outer ring, in the chart's padding
DOMAIN = 102
LABEL_WIDTH = 16  # characters per line of a dimension name at the radar
LINE = 14  # pixels per line of such a name
# Colours with at least 4.5:1 contrast on white; line charts also vary the point shape.
PALETTE = [
    "#0b5d7a",
    "#b0413e",
    "#2e7d32",
    "#6a3d9a",
    "#a5530a",
    "#ad1f6f",
    "#495057",
    "#1f5fa8",
    "#7b4a3a",
    "#00695c",
]
SHAPES = [
    "circle",
    "square",
    "triangle-up",
    "diamond",
    "cross",
    "triangle-down",
    "triangle-left",
    "triangle-right",
]
ROUND_LABEL_WIDTH = 20  # characters per line of a round's title under the trend chart


def _point(score: float, index: int, count: int) -> tuple[float, float]:
    angle = 2 * math.pi * index / count
    return score * math.sin(angle), score * math.cos(angle)


def _align(x: float) -> str:
    if abs(x) < 1:
        return "center"
    return "left" if x > 0 else "right"


def _baseline(y: float) -> str:
    if abs(y) < 1:
        return "middle"
    return "bottom" if y > 0 else "top"


def radar(
    dimensions: Sequence[engine.Dimension],
    series: Sequence[tuple[str, Sequence[float | None]]],
    language: str,
    title: str = "",
) -> dict[str, Any]:
    """One closed line per series (e.g. "Median", "Vorrunde") over the dimensions, 0–100."""
    count = len(dimensions)
    grid = [
        {"ring": ring, "order": i, "x": x, "y": y}
        for ring in RINGS
        for i in range(count + 1)
        for x, y in [_point(ring, i % count, count)]
    ]
    spokes = [
        {"x": 0, "y": 0, "x2": x, "y2": y} for i in range(count) for x, y in [_point(100, i, count)]
    ]
    labels: list[dict[str, Any]] = [
        {
            # Long names wrap onto lines of their own (a list is drawn as lines by Vega).
            "label": textwrap.wrap(d.name.get(language), LABEL_WIDTH, break_long_words=False)
            or [""],
            "name": d.name.get(language),
            "x": x,
            "y": y,
            "align": _align(x),
            "baseline": _baseline(y),
        }
        for i, d in enumerate(dimensions)
        for x, y in [_point(LABEL_RADIUS, i, count)]
    ]
    lines = []
    for name, scores in series:
        known = [(i, s) for i, s in enumerate(scores) if s is not None]
        for order, (i, score) in enumerate([*known, *known[:1]]):
            px, py = _point(score, i, count)
            lines.append(
                {
                    "series": name,
                    "order": order,
                    "x": round(px, 3),
                    "y": round(py, 3),
                    "score": round(score),
                    "dimension": dimensions[i].name.get(language),
                }
            )
    # Names below the plot (the bottom one, for an even count) hang into the legend's place:
    # push the legend down by their depth, part in data units (grows with the plot), part in
    # lines of text.
    depths = [
        f"{round(-lb['y'] - DOMAIN, 2)} * height / {2 * DOMAIN} + {LINE * len(lb['label'])}"
        for lb in labels
        if lb["baseline"] == "top"
    ]
    offset = f"max(0, {', '.join(depths)}) + 10" if depths else "10"
    scale = {"domain": [-DOMAIN, DOMAIN], "nice": False}
    x = {"field": "x", "type": "quantitative", "scale": scale, "axis": None}
    y = {"field": "y", "type": "quantitative", "scale": scale, "axis": None}
    colour = {
        "field": "series",
        "type": "nominal",
        "sort": [name for name, _scores in series],
        "scale": {"range": PALETTE},
        "legend": {
            "orient": "bottom",
            "title": None,
            "columns": {"expr": "width < 420 ? 1 : 2"},
            "offset": {"expr": offset},
            "labelLimit": 260,
        },
    }
    tooltip = [
        {"field": "dimension", "type": "nominal", "title": TOOLTIP_HEADING},
        {"field": "series", "type": "nominal", "title": _("Series")},
        {"field": "score", "type": "quantitative", "title": _("Score (0–100)"), "format": ",d"},
    ]
    layer: list[dict[str, Any]] = [
        {
            "data": {"values": grid},
            "mark": {"type": "line", "color": "#ced4da", "strokeWidth": 1},
            "encoding": {
                "x": x,
                "y": y,
                "detail": {"field": "ring", "type": "nominal"},
                "order": {"field": "order", "type": "quantitative"},
            },
        },
        {
            "data": {"values": spokes},
            "mark": {"type": "rule", "color": "#dee2e6"},
            "encoding": {
                "x": x,
                "y": y,
                "x2": {"field": "x2"},
                "y2": {"field": "y2"},
            },
        },
    ]
    for align in ("left", "center", "right"):
        for baseline in ("top", "middle", "bottom"):
            chosen = [lb for lb in labels if lb["align"] == align and lb["baseline"] == baseline]
            if not chosen:
                continue
            layer.append(
                {
                    "data": {"values": chosen},
                    "mark": {
                        "type": "text",
                        "fontSize": 12,
                        "color": "#212529",
                        "align": align,
                        "baseline": baseline,
                        "lineHeight": LINE,
                    },
                    "encoding": {
                        "x": x,
                        "y": y,
                        "text": {"field": "label", "type": "nominal"},
                        "tooltip": {"field": "name", "type": "nominal"},
                    },
                }
            )
    series_encoding = {
        "x": x,
        "y": y,
        "color": colour,
        "order": {"field": "order", "type": "quantitative"},
        "detail": {"field": "series", "type": "nominal"},
        "tooltip": tooltip,
    }
    layer += [
        {
            "data": {"values": lines},
            "mark": {"type": "line", "strokeWidth": 2.5},
            "encoding": series_encoding,
        },
        {
            "data": {"values": lines},
            "mark": {"type": "point", "filled": True, "size": 50, "opacity": 1},
            "encoding": {**series_encoding, "shape": {**colour, "scale": {"range": SHAPES}}},
        },
    ]
    spec: dict[str, Any] = {
        "width": "container",
        "height": SIZE,
        "autosize": {"type": "fit-x", "contains": "padding", "resize": True},
        "usermeta": {"aspectRatio": 1},
        "layer": layer,
        "config": CONFIG,
    }
    if title:
        spec["title"] = title
    return spec


def trend(
    dimensions: Sequence[engine.Dimension],
    points: Sequence[tuple[str, engine.Scores]],
    language: str,
) -> dict[str, Any]:
    """Dimension scores per round, oldest round first."""
    # The axis shows a title on lines of its own (split again in the label expression).
    axis_labels = [
        "\n".join(textwrap.wrap(label, ROUND_LABEL_WIDTH)) or label for label, _s in points
    ]
    rows = [
        {
            "round": label,
            "axis_label": axis_labels[n],
            "order": n,
            "dimension": d.dimension.name.get(language),
            "score": round(d.score, 1),
        }
        for n, (label, scores) in enumerate(points)
        for d in scores.dimensions
        if d.score is not None
    ]
    names = [d.name.get(language) for d in dimensions]
    legend = {
        "orient": "bottom",
        "title": None,
        "columns": {"expr": "width < 480 ? 1 : 2"},
        "labelLimit": {"expr": "width < 480 ? width - 30 : width / 2 - 30"},
        "symbolStrokeWidth": 2,
    }
    rounds = max(1, len(points))
    return {
        "width": "container",
        "height": 260,
        "autosize": {"type": "fit-x", "contains": "padding", "resize": True},
        "data": {"values": rows},
        "mark": {"type": "line", "point": {"filled": True, "size": 60}, "strokeWidth": 2},
        "encoding": {
            "x": {
                "field": "axis_label",
                "type": "nominal",
                "sort": {"field": "order", "op": "min"},
                "title": None,
                "scale": {"padding": 0.3},
                "axis": {
                    "labelExpr": "split(datum.label, '\\n')",
                    "labelAngle": 0,
                    "labelLimit": {"expr": f"width / {rounds} - 8"},
                    "labelOverlap": False,
                },
            },
            "y": {
                "field": "score",
                "type": "quantitative",
                "scale": {"domain": [0, 100]},
                "title": _("Score (0–100)"),
            },
            "color": {
                "field": "dimension",
                "type": "nominal",
                "sort": names,
                "scale": {"range": PALETTE},
                "legend": legend,
            },
            "shape": {
                "field": "dimension",
                "type": "nominal",
                "sort": names,
                "scale": {"range": SHAPES},
                "legend": legend,
            },
            "tooltip": [
                {"field": "dimension", "type": "nominal", "title": TOOLTIP_HEADING},
                {"field": "round", "type": "nominal", "title": _("Round")},
                {
                    "field": "score",
                    "type": "quantitative",
                    "title": _("Score (0–100)"),
                    "format": ",.1f",
                },
            ],
        },
        "config": CONFIG,
    }
