"""People content (pure Python, no Django), in version folders (``<version>/``):

* ``pulse.yaml``: the staff pulse's scales and questions (German and English, plain language)
  and its optional free-text question;
* ``themes.yaml``: the themes a pulse's answers raise, with their conditions, what to do and
  the roadmap step each suggests;
* ``works_council.yaml``: the works council's rights that AI brings into play and what an
  agreement on AI usually covers;
* ``communication.yaml``: a starter communication plan and FAQ drafts (read by
  ``content.communication``).

Each loader checks the file on the way in; an error names the file and the key. The loaders
return engine dataclasses with the texts beside them. Version 2026.1 is released (frozen in
``released.json``): a pulse keeps the version it was made with, so a change goes into a new
version folder.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from startklar.core.content import Versions, at, require, text, unique
from startklar.core.text import Text
from startklar.people.engine.pulse import POINTS, Condition, Measure, Polarity, Question, ThemeRule

FOLDER = Path(__file__).resolve().parent
VERSIONS = Versions("people", FOLDER)
CURRENT_VERSION = "2026.1"

KEY = re.compile(r"[a-z][a-z0-9_]*")
MAX_COMMENT = 5000  # the longest free text a pulse may allow


def _fields(
    value: Any, where: str, required: set[str], optional: frozenset[str] = frozenset()
) -> None:
    require(isinstance(value, dict), where, "needs a mapping")
    missing = sorted(required - set(value))
    unknown = sorted(set(value) - required - optional)
    require(not missing, where, f"missing {', '.join(missing)}")
    require(not unknown, where, f"unknown fields: {', '.join(map(str, unknown))}")


def _key(value: Any, where: str) -> str:
    require(
        isinstance(value, str) and KEY.fullmatch(value) is not None,
        where,
        "an id is lower case, digits and _",
    )
    return str(value)


def _list(value: Any, where: str) -> list[Any]:
    require(isinstance(value, list) and bool(value), where, "needs a non-empty list")
    return list(value)


# The pulse ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PulseQuestion:
    question: Question
    scale: str
    text: Text

    @property
    def key(self) -> str:
        return self.question.key


@dataclass(frozen=True)
class Bank:
    version: str
    scales: Mapping[str, tuple[Text, ...]]  # by scale: the points' labels, 1 to 5
    skip: Text  # "keine Angabe"
    questions: tuple[PulseQuestion, ...]
    comment: Text
    comment_max: int

    @property
    def engine_questions(self) -> tuple[Question, ...]:
        return tuple(q.question for q in self.questions)

    def question(self, key: str) -> PulseQuestion:
        return next(q for q in self.questions if q.key == key)


def _scale(name: str, value: Any) -> tuple[Text, ...]:
    where = at(f"scale {name}", value)
    _fields(value, where, {"points"})
    points = _list(value["points"], f"{where}: points")
    require(len(points) == len(POINTS), f"{where}: points", f"needs {len(POINTS)} points")
    return tuple(text(p, f"{where}: point {i}") for i, p in enumerate(points, start=1))


def _question(value: Any, scales: Mapping[str, object], index: int) -> PulseQuestion:
    where = at(f"question {index}", value)
    _fields(value, where, {"id", "scale", "polarity", "text"})
    key = _key(value["id"], where)
    where = at(f"question {key}", value)
    require(value["scale"] in scales, where, f"unknown scale {value['scale']!r}")
    require(
        value["polarity"] in set(Polarity),
        where,
        f"polarity is one of {', '.join(Polarity)}",
    )
    return PulseQuestion(
        Question(key, Polarity(value["polarity"])),
        str(value["scale"]),
        text(value["text"], f"{where}: text"),
    )


@functools.cache
def load_bank(version: str = CURRENT_VERSION) -> Bank:
    """The pulse's scales and questions."""
    with VERSIONS.reading(version, "pulse.yaml") as data:
        _fields(data, "top level", {"scales", "skip", "questions", "comment"})
        require(isinstance(data["scales"], dict) and bool(data["scales"]), "scales", "needs scales")
        scales = {str(name): _scale(str(name), value) for name, value in data["scales"].items()}
        questions = tuple(
            _question(value, scales, i)
            for i, value in enumerate(_list(data["questions"], "questions"), start=1)
        )
        unique([q.key for q in questions], "questions")
        comment = data["comment"]
        _fields(comment, "comment", {"text", "max_length"})
        longest = comment["max_length"]
        require(
            isinstance(longest, int)
            and not isinstance(longest, bool)
            and 1 <= longest <= MAX_COMMENT,
            "comment: max_length",
            f"needs a whole number from 1 to {MAX_COMMENT}",
        )
        return Bank(
            version=version,
            scales=scales,
            skip=text(data["skip"], "skip"),
            questions=questions,
            comment=text(comment["text"], "comment: text"),
            comment_max=longest,
        )


# Themes ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeText:
    title: Text
    why: Text
    actions: tuple[Text, ...]
    roadmap: Text  # the title of the roadmap step the theme suggests


@dataclass(frozen=True)
class Themes:
    rules: tuple[ThemeRule, ...]
    texts: Mapping[str, ThemeText]


def _condition(value: Any, where: str, questions: frozenset[str]) -> Condition:
    measures = {m.value for m in Measure}
    _fields(value, where, {"question"}, frozenset(measures))
    given = [m for m in measures if m in value]
    require(len(given) == 1, where, "needs one of agree or disagree")
    share = value[given[0]]
    require(
        isinstance(share, int | float) and not isinstance(share, bool) and 0 < share <= 1,
        where,
        "a share is a number above 0 and at most 1",
    )
    require(value["question"] in questions, where, f"unknown question {value['question']!r}")
    return Condition(str(value["question"]), Measure(given[0]), float(share))


@functools.cache
def load_themes(version: str = CURRENT_VERSION) -> Themes:
    """The themes, checked against the pulse's questions of the same version."""
    questions = frozenset(q.key for q in load_bank(version).questions)
    with VERSIONS.reading(version, "themes.yaml") as data:
        _fields(data, "top level", {"themes"})
        rules = []
        texts = {}
        for value in _list(data["themes"], "themes"):
            where = at("theme", value)
            _fields(value, where, {"id", "when", "title", "why", "actions", "roadmap"})
            key = _key(value["id"], where)
            where = at(f"theme {key}", value)
            conditions = tuple(
                _condition(c, f"{where}: when", questions)
                for c in _list(value["when"], f"{where}: when")
            )
            rules.append(ThemeRule(key, conditions))
            texts[key] = ThemeText(
                title=text(value["title"], f"{where}: title"),
                why=text(value["why"], f"{where}: why"),
                actions=tuple(
                    text(a, f"{where}: action")
                    for a in _list(value["actions"], f"{where}: actions")
                ),
                roadmap=text(value["roadmap"], f"{where}: roadmap"),
            )
        unique([rule.key for rule in rules], "themes")
        return Themes(tuple(rules), texts)


# The works council -------------------------------------------------------------------------------


class Applies(StrEnum):
    ALWAYS = "always"  # to every AI system
    MONITORING = "monitoring"  # to a system that can monitor behaviour or performance
    PERSONNEL = "personnel"  # to a system that helps select or assess people


@dataclass(frozen=True)
class Right:
    key: str
    law: str  # e.g. "§ 87 Abs. 1 Nr. 6 BetrVG"
    applies: Applies
    title: Text
    text: Text


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: Text
    text: Text


@dataclass(frozen=True)
class WorksCouncil:
    rights: tuple[Right, ...]
    checklist: tuple[ChecklistItem, ...]


@functools.cache
def load_works_council(version: str = CURRENT_VERSION) -> WorksCouncil:
    """The works council's rights and the checklist of an agreement on AI."""
    with VERSIONS.reading(version, "works_council.yaml") as data:
        _fields(data, "top level", {"rights", "checklist"})
        rights = []
        for value in _list(data["rights"], "rights"):
            where = at("right", value)
            _fields(value, where, {"id", "law", "applies", "title", "text"})
            key = _key(value["id"], where)
            where = at(f"right {key}", value)
            require(
                isinstance(value["law"], str) and "BetrVG" in value["law"],
                where,
                "law names a section of the BetrVG",
            )
            require(
                value["applies"] in set(Applies),
                where,
                f"applies is one of {', '.join(Applies)}",
            )
            rights.append(
                Right(
                    key,
                    str(value["law"]),
                    Applies(value["applies"]),
                    text(value["title"], f"{where}: title"),
                    text(value["text"], f"{where}: text"),
                )
            )
        unique([r.key for r in rights], "rights")
        items = []
        for value in _list(data["checklist"], "checklist"):
            where = at("checklist item", value)
            _fields(value, where, {"id", "title", "text"})
            key = _key(value["id"], where)
            where = at(f"checklist item {key}", value)
            items.append(
                ChecklistItem(
                    key,
                    text(value["title"], f"{where}: title"),
                    text(value["text"], f"{where}: text"),
                )
            )
        unique([i.key for i in items], "checklist")
        return WorksCouncil(tuple(rights), tuple(items))
