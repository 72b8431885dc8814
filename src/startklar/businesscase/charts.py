"""Vega-Lite specs of the business case, built with Altair (same spec for page and PDF)."""

from __future__ import annotations

from typing import Any

import altair as alt

from .queries import Analysis


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict()
    spec.pop("$schema", None)
    return spec


def cashflow(analysis: Analysis, labels: dict[str, str]) -> dict[str, Any]:
    """Cumulative cash flow: P10–P90 band of the simulation, its median and the most likely path."""
    rows = [
        {
            "month": m.month,
            "p10": round(band.p10, 2),
            "p50": round(band.p50, 2),
            "p90": round(band.p90, 2),
            "likely": round(m.cumulative, 2),
        }
        for m, band in zip(analysis.result.months, analysis.simulation.band, strict=True)
    ]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("month:Q", title=labels["month"], scale=alt.Scale(nice=False))
    )
    band = base.mark_area(opacity=0.25, color="#0b5d7a").encode(
        y=alt.Y("p10:Q", title=labels["euro"]), y2="p90:Q"
    )
    median = base.mark_line(color="#0b5d7a", strokeWidth=2.5).encode(y="p50:Q")
    likely = base.mark_line(color="#b0413e", strokeDash=[5, 4]).encode(y="likely:Q")
    zero = alt.Chart(alt.Data(values=[{"y": 0}])).mark_rule(color="#6c757d").encode(y="y:Q")
    return _spec(alt.layer(band, zero, median, likely).properties(width=620, height=300))


def tornado(
    analysis: Analysis, labels: dict[str, str], names: dict[tuple[str, str], str]
) -> dict[str, Any]:
    """NPV with each input at its minimum and maximum, widest swing on top."""
    base_npv = analysis.result.npv
    rows = [
        {
            "input": names.get((s.item, s.factor), f"{s.item} ({s.factor})"),
            "order": n,
            "low": round(min(s.npv_low, s.npv_high), 2),
            "high": round(max(s.npv_low, s.npv_high), 2),
        }
        for n, s in enumerate(analysis.swings[:10])
    ]
    bars = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(color="#0b5d7a")
        .encode(
            y=alt.Y(
                "input:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelLimit=260)
            ),
            x=alt.X("low:Q", title=labels["npv"]),
            x2="high:Q",
        )
    )
    rule = (
        alt.Chart(alt.Data(values=[{"x": round(base_npv, 2)}]))
        .mark_rule(color="#b0413e")
        .encode(x="x:Q")
    )
    return _spec(alt.layer(bars, rule).properties(width=520, height=max(60, 28 * len(rows))))
