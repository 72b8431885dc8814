"""Numbers as people type them, in German and in English.

``parse("4.800,50", "de")`` and ``parse("4,800.50", "en")`` are both ``Decimal("4800.50")``.
What a person types is read in the conventions of the interface language, and an input that can
only mean one thing is accepted in the other convention too: ``"4800.50"`` in German is a
decimal point (a thousands group has three digits), ``"2,5"`` in English a decimal comma.
``"1.234"`` is one thousand two hundred and thirty-four in German and one point two three four
in English: the interface language decides what is ambiguous.

``format_input`` writes a value the way ``parse`` reads it back unchanged, so an edit form that
is submitted untouched stores what it showed. Pure Python, no Django.
"""

from __future__ import annotations

import re
from decimal import Decimal

SEPARATORS = {"de": (",", "."), "en": (".", ",")}  # (decimal, thousands) per language

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_UNITS = re.compile(r"(€|eur|euro|%)", re.IGNORECASE)


class NotANumber(ValueError):
    """The text cannot be read as a number."""


def separators(language: str) -> tuple[str, str]:
    return SEPARATORS.get(language[:2], SEPARATORS["de"])


def _grouped(whole: str, group: str) -> str | None:
    """``"12.345.678"`` with group ``"."`` → ``"12345678"``; None if the groups are not 3 wide."""
    parts = whole.split(group)
    if not (1 <= len(parts[0]) <= 3 and parts[0].isdigit()):
        return None
    if not all(len(p) == 3 and p.isdigit() for p in parts[1:]):
        return None
    return "".join(parts)


def _plain(text: str, decimal: str, group: str) -> str | None:
    """The number in ``text`` as a plain ``123.45`` string, read with these separators."""
    whole, sep, fraction = text.rpartition(decimal) if decimal in text else (text, "", "")
    if sep and (not fraction.isdigit() or decimal in whole):
        return None
    if whole == "" and sep:
        whole = "0"
    digits = whole if whole.isdigit() else _grouped(whole, group) if group in whole else None
    if digits is None:
        return None
    return f"{digits}.{fraction}" if sep else digits


def parse(text: str, language: str = "de") -> Decimal:
    """The number a person meant; :class:`NotANumber` if the text is no number."""
    cleaned = _UNITS.sub("", _SPACES.sub("", text))
    sign = ""
    if cleaned[:1] in {"-", "−", "+"}:
        sign, cleaned = ("-" if cleaned[0] != "+" else ""), cleaned[1:]
    if not cleaned or not set(cleaned) <= set("0123456789.,"):
        raise NotANumber(text)
    decimal, group = separators(language)
    # The interface language first; then the other convention, which can only succeed where
    # the text cannot be read in the first ("4800.50" in German, "2,5" in English).
    plain = _plain(cleaned, decimal, group) or _plain(cleaned, group, decimal)
    if plain is None:
        raise NotANumber(text)
    return Decimal(sign + plain)


def format_input(value: Decimal | float | int, language: str = "de", places: int = 4) -> str:
    """A value for an input field: grouped, no trailing zeros, at most ``places`` decimals."""
    decimal, group = separators(language)
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _dot, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", group)
    return f"{sign}{grouped}{decimal}{fraction}" if fraction else f"{sign}{grouped}"
