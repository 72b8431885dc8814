"""Business-case content: the make/buy/partner questionnaire (``make_buy_partner.yaml``), loaded
and checked on the way in (pure Python, no Django)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from startklar.businesscase.engine import Kind
from startklar.core.text import Text

FOLDER = Path(__file__).resolve().parent
OPTIONS = ("make", "buy", "partner")


class ContentError(ValueError):
    pass


@dataclass(frozen=True)
class TemplateItem:
    kind: Kind
    category: str
    label: Text


@dataclass(frozen=True)
class Option:
    id: str
    name: Text
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


def _text(value: Any, where: str) -> Text:
    if not (
        isinstance(value, dict)
        and all(isinstance(value.get(k), str) and value[k].strip() for k in ("de", "en"))
    ):
        raise ContentError(f"{where}: needs non-empty 'de' and 'en' texts")
    return Text(value["de"].strip(), value["en"].strip())


def _per_option(value: Any, where: str) -> dict[str, Text]:
    if not isinstance(value, dict) or set(value) != set(OPTIONS):
        raise ContentError(f"{where}: needs a text for make, buy and partner")
    return {o: _text(value[o], f"{where} {o}") for o in OPTIONS}


@functools.cache
def load_questionnaire() -> Questionnaire:
    data = yaml.safe_load((FOLDER / "make_buy_partner.yaml").read_text(encoding="utf-8"))
    try:
        options = tuple(
            Option(
                id=o["id"],
                name=_text(o["name"], o["id"]),
                summary=_text(o["summary"], o["id"]),
                advantages=tuple(_text(a, o["id"]) for a in o["advantages"]),
                risks=tuple(_text(r, o["id"]) for r in o["risks"]),
                cost_template=tuple(
                    TemplateItem(Kind(t["kind"]), str(t["category"]), _text(t["label"], o["id"]))
                    for t in o["cost_template"]
                ),
            )
            for o in data["options"]
        )
        criteria = []
        for c in data["criteria"]:
            weights = {o: int(c["weights"][o]) for o in OPTIONS}
            if any(not -2 <= w <= 2 for w in weights.values()):
                raise ContentError(f"{c['id']}: weights must be −2 … 2")
            criteria.append(
                Criterion(
                    id=c["id"],
                    question=_text(c["question"], c["id"]),
                    low=_text(c["low"], c["id"]),
                    high=_text(c["high"], c["id"]),
                    weights=weights,
                    reason_high=_per_option(c["reason_high"], c["id"]),
                    reason_low=_per_option(c["reason_low"], c["id"]),
                )
            )
    except (KeyError, TypeError) as error:
        raise ContentError(f"make_buy_partner.yaml: missing or malformed {error}") from error
    if tuple(o.id for o in options) != OPTIONS:
        raise ContentError("make_buy_partner.yaml: options must be make, buy, partner")
    return Questionnaire(str(data["version"]), options, tuple(criteria))
