"""A use case's measurable goal read from free text: "12 min" → 12 and "min".

Goals used to be typed as text ("12 min", "3 Arbeitstage", "1.234,5 €", "−20%"); they are
numbers now (baseline, target, one unit). :func:`read_goal` reads what can be read and says
what could not, so the old text is kept and shown instead of being lost:

* a number in German or English conventions (``1.234,5`` and ``1,234.5``; the interface
  language decides what is ambiguous, see :mod:`startklar.core.numbers`), with an optional
  unit after it (``12 min``, ``3 Arbeitstage``, ``40 %``) or a currency before it (``€ 400``);
* a relative target (``−20%``, ``-20 %``, ``+15 %``) against a baseline that is a number
  becomes the baseline changed by that share, in the baseline's unit;
* "halbieren", "deutlich weniger", two different units: not read (``unparsed`` holds the text).

Cells that already hold numbers (an Excel number) are passed as :class:`~decimal.Decimal`.
Pure Python, no Django (used by the migration, the Excel import and the tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from startklar.core.numbers import NotANumber, parse

MAX_UNIT = 30  # characters a unit may have (the column's width)
PLACES = 4  # decimals stored
LIMIT = Decimal(10) ** 13  # values at or above this are refused (the column holds 14 digits)
MINUS = "-−–"  # hyphen, minus sign, en dash (typed or pasted from Word)

_NUMBER = re.compile(
    r"""^(?P<sign>[+\-−–])?\s*(?P<number>\d(?:[\d.,]*\d)?)\s*(?P<unit>.*)$""",
    re.DOTALL,
)
_CURRENCY_FIRST = re.compile(r"^(?P<unit>€|EUR)\s*(?P<rest>[+\-−–]?\s*\d.*)$", re.IGNORECASE)
# A unit holds no digits or comparisons and does not start with a sign ("E-Mails" is one).
_UNIT = re.compile(r"^(?![+\-−–])[^\d=<>~≈]*$")


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str  # "" if none was written
    relative: bool = False  # a signed share ("−20%"): a change against the baseline


@dataclass(frozen=True)
class Goal:
    baseline: Decimal | None
    target: Decimal | None
    unit: str
    unparsed: str  # the original text when anything written could not be read; else ""

    @property
    def flagged(self) -> bool:
        return bool(self.unparsed)


def _fits(value: Decimal) -> Decimal | None:
    """``value`` to four places without trailing zeros ("1E+3" written as 1000); None if too
    large for the column."""
    if abs(value) >= LIMIT:
        return None
    value = value.quantize(Decimal(1).scaleb(-PLACES)).normalize() + 0  # + 0: no "-0"
    return value.quantize(Decimal(1)) if int(value.as_tuple().exponent) > 0 else value


def read_quantity(text: str, language: str = "de") -> Quantity | None:
    """A number with an optional unit; None if the text is not that."""
    text = " ".join(text.split())
    currency = _CURRENCY_FIRST.match(text)
    prefix = ""
    if currency:
        prefix, text = "€", currency["rest"]
    found = _NUMBER.match(text)
    if found is None:
        return None
    unit = found["unit"].strip()
    if prefix and unit:
        return None  # "€ 12 min"
    unit = prefix or unit
    if len(unit) > MAX_UNIT or not _UNIT.match(unit):
        return None
    try:
        number = parse(found["number"], language)
    except NotANumber:
        return None
    sign = found["sign"] or ""
    if sign and sign in MINUS:
        number = -number
    value = _fits(number)
    if value is None:
        return None
    return Quantity(value, unit, relative=bool(sign) and unit == "%")


def _same_unit(a: str, b: str) -> str | None:
    """The unit both mean ("Arbeitstage" and "Arbeitstag": the longer), None if they differ."""
    if not a or not b:
        return a or b
    short, long = sorted((a, b), key=len)
    if long.casefold().startswith(short.casefold()) and len(long) - len(short) <= 2:
        return long
    return None


def _text(baseline: str | Decimal, target: str | Decimal) -> str:
    """The goal as it was written: "12 min → halbieren"."""
    parts = [
        f"{v:f}" if isinstance(v, Decimal) else " ".join(v.split()) for v in (baseline, target)
    ]
    if parts[0] and parts[1]:
        return f"{parts[0]} → {parts[1]}"
    return parts[0] or parts[1]


def _quantity(value: str | Decimal, language: str) -> Quantity | None:
    if isinstance(value, Decimal):
        fitting = _fits(value) if value.is_finite() else None
        return None if fitting is None else Quantity(fitting, "")
    return read_quantity(value, language)


def read_goal(baseline: str | Decimal, target: str | Decimal, language: str = "de") -> Goal:
    """Baseline and target as numbers with their unit, as far as they can be read."""
    written = {
        "baseline": not (isinstance(baseline, str) and not baseline.strip()),
        "target": not (isinstance(target, str) and not target.strip()),
    }
    base = _quantity(baseline, language) if written["baseline"] else None
    goal = _quantity(target, language) if written["target"] else None
    if goal is not None and goal.relative:
        # "−20%" of nothing, or of a share (points or per cent?), is not read.
        changed = (
            None
            if base is None or base.unit == "%"
            else _fits(base.value * (100 + goal.value) / 100)
        )
        goal = None if changed is None or base is None else Quantity(changed, base.unit)
    unit = _same_unit(base.unit if base else "", goal.unit if goal else "")
    failed = (written["baseline"] and base is None) or (written["target"] and goal is None)
    if unit is None:
        return Goal(base.value if base else None, None, "", _text(baseline, target))
    return Goal(
        base.value if base else None,
        goal.value if goal else None,
        unit,
        _text(baseline, target) if failed else "",
    )
