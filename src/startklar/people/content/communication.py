"""The starter communication plan and the first questions of a staff FAQ (pure Python, no
Django): ``<version>/communication.yaml``, checked on the way in; an error names the file and
the key.

``KINDS`` and ``CHANNELS`` are the stored values of the communication plan's kinds and channels
(``people.models``; a test holds them equal)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from startklar.core.content import at, require, text
from startklar.core.text import Text

from . import CURRENT_VERSION, VERSIONS, _fields, _list

KINDS = frozenset({"announcement", "faq", "contact", "results", "training", "other"})
CHANNELS = frozenset(
    {"staff_meeting", "team_meeting", "notice", "email", "intranet", "letter", "personal"}
)
MAX_DAYS = 365  # a starter step is due within a year of adopting the plan


@dataclass(frozen=True)
class StarterStep:
    kind: str
    channel: str
    days: int  # due this many days after the plan is adopted
    audience: Text
    message: Text


@dataclass(frozen=True)
class StarterQuestion:
    question: Text
    answer: Text


@dataclass(frozen=True)
class Starter:
    steps: tuple[StarterStep, ...]
    faq: tuple[StarterQuestion, ...]


def _step(value: Any, index: int) -> StarterStep:
    where = at(f"step {index}", value)
    _fields(value, where, {"kind", "channel", "days", "audience", "message"})
    require(value["kind"] in KINDS, where, f"kind is one of {', '.join(sorted(KINDS))}")
    require(value["channel"] in CHANNELS, where, f"channel is one of {', '.join(sorted(CHANNELS))}")
    days = value["days"]
    require(
        isinstance(days, int) and not isinstance(days, bool) and 0 <= days <= MAX_DAYS,
        f"{where}: days",
        f"needs a whole number from 0 to {MAX_DAYS}",
    )
    return StarterStep(
        kind=str(value["kind"]),
        channel=str(value["channel"]),
        days=days,
        audience=text(value["audience"], f"{where}: audience"),
        message=text(value["message"], f"{where}: message"),
    )


def _question(value: Any, index: int) -> StarterQuestion:
    where = at(f"faq {index}", value)
    _fields(value, where, {"question", "answer"})
    return StarterQuestion(
        question=text(value["question"], f"{where}: question"),
        answer=text(value["answer"], f"{where}: answer"),
    )


@functools.cache
def load_starter(version: str = CURRENT_VERSION) -> Starter:
    """The starter plan's steps in the order they are due, and the FAQ's first questions."""
    with VERSIONS.reading(version, "communication.yaml") as data:
        _fields(data, "top level", {"steps", "faq"})
        steps = tuple(
            _step(value, i) for i, value in enumerate(_list(data["steps"], "steps"), start=1)
        )
        days = [s.days for s in steps]
        require(days == sorted(days), "steps", "are listed in the order they are due")
        faq = tuple(
            _question(value, i) for i, value in enumerate(_list(data["faq"], "faq"), start=1)
        )
        questions = [q.question.de.casefold() for q in faq]
        require(len(set(questions)) == len(questions), "faq", "a question is asked twice")
        return Starter(steps, faq)
