"""Vega-Lite spec of the portfolio matrix, built with Altair (same spec for page and PDF)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from .queries import Row

QUADRANT_LABELS = (
    (75, 97, "quick_wins"),
    (25, 97, "strategische_hebel"),
    (75, 3, "nice_to_have"),
    (25, 3, "vermeiden"),
)


def matrix(
    rows: Sequence[Row], labels: dict[str, str], status_labels: dict[str, str]
) -> dict[str, Any]:
    """Value (y) against feasibility (x), bubble size = estimated cost, colour = status."""
    points = [
        {
            "title": r.use_case.title
            if len(r.use_case.title) <= 32
            else r.use_case.title[:31] + "…",
            "value": round(r.value, 1),
            "feasibility": round(r.feasibility, 1),
            "cost": float(r.use_case.estimated_cost or 0),
            "status": status_labels[r.use_case.status],
        }
        for r in rows
        if r.value is not None and r.feasibility is not None
    ]
    x = alt.X("feasibility:Q", scale=alt.Scale(domain=[0, 100]), title=labels["x"])
    y = alt.Y("value:Q", scale=alt.Scale(domain=[0, 100]), title=labels["y"])
    bubbles = (
        alt.Chart(alt.Data(values=points))
        .mark_circle(opacity=0.8, stroke="#fff", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            size=alt.Size("cost:Q", scale=alt.Scale(range=[80, 1400]), legend=None),
            color=alt.Color("status:N", legend=alt.Legend(orient="bottom", title=None)),
        )
    )
    names = (
        alt.Chart(alt.Data(values=points))
        .mark_text(align="left", dx=9, dy=-7, fontSize=11, color="#212529")
        .encode(x=x, y=y, text="title:N")
    )
    rules = alt.Chart(alt.Data(values=[{"at": 50}])).mark_rule(color="#adb5bd", strokeDash=[4, 4])
    quadrants = (
        alt.Chart(
            alt.Data(
                values=[{"x": qx, "y": qy, "label": labels[key]} for qx, qy, key in QUADRANT_LABELS]
            )
        )
        .mark_text(color="#6c757d", fontSize=12, fontWeight="bold")
        .encode(
            x=alt.X("x:Q", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("y:Q", scale=alt.Scale(domain=[0, 100])),
            text="label:N",
        )
    )
    chart = alt.layer(
        rules.encode(x="at:Q"),
        rules.encode(y="at:Q"),
        quadrants,
        bubbles,
        names,
    ).properties(width=520, height=420)
    spec: dict[str, Any] = chart.to_dict()
    spec.pop("$schema", None)
    return spec
