"""The versioned rule bases (``<version>/questions.yaml`` and ``<version>/rules.yaml``), loaded
into the engine's dataclasses and checked on the way in (pure Python, no Django; the kit is
``startklar.core.content``).

Every stored result keeps the version it was made with; when ``CURRENT_VERSION`` moves on, the
affected results are flagged for a re-check. Released versions are frozen (``released.json``).
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path
from typing import Any

from startklar.compliance.engine import (
    NO,
    REVISION,
    RISK_CLASSES,
    YES,
    All,
    Any_,
    Condition,
    Contradiction,
    Criterion,
    Deadline,
    InClass,
    InGroup,
    Is,
    Not,
    Obligation,
    Option,
    Question,
    QuestionType,
    Ref,
    RiskClass,
    RiskLabel,
    Rule,
    RuleSet,
    Section,
)
from startklar.core.content import ContentError, Versions, at, reading, require
from startklar.core.content import text as _text

FOLDER = Path(__file__).resolve().parent
VERSIONS = Versions("compliance", FOLDER)
CURRENT_VERSION = "2026.3"


def available_versions() -> list[str]:
    return VERSIONS.available()


@functools.cache
def results_key(version: str) -> str:
    """What a result stored with an assessment of rule base ``version`` is valid for: the
    engine's revision and the rule base's hash (a released version's frozen hash)."""
    digest = VERSIONS.released().get(version) or VERSIONS.digest(version)
    return f"{REVISION}:{digest[:16]}"


class _Parser:
    def __init__(self, questions: dict[str, Question], definitions: set[str]):
        self.questions = questions
        self.definitions = definitions
        self.classes: set[str] = set()
        self.groups: set[str] = set()

    def condition(self, data: Any, where: str) -> Condition:
        if not isinstance(data, dict) or not data:
            raise ContentError(f"{where}: a condition must be a mapping, not {data!r}")
        if "all" in data or "any" in data:
            listed = data["all"] if "all" in data else data["any"]
            parts = tuple(self.condition(p, where) for p in listed)
            if not parts:
                raise ContentError(f"{where}: empty all/any")
            return All(parts) if "all" in data else Any_(parts)
        if "not" in data:
            return Not(self.condition(data["not"], where))
        if "ref" in data:
            if data["ref"] not in self.definitions:
                raise ContentError(f"{where}: unknown definition {data['ref']!r}")
            return Ref(data["ref"])
        if "class" in data:
            self.classes.add(data["class"])
            return InClass(data["class"])
        if "group" in data:
            self.groups.add(data["group"])
            return InGroup(data["group"])
        question_id = data.get("q")
        if question_id not in self.questions:
            raise ContentError(f"{where}: unknown question {question_id!r}")
        raw = data["in"] if "in" in data else [data.get("is")]
        values = frozenset(YES if v is True else NO if v is False else str(v) for v in raw)
        allowed = self.questions[question_id].allowed
        if not values <= allowed:
            raise ContentError(
                f"{where}: {sorted(values - allowed)} is not an answer of {question_id}"
            )
        return Is(question_id, values)


@functools.cache
def load_rules(version: str = CURRENT_VERSION) -> RuleSet:
    with VERSIONS.reading(version, "questions.yaml") as qdata:
        sections, plain = _questions(qdata)
    with VERSIONS.reading(version, "rules.yaml") as rdata:
        return _rules(version, rdata, sections, plain)


def _questions(qdata: Any) -> tuple[tuple[Section, ...], dict[str, Question]]:
    sections = tuple(
        Section(s["id"], _text(s["title"], s["id"]), _text(s["intro"], s["id"]))
        for s in qdata["sections"]
    )
    section_ids = {s.id for s in sections}
    plain: dict[str, Question] = {}
    for q in qdata["questions"]:
        where = at(f"question {q.get('id')}", q)
        with reading(where):
            plain[q["id"]] = _question(q, plain, section_ids)
    return sections, plain


def _question(q: Any, plain: dict[str, Question], section_ids: set[str]) -> Question:
    """One question; errors are named by the caller (``question x (line n): …``)."""
    if q["id"] in plain:
        raise ContentError("duplicate id")
    if q["section"] not in section_ids or q["type"] not in set(QuestionType):
        raise ContentError("unknown section or type")
    options = tuple(
        Option(
            o["id"],
            _text(o["label"], at(f"option {o['id']}", o)),
            _text(o["help"], at(f"option {o['id']} help", o)) if o.get("help") else None,
        )
        for o in q.get("options") or ()
    )
    if (q["type"] == QuestionType.CHOICE) != bool(options):
        raise ContentError("choice questions need options, yes/no questions none")
    return Question(
        id=q["id"],
        section=q["section"],
        type=QuestionType(q["type"]),
        text=_text(q["text"], "text"),
        help=_text(q["help"], "help"),
        examples=_text(q["examples"], "examples") if q.get("examples") else None,
        article=str(q["article"]),
        options=options,
    )


def _rules(
    version: str, rdata: Any, sections: tuple[Section, ...], plain: dict[str, Question]
) -> RuleSet:
    parser = _Parser(plain, set(rdata.get("definitions") or {}))
    definitions = {
        name: parser.condition(cond, f"definition {name}")
        for name, cond in (rdata.get("definitions") or {}).items()
    }
    ask_if = rdata.get("questions_ask_if") or {}
    unknown = set(ask_if) - set(plain)
    if unknown:
        raise ContentError(f"questions_ask_if: unknown questions {sorted(unknown)}")
    questions = tuple(
        Question(**{**q.__dict__, "ask_if": parser.condition(ask_if[q.id], f"ask_if {q.id}")})
        if q.id in ask_if
        else q
        for q in plain.values()
    )
    class_ids = [c["id"] for c in rdata["classes"]]
    require(
        set(class_ids) <= RISK_CLASSES and len(set(class_ids)) == len(class_ids),
        "classes",
        f"ids must be distinct and among {sorted(RISK_CLASSES)}",
    )
    classes = tuple(
        RiskClass(RiskLabel(c["id"]), tuple(_rule(r, parser) for r in c["rules"]))
        for c in rdata["classes"]
    )
    deadlines = {
        key: Deadline(key, _date(d["date"], key), _text(d["label"], at(f"deadline {key}", d)))
        for key, d in rdata["deadlines"].items()
    }
    obligations = tuple(_obligation(o, parser) for o in rdata["obligations"])
    missing = {o.effective for o in obligations} - set(deadlines)
    if missing:
        raise ContentError(f"obligations refer to unknown deadlines {sorted(missing)}")
    known_classes = {c.id for c in classes}
    known_groups = {r.group for c in classes for r in c.rules}
    if parser.classes - known_classes or parser.groups - known_groups:
        raise ContentError("conditions refer to unknown classes or groups")
    contradictions = tuple(
        Contradiction(
            c["id"],
            parser.condition(c["when"], f"contradiction {c['id']}"),
            _text(c["message"], c["id"]),
        )
        for c in rdata.get("contradictions") or ()
    )

    def criteria(key: str) -> tuple[Criterion, ...]:
        return tuple(
            Criterion(
                c["id"], parser.condition(c["when"], f"{key} {c['id']}"), _text(c["label"], c["id"])
            )
            for c in rdata[key]
        )

    edpb, dsk = criteria("edpb_criteria"), criteria("dsk_items")
    ids = [c.id for c in (*edpb, *dsk)]
    require(len(set(ids)) == len(ids), "edpb_criteria, dsk_items", "ids must be distinct")
    return RuleSet(
        version=version,
        sections=sections,
        questions=questions,
        definitions=definitions,
        classes=classes,
        deadlines=deadlines,
        obligations=obligations,
        contradictions=contradictions,
        edpb_criteria=edpb,
        dsk_items=dsk,
    )


def _rule(data: Any, parser: _Parser) -> Rule:
    where = at(f"rule {data['id']}", data)
    with reading(where):
        return Rule(
            id=data["id"],
            group=data["group"],
            when=parser.condition(data["when"], "when"),
            route=_text(data["route"], "route"),
            article=str(data["article"]),
        )


def _obligation(data: Any, parser: _Parser) -> Obligation:
    where = at(f"obligation {data['id']}", data)
    with reading(where):
        return Obligation(
            id=data["id"],
            when=parser.condition(data["when"], "when"),
            title=_text(data["title"], "title"),
            text=_text(data["text"], "text"),
            article=str(data["article"]),
            effective=data["effective"],
            with_prohibited=data.get("with_prohibited") is True,
        )


def _date(value: Any, where: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ContentError(f"deadline {where}: {value!r} is not a date") from None
