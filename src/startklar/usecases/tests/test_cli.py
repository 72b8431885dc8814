"""``startklar usecases search`` and ``optimize`` give what the pages give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from startklar.cli import main
from startklar.usecases.content import load_catalogue
from startklar.usecases.engine.search import SearchIndex

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "usecases" / "portfolio.yaml"


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["usecases", *args, "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_search_matches_the_engine(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "search", "Rechnungen erfassen")
    ids = [r["id"] for r in result["results"]]  # type: ignore[attr-defined]
    engine = [h.entry.id for h in SearchIndex(load_catalogue()).search("Rechnungen erfassen")][:10]
    assert ids == engine
    assert ids[0] == "administration.eingangsrechnungen"


def test_search_filters(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "search", "", "--function", "logistik", "--quick-win")
    assert result["results"]
    assert all(r["function"] == "logistik" and r["kind"] == "quick-win" for r in result["results"])  # type: ignore[attr-defined]


def test_optimize_the_example_portfolio(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "optimize", str(EXAMPLE), "--budget", "50000", "--capacity", "120")
    assert result["feasible"] is True
    assert result["cost"] <= 50000  # type: ignore[operator]
    assert result["days"] <= 120  # type: ignore[operator]
    assert "eingangsrechnungen" in result["chosen"]  # type: ignore[operator]
    whys = {d["id"]: d["why"] for d in result["decisions"]}  # type: ignore[attr-defined]
    assert whys["feinplanung"] == "over_budget_alone"


def test_an_impossible_budget_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "optimize", str(EXAMPLE), "--budget", "100", "--capacity", "120")
    assert result["feasible"] is False
    assert result["chosen"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("use_cases: [\n", "line 2, column 1: not valid YAML"),
        ("nothing: 1\n", "needs a list 'use_cases'"),
        ("use_cases:\n  - {value: 5, feasibility: 5, cost: 1, days: 1}\n", "needs an 'id'"),
        ("use_cases:\n  - {id: a, value: 500, feasibility: 5, cost: 1, days: 1}\n", "'value'"),
        ("use_cases:\n  - {id: a, scores: {laune: 3}, cost: 1, days: 1}\n", "'scores'"),
        ("use_cases:\n  - {id: a, value: 5, feasibility: 5, cost: -1, days: 1}\n", "'cost'"),
    ],
)
def test_bad_portfolio_files_are_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(content)
    with pytest.raises(SystemExit) as caught:
        main(["usecases", "optimize", str(path), "--budget", "1", "--capacity", "1"])
    assert message in str(caught.value)
