"""The versioned rule bases (``<version>/questions.yaml`` and ``<version>/rules.yaml``), loaded
into the engine's dataclasses and checked on the way in (pure Python, no Django).

Every stored result keeps the version it was made with; when ``CURRENT_VERSION`` moves on, the
affected results are flagged for a re-check.
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path
from typing import Any

import yaml

from startklar.compliance.engine import (
    NO,
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
    Ref,
    RiskClass,
    Rule,
    RuleSet,
    Section,
)
from startklar.core.text import Text

FOLDER = Path(__file__).resolve().parent
CURRENT_VERSION = "2026.2"


class RuleBaseError(ValueError):
    """The rule base breaks a rule; the message names the place."""


def available_versions() -> list[str]:
    return sorted(p.name for p in FOLDER.iterdir() if (p / "rules.yaml").is_file())


def _text(value: Any, where: str) -> Text:
    if not (
        isinstance(value, dict)
        and all(isinstance(value.get(k), str) and value[k].strip() for k in ("de", "en"))
    ):
        raise RuleBaseError(f"{where}: needs non-empty 'de' and 'en' texts")
    return Text(value["de"].strip(), value["en"].strip())


class _Parser:
    def __init__(self, questions: dict[str, Question], definitions: set[str]):
        self.questions = questions
        self.definitions = definitions
        self.classes: set[str] = set()
        self.groups: set[str] = set()

    def condition(self, data: Any, where: str) -> Condition:
        if not isinstance(data, dict) or not data:
            raise RuleBaseError(f"{where}: a condition must be a mapping, not {data!r}")
        if "all" in data or "any" in data:
            parts = tuple(self.condition(p, where) for p in data.get("all") or data["any"])
            if not parts:
                raise RuleBaseError(f"{where}: empty all/any")
            return All(parts) if "all" in data else Any_(parts)
        if "not" in data:
            return Not(self.condition(data["not"], where))
        if "ref" in data:
            if data["ref"] not in self.definitions:
                raise RuleBaseError(f"{where}: unknown definition {data['ref']!r}")
            return Ref(data["ref"])
        if "class" in data:
            self.classes.add(data["class"])
            return InClass(data["class"])
        if "group" in data:
            self.groups.add(data["group"])
            return InGroup(data["group"])
        question_id = data.get("q")
        if question_id not in self.questions:
            raise RuleBaseError(f"{where}: unknown question {question_id!r}")
        raw = data["in"] if "in" in data else [data.get("is")]
        values = frozenset(YES if v is True else NO if v is False else str(v) for v in raw)
        allowed = self.questions[question_id].allowed
        if not values <= allowed:
            raise RuleBaseError(
                f"{where}: {sorted(values - allowed)} is not an answer of {question_id}"
            )
        return Is(question_id, values)


@functools.cache
def load_rules(version: str = CURRENT_VERSION) -> RuleSet:
    folder = FOLDER / version
    if not (folder / "rules.yaml").is_file():
        raise RuleBaseError(f"no rule base of version {version!r}")
    try:
        return _load(folder, version)
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, RuleBaseError):
            raise
        raise RuleBaseError(f"rule base {version}: missing or malformed {error!r}") from error


def _load(folder: Path, version: str) -> RuleSet:
    qdata = yaml.safe_load((folder / "questions.yaml").read_text(encoding="utf-8"))
    rdata = yaml.safe_load((folder / "rules.yaml").read_text(encoding="utf-8"))
    if str(qdata["version"]) != version or str(rdata["version"]) != version:
        raise RuleBaseError(f"{version}: the files name another version")
    sections = tuple(
        Section(s["id"], _text(s["title"], s["id"]), _text(s["intro"], s["id"]))
        for s in qdata["sections"]
    )
    section_ids = {s.id for s in sections}
    plain: dict[str, Question] = {}
    for q in qdata["questions"]:
        where = f"question {q.get('id')}"
        if q["id"] in plain:
            raise RuleBaseError(f"{where}: duplicate id")
        if q["section"] not in section_ids or q["type"] not in {"yesno", "choice"}:
            raise RuleBaseError(f"{where}: unknown section or type")
        options = tuple(
            Option(
                o["id"],
                _text(o["label"], where),
                _text(o["help"], where) if o.get("help") else None,
            )
            for o in q.get("options") or ()
        )
        if (q["type"] == "choice") != bool(options):
            raise RuleBaseError(f"{where}: choice questions need options, yes/no questions none")
        plain[q["id"]] = Question(
            id=q["id"],
            section=q["section"],
            type=q["type"],
            text=_text(q["text"], where),
            help=_text(q["help"], where),
            examples=_text(q["examples"], where) if q.get("examples") else None,
            article=str(q["article"]),
            options=options,
        )
    parser = _Parser(plain, set(rdata.get("definitions") or {}))
    definitions = {
        name: parser.condition(cond, f"definition {name}")
        for name, cond in (rdata.get("definitions") or {}).items()
    }
    ask_if = rdata.get("questions_ask_if") or {}
    unknown = set(ask_if) - set(plain)
    if unknown:
        raise RuleBaseError(f"questions_ask_if: unknown questions {sorted(unknown)}")
    questions = tuple(
        Question(**{**q.__dict__, "ask_if": parser.condition(ask_if[q.id], f"ask_if {q.id}")})
        if q.id in ask_if
        else q
        for q in plain.values()
    )
    classes = tuple(
        RiskClass(
            id=c["id"],
            label=_text(c["label"], c["id"]),
            rules=tuple(
                Rule(
                    id=r["id"],
                    group=r["group"],
                    when=parser.condition(r["when"], f"rule {r['id']}"),
                    route=_text(r["route"], r["id"]),
                    article=str(r["article"]),
                )
                for r in c["rules"]
            ),
        )
        for c in rdata["classes"]
    )
    deadlines = {
        key: Deadline(key, _date(d["date"], key), _text(d["label"], key))
        for key, d in rdata["deadlines"].items()
    }
    obligations = tuple(
        Obligation(
            id=o["id"],
            when=parser.condition(o["when"], f"obligation {o['id']}"),
            title=_text(o["title"], o["id"]),
            text=_text(o["text"], o["id"]),
            article=str(o["article"]),
            effective=o["effective"],
        )
        for o in rdata["obligations"]
    )
    missing = {o.effective for o in obligations} - set(deadlines)
    if missing:
        raise RuleBaseError(f"obligations refer to unknown deadlines {sorted(missing)}")
    known_classes = {c.id for c in classes}
    known_groups = {r.group for c in classes for r in c.rules}
    if parser.classes - known_classes or parser.groups - known_groups:
        raise RuleBaseError("conditions refer to unknown classes or groups")
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

    return RuleSet(
        version=version,
        sections=sections,
        questions=questions,
        definitions=definitions,
        classes=classes,
        deadlines=deadlines,
        obligations=obligations,
        contradictions=contradictions,
        edpb_criteria=criteria("edpb_criteria"),
        dsk_items=criteria("dsk_items"),
    )


def _date(value: Any, where: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise RuleBaseError(f"deadline {where}: {value!r} is not a date") from None
