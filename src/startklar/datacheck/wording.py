"""The data check's results in words, German or English: what is wrong with a file, the
formats of a column, what a rule's result rests on. Used by the pages and by ``startklar data
profile`` (which has no database), so nothing here reads a model."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import labels
from .engine import fitness
from .engine.model import ColumnProfile, Profile

MIXED_SHOWN = 3  # formats named per mixed column


def percent(share: float) -> str:
    return formats.number_format(round(share * 100), 0) + " %"


def count(value: int) -> str:
    return formats.number_format(value, 0, force_grouping=True)


def quoted(text: str) -> str:
    """``text`` in the language's quotation marks (“…” in English, „…“ in German)."""
    return _("“%(text)s”") % {"text": text}


# How dates are written in the files the engine reads, to show a date column's first and last
# date alike (they are kept as written, and a column mixing formats would show one of each).
_WRITTEN_DATES = (
    "%d.%m.%Y",
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d.%m.%y",
    "%Y-%m-%dT%H:%M",
    "%d.%m.%Y %H:%M",
)


def _as_date(written: str) -> datetime.date | None:
    for pattern in _WRITTEN_DATES:
        try:
            return datetime.datetime.strptime(written.strip(), pattern).date()
        except ValueError:
            continue
    return None


def span(column: ColumnProfile) -> str:
    """A column's smallest and largest value ("" when it has none); a date column's in the
    language's date format."""
    if column.minimum is None or column.maximum is None:
        return ""
    low, high = column.minimum, column.maximum
    if column.inferred == "date":
        first, last = _as_date(low), _as_date(high)
        if first is not None and last is not None:
            low = formats.date_format(first, "SHORT_DATE_FORMAT")
            high = formats.date_format(last, "SHORT_DATE_FORMAT")
    return low if low == high else f"{low} – {high}"


@dataclass(frozen=True)
class Finding:
    level: str  # "danger", "warning", "info"
    text: str


def formats_text(column: ColumnProfile) -> str:
    shown = [
        f"{labels.word(labels.FORMATS, f.format)} {percent(f.share)}"
        for f in column.formats[:MIXED_SHOWN]
    ]
    return ", ".join(shown)


def personal_text(column: ColumnProfile) -> str:
    kinds = []
    for finding in column.personal:
        if finding.kind == "special_category" and finding.special:
            kinds.append(
                _("special category: %(what)s")
                % {"what": labels.word(labels.SPECIAL, finding.special)}
            )
        else:
            kinds.append(labels.word(labels.PERSONAL, finding.kind))
    return ", ".join(dict.fromkeys(kinds))


def findings(profile: Profile) -> list[Finding]:
    """What is wrong with the file, the most serious first."""
    found: list[Finding] = []
    special = [c for c in profile.columns if any(f.special for f in c.personal)]
    for column in special:
        found.append(
            Finding(
                "danger",
                _("“%(column)s” holds %(what)s: such data may be used only under strict rules.")
                % {"column": column.name, "what": personal_text(column)},
            )
        )
    personal = [c for c in profile.columns if c.personal and c not in special]
    if personal:
        found.append(
            Finding(
                "warning",
                _("Personal data: %(columns)s. The use case needs a GDPR check.")
                % {
                    "columns": "; ".join(f"{quoted(c.name)} ({personal_text(c)})" for c in personal)
                },
            )
        )
    for column in profile.columns:
        if column.mixed:
            found.append(
                Finding(
                    "warning",
                    _("“%(column)s” mixes formats: %(formats)s.")
                    % {"column": column.name, "formats": formats_text(column)},
                )
            )
        if column.both_decimal_separators:
            found.append(
                Finding(
                    "warning",
                    _("“%(column)s” has numbers with a decimal comma and with a decimal point.")
                    % {"column": column.name},
                )
            )
        if column.ambiguous:
            found.append(
                Finding(
                    "warning",
                    ngettext(
                        "“%(column)s”: %(count)s value such as 1.234 may be a thousand or a "
                        "decimal.",
                        "“%(column)s”: %(count)s values such as 1.234 may be thousands or "
                        "decimals.",
                        column.ambiguous,
                    )
                    % {"column": column.name, "count": count(column.ambiguous)},
                )
            )
        placeholders = {k: v for k, v in column.placeholders.items() if k != ""}
        if placeholders and not column.near_empty:
            written = ", ".join(f"{quoted(k)} {count(v)}×" for k, v in placeholders.items())
            found.append(
                Finding(
                    "info",
                    _("“%(column)s” writes missing values as %(placeholders)s.")
                    % {"column": column.name, "placeholders": written},
                )
            )
        if column.near_empty and column.inferred != "empty":
            found.append(
                Finding(
                    "info",
                    _("“%(column)s” is almost empty.") % {"column": column.name},
                )
            )
        elif column.inferred == "empty":
            found.append(Finding("info", _("“%(column)s” is empty.") % {"column": column.name}))
        if column.constant:
            found.append(
                Finding(
                    "info",
                    _("“%(column)s” holds the same value in every row.") % {"column": column.name},
                )
            )
    if profile.duplicate_rows:
        found.append(
            Finding(
                "warning",
                ngettext(
                    "%(count)s row repeats an earlier row exactly.",
                    "%(count)s rows repeat an earlier row exactly.",
                    profile.duplicate_rows,
                )
                % {"count": count(profile.duplicate_rows)},
            )
        )
    for name, repeated in profile.duplicate_keys.items():
        found.append(
            Finding(
                "warning",
                ngettext(
                    "“%(column)s” looks like a key, but %(count)s row repeats an earlier one's.",
                    "“%(column)s” looks like a key, but %(count)s rows repeat earlier ones'.",
                    repeated,
                )
                % {"column": name, "count": count(repeated)},
            )
        )
    coverage = profile.coverage
    if coverage is not None and coverage.missing_periods:
        found.append(
            Finding(
                "warning",
                _(
                    "“%(column)s” has gaps: %(missing)s of %(expected)s %(grain)s without an "
                    "entry; the longest gap is %(days)s days."
                )
                % {
                    "column": coverage.column,
                    "missing": count(coverage.missing_periods),
                    "expected": count(coverage.expected_periods),
                    "grain": labels.word(labels.GRAINS, coverage.grain),
                    "days": count(coverage.longest_gap_days),
                },
            )
        )
    for warning in profile.warnings:
        found.append(Finding("info", labels.word(labels.WARNINGS, warning)))
    return found


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def evidence(check: fitness.Check) -> str:
    """What a rule's result rests on, in words."""
    e = check.evidence
    if "columns" in e:
        columns = e["columns"]
        if isinstance(columns, tuple) and columns:
            return _("found: %(columns)s") % {"columns": ", ".join(columns)}
        return _("no such column found")
    if "months" in e:
        return _("%(months)s months of dates in “%(column)s”, %(needed)s needed") % {
            "months": formats.number_format(_number(e["months"]), 1),
            "column": e.get("column"),
            "needed": formats.number_format(_number(e.get("needed")), 0),
        }
    if "share" in e:
        return _("%(share)s, at most %(allowed)s allowed") % {
            "share": percent(_number(e["share"])),
            "allowed": percent(_number(e.get("allowed"))),
        }
    if "rows" in e:
        return _("%(rows)s rows, %(needed)s needed") % {
            "rows": count(int(_number(e["rows"]))),
            "needed": count(int(_number(e.get("needed")))),
        }
    if "grain" in e:
        return _("entries per %(grain)s") % {"grain": labels.word(labels.GRAINS, str(e["grain"]))}
    return ""
