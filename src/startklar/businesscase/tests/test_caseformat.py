"""Case files: every key known or refused with its line (issue 13, point 20); the new keys read
into the engine's case; the CLI prints the figures a CFO asks for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from startklar.businesscase import caseformat
from startklar.cli import main

ROOT = Path(__file__).resolve().parents[4]
GOOD = """\
name: Test
horizon: 24
discount_rate: 0.05
go_live: 3
ramp: [1, 2, 4]
items:
  - {name: Start, kind: one_off, amount: 1000}
  - name: Zeit
    kind: time_saving
    minutes: 5
    cases: 100
    rate: 50
    cash_share: [0.2, 0.5, 0.9]
    note: Stichprobe
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_key_of_a_good_file_is_read(tmp_path: Path) -> None:
    name, case = caseformat.read(write(tmp_path, GOOD))
    assert name == "Test"
    assert (case.horizon, case.annual_rate, case.go_live) == (24, 0.05, 3)
    assert case.items[1].factors["cash_share"].likely == 0.5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # A typo must never fall back to a default (8 % instead of 5 %).
        (
            ("discount_rate: 0.05", "discount: 0.05"),
            "line 3: unknown key 'discount' (allowed: name, horizon, discount_rate, go_live, "
            "ramp, items); did you mean 'discount_rate'?",
        ),
        (("go_live: 3", "golive: 3"), "line 4: unknown key 'golive'"),
        (("go_live: 3", "start: 3"), "line 4: unknown key 'start'"),
        (("    note: Stichprobe", "    notes: Stichprobe"), "item 2 (Zeit): line 14: unknown key"),
        (("    cash_share: [0.2, 0.5, 0.9]", "    cash: 1"), "line 13: unknown key 'cash'"),
        (("amount: 1000}", "amount: 1000, rate: 5}"), "item 1 (Start): line 7: unknown key 'rate'"),
        (("    cash_share: [0.2, 0.5, 0.9]\n", ""), "item 2 (Zeit): missing cash_share"),
        (("[0.2, 0.5, 0.9]", "[0.2, 0.5, 1.2]"), "cash_share is a share between 0 and 1"),
        (("go_live: 3", "go_live: 24"), "go-live month must lie before the end of the horizon"),
        (("go_live: 3", "go_live: 2.5"), "go_live: a whole number of months is needed"),
        (("go_live: 3", "go_live: yes"), "go_live: a whole number of months is needed"),
        (("horizon: 24", "horizon: .inf"), "horizon: a whole number of months is needed"),
        (("discount_rate: 0.05", "discount_rate: 5 %"), "discount_rate: a number is needed"),
        (("discount_rate: 0.05", "discount_rate: 5"), "discount rate must be between"),
    ],
)
def test_a_wrong_key_or_value_is_refused_with_its_line_or_field(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    old, new = change
    assert old in GOOD
    with pytest.raises(caseformat.CaseFileError) as error:
        caseformat.read(write(tmp_path, GOOD.replace(old, new)))
    assert message in str(error.value)
    assert str(tmp_path / "case.yaml") in str(error.value)


def test_a_typo_stops_the_cli_with_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, GOOD.replace("discount_rate:", "discount:"))
    with pytest.raises(SystemExit) as stop:
        main(["business-case", "simulate", str(path)])
    assert "line 3: unknown key 'discount'" in str(stop.value.code)


def test_key_lines_of_a_file_that_is_no_mapping_or_no_yaml() -> None:
    assert caseformat.key_lines("- a\n- b\n") == {}
    assert caseformat.key_lines("a: [\n") == {}
    assert caseformat.key_lines("items:\n  - 1\n  - {a: 2}\n") == {
        ("items",): 1,
        ("items", 1, "a"): 3,
    }


def test_the_cli_reports_what_a_cfo_asks_for(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "examples" / "business-case" / "rechnungen-mit-vorlauf.yaml"
    assert main(["business-case", "simulate", str(path), "--json", "--draws", "1000"]) == 0
    figures = json.loads(capsys.readouterr().out)["deterministic"]
    assert figures["npv"] == 16061.65
    assert (figures["payback_month"], figures["discounted_payback_month"]) == (14, 15)
    assert (figures["irr"], figures["roi"], figures["roi_annualised"]) == (1.2945, 0.7721, 0.2101)
    assert (figures["freed_capacity"], figures["freed_capacity_hours"]) == (44550.0, 990.0)
    assert figures["months"][2]["benefits"] == 0  # not live yet
    assert main(["business-case", "simulate", str(path), "--draws", "1000"]) == 0
    text = capsys.readouterr().out
    assert "vor Steuern" in text
    assert "Amortisation: Monat 14, abgezinst: Monat 15" in text
    assert "Interner Zinsfuß: 129.4% p. a." in text
    assert "annualisiert 21.0% p. a." in text
    assert "Freie Kapazität (nicht im Kapitalwert): 990 h" in text


def test_the_cli_says_when_there_is_no_irr_and_no_payback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = ROOT / "examples" / "business-case" / "social-media.yaml"
    assert main(["business-case", "simulate", str(path), "--draws", "1000"]) == 0
    text = capsys.readouterr().out
    assert "Amortisation: nicht im Betrachtungszeitraum" in text
    assert "Interner Zinsfuß: nicht bestimmbar" in text
    assert "Freie Kapazität" not in text
