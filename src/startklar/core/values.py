"""Small value objects shared by engines and content (pure Python, no Django)."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Triple:
    """A three-point estimate: minimum, most likely and maximum (``low ≤ likely ≤ high``).

    The catalogue's starting values and every input of a business case are triples; the
    business-case engine draws from them (PERT), the use-case pages show them as ranges.
    """

    low: float
    likely: float
    high: float

    def __post_init__(self) -> None:
        if not all(math.isfinite(v) for v in (self.low, self.likely, self.high)):
            raise ValueError("estimates must be finite numbers")
        if not self.low <= self.likely <= self.high:
            raise ValueError("min ≤ most likely ≤ max is required")

    @classmethod
    def point(cls, value: float) -> Triple:
        """A value known for certain: all three points the same."""
        return cls(value, value, value)
