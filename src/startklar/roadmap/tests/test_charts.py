"""The roadmap's Gantt chart: a valid Vega-Lite spec with one row per item in the given order,
bars for items and diamonds for milestones, dependencies from end to start, the phases and today."""

from __future__ import annotations

import datetime

from startklar.core.tests.vegalite import assert_valid, contrast_on_white, layers
from startklar.roadmap import charts

D = datetime.date
LABELS = {
    "open": "offen",
    "done": "erledigt",
    "overdue": "überfällig",
    "late": "zu spät für die Frist",
    "start": "Beginn",
    "end": "Ende",
    "owner": "Verantwortlich",
    "today": "Heute",
    "milestone": "Meilenstein",
}
PHASES = [
    ("0–6 Monate", D(2027, 1, 4), D(2027, 7, 3)),
    ("6–18 Monate", D(2027, 7, 4), D(2028, 7, 3)),
]


def bars() -> list[charts.Bar]:
    return [
        charts.Bar("1", "Pilot", D(2027, 1, 4), D(2027, 2, 14), "done", False, "Jonas"),
        charts.Bar("2", "Pilot", D(2027, 2, 15), D(2027, 2, 15), "open", True, "", ("1",)),
        charts.Bar("3", "x" * 80, D(2027, 3, 1), D(2027, 6, 30), "late", False, "", ("2", "9")),
    ]


def test_the_gantt_chart_is_valid_and_shows_every_item_once_in_order() -> None:
    spec = charts.gantt(bars(), D(2027, 2, 1), PHASES, LABELS)
    assert_valid(spec)
    drawn = layers(spec)
    rows = [
        row["row"]
        for layer in drawn
        if layer.get("mark", {}).get("type") in {"bar", "point"}
        for row in layer["data"]["values"]
    ]
    assert sorted(rows) == ["001 Pilot", "002 Pilot", "003 " + "x" * 41 + "…"]
    bar = next(layer for layer in drawn if layer.get("mark", {}).get("type") == "bar")
    assert bar["encoding"]["y"]["sort"] == sorted(rows)
    assert bar["data"]["values"][0]["end"] == "2027-02-15"  # the bar covers its last day
    links = next(layer for layer in drawn if layer.get("mark", {}).get("color") == "#adb5bd")
    assert [(v["from_row"], v["to_row"]) for v in links["data"]["values"]] == [
        ("001 Pilot", "002 Pilot"),
        ("002 Pilot", "003 " + "x" * 41 + "…"),  # "9" is no item here: no line
    ]
    assert all(contrast_on_white(c) >= 3 for c in charts.COLOURS)


def test_an_empty_roadmap_is_a_valid_chart_with_today_only() -> None:
    spec = charts.gantt([], D(2027, 2, 1), [], LABELS)
    assert_valid(spec)
    assert [layer["mark"]["type"] for layer in layers(spec)] == ["rule"]
