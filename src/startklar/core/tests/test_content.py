"""The content kit: messages name file and line, texts and triples are checked, version folders
are found in order and frozen by their hash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from startklar.core.content import (
    ContentError,
    Versions,
    at,
    main,
    parse_yaml,
    reading,
    text,
    triple,
    unique,
)
from startklar.core.text import Text
from startklar.core.values import Triple

BANK = """\
version: "2026.1"
questions:
  - id: a
    text: {de: "Frage", en: "Question"}
  - id: b
    text: {de: "Zweite"}
"""


def test_mappings_remember_their_line() -> None:
    data = parse_yaml(BANK)
    assert data.line == 1
    assert [q.line for q in data["questions"]] == [3, 5]
    assert at("question b", data["questions"][1]) == "question b (line 5)"
    assert at("question b", {"id": "b"}) == "question b"  # built in code: no line


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", "line 3: duplicate key 'a'"),
        ("a: [1, 2\nb: 3\n", "line 2: not valid YAML"),
    ],
)
def test_broken_yaml_names_the_line(source: str, message: str) -> None:
    with pytest.raises(ContentError, match=message):
        parse_yaml(source)


def test_a_missing_text_names_file_entry_and_line() -> None:
    second = parse_yaml(BANK)["questions"][1]
    with pytest.raises(ContentError) as raised, reading("readiness 2026.1/bank.yaml"):
        text(second["text"], at(f"question {second['id']}", second))
    assert str(raised.value) == (
        "readiness 2026.1/bank.yaml: question b (line 5): needs non-empty 'de' and 'en' texts"
    )


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (KeyError("title"), "f.yaml: missing or malformed KeyError('title')"),
        (TypeError("bad"), "f.yaml: missing or malformed TypeError('bad')"),
        (ValueError("'x' is not a valid Area"), "f.yaml: 'x' is not a valid Area"),
        (ContentError("entry e: wrong"), "f.yaml: entry e: wrong"),
    ],
)
def test_reading_turns_every_problem_into_a_content_error_naming_the_file(
    error: Exception, message: str
) -> None:
    with pytest.raises(ContentError) as raised, reading("f.yaml"):
        raise error
    assert str(raised.value) == message


def test_texts_are_stripped_and_need_both_languages() -> None:
    assert text({"de": " Ja ", "en": "Yes\n"}, "x") == Text("Ja", "Yes")
    for bad in ({"de": "Ja", "en": "  "}, {"de": "Ja"}, "Ja", None, {"de": 1, "en": "Yes"}):
        with pytest.raises(ContentError, match="x: needs non-empty 'de' and 'en' texts"):
            text(bad, "x")


def test_triples_are_ordered_non_negative_numbers() -> None:
    assert triple([0, 1.5, 3], "x") == Triple(0.0, 1.5, 3.0)
    for bad in ([3, 2, 1], [-1, 0, 1], [1, 2], [True, 1, 2], "1-2-3", [1, "2", 3]):
        with pytest.raises(ContentError, match=r"x: needs \[min, most likely, max\]"):
            triple(bad, "x")


def test_unique_names_the_duplicates() -> None:
    unique(["a", "b"], "ids")
    with pytest.raises(ContentError, match="ids: not unique: a, c"):
        unique(["a", "c", "b", "a", "c"], "ids")


def test_triple_value_object() -> None:
    assert Triple.point(4) == Triple(4, 4, 4)
    with pytest.raises(ValueError, match="min ≤ most likely ≤ max"):
        Triple(2, 1, 3)
    with pytest.raises(ValueError, match="finite"):
        Triple(0, 1, float("inf"))


# Version folders -------------------------------------------------------------------------------


@pytest.fixture
def versions(tmp_path: Path) -> Versions:
    for version in ("2026.1", "2026.10", "2026.2"):
        (tmp_path / version).mkdir()
        (tmp_path / version / "bank.yaml").write_text(f'version: "{version}"\nx: 1\n')
    (tmp_path / "drafts").mkdir()  # not a version
    (tmp_path / "2026.1" / ".DS_Store").write_bytes(b"finder")
    return Versions("demo", tmp_path)


def test_versions_are_the_version_folders_in_numeric_order(versions: Versions) -> None:
    assert versions.available() == ["2026.1", "2026.2", "2026.10"]
    with pytest.raises(ContentError, match=r"demo: no content of version '2027\.1'"):
        versions.path("2027.1", "bank.yaml")


def test_a_file_is_read_with_its_lines_and_must_name_its_folders_version(
    versions: Versions,
) -> None:
    assert versions.read("2026.2", "bank.yaml") == {"version": "2026.2", "x": 1}
    (versions.folder / "2026.2" / "bank.yaml").write_text('version: "2026.1"\n')
    with pytest.raises(ContentError, match=r"demo 2026.2/bank.yaml: version: says '2026.1'"):
        versions.read("2026.2", "bank.yaml")
    with pytest.raises(ContentError, match=r"demo 2026\.2/rules\.yaml: cannot read the file"):
        versions.read("2026.2", "rules.yaml")


def test_errors_while_parsing_name_the_file(versions: Versions) -> None:
    with pytest.raises(ContentError) as raised, versions.reading("2026.1", "bank.yaml") as data:
        data["questions"]
    assert str(raised.value) == "demo 2026.1/bank.yaml: missing or malformed KeyError('questions')"


def test_released_versions_are_frozen_by_their_hash(versions: Versions) -> None:
    assert versions.released() == {}
    assert versions.unreleased() == ["2026.1", "2026.2", "2026.10"]
    digest = versions.release("2026.1")
    versions.release("2026.10")
    assert json.loads((versions.folder / "released.json").read_text()) == {
        "2026.1": digest,
        "2026.10": versions.digest("2026.10"),
    }
    assert versions.unreleased() == ["2026.2"]
    assert versions.edited() == []

    (versions.folder / "2026.1" / ".DS_Store").write_bytes(b"other")  # hidden files don't count
    assert versions.edited() == []
    (versions.folder / "2026.1" / "bank.yaml").write_text('version: "2026.1"\nx: 2\n')
    assert versions.edited() == ["2026.1"]


def test_the_hash_covers_names_and_new_files(versions: Versions) -> None:
    folder = versions.folder / "2026.2"
    before = versions.digest("2026.2")
    (folder / "bank.yaml").rename(folder / "bank2.yaml")
    renamed = versions.digest("2026.2")
    (folder / "sub").mkdir()
    (folder / "sub" / "more.yaml").write_text("a: 1\n")
    assert len({before, renamed, versions.digest("2026.2")}) == 3


def test_a_released_version_cannot_be_released_again_or_vanish(versions: Versions) -> None:
    versions.release("2026.2")
    with pytest.raises(ContentError, match=r"version 2026\.2 is released already"):
        versions.release("2026.2")
    with pytest.raises(ContentError, match=r"no content of version '2030\.1'"):
        versions.release("2030.1")
    for path in (versions.folder / "2026.2").iterdir():
        path.unlink()
    (versions.folder / "2026.2").rmdir()
    assert versions.edited() == ["2026.2"]


def test_a_broken_released_json_is_refused(versions: Versions) -> None:
    (versions.folder / "released.json").write_text('{"2026.1": 5}')
    with pytest.raises(ContentError, match=r"demo released\.json: released versions: must map"):
        versions.released()


def test_the_release_command(versions: Versions, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["release", str(versions.folder), "2026.2"]) == 0
    assert capsys.readouterr().out == f"2026.2: {versions.digest('2026.2')}\n"
    assert main(["release", str(versions.folder), "2026.2"]) == 1
    assert "released already" in capsys.readouterr().out
    assert main(["freeze"]) == 2
