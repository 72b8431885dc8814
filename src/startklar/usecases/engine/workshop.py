"""Blind workshop scoring: what a criterion's votes say once revealed (pure Python)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

DISPUTE_RANGE = 2  # votes two or more points apart on the 1–5 scale call for a discussion


@dataclass(frozen=True)
class VoteSummary:
    votes: int
    median: float | None
    low: int | None
    high: int | None

    @property
    def disputed(self) -> bool:
        return (
            self.votes >= 2
            and self.low is not None
            and self.high is not None
            and self.high - self.low >= DISPUTE_RANGE
        )

    @property
    def suggestion(self) -> int | None:
        """The median rounded half up, as the facilitator's starting point."""
        return None if self.median is None else int(self.median + 0.5)


def summarise(scores: Sequence[int]) -> VoteSummary:
    if not scores:
        return VoteSummary(0, None, None, None)
    return VoteSummary(len(scores), statistics.median(scores), min(scores), max(scores))
