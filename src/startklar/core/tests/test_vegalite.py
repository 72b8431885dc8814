"""The chart test helpers themselves: the schema check catches a broken spec."""

from __future__ import annotations

import pytest

from .vegalite import assert_valid, contrast_on_white, layers

GOOD = {
    "width": "container",
    "autosize": {"type": "fit", "contains": "padding"},
    "data": {"values": [{"a": 1, "b": 2}]},
    "layer": [
        {"mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}},
        {"layer": [{"mark": "rule", "encoding": {"y": {"field": "b", "type": "quantitative"}}}]},
    ],
}


def test_a_valid_spec_passes() -> None:
    assert_valid(GOOD)
    assert [layer["mark"] for layer in layers(GOOD)] == ["point", "rule"]


@pytest.mark.parametrize(
    "broken",
    [
        {**GOOD, "mark": "bubble", "layer": None},
        {**GOOD, "width": "wide"},
        {"data": {"values": []}, "mark": "bar", "encoding": {"x": {"field": "a", "type": "num"}}},
        {**GOOD, "data": {"values": [{"a": float("nan")}]}},
    ],
)
def test_a_broken_spec_fails(broken: dict[str, object]) -> None:
    with pytest.raises(AssertionError):
        assert_valid(broken)


def test_contrast_on_white() -> None:
    assert contrast_on_white("#000000") == pytest.approx(21)
    assert contrast_on_white("#ffffff") == pytest.approx(1)
    assert contrast_on_white("#767676") == pytest.approx(4.54, abs=0.01)
