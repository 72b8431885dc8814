"""Data-check content (pure Python, no Django): in version folders (``<version>/``)

* ``headers.yaml``: the header hints for personal data (by kind, and by special category of
  Art. 9 GDPR), German and English;
* ``first_names.txt``: first names common in Germany, one per line in lower case;
* ``rules.yaml``: the catalogue's data prerequisites as checkable rules, per technique and per
  catalogue id, each with what it checks (and, for a question, the question) in German and
  English.

Each is read with ``startklar.core.content`` and checked on the way in; errors name the file and
the key (or the line). The loaders return engine dataclasses, the texts beside them (the engine
has none). Released versions are frozen (``released.json``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from startklar.core.content import ContentError, Versions, at, reading, require, text, unique
from startklar.core.text import Text
from startklar.datacheck.engine.fitness import GRAINS, CheckKind, Rule, RuleSet
from startklar.datacheck.engine.personal import (
    HINT_KEYS,
    SPECIAL_CATEGORIES,
    Hint,
    Vocabulary,
    header_tokens,
)
from startklar.usecases.engine.catalogue import Technique

FOLDER = Path(__file__).resolve().parent
VERSIONS = Versions("datacheck", FOLDER)
CURRENT_VERSION = "2026.1"

MIN_PART = 4  # shorter parts would be found inside unrelated headers ("au" in "Bauteil")
MIN_FIRST_NAMES = 1000
FIRST_NAME = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
KEY = re.compile(r"[a-z][a-z0-9_]*")
CATALOGUE_ID = re.compile(r"[a-z]+\.[a-z0-9-]+")
COLUMN_TYPES = ("number", "date", "datetime", "boolean", "text", "identifier")

# The fields each kind of rule takes, besides check, text, weight and essential.
FIELDS: Mapping[CheckKind, frozenset[str]] = {
    CheckKind.COLUMN: frozenset({"types", "names", "minimum", "min_distinct"}),
    CheckKind.HISTORY: frozenset({"minimum"}),
    CheckKind.GAPS: frozenset({"maximum"}),
    CheckKind.GRAIN: frozenset({"grain"}),
    CheckKind.ROWS: frozenset({"minimum"}),
    CheckKind.MISSING: frozenset({"maximum", "of"}),
    CheckKind.DUPLICATES: frozenset({"maximum"}),
    CheckKind.ASKED: frozenset({"question"}),
}
COMMON = frozenset({"check", "text", "weight", "essential"})


@dataclass(frozen=True)
class Rules:
    rule_set: RuleSet
    texts: Mapping[str, Text]  # by rule key: what the rule checks
    questions: Mapping[str, Text]  # by key of an asked rule: the question


# Header hints and first names --------------------------------------------------------------


def _entries(value: Any, where: str, *, part: bool) -> list[str]:
    require(
        value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value)),
        where,
        "needs a list of texts",
    )
    entries = []
    for entry in value or ():
        tokens = header_tokens(entry)
        if part:
            written = "".join(tokens)
            require(len(written) >= MIN_PART, where, f"{entry!r}: a part needs {MIN_PART} letters")
        else:
            require(len(tokens) == 1, where, f"{entry!r}: a word must be one word")
            written = tokens[0]
        entries.append(written)
    unique(entries, where)
    return entries


def hint(value: Any, where: str) -> Hint:
    """A header hint ``{words: […], parts: […], unless: […]}`` (as ``headers.yaml`` has it)."""
    require(isinstance(value, dict), where, "needs words, parts or unless")
    unknown = sorted(set(value) - {"words", "parts", "unless"})
    require(not unknown, where, f"unknown fields: {', '.join(map(str, unknown))}")
    words = _entries(value.get("words"), f"{where}: words", part=False)
    parts = _entries(value.get("parts"), f"{where}: parts", part=True)
    require(bool(words or parts), where, "needs words or parts")
    unless = _entries(value.get("unless"), f"{where}: unless", part=True)
    return Hint(frozenset(words), tuple(parts), tuple(unless))


def _hints(data: Any, section: str, keys: tuple[str, ...]) -> dict[str, Hint]:
    given = data[section]
    require(isinstance(given, dict), section, "needs a mapping")
    missing = [k for k in keys if k not in given]
    unknown = sorted(str(k) for k in given if k not in keys)
    require(not missing, section, f"missing {', '.join(missing)}")
    require(not unknown, section, f"unknown {', '.join(unknown)}")
    return {key: hint(given[key], at(f"{section} {key}", given[key])) for key in keys}


@functools.cache
def load_first_names(version: str = CURRENT_VERSION) -> frozenset[str]:
    path = VERSIONS.path(version, "first_names.txt")
    with reading(f"datacheck {version}/first_names.txt"):
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ContentError(f"cannot read the file ({error})") from None
        names: list[str] = []
        for number, line in enumerate(source.splitlines(), start=1):
            name = line.strip()
            if not name or name.startswith("#"):
                continue
            require(
                FIRST_NAME.fullmatch(name) is not None
                and name == unicodedata.normalize("NFC", name).lower(),
                f"line {number}",
                f"{name!r} is not a first name in lower case",
            )
            names.append(name)
        unique(names, "first names")
        require(
            len(names) >= MIN_FIRST_NAMES,
            "first names",
            f"needs at least {MIN_FIRST_NAMES}, has {len(names)}",
        )
    return frozenset(names)


@functools.cache
def load_vocabulary(version: str = CURRENT_VERSION) -> Vocabulary:
    """The header hints and first names the personal-data detectors use."""
    with VERSIONS.reading(version, "headers.yaml") as data:
        hints = _hints(data, "hints", HINT_KEYS)
        special = _hints(data, "special", SPECIAL_CATEGORIES)
    return Vocabulary(hints, special, load_first_names(version))


# Rules -------------------------------------------------------------------------------------


def _number(value: Any, where: str, *, low: float, high: float | None = None) -> float:
    require(
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value >= low
        and (high is None or value <= high),
        where,
        f"needs a number ≥ {low}" + (f" and ≤ {high}" if high is not None else ""),
    )
    return float(value)


def _whole(value: Any, where: str) -> int:
    require(
        isinstance(value, int) and not isinstance(value, bool) and value >= 1,
        where,
        "needs a whole number ≥ 1",
    )
    return int(value)


def _keys(value: Any, where: str, known: Mapping[str, Rule]) -> tuple[str, ...]:
    require(
        isinstance(value, list) and all(isinstance(v, str) for v in value),
        where,
        "needs a list of rule keys",
    )
    unique(value, where)
    unknown = [k for k in value if k not in known]
    require(not unknown, where, f"unknown rules: {', '.join(unknown)}")
    return tuple(value)


def _rule(key: str, value: Any, where: str) -> Rule:
    require(KEY.fullmatch(key) is not None, where, "a key is lower case, digits and _")
    require(isinstance(value, dict), where, "needs a mapping")
    kind = CheckKind(value["check"])
    unknown = sorted(set(value) - COMMON - FIELDS[kind])
    require(not unknown, where, f"unknown fields for {kind}: {', '.join(map(str, unknown))}")
    weight = _number(value.get("weight", 1), f"{where}: weight", low=0.1)
    essential = value.get("essential", False)
    require(isinstance(essential, bool), f"{where}: essential", "needs true or false")
    rule = Rule(key, kind, weight=weight, essential=essential)
    match kind:
        case CheckKind.COLUMN:
            types = value["types"]
            require(
                isinstance(types, list) and types != [] and all(t in COLUMN_TYPES for t in types),
                f"{where}: types",
                f"needs some of {', '.join(COLUMN_TYPES)}",
            )
            names = value.get("names")
            return Rule(
                key,
                kind,
                types=tuple(types),
                names=None if names is None else hint(names, f"{where}: names"),
                minimum=_whole(value.get("minimum", 1), f"{where}: minimum"),
                min_distinct=_whole(value.get("min_distinct", 1), f"{where}: min_distinct"),
                weight=weight,
                essential=essential,
            )
        case CheckKind.HISTORY:
            months = _number(value["minimum"], f"{where}: minimum", low=1)
            return Rule(key, kind, minimum=months, weight=weight, essential=essential)
        case CheckKind.ROWS:
            rows = _whole(value["minimum"], f"{where}: minimum")
            return Rule(key, kind, minimum=rows, weight=weight, essential=essential)
        case CheckKind.GAPS | CheckKind.DUPLICATES | CheckKind.MISSING:
            share = _number(value["maximum"], f"{where}: maximum", low=0, high=1)
            of = value.get("of", [])
            require(isinstance(of, list), f"{where}: of", "needs a list of column rules")
            return Rule(key, kind, maximum=share, of=tuple(of), weight=weight, essential=essential)
        case CheckKind.GRAIN:
            grain = value["grain"]
            require(grain in GRAINS, f"{where}: grain", f"needs one of {', '.join(GRAINS)}")
            return Rule(key, kind, grain=grain, weight=weight, essential=essential)
    return rule  # asked: the question is a text


@functools.cache
def load_rules(version: str = CURRENT_VERSION) -> Rules:
    with VERSIONS.reading(version, "rules.yaml") as data:
        rules: dict[str, Rule] = {}
        texts: dict[str, Text] = {}
        questions: dict[str, Text] = {}
        for key, value in data["rules"].items():
            where = at(f"rule {key}", value)
            rules[key] = _rule(str(key), value, where)
            texts[key] = text(value.get("text"), f"{where}: text")
            if rules[key].check is CheckKind.ASKED:
                questions[key] = text(value.get("question"), f"{where}: question")
        for key, rule in rules.items():
            where = at(f"rule {key}", data["rules"][key])
            unknown = [k for k in rule.of if k not in rules]
            require(not unknown, where, f"of: unknown rules: {', '.join(unknown)}")
            columns = [k for k in rule.of if rules[k].check is not CheckKind.COLUMN]
            require(not columns, where, f"of: not column rules: {', '.join(columns)}")
        techniques = data["techniques"]
        missing = [str(t) for t in Technique if str(t) not in techniques]
        unknown = sorted(str(t) for t in techniques if t not in set(map(str, Technique)))
        require(not missing, "techniques", f"missing {', '.join(missing)}")
        require(not unknown, "techniques", f"unknown {', '.join(unknown)}")
        use_cases = data["use_cases"]
        wrong = sorted(str(i) for i in use_cases if not CATALOGUE_ID.fullmatch(str(i)))
        require(not wrong, "use_cases", f"not catalogue ids: {', '.join(wrong)}")
        rule_set = RuleSet(
            rules,
            {str(t): _keys(keys, f"technique {t}", rules) for t, keys in techniques.items()},
            {str(i): _keys(keys, f"use case {i}", rules) for i, keys in use_cases.items()},
        )
    return Rules(rule_set, texts, questions)
