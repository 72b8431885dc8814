"""``startklar data profile``: the demo's files profiled on the command line as on the page, in
German and English, as JSON with the fitness for a use case, and clear exits for what cannot
be used."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from startklar.cli import main
from startklar.datacheck import cli, demofiles

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def sales(tmp_path: Path) -> Path:
    path = tmp_path / "verkauf.csv"
    path.write_bytes(demofiles.sales_export(TODAY))
    return path


def test_the_profile_reads_in_german_and_english(
    sales: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["data", "profile", str(sales)]) == 0
    german = capsys.readouterr().out
    assert "Worauf Sie achten sollten:" in german
    assert "„Belegdatum“ mischt Formate" in german
    forecast = ["--use-case", "einkauf.bedarfsprognose"]
    assert main(["data", "profile", str(sales), "--lang", "en", *forecast]) == 0
    english = capsys.readouterr().out
    assert "What needs attention:" in english
    assert "“Belegdatum” mixes formats" in english
    assert "Enough for the use case?" in english
    assert "[fulfilled]" in english


def test_json_holds_the_profile_and_the_fitness_without_personal_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "wartung.xlsx"
    log.write_bytes(demofiles.maintenance_log(TODAY))
    code = main(
        ["data", "profile", str(log), "--json", "--use-case", "produktion.vorausschauende-wartung"]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"]["sniffed"]["sheet"] == "Störungen"
    assert set(data["profile"]["personal_columns"]) == {"Techniker", "Telefon"}
    technicians = next(c for c in data["profile"]["columns"] if c["name"] == "Techniker")
    assert technicians["top"] == []  # no values of a column with personal data
    assert technicians["minimum"] is None
    assert 0 <= data["fitness"]["score"] <= 100


@pytest.mark.parametrize(
    ("arguments", "code", "said"),
    [
        (["missing.csv"], cli.USAGE_ERROR, "no such file"),
        (["{sales}", "--use-case", "no.such-case"], cli.USAGE_ERROR, "no use case"),
        (["{binary}", "--lang", "en"], cli.UNREADABLE, "not a text file"),
    ],
)
def test_what_cannot_be_used_exits_with_a_clear_message(
    tmp_path: Path,
    sales: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    code: int,
    said: str,
) -> None:
    binary = tmp_path / "bild.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    filled = [a.format(sales=sales, binary=binary) for a in arguments]
    if filled[0] == "missing.csv":
        filled[0] = str(tmp_path / "missing.csv")
    assert main(["data", "profile", *filled]) == code
    assert said in capsys.readouterr().err


def test_the_progress_bar_shows_only_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    import io

    assert cli.progress_bar(io.StringIO()) is None

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    show = cli.progress_bar(screen)
    assert show is not None
    for share in (0.0, 0.5, 0.5, 1.0):
        show(share)
    assert screen.getvalue().count("\r") == 3  # the same percent is not drawn twice
    assert screen.getvalue().endswith("100 %\n")
