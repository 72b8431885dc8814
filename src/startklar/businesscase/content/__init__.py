"""Business-case content: the make/buy/partner questionnaire in version folders
(``<version>/make_buy_partner.yaml``), loaded and checked on the way in (pure Python, no Django;
the kit is ``startklar.core.content``).

Answers keep the version of the questionnaire they were given with; ``CURRENT_VERSION`` is what
new answers use. Released versions are frozen (``released.json``). The options are the
use-case catalogue's implementation paths; their names are labels (``usecases/labels.py``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from startklar.businesscase.engine import ItemKind
from startklar.core.content import Versions, at, reading, require, text, unique
from startklar.core.text import Text
from startklar.usecases.engine.catalogue import ImplementationPath

FOLDER = Path(__file__).resolve().parent
VERSIONS = Versions("businesscase", FOLDER)
CURRENT_VERSION = "2026.1"
OPTIONS = tuple(ImplementationPath)


@dataclass(frozen=True)
class TemplateItem:
    kind: ItemKind
    category: str
    label: Text


@dataclass(frozen=True)
class Option:
    id: ImplementationPath
    summary: Text
    advantages: tuple[Text, ...]
    risks: tuple[Text, ...]
    cost_template: tuple[TemplateItem, ...]


@dataclass(frozen=True)
class Criterion:
    id: str
    question: Text
    low: Text
    high: Text
    weights: dict[str, int]
    reason_high: dict[str, Text]
    reason_low: dict[str, Text]


@dataclass(frozen=True)
class Questionnaire:
    version: str
    options: tuple[Option, ...]
    criteria: tuple[Criterion, ...]

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)

    @property
    def weights(self) -> dict[str, dict[str, int]]:
        return {c.id: c.weights for c in self.criteria}


def available_versions() -> list[str]:
    return VERSIONS.available()


def _per_option(value: Any, where: str) -> dict[str, Text]:
    require(
        isinstance(value, dict) and set(value) == set(OPTIONS), where, "needs make, buy, partner"
    )
    return {o.value: text(value[o], f"{where} {o}") for o in OPTIONS}


def _option(data: Any) -> Option:
    where = at(f"option {data['id']}", data)
    with reading(where):
        return Option(
            id=ImplementationPath(data["id"]),
            summary=text(data["summary"], "summary"),
            advantages=tuple(text(a, "advantages") for a in data["advantages"]),
            risks=tuple(text(r, "risks") for r in data["risks"]),
            cost_template=tuple(
                TemplateItem(ItemKind(t["kind"]), str(t["category"]), text(t["label"], "label"))
                for t in data["cost_template"]
            ),
        )


def _criterion(data: Any) -> Criterion:
    where = at(f"criterion {data['id']}", data)
    with reading(where):
        weights = {o.value: int(data["weights"][o]) for o in OPTIONS}
        require(all(-2 <= w <= 2 for w in weights.values()), "weights", "must be −2 … 2")
        return Criterion(
            id=data["id"],
            question=text(data["question"], "question"),
            low=text(data["low"], "low"),
            high=text(data["high"], "high"),
            weights=weights,
            reason_high=_per_option(data["reason_high"], "reason_high"),
            reason_low=_per_option(data["reason_low"], "reason_low"),
        )


@functools.cache
def load_questionnaire(version: str = CURRENT_VERSION) -> Questionnaire:
    with VERSIONS.reading(version, "make_buy_partner.yaml") as data:
        options = tuple(_option(o) for o in data["options"])
        require(tuple(o.id for o in options) == OPTIONS, "options", "must be make, buy, partner")
        criteria = tuple(_criterion(c) for c in data["criteria"])
        unique([c.id for c in criteria], "criterion ids")
        return Questionnaire(version, options, criteria)
