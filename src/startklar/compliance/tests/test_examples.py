"""The example answer files in ``examples/compliance/``: each says in an ``# expect:`` comment
what a professional expects (classes, the rules that fire, the duties, the DPIA verdict and the
DSK items), and the engine must give exactly that. Together they cover every outcome."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from startklar.compliance import cli, engine
from startklar.compliance.content import load_rules

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "compliance"
FILES = sorted(EXAMPLES.glob("*.yaml"))


def expected(path: Path) -> dict[str, Any]:
    lines = [x for x in path.read_text().splitlines() if x.startswith("# expect:")]
    assert len(lines) == 1, f"{path.name}: one '# expect:' line"
    found = yaml.safe_load(lines[0].removeprefix("# expect:"))
    assert isinstance(found, dict)
    return found


def outcome(path: Path) -> dict[str, Any]:
    file = cli.read(path)
    rules = load_rules(file.version)
    report = cli.report(file.name, rules, engine.validate(rules, file.answers), "de")
    return {
        "classes": report["classes"],
        "rules": [r["rule"] for r in report["routes"]],
        "duties": [d["id"] for d in report["obligations"]],
        "dpia": report["gdpr"]["dpia"],
        "dsk": report["gdpr"]["dsk_list"],
    }


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_each_example_gives_what_its_comment_expects(path: Path) -> None:
    got = outcome(path)
    want = expected(path)
    assert {key: got[key] for key in want} == want


def test_the_examples_cover_every_outcome() -> None:
    classes = {label for path in FILES for label in expected(path)["classes"]}
    assert classes >= {str(label) for label in engine.RiskLabel}
    rules = {rule for path in FILES for rule in expected(path)["rules"]}
    assert {"annex_i", "art5_f", "art50_1"} <= rules
    assert any(rule.startswith("annex_iii_") for rule in rules)
    verdicts = {expected(path)["dpia"] for path in FILES}
    assert {"erforderlich", "nicht_erforderlich"} <= verdicts
