"""SME size class after Commission Recommendation 2003/361/EC (pure Python, no Django).

An enterprise belongs to a class when its staff headcount is *below* the class ceiling and
*either* its annual turnover *or* its balance-sheet total is within the ceiling for that class.
The smallest class that fits wins; an enterprise that fits none is large.

Simplification: the figures are taken as given. The Recommendation counts staff in annual work
units and adds the figures of partner and linked enterprises; the user is told so in the UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class SizeClass(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


@dataclass(frozen=True)
class Ceiling:
    size_class: SizeClass
    headcount_below: int
    turnover_max_eur: Decimal
    balance_sheet_max_eur: Decimal


CEILINGS: tuple[Ceiling, ...] = (
    Ceiling(SizeClass.MICRO, 10, Decimal(2_000_000), Decimal(2_000_000)),
    Ceiling(SizeClass.SMALL, 50, Decimal(10_000_000), Decimal(10_000_000)),
    Ceiling(SizeClass.MEDIUM, 250, Decimal(50_000_000), Decimal(43_000_000)),
)


@dataclass(frozen=True)
class CompanyFigures:
    headcount: int
    annual_turnover_eur: Decimal
    balance_sheet_total_eur: Decimal


@dataclass(frozen=True)
class CeilingCheck:
    """How the figures compare with one class's ceilings."""

    ceiling: Ceiling
    headcount_ok: bool
    turnover_ok: bool
    balance_sheet_ok: bool

    @property
    def fits(self) -> bool:
        return self.headcount_ok and (self.turnover_ok or self.balance_sheet_ok)


@dataclass(frozen=True)
class SizeAssessment:
    size_class: SizeClass
    checks: tuple[CeilingCheck, ...]

    @property
    def is_sme(self) -> bool:
        return self.size_class is not SizeClass.LARGE

    @property
    def deciding_check(self) -> CeilingCheck | None:
        """The check of the class that was assigned; ``None`` for a large enterprise."""
        return next((c for c in self.checks if c.ceiling.size_class is self.size_class), None)


def check_ceiling(figures: CompanyFigures, ceiling: Ceiling) -> CeilingCheck:
    return CeilingCheck(
        ceiling=ceiling,
        headcount_ok=figures.headcount < ceiling.headcount_below,
        turnover_ok=figures.annual_turnover_eur <= ceiling.turnover_max_eur,
        balance_sheet_ok=figures.balance_sheet_total_eur <= ceiling.balance_sheet_max_eur,
    )


def classify(figures: CompanyFigures) -> SizeAssessment:
    """The smallest size class whose ceilings the figures meet."""
    if figures.headcount < 0:
        raise ValueError("headcount must not be negative")
    if figures.annual_turnover_eur < 0 or figures.balance_sheet_total_eur < 0:
        raise ValueError("turnover and balance-sheet total must not be negative")
    checks = tuple(check_ceiling(figures, ceiling) for ceiling in CEILINGS)
    size_class = next((c.ceiling.size_class for c in checks if c.fits), SizeClass.LARGE)
    return SizeAssessment(size_class=size_class, checks=checks)
