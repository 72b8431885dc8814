"""The people content: the pulse's questions, the themes and the works council's rights load,
say everything in German and English, and broken content is refused naming file and key."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from startklar.core.content import ContentError, Versions
from startklar.people import content
from startklar.people.content import Applies, load_bank, load_themes, load_works_council
from startklar.people.engine.pulse import Polarity, Response, evaluate, themes

LOADERS = (load_bank, load_themes, load_works_council)


def test_the_current_version_loads_and_released_versions_are_unchanged() -> None:
    assert content.VERSIONS.edited() == []
    bank = load_bank()
    assert 8 <= len(bank.questions) <= 12
    assert {q.question.polarity for q in bank.questions} == set(Polarity)
    assert set(bank.scales) == {"agreement", "frequency"}
    assert bank.question("kontrolle").scale == "agreement"
    assert bank.engine_questions[0].key == bank.questions[0].key
    for question in bank.questions:
        assert question.text.de.endswith(("?", "."))
        assert question.text.en.endswith(("?", "."))
        assert len(question.text.de) <= 100  # short enough to read on a phone
    assert bank.comment_max == 1000


def test_every_concern_question_raises_a_theme_and_every_theme_has_a_roadmap_step() -> None:
    found = load_themes()
    concerns = {q.key for q in load_bank().questions if q.question.polarity is Polarity.CONCERN}
    raised_by = {c.question for rule in found.rules for c in rule.conditions}
    assert concerns <= raised_by
    for rule in found.rules:
        words = found.texts[rule.key]
        assert words.actions
        assert words.roadmap.de
        assert words.roadmap.en


def test_a_pulse_full_of_worry_about_monitoring_raises_that_theme() -> None:
    bank = load_bank()
    worried = [Response("", {"kontrolle": 5, "plaene": 4}) for _ in range(6)]
    total = evaluate(bank.engine_questions, worried, (), 5).total
    assert [t.key for t in themes(load_themes().rules, total)] == ["sorge_kontrolle"]


def test_the_works_councils_rights_and_the_checklist() -> None:
    council = load_works_council()
    laws = {right.key: right for right in council.rights}
    assert laws["mitbestimmung"].law == "§ 87 Abs. 1 Nr. 6 BetrVG"
    assert laws["mitbestimmung"].applies is Applies.MONITORING
    assert laws["unterrichtung"].applies is Applies.ALWAYS
    assert {"zweck", "keine_leistungskontrolle", "daten", "schulung", "aenderungen"} <= {
        item.key for item in council.checklist
    }


# Broken content ----------------------------------------------------------------------------------


@pytest.fixture
def broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str, str, str], None]]:
    """Copy the current version to ``2099.1`` with one replacement in one file."""
    shutil.copytree(content.FOLDER / content.CURRENT_VERSION, tmp_path / "2099.1")
    monkeypatch.setattr(content, "VERSIONS", Versions("people", tmp_path))

    def edit(name: str, old: str, new: str) -> None:
        path = tmp_path / "2099.1" / name
        source = path.read_text(encoding="utf-8")
        assert old in source, old
        path.write_text(source.replace(old, new, 1), encoding="utf-8")

    for load in LOADERS:
        load.cache_clear()
    yield edit
    for load in LOADERS:
        load.cache_clear()


PULSE = "pulse.yaml"
THEMES = "themes.yaml"
COUNCIL = "works_council.yaml"


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (PULSE, "skip:", "ueberspringen:", r"top level: missing skip"),
        (PULSE, "scales:\n", "scales: []\nalt:\n", r"unknown fields: alt"),
        (PULSE, "  - id: plaene", "  - id: Plaene", r"question 1 \(line \d+\): an id is lower"),
        (PULSE, "  - id: nutzen", "  - id: plaene", r"questions: not unique: plaene"),
        (PULSE, "    scale: frequency", "    scale: haeufig", r"question nutzung.*unknown scale"),
        (PULSE, "    polarity: concern", "    polarity: worry", r"polarity is one of"),
        (PULSE, '      - {de: "Nie", en: "Never"}\n', "", r"scale frequency.*needs 5 points"),
        (
            PULSE,
            '      de: "KI kann mir',
            '      fr: "KI kann mir',
            r"question nutzen.*: text: needs non-empty",
        ),
        (PULSE, "  max_length: 1000", "  max_length: 100000", r"max_length: needs a whole"),
        (PULSE, "  max_length: 1000", "  max_length: true", r"max_length: needs a whole"),
        (
            THEMES,
            "    when:\n      - {question: kontrolle, agree: 0.3}\n",
            "    when: []\n",
            r"theme sorge_kontrolle.*: when: needs a non-empty list",
        ),
        (THEMES, "{question: kontrolle, agree: 0.3}", "{question: gehalt, agree: 0.3}", "gehalt"),
        (THEMES, "{question: kontrolle, agree: 0.3}", "{question: kontrolle}", "one of agree"),
        (
            THEMES,
            "{question: kontrolle, agree: 0.3}",
            "{question: kontrolle, agree: 0.3, disagree: 0.2}",
            "one of agree",
        ),
        (THEMES, "{question: kontrolle, agree: 0.3}", "{question: kontrolle, agree: 30}", "share"),
        (THEMES, "  - id: sorge_arbeitsplatz", "  - id: sorge_kontrolle", "themes: not unique"),
        (THEMES, '    roadmap: {de: "Nutzungs', '    plan: {de: "Nutzungs', "missing roadmap"),
        (
            COUNCIL,
            '    law: "§ 80 Abs. 3 BetrVG"',
            '    law: "§ 80 Abs. 3"',
            "section of the BetrVG",
        ),
        (COUNCIL, "    applies: personnel", "    applies: hr", "applies is one of"),
        (COUNCIL, "  - id: unterrichtung", "  - id: mitbestimmung", "rights: not unique"),
        (COUNCIL, "  - id: daten", "  - id: zweck", "checklist: not unique"),
        (COUNCIL, "  - id: zugriff\n", "  - id: zugriff\n    note: x\n", "unknown fields: note"),
    ],
)
def test_broken_content_is_refused_naming_the_file_and_key(
    broken: Callable[[str, str, str], None], name: str, old: str, new: str, message: str
) -> None:
    broken(name, old, new)
    loaders: dict[str, Callable[[str], object]] = {
        PULSE: load_bank,
        THEMES: load_themes,
        COUNCIL: load_works_council,
    }
    with pytest.raises(ContentError, match=message) as raised:
        loaders[name]("2099.1")
    assert f"people 2099.1/{name}" in str(raised.value)


def test_a_mapping_where_a_list_belongs_is_refused(broken: Callable[[str, str, str], None]) -> None:
    broken(COUNCIL, "checklist:\n", "checklist:\n  - 3\n")
    with pytest.raises(ContentError, match="needs a mapping"):
        load_works_council("2099.1")
