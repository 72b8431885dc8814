"""The readiness charts: valid Vega-Lite, as wide as their box, a round radar, readable labels."""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.utils import translation

from startklar.core.tests.vegalite import assert_valid, contrast_on_white, layers
from startklar.readiness import charts, engine
from startklar.readiness.content import load_bank

BANK = load_bank()
DIMENSIONS = BANK.dimensions


def assessment(level: int) -> engine.Scores:
    return engine.assess(BANK, dict.fromkeys(BANK.questions, float(level))).scores


def radar(language: str = "de", **series: list[float | None]) -> dict[str, Any]:
    chosen = series or {"Median": [50.0] * len(DIMENSIONS)}
    with translation.override(language):
        return charts.radar(DIMENSIONS, list(chosen.items()), language)


def values(layer: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = layer["data"]["values"]
    return found


def test_the_radar_is_valid_vega_lite_as_wide_as_its_box_and_square() -> None:
    spec = radar(Median=[50.0] * 8, Vorrunde=[20.0, None, 40.0, 60.0, 80.0, 100.0, 0.0, 30.0])
    assert_valid(spec)
    assert spec["width"] == "container"
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding", "resize": True}
    assert spec["usermeta"] == {"aspectRatio": 1}  # charts.js makes the plot as high as wide
    assert "title" not in spec
    x_domain = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == x_domain  # round, not oval


def test_the_radar_places_each_score_at_its_distance_and_closes_the_line() -> None:
    scores: list[float | None] = [10.0, 20.0, None, 40.0, 50.0, 60.0, 70.0, 80.0]
    spec = radar(Median=scores)
    points = next(
        values(layer)
        for layer in layers(spec)
        if layer["mark"]["type"] == "line" and "color" in layer["encoding"]
    )
    assert len(points) == 7 + 1  # the unknown score is left out, the first point repeats
    assert {**points[0], "order": 7} == points[-1]
    for point in points:
        assert math.hypot(point["x"], point["y"]) == pytest.approx(point["score"], abs=0.01)
    assert [p["dimension"] for p in points[:2]] == ["Strategie & Ziele", "Führung & Organisation"]


def test_the_radar_wraps_long_dimension_names_and_keeps_the_whole_name_for_the_tooltip() -> None:
    texts = [layer for layer in layers(radar()) if layer["mark"]["type"] == "text"]
    labels = [label for layer in texts for label in values(layer)]
    assert len(labels) == len(DIMENSIONS)
    for label in labels:
        assert " ".join(label["label"]) == label["name"]
        assert all(len(line) <= charts.LABEL_WIDTH for line in label["label"])
    law = next(lb for lb in labels if lb["name"] == "Recht, Datenschutz & Ethik")
    assert law["label"] == ["Recht,", "Datenschutz &", "Ethik"]
    assert all(layer["encoding"]["tooltip"]["field"] == "name" for layer in texts)
    # Names left of the centre end at their point, names right of it start there.
    for layer in texts:
        for label in values(layer):
            assert layer["mark"]["align"] == label["align"]
            if label["x"] > 1:
                assert label["align"] == "left"
            elif label["x"] < -1:
                assert label["align"] == "right"


def test_the_radar_legend_leaves_room_for_the_name_below_the_plot() -> None:
    legend = next(
        layer["encoding"]["color"]["legend"]
        for layer in layers(radar())
        if "color" in layer.get("encoding", {})
    )
    offset = legend["offset"]["expr"]
    # The bottom name ("Kompetenzen & Ressourcen", two lines) hangs below the outer ring.
    assert offset.startswith("max(0, ")
    assert f"+ {2 * charts.LINE}" in offset


def test_the_radar_speaks_the_language_it_is_given() -> None:
    spec = radar("en")
    labels = [
        lb["name"]
        for layer in layers(spec)
        if layer["mark"]["type"] == "text"
        for lb in values(layer)
    ]
    assert "Strategy & goals" in labels
    tooltip = next(
        layer["encoding"]["tooltip"] for layer in layers(spec) if layer["mark"]["type"] == "point"
    )
    assert [t.get("title") for t in tooltip] == ["title", "Series", "Score (0–100)"]


def test_a_radar_can_carry_a_title() -> None:
    spec = charts.radar(DIMENSIONS, [("Median", [50.0] * 8)], "de", title="Profil")
    assert_valid(spec)
    assert spec["title"] == "Profil"


def test_the_trend_is_valid_as_wide_as_its_box_and_oldest_round_first() -> None:
    points = [("Reifegrad-Check November 2025", assessment(2)), ("Oktober 2026", assessment(4))]
    with translation.override("de"):
        spec = charts.trend(DIMENSIONS, points, "de")
    assert_valid(spec)
    assert spec["width"] == "container"
    assert spec["autosize"]["type"] == "fit-x"
    rows = spec["data"]["values"]
    assert len(rows) == 2 * len(DIMENSIONS)
    assert rows[0]["order"] == 0
    assert rows[-1]["order"] == 1
    # Long round titles stand on two lines under the axis; the tooltip has the whole title.
    assert rows[0]["axis_label"] == "Reifegrad-Check\nNovember 2025"
    assert rows[-1]["axis_label"] == "Oktober 2026"
    x = spec["encoding"]["x"]
    assert x["field"] == "axis_label"
    assert x["axis"]["labelExpr"] == "split(datum.label, '\\n')"
    assert x["axis"]["labelLimit"] == {"expr": "width / 2 - 8"}
    assert [t["field"] for t in spec["encoding"]["tooltip"]] == ["dimension", "round", "score"]
    # Each dimension has its own colour and its own point shape.
    assert spec["encoding"]["color"]["sort"] == spec["encoding"]["shape"]["sort"]
    assert len(set(charts.SHAPES)) >= len(DIMENSIONS)


def test_the_trend_leaves_out_dimensions_without_a_score() -> None:
    empty = engine.assess(BANK, dict.fromkeys(BANK.questions, None)).scores
    spec = charts.trend(DIMENSIONS, [("A", empty), ("B", assessment(3))], "de")
    assert_valid(spec)
    assert {row["round"] for row in spec["data"]["values"]} == {"B"}


@pytest.mark.parametrize("colour", charts.PALETTE)
def test_series_colours_stand_out_on_white(colour: str) -> None:
    assert contrast_on_white(colour) >= 4.5
