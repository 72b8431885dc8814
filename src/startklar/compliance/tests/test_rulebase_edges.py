"""A broken rule base is refused with the file and the place named: each rule of the loader on
a copy of the current rule base with one thing broken (read as data, changed, written back)."""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from startklar.compliance import content
from startklar.compliance.content import CURRENT_VERSION, VERSIONS
from startklar.core.content import ContentError, Versions

Data = dict[str, Any]
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's where PyYAML has it
SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(VERSIONS.folder / CURRENT_VERSION, tmp_path / CURRENT_VERSION)
    monkeypatch.setattr(content, "VERSIONS", Versions("compliance", tmp_path))
    return tmp_path / CURRENT_VERSION


def change(folder: Path, name: str, edit: Callable[[Data], object]) -> None:
    path = folder / name
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)  # noqa: S506 – safe
    edit(data)
    path.write_text(
        yaml.dump(data, Dumper=SafeDumper, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def question(data: Data, question_id: str) -> Data:
    return next(q for q in data["questions"] if q["id"] == question_id)


def rule(data: Data, rule_id: str) -> Data:
    return next(r for c in data["classes"] for r in c["rules"] if r["id"] == rule_id)


def set_when(rule_id: str, when: object) -> Callable[[Data], object]:
    return lambda data: rule(data, rule_id).update(when=when)


RULE_PROBLEMS: list[tuple[Callable[[Data], object], str]] = [
    (set_when("art5_a", ["art5_manipulation"]), "a condition must be a mapping, not"),
    (set_when("art5_a", {}), "a condition must be a mapping, not {}"),
    (set_when("art5_a", {"all": []}), "empty all/any"),
    (set_when("art5_a", {"any": []}), "empty all/any"),
    (set_when("art5_a", {"ref": "kein_begriff"}), "unknown definition 'kein_begriff'"),
    (set_when("art5_a", {"q": "keine_frage", "is": "yes"}), "unknown question 'keine_frage'"),
    (set_when("art5_a", {"is": "yes"}), "unknown question None"),
    (
        set_when("art5_a", {"q": "art5_manipulation", "is": "vielleicht"}),
        "['vielleicht'] is not an answer of art5_manipulation",
    ),
    (
        set_when("art5_a", {"q": "role", "in": ["deployer", "haendler"]}),
        "['haendler'] is not an answer of role",
    ),
    (
        lambda data: data["questions_ask_if"].update(keine_frage={"q": "role", "is": "deployer"}),
        "questions_ask_if: unknown questions ['keine_frage']",
    ),
    (
        lambda data: data["obligations"][0].update(effective="irgendwann"),
        "obligations refer to unknown deadlines ['irgendwann']",
    ),
    (
        set_when("art5_a", {"class": "unbekannt"}),
        "conditions refer to unknown classes or groups",
    ),
    (
        set_when("art5_a", {"group": "art99"}),
        "conditions refer to unknown classes or groups",
    ),
    (
        lambda data: data["deadlines"]["gpai"].update(date="2. August 2025"),
        "deadline gpai: '2. August 2025' is not a date",
    ),
    (
        lambda data: data["dsk_items"][0].update(id=data["edpb_criteria"][0]["id"]),
        "edpb_criteria, dsk_items: ids must be distinct",
    ),
]


@pytest.mark.parametrize(("edit", "problem"), RULE_PROBLEMS)
def test_a_broken_rule_is_refused_naming_rules_yaml_and_the_problem(
    folder: Path, edit: Callable[[Data], object], problem: str
) -> None:
    change(folder, "rules.yaml", edit)
    with pytest.raises(ContentError) as raised:
        content.load_rules.__wrapped__(CURRENT_VERSION)
    message = str(raised.value)
    assert message.startswith(f"compliance {CURRENT_VERSION}/rules.yaml: ")
    assert problem in message


def duplicate_role(data: Data) -> None:
    data["questions"].append(dict(question(data, "role")))


def choice_without_options(data: Data) -> None:
    question(data, "role")["options"] = []


def yes_no_with_options(data: Data) -> None:
    question(data, "art5_manipulation")["options"] = question(data, "role")["options"]


QUESTION_PROBLEMS: list[tuple[Callable[[Data], object], str, str]] = [
    (duplicate_role, "role", "duplicate id"),
    (
        lambda data: question(data, "role").update(section="anhang9"),
        "role",
        "unknown section or type",
    ),
    (
        lambda data: question(data, "role").update(type="freitext"),
        "role",
        "unknown section or type",
    ),
    (choice_without_options, "role", "choice questions need options, yes/no questions none"),
    (
        yes_no_with_options,
        "art5_manipulation",
        "choice questions need options, yes/no questions none",
    ),
]


@pytest.mark.parametrize(("edit", "question_id", "problem"), QUESTION_PROBLEMS)
def test_a_broken_question_is_refused_naming_the_question_and_its_line(
    folder: Path, edit: Callable[[Data], object], question_id: str, problem: str
) -> None:
    change(folder, "questions.yaml", edit)
    with pytest.raises(ContentError) as raised:
        content.load_rules.__wrapped__(CURRENT_VERSION)
    message = str(raised.value)
    assert message.startswith(
        f"compliance {CURRENT_VERSION}/questions.yaml: question {question_id}"
    )
    assert "(line " in message
    assert message.endswith(problem)


def test_a_rule_base_without_definitions_contradictions_or_optional_texts_loads(
    folder: Path,
) -> None:
    """Definitions, contradictions, an option's help and a question's examples may be left out;
    a deadline may be written as a quoted date."""

    def inline_definitions(condition: Any, definitions: Data) -> Any:
        if isinstance(condition, dict) and "ref" in condition:
            return inline_definitions(definitions[condition["ref"]], definitions)
        if isinstance(condition, dict):
            return {k: inline_definitions(v, definitions) for k, v in condition.items()}
        if isinstance(condition, list):
            return [inline_definitions(c, definitions) for c in condition]
        return condition

    def plain_rules(data: Data) -> None:
        definitions = data.pop("definitions")
        for key, value in list(data.items()):
            data[key] = inline_definitions(value, definitions)
        del data["contradictions"]
        data["deadlines"]["gpai"]["date"] = "2025-08-02"

    def plain_questions(data: Data) -> None:
        for q in data["questions"]:
            q.pop("examples", None)
            for option in q.get("options") or ():
                option.pop("help", None)

    change(folder, "rules.yaml", plain_rules)
    change(folder, "questions.yaml", plain_questions)
    rules = content.load_rules.__wrapped__(CURRENT_VERSION)
    assert rules.definitions == {}
    assert rules.contradictions == ()
    assert rules.deadlines["gpai"].date == datetime.date(2025, 8, 2)
    assert all(q.examples is None for q in rules.questions)
    assert all(o.help is None for q in rules.questions for o in q.options)
    current = content.load_rules(CURRENT_VERSION)
    assert [c.id for c in rules.classes] == [c.id for c in current.classes]
    assert [q.id for q in rules.questions] == [q.id for q in current.questions]
