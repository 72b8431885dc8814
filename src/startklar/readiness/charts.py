"""Vega-Lite specs of the readiness check, built with Altair.

The same spec is rendered in the browser (vendored vega-embed) and later embedded in the PDF
report (vl-convert). A radar chart is drawn as lines on x/y coordinates, because Vega-Lite has
no polar line mark.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import altair as alt

from . import engine

SIZE = 380
RINGS = (25, 50, 75, 100)
ALIGNS: tuple[Literal["left", "center", "right"], ...] = ("left", "center", "right")
PALETTE = ["#0b5d7a", "#b0413e", "#6c757d", "#2a9d8f", "#e9a03b"]


def _point(score: float, index: int, count: int) -> tuple[float, float]:
    angle = 2 * math.pi * index / count
    return score * math.sin(angle), score * math.cos(angle)


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
    labels = [
        {"label": d.name.get(language), "x": x, "y": y, "align": _align(x)}
        for i, d in enumerate(dimensions)
        for x, y in [_point(118, i, count)]
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
                    "x": px,
                    "y": py,
                    "score": round(score),
                    "dimension": dimensions[i].name.get(language),
                }
            )
    scale = alt.Scale(domain=[-150, 150])
    x = alt.X("x:Q", scale=scale, axis=None)
    y = alt.Y("y:Q", scale=scale, axis=None)
    base_grid = (
        alt.Chart(alt.Data(values=grid))
        .mark_line(color="#ced4da", strokeWidth=1)
        .encode(x=x, y=y, detail="ring:N", order="order:Q")
    )
    base_spokes = (
        alt.Chart(alt.Data(values=spokes))
        .mark_rule(color="#dee2e6")
        .encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
    )
    base_labels = [
        alt.Chart(alt.Data(values=[lb for lb in labels if lb["align"] == align]))
        .mark_text(fontSize=12, color="#212529", align=align)
        .encode(x=x, y=y, text="label:N")
        for align in ALIGNS
        if any(lb["align"] == align for lb in labels)
    ]
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(range=PALETTE),
        legend=alt.Legend(orient="bottom", title=None),
    )
    series_chart = alt.Chart(alt.Data(values=lines)).encode(
        x=x, y=y, color=colour, order="order:Q", detail="series:N"
    )
    chart = alt.layer(
        base_grid,
        base_spokes,
        *base_labels,
        series_chart.mark_line(strokeWidth=2.5),
        series_chart.mark_point(filled=True, size=50),
    ).properties(width=SIZE, height=SIZE)
    if title:
        chart = chart.properties(title=title)
    return _spec(chart.configure_view(stroke=None))


def _align(x: float) -> str:
    if abs(x) < 1:
        return "center"
    return "left" if x > 0 else "right"


def trend(
    dimensions: Sequence[engine.Dimension],
    points: Sequence[tuple[str, engine.Assessment]],
    language: str,
) -> dict[str, Any]:
    """Dimension scores per round, oldest round first."""
    rows = [
        {
            "round": label,
            "order": n,
            "dimension": d.dimension.name.get(language),
            "score": round(d.score, 1),
        }
        for n, (label, assessment) in enumerate(points)
        for d in assessment.dimensions
        if d.score is not None
    ]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "round:N",
                sort=alt.SortField("order"),
                title=None,
                axis=alt.Axis(labelAngle=0, labelLimit=220),
            ),
            y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 100]), title="0–100"),
            color=alt.Color(
                "dimension:N",
                sort=[d.name.get(language) for d in dimensions],
                legend=alt.Legend(orient="bottom", title=None, columns=2),
            ),
        )
        .properties(width=760, height=260)
    )
    return _spec(chart)


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict()
    spec.pop("$schema", None)
    return spec
