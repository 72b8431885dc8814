"""The CLI's file readers: one reader for answer files, every error names the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from startklar.core.yamlfile import YamlFileError, read_answer_file, read_yaml, require_list


def answers(path: Path) -> tuple[str, str, dict[str, object]]:
    return read_answer_file(
        path,
        name_key="company",
        version_key="bank_version",
        versions=["2026.1", "2026.2"],
        current="2026.2",
        answer="level",
    )


def test_an_answer_file_gives_name_version_and_answers(tmp_path: Path) -> None:
    path = tmp_path / "tischlerei.yaml"
    path.write_text('company: Tischlerei\nbank_version: "2026.1"\nanswers: {strategie.1: 3}\n')
    assert answers(path) == ("Tischlerei", "2026.1", {"strategie.1": 3})
    path.write_text("answers: {strategie.1: null}\n")
    file = read_answer_file(
        path,
        name_key="name",
        version_key="rules_version",
        versions=["2026.2"],
        current="2026.2",
        answer="answer",
    )
    assert (file.name, file.version, file.answers) == (
        "tischlerei",
        "2026.2",
        {"strategie.1": None},
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("answers: [1, 2]\n", "needs a mapping 'answers: {question id: level}'"),
        ("- 1\n", "needs a mapping 'answers"),
        ('bank_version: "2020.1"\nanswers: {}\n', "unknown bank_version '2020.1'"),
        ("answers: {a: 1\n", "line 2, column 1: not valid YAML"),
    ],
)
def test_a_bad_answer_file_is_refused_naming_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(text)
    with pytest.raises(YamlFileError) as raised:
        answers(path)
    assert str(raised.value).startswith(str(path))
    assert message in str(raised.value)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(YamlFileError, match="cannot read the file"):
        read_yaml(tmp_path / "missing.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: Müller".encode("latin-1"))
    with pytest.raises(YamlFileError, match="not a UTF-8 text file"):
        read_yaml(latin)


def test_a_required_list() -> None:
    assert require_list({"items": [1]}, "items", "case.yaml") == [1]
    data: object
    for data in ({"items": {}}, ["items"], None):
        with pytest.raises(YamlFileError, match=r"case\.yaml: needs a list 'items'"):
            require_list(data, "items", "case.yaml")
