"""The versioned question banks (``bank-<version>.yaml`` beside this file), loaded into the
engine's dataclasses and checked on the way in (pure Python, no Django).

A round stores the version it was answered with and is always scored with that bank, so a new
bank version never changes stored results. ``CURRENT_VERSION`` is what new rounds use.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from startklar.core.text import Text
from startklar.readiness.engine import (
    MAX_LEVEL,
    Action,
    AllOf,
    AnyOf,
    Area,
    Bank,
    Condition,
    Dimension,
    DimensionBelow,
    Hurdle,
    Perspective,
    Question,
    QuestionAtLeast,
    QuestionAtMost,
    Severity,
    Stage,
)

FOLDER = Path(__file__).resolve().parent
CURRENT_VERSION = "2026.1"


class BankError(ValueError):
    """The bank file breaks a rule; the message names the place."""


def available_versions() -> list[str]:
    return sorted(p.stem.removeprefix("bank-") for p in FOLDER.glob("bank-*.yaml"))


@functools.cache
def load_bank(version: str = CURRENT_VERSION) -> Bank:
    path = FOLDER / f"bank-{version}.yaml"
    if not path.is_file():
        raise BankError(f"no question bank of version {version!r}")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    bank = parse_bank(data)
    if bank.version != version:
        raise BankError(f"{path.name} says version {bank.version!r}")
    return bank


def parse_bank(data: Any) -> Bank:
    try:
        return _parse_bank(data)
    except (KeyError, TypeError, IndexError) as error:
        raise BankError(f"bank: missing or malformed entry ({error!r})") from error


def _parse_bank(data: Any) -> Bank:
    _require(isinstance(data, dict), "bank", "must be a mapping")
    dimensions = tuple(_dimension(d, f"dimensions[{i}]") for i, d in enumerate(data["dimensions"]))
    question_ids = [q.id for d in dimensions for q in d.questions]
    _unique(question_ids, "question ids")
    _unique([d.id for d in dimensions], "dimension ids")
    stages = tuple(
        Stage(s["id"], float(s["min"]), _text(s["name"], "stage"), _text(s["description"], "stage"))
        for s in data["stages"]
    )
    _require(
        [s.min for s in stages] == sorted(s.min for s in stages) and stages[0].min == 0,
        "stages",
        "must ascend from 0",
    )
    perspectives = tuple(
        Perspective(p["id"], _text(p["name"], f"perspective {p['id']}"))
        for p in data["perspectives"]
    )
    known = {"question": set(question_ids), "dimension": {d.id for d in dimensions}}
    hurdles = tuple(_hurdle(h, known) for h in data["hurdles"])
    _unique([h.id for h in hurdles], "hurdle ids")
    return Bank(str(data["version"]), stages, perspectives, dimensions, hurdles)


def _require(ok: bool, where: str, message: str) -> None:
    if not ok:
        raise BankError(f"{where}: {message}")


def _unique(ids: list[str], what: str) -> None:
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    _require(not duplicates, what, f"not unique: {', '.join(duplicates)}")


def _text(value: Any, where: str) -> Text:
    _require(
        isinstance(value, dict)
        and all(isinstance(value.get(k), str) and value[k].strip() for k in ("de", "en")),
        where,
        "needs non-empty 'de' and 'en' texts",
    )
    return Text(value["de"].strip(), value["en"].strip())


def _dimension(data: dict[str, Any], where: str) -> Dimension:
    dimension_id = data["id"]
    questions = []
    for q in data["questions"]:
        place = f"question {q.get('id')}"
        _require(
            str(q.get("id", "")).startswith(f"{dimension_id}."),
            place,
            "id must start with its dimension",
        )
        _require(len(q["levels"]) == MAX_LEVEL, place, f"needs exactly {MAX_LEVEL} levels")
        questions.append(
            Question(
                id=q["id"],
                dimension_id=dimension_id,
                text=_text(q["text"], place),
                why=_text(q["why"], place),
                levels=tuple(_text(level, f"{place} level") for level in q["levels"]),
            )
        )
    return Dimension(
        dimension_id,
        _text(data["name"], where),
        _text(data["description"], where),
        tuple(questions),
    )


def _hurdle(data: dict[str, Any], known: dict[str, set[str]]) -> Hurdle:
    place = f"hurdle {data.get('id')}"
    actions = tuple(
        Action(_text(a["what"], place), _text(a["who"], place), _text(a["first_step"], place))
        for a in data["actions"]
    )
    _require(2 <= len(actions) <= 4, place, "needs 2 to 4 actions")
    try:
        area, severity = Area(data["area"]), Severity(data["severity"])
    except ValueError as error:
        raise BankError(f"{place}: {error}") from error
    return Hurdle(
        id=data["id"],
        area=area,
        severity=severity,
        title=_text(data["title"], place),
        explanation=_text(data["explanation"], place),
        when=_condition(data["when"], known, place),
        actions=actions,
    )


def _condition(data: Any, known: dict[str, set[str]], place: str) -> Condition:
    _require(isinstance(data, dict) and len(data) in (1, 2), place, f"bad condition {data!r}")
    if "all" in data or "any" in data:
        children = tuple(_condition(c, known, place) for c in data.get("all") or data["any"])
        _require(bool(children), place, "empty all/any")
        return AllOf(children) if "all" in data else AnyOf(children)
    if "question" in data:
        question = data["question"]
        _require(question in known["question"], place, f"unknown question {question!r}")
        if "at_most" in data:
            return QuestionAtMost(question, _level(data["at_most"], place))
        return QuestionAtLeast(question, _level(data["at_least"], place))
    dimension = data.get("dimension")
    _require(dimension in known["dimension"], place, f"unknown dimension {dimension!r}")
    limit = data["score_below"]
    _require(isinstance(limit, int | float) and 0 < limit <= 100, place, "score_below 1–100")
    return DimensionBelow(dimension, float(limit))


def _level(value: Any, place: str) -> int:
    _require(isinstance(value, int) and 1 <= value <= MAX_LEVEL, place, f"bad level {value!r}")
    return int(value)
