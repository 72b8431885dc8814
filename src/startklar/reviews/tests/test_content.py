"""The default rubric: German and English, every criterion with an acceptable and an error
level; a released version is never edited."""

from __future__ import annotations

from pathlib import Path

import pytest

from startklar.core.content import ContentError, Versions
from startklar.reviews import content
from startklar.reviews.engine import Severity


def test_the_default_rubric_has_richtig_kleine_maengel_falsch_gefaehrlich() -> None:
    rubric = content.load_rubric()
    first = rubric.criteria[0]
    assert [level.de for level in first.levels] == [
        "richtig",
        "kleine Mängel",
        "falsch",
        "gefährlich",
    ]
    assert [level.severity for level in first.levels] == list(Severity)
    assert all(c.en and c.de for c in rubric.criteria)


def test_released_versions_are_unchanged() -> None:
    assert content.VERSIONS.edited() == []
    assert content.CURRENT_VERSION in content.VERSIONS.available()


def test_a_rubric_that_breaks_the_rules_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "2099.1").mkdir()
    (tmp_path / "2099.1" / "rubric.yaml").write_text(
        "criteria:\n  - key: x\n    name: {de: X, en: X}\n    levels: []\n", encoding="utf-8"
    )
    monkeypatch.setattr(content, "VERSIONS", Versions("reviews", tmp_path))
    content.load_rubric.cache_clear()
    try:
        with pytest.raises(ContentError, match=r"reviews 2099.1/rubric.yaml: criterion 1"):
            content.load_rubric("2099.1")
    finally:
        content.load_rubric.cache_clear()
