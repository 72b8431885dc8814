"""The "Schmerzpunkte" helper: recurring tasks in, ranked catalogue entries with reasons out.

Where overload and monotony meet, AI helps most: a match counts the text relevance of the task
description and then weighs it by the time the task takes, how often it comes, how error-prone
and how tedious it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from .catalogue import Entry, EntryKind
from .search import SearchIndex

PER_MONTH = {"daily": 21.0, "weekly": 4.3, "monthly": 1.0}


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


@dataclass(frozen=True)
class PainPoint:
    description: str
    hours_per_week: float
    frequency: Frequency
    error_prone: int  # 1 (rarely wrong) … 5 (often wrong)
    tedious: int  # 1 (varied) … 5 (monotonous, overloading)

    def __post_init__(self) -> None:
        if not self.description.strip():
            raise ValueError("description is empty")
        if not 0 <= self.hours_per_week <= 168:
            raise ValueError("hours_per_week must be between 0 and 168")
        for name in ("error_prone", "tedious"):
            if not 1 <= getattr(self, name) <= 5:
                raise ValueError(f"{name} must be between 1 and 5")


class ReasonKind(StrEnum):
    WORDS = "words"  # matched words of the description
    TIME = "time"  # the task takes many hours
    FREQUENT = "frequent"
    ERRORS = "errors"
    MONOTONY = "monotony"  # tedious and time-consuming: overload meets monotony
    QUICK_WIN = "quick_win"


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    detail: str = ""


@dataclass(frozen=True)
class PainMatch:
    entry: Entry
    score: float
    relevance: float
    potential: float
    reasons: tuple[Reason, ...]


def potential(pain: PainPoint) -> float:
    """1.0 for a small, varied, reliable task; about 3.5 for a big, monotonous, error-prone one."""
    hours = math.log1p(pain.hours_per_week) / math.log1p(40)
    frequency = PER_MONTH[pain.frequency] / PER_MONTH[Frequency.DAILY]
    return 1.0 + hours + 0.5 * frequency + 0.25 * (pain.error_prone - 1) + 0.25 * (pain.tedious - 1)


def match(index: SearchIndex, pain: PainPoint, limit: int = 5) -> list[PainMatch]:
    # A text of stop words or punctuation only matches nothing (and no hit may weigh zero).
    hits = [hit for hit in index.search(pain.description) if hit.score > 0]
    if not hits:
        return []
    best = hits[0].score
    weight = potential(pain)
    common = []
    if pain.hours_per_week >= 4:
        common.append(Reason(ReasonKind.TIME, f"{pain.hours_per_week:g}"))
    if pain.frequency is Frequency.DAILY:
        common.append(Reason(ReasonKind.FREQUENT))
    if pain.error_prone >= 4:
        common.append(Reason(ReasonKind.ERRORS))
    if pain.tedious >= 4 and pain.hours_per_week >= 4:
        common.append(Reason(ReasonKind.MONOTONY))
    matches = []
    for hit in hits[:limit]:
        relevance = hit.score / best
        reasons = [Reason(ReasonKind.WORDS, ", ".join(hit.matched)), *common]
        if hit.entry.kind is EntryKind.QUICK_WIN:
            reasons.append(Reason(ReasonKind.QUICK_WIN))
        matches.append(PainMatch(hit.entry, relevance * weight, relevance, weight, tuple(reasons)))
    return matches


@dataclass(frozen=True)
class RankedMatch:
    entry: Entry
    score: float
    tasks: tuple[str, ...]  # the descriptions of the tasks it helps with
    reasons: tuple[Reason, ...]


def match_all(index: SearchIndex, pains: list[PainPoint], limit: int = 8) -> list[RankedMatch]:
    """Several recurring tasks at once: an entry that helps with several, or with the heavier
    one, ranks first."""
    merged: dict[str, tuple[Entry, float, list[str], list[Reason]]] = {}
    for pain in pains:
        for found in match(index, pain):
            entry, score, tasks, reasons = merged.get(found.entry.id, (found.entry, 0.0, [], []))
            tasks.append(pain.description)
            reasons.extend(r for r in found.reasons if r not in reasons)
            merged[found.entry.id] = (entry, score + found.score, tasks, reasons)
    ranked = [RankedMatch(e, s, tuple(t), tuple(r)) for e, s, t, r in merged.values()]
    ranked.sort(key=lambda m: (-m.score, m.entry.id))
    return ranked[:limit]
