"""Roadmap content (pure Python, no Django): in version folders (``<version>/``)

* ``sequence.yaml``: a use case's chain (shares of its effort, weeks) and defaults for items
  without an estimate of their own;
* ``legal.yaml``: the duties with their legal dates and sources (keys: the compliance rule
  base's obligation ids, ``dpia``, ``dpa``, ``works_council``);
* ``competences.yaml``: the competences each role level needs, the keywords that find them in
  training records, and a default training per level.

Each is read with ``startklar.core.content`` and checked on the way in; errors name the file and
the key. The loaders return engine dataclasses with the texts beside them (the engine has none).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from startklar.core.content import ContentError, Versions, at, require, text, unique
from startklar.core.text import Text
from startklar.roadmap.engine import (
    Competence,
    CompetenceNeeds,
    Kind,
    LegalCalendar,
    LegalDuty,
    LevelNeeds,
    RoleLevel,
    SequenceRules,
    Training,
)

FOLDER = Path(__file__).resolve().parent
VERSIONS = Versions("roadmap", FOLDER)
CURRENT_VERSION = "2026.1"
MIN_KEYWORD = 3  # shorter keywords would be found inside unrelated words


@dataclass(frozen=True)
class Default:
    effort: float  # person-days
    weeks: int


@dataclass(frozen=True)
class Sequencing:
    rules: SequenceRules
    defaults: Mapping[Kind, Default]  # items that come without an estimate of their own


@dataclass(frozen=True)
class Legal:
    calendar: LegalCalendar
    titles: Mapping[str, Text]  # duties the compliance rule base does not name
    texts: Mapping[str, Text]


@dataclass(frozen=True)
class Competences:
    needs: CompetenceNeeds
    names: Mapping[str, Text]  # by competence key
    descriptions: Mapping[str, Text]


def _number(value: Any, where: str, *, low: float = 0.0, high: float | None = None) -> float:
    require(
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value >= low
        and (high is None or value <= high),
        where,
        f"needs a number ≥ {low}" + (f" and ≤ {high}" if high is not None else ""),
    )
    return float(value)


def _weeks(value: Any, where: str) -> int:
    require(
        isinstance(value, int) and not isinstance(value, bool) and value >= 1,
        where,
        "needs a whole number of weeks ≥ 1",
    )
    return int(value)


@functools.cache
def load_sequence(version: str = CURRENT_VERSION) -> Sequencing:
    with VERSIONS.reading(version, "sequence.yaml") as data:
        s = data["sequence"]
        where = at("sequence", s)
        data_share = _number(s["data_share"], f"{where}: data_share", high=1.0)
        pilot_share = _number(s["pilot_share"], f"{where}: pilot_share", high=1.0)
        require(data_share + pilot_share <= 1.0, where, "data and pilot shares exceed 1")
        rules = SequenceRules(
            data_share=data_share,
            data_weeks=_weeks(s["data_weeks"], f"{where}: data_weeks"),
            pilot_share=pilot_share,
            pilot_weeks=_weeks(s["pilot_weeks"], f"{where}: pilot_weeks"),
            pilot_weeks_min=_weeks(s["pilot_weeks_min"], f"{where}: pilot_weeks_min"),
            pilot_weeks_max=_weeks(s["pilot_weeks_max"], f"{where}: pilot_weeks_max"),
            rollout_weeks=_weeks(s["rollout_weeks"], f"{where}: rollout_weeks"),
        )
        require(
            rules.pilot_weeks_min <= rules.pilot_weeks <= rules.pilot_weeks_max,
            where,
            "needs pilot_weeks_min ≤ pilot_weeks ≤ pilot_weeks_max",
        )
        defaults = {
            Kind(kind): Default(
                _number(value["effort"], at(f"defaults {kind}", value)),
                _weeks(value["weeks"], at(f"defaults {kind}", value)),
            )
            for kind, value in data["defaults"].items()
        }
        return Sequencing(rules, defaults)


@functools.cache
def load_legal(version: str = CURRENT_VERSION) -> Legal:
    with VERSIONS.reading(version, "legal.yaml") as data:
        due = data["due_now_days"]
        require(isinstance(due, int) and 0 <= due <= 365, "due_now_days", "needs 0 to 365 days")
        duties: dict[str, LegalDuty] = {}
        titles: dict[str, Text] = {}
        texts: dict[str, Text] = {}
        for key, value in data["duties"].items():
            where = at(f"duty {key}", value)
            applies = value.get("applies_from")
            require(
                applies is None or isinstance(applies, datetime.date),
                where,
                "applies_from needs a date (YYYY-MM-DD)",
            )
            source = value["source"]
            require(isinstance(source, str) and source.strip() != "", where, "needs a source")
            if "title" in value or applies is None:
                titles[key] = text(value.get("title"), f"{where}: title")
                texts[key] = text(value.get("text"), f"{where}: text")
            duties[key] = LegalDuty(
                key=key,
                source=source.strip(),
                applies_from=applies,
                effort=_number(value["effort"], f"{where}: effort"),
                weeks=_weeks(value["weeks"], f"{where}: weeks"),
                kind=Kind(value.get("kind", Kind.COMPLIANCE)),
            )
        return Legal(LegalCalendar(duties, due), titles, texts)


@functools.cache
def load_competences(version: str = CURRENT_VERSION) -> Competences:
    with VERSIONS.reading(version, "competences.yaml") as data:
        due = data["literacy_due_days"]
        require(
            isinstance(due, int) and 0 <= due <= 365, "literacy_due_days", "needs 0 to 365 days"
        )
        competences: dict[str, Competence] = {}
        names: dict[str, Text] = {}
        descriptions: dict[str, Text] = {}
        for key, value in data["competences"].items():
            where = at(f"competence {key}", value)
            keywords = value["keywords"]
            require(
                isinstance(keywords, list)
                and keywords != []
                and all(
                    isinstance(k, str) and len(k.strip()) >= MIN_KEYWORD and k == k.casefold()
                    for k in keywords
                ),
                where,
                f"needs keywords in lower case, each of at least {MIN_KEYWORD} characters",
            )
            unique(keywords, f"{where}: keywords")
            names[key] = text(value["name"], f"{where}: name")
            descriptions[key] = text(value["description"], f"{where}: description")
            competences[key] = Competence(
                key=key,
                keywords=tuple(k.strip() for k in keywords),
                legal=value.get("legal", False) is True,
                ai_users_only=value.get("ai_users_only", False) is True,
            )
        levels: dict[RoleLevel, LevelNeeds] = {}
        for name, value in data["levels"].items():
            level = RoleLevel(name)
            where = at(f"level {name}", value)
            needs = value["needs"]
            require(isinstance(needs, list), where, "needs a list of competences")
            unique(needs, f"{where}: needs")
            unknown = [n for n in needs if n not in competences]
            require(not unknown, where, f"unknown competences: {', '.join(map(str, unknown))}")
            require(
                any(competences[n].legal for n in needs),
                where,
                "needs AI literacy (a competence marked legal): Art. 4 applies to every level",
            )
            training = value["training"]
            levels[level] = LevelNeeds(
                level=level,
                competences=tuple(competences[n] for n in needs),
                training=Training(
                    _number(training["effort_per_person"], f"{where}: effort_per_person"),
                    _weeks(training["weeks"], f"{where}: training weeks"),
                ),
            )
        missing = [str(level) for level in RoleLevel if level not in levels]
        if missing:
            raise ContentError(f"levels: missing {', '.join(missing)}")
        needed = CompetenceNeeds(
            levels=levels,
            literacy_due_days=due,
            priority=_number(data.get("priority", 0), "priority"),
        )
        return Competences(needed, names, descriptions)
