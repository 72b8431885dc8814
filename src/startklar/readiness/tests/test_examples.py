"""The three example companies through the CLI: clearly different, plausible results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from startklar.cli import main
from startklar.readiness.cli import read_answers
from startklar.readiness.content import load_bank
from startklar.readiness.engine import assess, validate_answers

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "readiness"


def run_json(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    assert main(["readiness", "score", str(path), "--json", *extra]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_the_three_examples_differ_clearly(capsys: pytest.CaptureFixture[str]) -> None:
    results = {
        name: run_json(EXAMPLES / f"{name}.yaml", capsys)
        for name in ("tischlerei", "grosshandel", "hersteller")
    }
    overall = {name: r["overall"] for name, r in results.items()}
    assert overall["tischlerei"] < overall["grosshandel"] < overall["hersteller"], overall  # type: ignore[operator]
    stages = {r["stage"]["id"] for r in results.values()}  # type: ignore[index]
    assert len(stages) == 3
    hurdles = {name: {h["id"] for h in r["hurdles"]} for name, r in results.items()}  # type: ignore[attr-defined]
    assert len(hurdles["tischlerei"]) > len(hurdles["grosshandel"]) > len(hurdles["hersteller"])
    assert "excel-als-zentrale-quelle" in hurdles["grosshandel"]
    for result in results.values():
        assert len(result["first_steps"]) == 3 or not result["hurdles"]  # type: ignore[arg-type]


def test_the_cli_gives_what_the_engine_gives(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "grosshandel.yaml"
    result = run_json(path, capsys)
    _company, version, raw = read_answers(path)
    bank = load_bank(version)
    assessment = assess(bank, validate_answers(bank, raw))
    assert result["overall"] == round(assessment.overall or 0, 1)
    assert [h["id"] for h in result["hurdles"]] == [f.hurdle.id for f in assessment.findings]  # type: ignore[attr-defined]


def test_english_texts_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(EXAMPLES / "tischlerei.yaml", capsys, "--lang", "en")
    assert result["dimensions"][0]["name"] == "Strategy & goals"  # type: ignore[index]


def test_plain_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["readiness", "score", str(EXAMPLES / "hersteller.yaml")]) == 0
    out = capsys.readouterr().out
    assert "/100" in out
    assert "Was zuerst?" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("answers: [1, 2\n", "line 2, column 1: not valid YAML"),
        ("company: x\n", "needs a mapping 'answers"),
        ("answers:\n  strategie.nope: 3\n", "unknown question 'strategie.nope'"),
        ("answers:\n  {q}: 9\n", "between 1 and 5"),
        ("bank_version: '1999.1'\nanswers: {{}}\n", "unknown bank_version"),
    ],
)
def test_bad_files_get_a_clear_message(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(content.format(q=next(iter(load_bank().questions))))
    with pytest.raises(SystemExit) as exit_info:
        main(["readiness", "score", str(path)])
    assert message in str(exit_info.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="cannot read the file"):
        main(["readiness", "score", str(tmp_path / "fehlt.yaml")])


def test_no_answers_means_not_rated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("company: Leer\nanswers: {}\n")
    result = run_json(path, capsys)
    assert result["rated"] is False
    assert result["stage"] is None
    assert result["hurdles"] == []


# Issue 13: four companies of the 2026.2 bank, with what a consultant expects (see each file's
# comment, written before the first run): hurdles there and not there, the top one, and the
# hurdles "Was zuerst?" draws from; no step the answers make pointless.
TALK_TO_DPO = "Die oder den Datenschutzbeauftragten von Anfang an"
WHO_USES_AI = "wer bereits KI-Werkzeuge nutzt"


@pytest.mark.parametrize(
    ("name", "first", "present", "absent", "steps_from"),
    [
        (
            "steuerkanzlei",
            ("schatten-ki", "hoch"),
            {"risiko-technologiemissbrauch-datenschutz-ethik": "hoch"},
            {
                "fehlende-unterstuetzung-management",
                "bedenken-der-kundschaft",
                "tool-chaos",
                "mitbestimmung-betriebsrat",
            },
            ["schatten-ki", "risiko-technologiemissbrauch-datenschutz-ethik"],
        ),
        (
            "pflegedienst",
            ("mitbestimmung-betriebsrat", "hoch"),
            {"datensilos": "hoch"},
            {"bedenken-der-kundschaft", "schatten-ki", "fehlende-unterstuetzung-management"},
            ["mitbestimmung-betriebsrat", "datensilos"],
        ),
        (
            "onlinehandel",
            ("gewachsene-systemlandschaft", "hoch"),
            {"fehlende-finanzielle-mittel": "mittel", "bedenken-der-kundschaft": "niedrig"},
            {
                "fehlende-unterstuetzung-management",
                "schatten-ki",
                "risiko-technologiemissbrauch-datenschutz-ethik",
            },
            [
                "gewachsene-systemlandschaft",
                "fehlende-finanzielle-mittel",
                "bedenken-der-kundschaft",
            ],
        ),
        (
            "ingenieurbuero",
            ("begrenzte-interne-humanressourcen", "hoch"),
            {
                "fehlende-finanzielle-mittel": "mittel",
                "risiko-technologiemissbrauch-datenschutz-ethik": "mittel",
            },
            {
                "fehlende-unterstuetzung-management",
                "schatten-ki",
                "tool-chaos",
                "mitbestimmung-betriebsrat",
                "bedenken-der-kundschaft",
            },
            ["begrenzte-interne-humanressourcen"],
        ),
    ],
)
def test_the_2026_2_examples_give_what_a_consultant_expects(
    capsys: pytest.CaptureFixture[str],
    name: str,
    first: tuple[str, str],
    present: dict[str, str],
    absent: set[str],
    steps_from: list[str],
) -> None:
    result = run_json(EXAMPLES / f"{name}.yaml", capsys)
    assert result["bank_version"] == "2026.2"
    hurdles = {h["id"]: h for h in result["hurdles"]}  # type: ignore[attr-defined]
    top = result["hurdles"][0]  # type: ignore[index]
    assert (top["id"], top["severity"]) == first
    assert {h: hurdles[h]["severity"] for h in present if h in hurdles} == present
    assert not absent & hurdles.keys()
    steps = result["first_steps"]
    assert len(steps) == 3  # type: ignore[arg-type]
    assert [s["hurdle"] for s in steps][: len(steps_from)] == steps_from  # type: ignore[attr-defined]
    assert all(s["who"] and s["first_step"] for s in steps)  # type: ignore[attr-defined]
    top_ids = [h["id"] for h in result["hurdles"]][:4]  # type: ignore[attr-defined]
    assert all(s["hurdle"] in top_ids for s in steps)  # type: ignore[attr-defined]
    actions = [a["what"] + a["first_step"] for h in hurdles.values() for a in h["actions"]]
    answers = read_answers(EXAMPLES / f"{name}.yaml").answers
    if answers["recht.dsb"] == 1:  # no data protection officer: never "talk to them"
        assert not [a for a in actions if TALK_TO_DPO in a]
    if answers["akzeptanz.nutzung"] == 1:  # nobody uses AI: never "ask who already does"
        assert not [a for a in actions if WHO_USES_AI in a]


def test_the_examples_readme_names_every_example() -> None:
    readme = (EXAMPLES / "README.md").read_text()
    for path in EXAMPLES.glob("*.yaml"):
        assert f"`{path.name}`" in readme


@pytest.mark.parametrize(
    ("headcount", "who"),
    [
        ("6", "Geschäftsführung mit dem Team"),
        ("19", "Geschäftsführung mit dem Team"),
        ("20", "Geschäftsführung mit Bereichsleitungen"),
    ],
)
def test_the_cli_names_roles_that_fit_the_company_size(
    capsys: pytest.CaptureFixture[str], headcount: str, who: str
) -> None:
    result = run_json(EXAMPLES / "ingenieurbuero.yaml", capsys, "--headcount", headcount)
    steps = {s["hurdle"]: s for s in result["first_steps"]}  # type: ignore[attr-defined]
    assert steps["fehlende-ki-strategie"]["who"] == who


@pytest.mark.parametrize("headcount", ["0", "sechs", "-3"])
def test_the_cli_refuses_a_headcount_that_is_none(headcount: str) -> None:
    with pytest.raises(SystemExit):
        main(
            ["readiness", "score", str(EXAMPLES / "ingenieurbuero.yaml"), "--headcount", headcount]
        )
