"""The starter communication plan and FAQ: they load, say everything in German and English, fit
the models' fields and choices, and broken content is refused naming the file and key."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from startklar.core.content import ContentError, Versions
from startklar.people import content
from startklar.people.content import communication
from startklar.people.content.communication import load_starter
from startklar.people.models import (
    MAX_AUDIENCE,
    MAX_FAQ_ANSWER,
    MAX_FAQ_QUESTION,
    MAX_MESSAGE,
    Channel,
    CommunicationKind,
)

NAME = "communication.yaml"


def test_the_starter_fits_the_models_and_covers_the_plan() -> None:
    assert set(CommunicationKind.values) == communication.KINDS
    assert set(Channel.values) == communication.CHANNELS
    starter = load_starter()
    kinds = {s.kind for s in starter.steps}
    assert {"announcement", "faq", "contact", "results", "training"} <= kinds
    for s in starter.steps:
        for words in (s.audience.de, s.audience.en):
            assert len(words) <= MAX_AUDIENCE
        for words in (s.message.de, s.message.en):
            assert len(words) <= MAX_MESSAGE
    assert [s.days for s in starter.steps] == sorted(s.days for s in starter.steps)
    assert 4 <= len(starter.faq) <= 8
    for q in starter.faq:
        assert q.question.de.endswith("?")
        assert q.question.en.endswith("?")
        assert len(q.question.de) <= MAX_FAQ_QUESTION
        assert len(q.question.en) <= MAX_FAQ_QUESTION
        assert len(q.answer.de) <= MAX_FAQ_ANSWER
        assert len(q.answer.en) <= MAX_FAQ_ANSWER
    announcement = next(s for s in starter.steps if s.kind == "announcement")
    assert "Überwachung" in announcement.message.de  # says what is not done with AI


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str], None]]:
    """Copy the current version to ``2099.1`` with one replacement in the file."""
    shutil.copytree(content.FOLDER / content.CURRENT_VERSION, tmp_path / "2099.1")
    monkeypatch.setattr(communication, "VERSIONS", Versions("people", tmp_path))

    def edit(old: str, new: str) -> None:
        path = tmp_path / "2099.1" / NAME
        source = path.read_text(encoding="utf-8")
        assert old in source, old
        path.write_text(source.replace(old, new, 1) if old else new, encoding="utf-8")

    load_starter.cache_clear()
    yield edit
    load_starter.cache_clear()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("faq:\n", "fragen:\n", r"top level: missing faq"),
        ("  - kind: announcement", "  - kind: gossip", r"step 2 \(line \d+\): kind is one of"),
        ("    channel: intranet", "    channel: pigeon", r"step 4.*channel is one of"),
        ("    days: 45", "    days: 400", r"step 5.*days: needs a whole number"),
        ("    days: 45", "    days: true", r"step 5.*days: needs a whole number"),
        ("    days: 45", "    days: 5", r"steps: are listed in the order they are due"),
        ("    days: 3\n", "    days: 3\n    owner: x\n", r"step 1.*unknown fields: owner"),
        ('audience: {de: "Alle Teams"', 'audience: {fr: "Alle Teams"', r"step 5.*audience"),
        ('      de: "Den Betriebsrat vor', '      fr: "Den Betriebsrat vor', r"step 1.*message"),
        (
            '      de: "Fällt mein',
            '      de: "Wird KI meine Arbeit überwachen?"\n#',
            r"asked twice",
        ),
        ('      de: "Muss ich KI', '      fr: "Muss ich KI', r"faq 4.*question"),
        ('      de: "Nein. Wir setzen', '      fr: "Nein. Wir setzen', r"faq 1.*answer"),
        ("faq:\n", "faq: []\nx:\n", r"unknown fields: x"),
        ("steps:\n", "steps: {}\nold:\n", r"unknown fields: old"),
    ],
)
def test_broken_content_is_refused_naming_the_file_and_key(
    broken: Callable[[str, str], None], old: str, new: str, message: str
) -> None:
    broken(old, new)
    with pytest.raises(ContentError, match=message) as raised:
        load_starter("2099.1")
    assert f"people 2099.1/{NAME}" in str(raised.value)


def test_an_empty_plan_is_refused(broken: Callable[[str, str], None]) -> None:
    broken("", "steps: []\nfaq: []\n")
    with pytest.raises(ContentError, match="steps: needs a non-empty list"):
        load_starter("2099.1")
