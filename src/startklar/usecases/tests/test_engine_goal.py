"""Goals written as text read as numbers: what parses, what is kept as written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from startklar.core.numbers import format_input
from startklar.usecases.engine.goal import Goal, Quantity, read_goal, read_quantity

D = Decimal

GOALS = [
    # baseline, target, (baseline, target, unit, unparsed)
    ("12 min", "4 min", (D(12), D(4), "min", "")),
    ("1.234,5 €", "1.000 €", (D("1234.5"), D(1000), "€", "")),
    ("1,234.5 €", "999.5 €", (D("1234.5"), D("999.5"), "€", "")),
    ("3 Arbeitstage", "1 Arbeitstag", (D(3), D(1), "Arbeitstage", "")),
    ("5 Tage", "2,5 Tage", (D(5), D("2.5"), "Tage", "")),
    ("12 min", "−20%", (D(12), D("9.6"), "min", "")),
    ("400", "-20 %", (D(400), D(320), "", "")),
    ("400 Anfragen", "+15 %", (D(400), D(460), "Anfragen", "")),
    ("100 Stück", "-100 %", (D(100), D(0), "Stück", "")),
    ("30 %", "20 %", (D(30), D(20), "%", "")),
    ("€ 400", "€ 300", (D(400), D(300), "€", "")),
    ("EUR 1.200", "900", (D(1200), D(900), "€", "")),
    ("-5 °C", "+3 °C", (D(-5), D(3), "°C", "")),
    ("40 E-Mails", "20 E-Mails", (D(40), D(20), "E-Mails", "")),
    ("", "400", (None, D(400), "", "")),
    ("12 min", "", (D(12), None, "min", "")),
    ("", "", (None, None, "", "")),
    ("  ", " ", (None, None, "", "")),
    (D("12.5"), D(4), (D("12.5"), D(4), "", "")),
    (D("1E+3"), "", (D(1000), None, "", "")),
    (D("0.123456"), "", (D("0.1235"), None, "", "")),
    # not read: kept as written
    ("12 min", "halbieren", (D(12), None, "min", "12 min → halbieren")),
    ("", "halbieren", (None, None, "", "halbieren")),
    ("ca. 12 min", "4 min", (None, D(4), "min", "ca. 12 min → 4 min")),
    ("12 min", "4 h", (D(12), None, "", "12 min → 4 h")),
    ("30 %", "-20%", (D(30), None, "%", "30 % → -20%")),
    ("", "−20%", (None, None, "", "−20%")),
    ("viel", "−20%", (None, None, "", "viel → −20%")),
    ("12 - 15 min", "", (None, None, "", "12 - 15 min")),
    ("€ 12 min", "", (None, None, "", "€ 12 min")),
    ("12 " + "x" * 31, "", (None, None, "", "12 " + "x" * 31)),
    ("1.2.3", "", (None, None, "", "1.2.3")),
    ("10" + "0" * 13, "", (None, None, "", "10" + "0" * 13)),
    ("1.000.000", "-20 %", (D(1_000_000), D(800_000), "", "")),
    (D("NaN"), "", (None, None, "", "NaN")),
    (D("1E+20"), "", (None, None, "", "100000000000000000000")),
    ("12 min", "<5 min", (D(12), None, "min", "12 min → <5 min")),
]


@pytest.mark.parametrize(("baseline", "target", "expected"), GOALS)
def test_goals_written_as_text_are_read_where_they_parse(
    baseline: str | Decimal, target: str | Decimal, expected: tuple[object, ...]
) -> None:
    goal = read_goal(baseline, target)
    assert (goal.baseline, goal.target, goal.unit, goal.unparsed) == expected
    assert goal.flagged == bool(expected[3])


def test_the_interface_language_decides_what_is_ambiguous() -> None:
    assert read_goal("1.234", "", "de").baseline == D(1234)
    assert read_goal("1.234", "", "en").baseline == D("1.234")
    assert read_goal("2,5 h", "", "en").baseline == D("2.5")


def test_a_relative_target_is_the_baseline_changed_by_that_share() -> None:
    assert read_quantity("−20%") == Quantity(D(-20), "%", relative=True)
    assert read_quantity("20 %") == Quantity(D(20), "%")
    assert read_quantity("halbieren") is None
    assert read_goal("250 min", "– 10 %") == Goal(D(250), D(225), "min", "")


@given(
    value=st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False),
    unit=st.sampled_from(["", "min", "€", "%", "Arbeitstage", "Stück", "E-Mails"]),
    language=st.sampled_from(["de", "en"]),
)
def test_a_number_written_in_either_convention_reads_back(
    value: Decimal, unit: str, language: str
) -> None:
    """What the form shows (``format_input``) with a unit after it reads back unchanged (a
    negative share is a relative target: tested above)."""
    assume(not (unit == "%" and value < 0))
    text = f"{format_input(value, language)} {unit}".strip()
    goal = read_goal(text, text, language)
    assert goal.baseline == goal.target == value
    assert goal.unit == unit
    assert not goal.flagged


@given(st.text(max_size=40), st.text(max_size=40))
def test_any_text_is_read_or_kept_never_an_error(baseline: str, target: str) -> None:
    goal = read_goal(baseline, target)
    written = " ".join(baseline.split()) or " ".join(target.split())
    if goal.unparsed == "":
        assert goal.target is not None or not target.strip() or goal.baseline is not None
    if written and goal.baseline is None and goal.target is None:
        assert goal.flagged  # nothing of what was written is lost
