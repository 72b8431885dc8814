"""The rule base: loadable in every version, complete in both languages, dates as in the law."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest

from startklar.compliance import content
from startklar.compliance.content import CURRENT_VERSION, VERSIONS, available_versions, load_rules
from startklar.compliance.engine import RISK_CLASSES
from startklar.core.content import ContentError, Versions

REFERENCE_DATES = {  # ../shared/reference/ai-act-and-gdpr-facts.md, incl. the 2026 amendment
    "general": datetime.date(2025, 2, 2),
    "literacy": datetime.date(2025, 2, 2),
    "prohibitions": datetime.date(2025, 2, 2),
    "gpai": datetime.date(2025, 8, 2),
    "transparency": datetime.date(2026, 8, 2),
    "marking": datetime.date(2026, 12, 2),
    "intimate_imagery": datetime.date(2026, 12, 2),
    "annex_iii": datetime.date(2027, 12, 2),
    "annex_i": datetime.date(2028, 8, 2),
}


@pytest.fixture(params=available_versions())
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_every_version_loads(version: str) -> None:
    rules = load_rules(version)
    assert rules.version == version
    assert CURRENT_VERSION in available_versions()


def test_the_dates_match_the_reference() -> None:
    rules = load_rules()
    assert {k: d.date for k, d in rules.deadlines.items()} == REFERENCE_DATES


def test_every_question_and_rule_names_its_article(version: str) -> None:
    rules = load_rules(version)
    assert all(q.article.strip() for q in rules.questions)
    assert all(r.article.strip() for c in rules.classes for r in c.rules)
    assert all(o.article.strip() for o in rules.obligations)


def test_all_annex_iii_areas_and_article_5_letters_are_covered() -> None:
    rules = load_rules()
    groups = {r.id for c in rules.classes for r in c.rules}
    assert {f"art5_{x}" for x in "abcdefgh"} <= groups
    assert {
        "annex_i",
        "annex_iii_1a",
        "annex_iii_1b",
        "annex_iii_1c",
        "annex_iii_2",
        *(f"annex_iii_3{x}" for x in "abcd"),
        "annex_iii_4a",
        "annex_iii_4b",
        "annex_iii_5a",
        "annex_iii_5b",
        "annex_iii_5c",
        "annex_iii_5d",
        *(f"annex_iii_6{x}" for x in "abcde"),
        *(f"annex_iii_7{x}" for x in "abcd"),
        "annex_iii_8a",
        "annex_iii_8b",
    } <= groups
    assert {"art50_1", "art50_2", "art50_3", "art50_4_deepfake", "art50_4_text"} <= groups


def test_released_rule_bases_are_never_edited() -> None:
    """Stored assessments keep their rule-base version and are read with it again: a change
    goes into a new version folder (``python -m startklar.core.content release``)."""
    assert VERSIONS.unreleased() == []
    assert VERSIONS.edited() == [], "a released rule base was edited"


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current rule base in a folder of its own, which the loader then reads."""
    shutil.copytree(VERSIONS.folder / CURRENT_VERSION, tmp_path / CURRENT_VERSION)
    monkeypatch.setattr(content, "VERSIONS", Versions("compliance", tmp_path))
    return tmp_path / CURRENT_VERSION


def test_the_risk_classes_are_those_of_the_engine(copy: Path) -> None:
    rules = load_rules()
    assert {c.id for c in rules.classes} == RISK_CLASSES
    path = copy / "rules.yaml"
    path.write_text(path.read_text().replace("  - id: transparenz\n", "  - id: gering\n"))
    with pytest.raises(
        ContentError,
        match=rf"compliance {re.escape(CURRENT_VERSION)}/rules\.yaml: classes: ids must",
    ):
        content.load_rules.__wrapped__(CURRENT_VERSION)


def test_a_broken_question_names_the_file_and_the_line(copy: Path) -> None:
    path = copy / "questions.yaml"
    lines = path.read_text().splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, 1) if line.startswith("  - id: art5_"))
    following = next(n for n in range(number, len(lines)) if "text:" in lines[n])
    lines[following] = lines[following].replace("text:", "txt:")
    path.write_text("".join(lines))
    with pytest.raises(ContentError) as raised:
        content.load_rules.__wrapped__(CURRENT_VERSION)
    assert str(raised.value).startswith(
        f"compliance {CURRENT_VERSION}/questions.yaml: question {lines[number - 1].split()[-1]} "
        f"(line {number}): missing or malformed KeyError('text')"
    )
