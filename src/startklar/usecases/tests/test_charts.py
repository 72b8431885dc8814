"""The portfolio matrix: valid Vega-Lite, as wide as its box, names that do not collide."""

from __future__ import annotations

import math
import random
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from startklar.core.tests.vegalite import assert_valid, contrast_on_white, layers
from startklar.usecases import charts
from startklar.usecases.models import Status, UseCase
from startklar.usecases.queries import Row

LABELS = {
    "x": "Umsetzbarkeit",
    "y": "Nutzen",
    "quick_wins": "Quick Wins",
    "strategische_hebel": "Strategische Hebel",
    "nice_to_have": "Nice-to-have",
    "vermeiden": "Vermeiden",
}
STATUS = {s.value: str(s.label) for s in Status}


def row(title: str, value: float | None, feasibility: float | None, **fields: Any) -> Row:
    use_case = UseCase(title=title, status=fields.pop("status", Status.ASSESSED), **fields)
    return Row(use_case=use_case, scores={}, value=value, feasibility=feasibility, entry=None)


def matrix(rows: list[Row]) -> dict[str, Any]:
    with translation.override("de"):
        return charts.matrix(rows, LABELS, STATUS)


def named(spec: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(text layer, point) for every name drawn beside a bubble."""
    return [
        (layer, point)
        for layer in layers(spec)
        if layer["mark"]["type"] == "text" and layer["encoding"]["text"].get("condition")
        for point in layer["data"]["values"]
    ]


ROWS = [
    row("Angebote schneller schreiben mit KI-Entwürfen", 68, 71, status=Status.SELECTED),
    row("Eingangsrechnungen automatisch erfassen", 68, 91, status=Status.PILOT),
    row("Lieferscheine im Wareneingang prüfen", 43, 91, status=Status.IN_OPERATION),
    row("Maschinenausfälle vorhersagen", 89, 20, estimated_cost=Decimal("80000")),
    row("Produkte per Kamera und KI prüfen", 68, 20, estimated_cost=Decimal("60000")),
    row("Material- und Einkaufsbedarf planen", 43, 45, estimated_cost=Decimal("30000")),
    row("Firmenwissen per Suchfrage finden", 43, 71, status=Status.SELECTED),
    row("Nachkalkulation und Kostentreiber", 18, 71, estimated_cost=Decimal("50000")),
    row("Noch nicht bewertet", None, None),
]


def test_the_matrix_is_valid_vega_lite_and_as_wide_as_its_box() -> None:
    spec = matrix(ROWS)
    assert_valid(spec)
    assert spec["width"] == "container"
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding", "resize": True}
    bubbles = next(layer for layer in layers(spec) if layer["mark"]["type"] == "circle")
    assert len(bubbles["data"]["values"]) == 8  # the unscored use case is not drawn
    assert all(
        layer["encoding"]["x"]["scale"]["domain"] == [0, 100]
        for layer in layers(spec)
        if "x" in layer["encoding"]
    )


def test_the_tooltip_has_the_whole_title_and_the_cost_in_euro() -> None:
    spec = matrix([row("A" * 50, 60, 60, estimated_cost=Decimal("4800"))])
    bubbles = next(layer for layer in layers(spec) if layer["mark"]["type"] == "circle")
    point = bubbles["data"]["values"][0]
    assert point["title"] == "A" * 50
    assert point["short"] == "A" * 31 + "…"
    tooltip = {t["field"]: t for t in bubbles["encoding"]["tooltip"]}
    assert tooltip["title"]["title"] == "title"  # vega-tooltip shows it as the heading
    assert tooltip["cost"]["format"] == "$,.0f"  # 4.800 € in German, €4,800 in English
    assert tooltip["cost"]["title"] == "Geschätzte Kosten"


def test_names_beside_the_bubbles_never_overlap_each_other_and_stay_in_the_plot() -> None:
    spec = matrix(ROWS)
    drawn = named(spec)
    assert len(drawn) >= 6
    boxes: list[tuple[float, float, float, float]] = []
    for layer, point in drawn:
        mark = layer["mark"]
        width = min(len(point["short"]) * charts.CHAR_WIDTH, charts.NAME_LIMIT)
        x = point["feasibility"] / 100 * charts.PLOT_WIDTH + mark["dx"]
        y = (100 - point["value"]) / 100 * charts.PLOT_HEIGHT + mark["dy"]
        left = {"left": x, "right": x - width}.get(mark["align"], x - width / 2)
        box = (left, y - 6.5, left + width, y + 6.5)
        assert box[0] >= 0, point["short"]
        assert box[2] <= charts.PLOT_WIDTH + 1, point["short"]
        assert all(not charts._overlaps(box, other) for other in boxes), point["short"]
        boxes.append(box)
    # Names only where the plot is wide enough; narrower, the tooltip and the table carry them.
    for layer, _point in drawn:
        assert layer["encoding"]["text"]["condition"]["test"] == f"width >= {charts.NAMES_FROM}"
        assert layer["encoding"]["text"]["value"] == ""


def test_quadrant_names_sit_in_the_corners() -> None:
    spec = matrix(ROWS)
    corners = [
        (point["label"], layer["mark"]["align"])
        for layer in layers(spec)
        if layer["mark"]["type"] == "text" and "condition" not in layer["encoding"]["text"]
        for point in layer["data"]["values"]
    ]
    assert sorted(corners) == [
        ("Nice-to-have", "right"),
        ("Quick Wins", "right"),
        ("Strategische Hebel", "left"),
        ("Vermeiden", "left"),
    ]


def test_each_status_shown_has_its_own_colour() -> None:
    spec = matrix(ROWS)
    colour = next(layer for layer in layers(spec) if layer["mark"]["type"] == "circle")["encoding"][
        "color"
    ]
    assert colour["scale"]["domain"] == ["Bewertet", "Ausgewählt", "Pilot", "Regelbetrieb"]
    assert len(set(colour["scale"]["range"])) == 4


def test_an_empty_matrix_is_still_valid() -> None:
    assert_valid(matrix([]))


@pytest.mark.parametrize("status", list(Status))
def test_status_colours_stand_out_on_white(status: Status) -> None:
    assert contrast_on_white(charts.STATUS_COLOURS[status.value]) >= 4.5


def place_names_by_comparing_every_box(
    points: list[dict[str, Any]], quadrant_names: list[str]
) -> list[charts.Spot | None]:
    """The name placement compared with every box taken (as before the grid), for reference."""
    top_cost = max((p["cost"] for p in points), default=0) or 1

    def centre(p: dict[str, Any]) -> tuple[float, float, float]:
        area = charts.SIZES[0] + (charts.SIZES[1] - charts.SIZES[0]) * p["cost"] / top_cost
        x = p["feasibility"] / 100 * charts.PLOT_WIDTH
        y = (100 - p["value"]) / 100 * charts.PLOT_HEIGHT
        return x, y, math.sqrt(area / math.pi)

    taken: list[charts.Box] = []
    for name, (qx, qy, align, _key) in zip(quadrant_names, charts.QUADRANT_LABELS, strict=True):
        width = len(name) * (charts.CHAR_WIDTH + 1)
        x, y = qx / 100 * charts.PLOT_WIDTH, (100 - qy) / 100 * charts.PLOT_HEIGHT
        left = x if align == "left" else x - width
        taken.append((left, y - charts.NAME_HEIGHT / 2, left + width, y + charts.NAME_HEIGHT / 2))
    for p in points:
        x, y, r = centre(p)
        taken.append((x - r, y - r, x + r, y + r))
    found: list[charts.Spot | None] = [None] * len(points)
    for n in sorted(
        range(len(points)), key=lambda n: (-points[n]["value"], points[n]["feasibility"])
    ):
        p = points[n]
        x, y, r = centre(p)
        width = min(len(p["short"]) * charts.CHAR_WIDTH, charts.NAME_LIMIT)
        half = charts.NAME_HEIGHT / 2
        above, below = -r - half - 2, r + half + 2
        candidates: list[tuple[str, float, float]] = [
            ("left", r + 4, 0),
            ("right", -r - 4, 0),
            *((align, dx, dy) for dy in (above, below) for align, dx in charts._along(r)),
        ]
        own = (x - r, y - r, x + r, y + r)
        for align, dx, dy in candidates:
            anchor = x + dx
            left = {"left": anchor, "right": anchor - width}.get(align, anchor - width / 2)
            box = (left, y + dy - half, left + width, y + dy + half)
            inside = (
                box[0] >= 0
                and box[2] <= charts.PLOT_WIDTH
                and box[1] >= 0
                and box[3] <= charts.PLOT_HEIGHT
            )
            if inside and not any(charts._overlaps(box, t) for t in taken if t != own):
                found[n] = (align, round(dx), round(dy))
                taken.append(box)
                break
    return found


@pytest.mark.parametrize("count", [1, 9, 40, 130, 300])
def test_names_are_placed_as_by_comparing_every_box(count: int) -> None:
    # The grid only spares comparisons: the same spots for many bubbles, some at the same place
    # (equal boxes do not block each other's names), at the edges and of every size.
    rng = random.Random(count)
    quadrant_names = ["Quick Wins", "Strategische Hebel", "Nice-to-have", "Vermeiden"]
    for _ in range(5):
        points = [
            {
                "short": "x" * rng.randint(1, 40),
                "value": rng.choice([0.0, 100.0, 50.0, round(rng.uniform(0, 100), 1)]),
                "feasibility": rng.choice([0.0, 100.0, round(rng.uniform(0, 100), 1)]),
                "cost": rng.choice([0.0, 5000.0, rng.uniform(0, 1e6)]),
            }
            for _ in range(count)
        ]
        points += points[: count // 5]  # the same use case values twice
        assert charts._place_names(points, quadrant_names) == place_names_by_comparing_every_box(
            points, quadrant_names
        )
