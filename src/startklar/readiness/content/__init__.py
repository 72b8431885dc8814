"""The versioned question banks (``<version>/bank.yaml`` beside this file), loaded into the
engine's dataclasses and checked on the way in (pure Python, no Django; the kit is
``startklar.core.content``).

A round stores the version it was answered with and is always scored with that bank, so a new
bank version never changes stored results; released versions are frozen (``released.json``).
``CURRENT_VERSION`` is what new rounds use.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from startklar.core.content import Versions, at, reading, require, text, unique
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
    Ranking,
    Severity,
    Stage,
)

FOLDER = Path(__file__).resolve().parent
VERSIONS = Versions("readiness", FOLDER)
CURRENT_VERSION = "2026.2"


def available_versions() -> list[str]:
    return VERSIONS.available()


@functools.cache
def load_bank(version: str = CURRENT_VERSION) -> Bank:
    with VERSIONS.reading(version, "bank.yaml") as data:
        return _parse_bank(data)


def parse_bank(data: Any) -> Bank:
    """A bank from data (e.g. a test's changed copy); errors name the place."""
    with reading("bank"):
        return _parse_bank(data)


def _parse_bank(data: Any) -> Bank:
    require(isinstance(data, dict), "bank", "must be a mapping")
    dimensions = tuple(_dimension(d, f"dimensions[{i}]") for i, d in enumerate(data["dimensions"]))
    question_ids = [q.id for d in dimensions for q in d.questions]
    unique(question_ids, "question ids")
    unique([d.id for d in dimensions], "dimension ids")
    stages = tuple(
        Stage(
            s["id"],
            float(s["min"]),
            text(s["name"], at("stage", s)),
            text(s["description"], at("stage", s)),
        )
        for s in data["stages"]
    )
    require(
        [s.min for s in stages] == sorted(s.min for s in stages) and stages[0].min == 0,
        "stages",
        "must ascend from 0",
    )
    perspectives = tuple(
        Perspective(p["id"], text(p["name"], at(f"perspective {p['id']}", p)))
        for p in data["perspectives"]
    )
    known = {"question": set(question_ids), "dimension": {d.id for d in dimensions}}
    small_below = data.get("small_company_below")
    require(
        small_below is None or (type(small_below) is int and small_below > 1),
        "small_company_below",
        "must be a headcount above 1",
    )
    roles = {
        str(who): text(small, f"small_company_roles {who}")
        for who, small in (data.get("small_company_roles") or {}).items()
    }
    hurdles = tuple(_hurdle(h, known, roles) for h in data["hurdles"])
    used = {a.who.de for h in hurdles for a in h.actions}
    require(
        not set(roles) - used, "small_company_roles", f"unknown roles {sorted(set(roles) - used)}"
    )
    unique([h.id for h in hurdles], "hurdle ids")
    # 2026.1 predates the key and ranks by the number of facts, so its rounds keep their results
    ranking = Ranking(data.get("ranking", Ranking.EVIDENCE_COUNT.value))
    return Bank(
        str(data["version"]), stages, perspectives, dimensions, hurdles, ranking, small_below
    )


def _dimension(data: dict[str, Any], where: str) -> Dimension:
    dimension_id = data["id"]
    where = at(f"dimension {dimension_id}", data)
    questions = []
    for q in data["questions"]:
        with reading(at(f"question {q.get('id')}", q)):
            require(
                str(q.get("id", "")).startswith(f"{dimension_id}."),
                "id",
                "must start with its dimension",
            )
            require(len(q["levels"]) == MAX_LEVEL, "levels", f"needs exactly {MAX_LEVEL} levels")
            questions.append(
                Question(
                    id=q["id"],
                    dimension_id=dimension_id,
                    text=text(q["text"], "text"),
                    why=text(q["why"], "why"),
                    levels=tuple(text(level, "level") for level in q["levels"]),
                    scored=_flag(q.get("scored", True), "scored"),
                )
            )
    require(any(q.scored for q in questions), where, "needs a scored question")
    return Dimension(
        dimension_id,
        text(data["name"], where),
        text(data["description"], where),
        tuple(questions),
    )


def _hurdle(data: dict[str, Any], known: dict[str, set[str]], roles: dict[str, Text]) -> Hurdle:
    with reading(at(f"hurdle {data.get('id')}", data)):
        actions = tuple(_action(a, known, roles) for a in data["actions"])
        require(2 <= len(actions) <= 6, "actions", "needs 2 to 6 actions")
        require(any(a.when is None for a in actions), "actions", "needs an action without 'when'")
        return Hurdle(
            id=data["id"],
            area=Area(data["area"]),
            severity=Severity(data["severity"]),
            title=text(data["title"], "title"),
            explanation=text(data["explanation"], "explanation"),
            when=_condition(data["when"], known, "when"),
            actions=actions,
            high_when=_optional(data.get("high_when"), known, "high_when"),
            urgent=data.get("urgent") is True,
        )


def _action(data: dict[str, Any], known: dict[str, set[str]], roles: dict[str, Text]) -> Action:
    """An action; in a small company its role comes from ``small_company_roles`` unless the
    action says otherwise (``small: {who, first_step}``)."""
    who = text(data["who"], "who")
    small = data.get("small") or {}
    return Action(
        text(data["what"], "what"),
        who,
        text(data["first_step"], "step"),
        _optional(data.get("when"), known, "action when"),
        _optional(data.get("unless"), known, "action unless"),
        text(small["who"], "small who") if "who" in small else roles.get(who.de),
        text(small["first_step"], "small step") if "first_step" in small else None,
    )


def _optional(data: Any, known: dict[str, set[str]], place: str) -> Condition | None:
    return None if data is None else _condition(data, known, place)


def _flag(value: Any, place: str) -> bool:
    require(isinstance(value, bool), place, f"must be true or false, not {value!r}")
    return bool(value)


def _condition(data: Any, known: dict[str, set[str]], place: str) -> Condition:
    require(isinstance(data, dict) and len(data) in (1, 2), place, f"bad condition {data!r}")
    if "all" in data or "any" in data:
        children = tuple(_condition(c, known, place) for c in data.get("all") or data["any"])
        require(bool(children), place, "empty all/any")
        return AllOf(children) if "all" in data else AnyOf(children)
    if "question" in data:
        question = data["question"]
        require(question in known["question"], place, f"unknown question {question!r}")
        if "at_most" in data:
            return QuestionAtMost(question, _level(data["at_most"], place))
        return QuestionAtLeast(question, _level(data["at_least"], place))
    dimension = data.get("dimension")
    require(dimension in known["dimension"], place, f"unknown dimension {dimension!r}")
    limit = data["score_below"]
    require(isinstance(limit, int | float) and 0 < limit <= 100, place, "score_below 1–100")
    return DimensionBelow(dimension, float(limit))


def _level(value: Any, place: str) -> int:
    require(isinstance(value, int) and 1 <= value <= MAX_LEVEL, place, f"bad level {value!r}")
    return int(value)
