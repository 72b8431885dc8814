"""What the profiling engine returns: frozen dataclasses of codes and numbers, never sentences
(the Django side words them in German and English).

Every class writes itself as JSON-ready data (``to_dict``) and reads it back (``from_dict``):
the Django side keeps ``Profile.to_dict()`` in a JSONField. ``from_dict`` takes only what
``to_dict`` writes; anything else raises ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .personal import PersonalFinding

# Stored profiles say which way of reading them they need. ``from_dict`` reads this version.
SCHEMA = 1

KINDS = ("csv", "xlsx")
TYPES = ("number", "date", "time", "boolean", "identifier", "text", "error", "mixed", "empty")
GRAINS = ("day", "workday", "week", "month")


# Reading JSON-ready data back -------------------------------------------------------------------


def _get(data: Mapping[str, object], key: str) -> object:
    if key not in data:
        raise ValueError(f"missing key {key!r}")
    return data[key]


def _str(data: Mapping[str, object], key: str) -> str:
    value = _get(data, key)
    if not isinstance(value, str):
        raise ValueError(f"{key} must be text: {value!r}")
    return value


def _opt_str(data: Mapping[str, object], key: str) -> str | None:
    value = _get(data, key)
    return None if value is None else _str(data, key)


def _int(data: Mapping[str, object], key: str) -> int:
    value = _get(data, key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{key} must be a whole number: {value!r}")
    return value


def _opt_int(data: Mapping[str, object], key: str) -> int | None:
    return None if _get(data, key) is None else _int(data, key)


def _float(data: Mapping[str, object], key: str) -> float:
    value = _get(data, key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError(f"{key} must be a number: {value!r}")
    return float(value)


def _bool(data: Mapping[str, object], key: str) -> bool:
    value = _get(data, key)
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false: {value!r}")
    return value


def _list(data: Mapping[str, object], key: str) -> Sequence[object]:
    value = _get(data, key)
    if not isinstance(value, list | tuple):
        raise ValueError(f"{key} must be a list: {value!r}")
    return value


def _strs(data: Mapping[str, object], key: str) -> tuple[str, ...]:
    items = _list(data, key)
    if not all(isinstance(item, str) for item in items):
        raise ValueError(f"{key} must be a list of texts: {items!r}")
    return tuple(str(item) for item in items)


def _mapping(value: object, what: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{what} must be an object: {value!r}")
    return value


def _counts(data: Mapping[str, object], key: str) -> dict[str, int]:
    found = _mapping(_get(data, key), key)
    return {str(name): _int(found, name) for name in found}


def _pairs(data: Mapping[str, object], key: str) -> tuple[tuple[str, int], ...]:
    pairs = []
    for item in _list(data, key):
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise ValueError(f"{key} must hold pairs: {item!r}")
        pair = {"value": item[0], "count": item[1]}
        pairs.append((_str(pair, "value"), _int(pair, "count")))
    return tuple(pairs)


def _text_pairs(data: Mapping[str, object], key: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in _list(data, key):
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise ValueError(f"{key} must hold pairs: {item!r}")
        pair = {"first": item[0], "last": item[1]}
        pairs.append((_str(pair, "first"), _str(pair, "last")))
    return tuple(pairs)


def _one_of(value: str, allowed: Sequence[str], key: str) -> str:
    if value not in allowed:
        raise ValueError(f"{key} must be one of {', '.join(allowed)}: {value!r}")
    return value


# The profile -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sniffed:
    """How the file was read."""

    kind: str  # "csv" or "xlsx"
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "windows-1252", "iso-8859-1"; "" for xlsx
    delimiter: str  # ";", ",", "\t" or "|"; "" for xlsx
    quote: str  # '"' when fields are quoted, "" when no field is
    header_row: int | None  # the header's row (0 = first line or row); None: no header
    sheets: tuple[str, ...]  # every sheet of a workbook, in order; () for csv
    sheet: str  # the sheet profiled; "" for csv
    columns: tuple[str, ...]  # the column names as read (made up as "#1" … without a header)

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "quote": self.quote,
            "header_row": self.header_row,
            "sheets": list(self.sheets),
            "sheet": self.sheet,
            "columns": list(self.columns),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Sniffed:
        return cls(
            kind=_one_of(_str(data, "kind"), KINDS, "kind"),
            encoding=_str(data, "encoding"),
            delimiter=_str(data, "delimiter"),
            quote=_str(data, "quote"),
            header_row=_opt_int(data, "header_row"),
            sheets=_strs(data, "sheets"),
            sheet=_str(data, "sheet"),
            columns=_strs(data, "columns"),
        )


@dataclass(frozen=True)
class FormatShare:
    """How many of a column's values (missing ones left out) are in one format."""

    format: str  # a code of formats.FORMATS, e.g. "date_de", "decimal_en", "text"
    share: float  # of the values present, 0 to 1
    count: int
    example: str  # one value in this format; "" in a column with personal data

    def to_dict(self) -> dict[str, object]:
        return {
            "format": self.format,
            "share": self.share,
            "count": self.count,
            "example": self.example,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> FormatShare:
        return cls(
            format=_str(data, "format"),
            share=_float(data, "share"),
            count=_int(data, "count"),
            example=_str(data, "example"),
        )


@dataclass(frozen=True)
class ColumnProfile:
    """One column. Values appear only in ``top``, ``minimum``, ``maximum`` and the formats'
    examples, and only when no personal data was found in the column."""

    name: str
    position: int  # 0-based
    inferred: str  # one of TYPES
    formats: tuple[FormatShare, ...]  # most frequent first
    mixed: bool  # two formats of one type, each above formats.MIXED_SHARE
    missing: int  # empty cells and placeholders
    placeholders: dict[str, int]  # what stood for missing, as written ("" for empty cells)
    distinct: int  # different values present
    top: tuple[tuple[str, int], ...]  # up to five values that occur more than once, by count
    minimum: str | None  # as written, by the inferred type's order (numbers, dates, text)
    maximum: str | None
    outliers: int  # numbers outside the quartiles ± 1.5 × their distance
    constant: bool  # one value throughout (missing ones aside)
    near_empty: bool  # at least 95 % missing
    numbers_as_text: bool  # numbers that must stay text (leading zeros: article numbers …)
    both_decimal_separators: bool  # decimal comma and decimal point in one column
    ambiguous: int  # values such as "1.234" the column's other values could not decide
    whitespace: int  # values with spaces before or after them
    personal: tuple[PersonalFinding, ...]

    @property
    def present(self) -> int:
        """Values present: every format's count together."""
        return sum(share.count for share in self.formats)

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "position": self.position,
            "inferred": self.inferred,
            "formats": [share.to_dict() for share in self.formats],
            "mixed": self.mixed,
            "missing": self.missing,
            "placeholders": dict(self.placeholders),
            "distinct": self.distinct,
            "top": [[value, count] for value, count in self.top],
            "minimum": self.minimum,
            "maximum": self.maximum,
            "outliers": self.outliers,
            "constant": self.constant,
            "near_empty": self.near_empty,
            "numbers_as_text": self.numbers_as_text,
            "both_decimal_separators": self.both_decimal_separators,
            "ambiguous": self.ambiguous,
            "whitespace": self.whitespace,
            "personal": [finding.to_dict() for finding in self.personal],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ColumnProfile:
        return cls(
            name=_str(data, "name"),
            position=_int(data, "position"),
            inferred=_one_of(_str(data, "inferred"), TYPES, "inferred"),
            formats=tuple(
                FormatShare.from_dict(_mapping(item, "format")) for item in _list(data, "formats")
            ),
            mixed=_bool(data, "mixed"),
            missing=_int(data, "missing"),
            placeholders=_counts(data, "placeholders"),
            distinct=_int(data, "distinct"),
            top=_pairs(data, "top"),
            minimum=_opt_str(data, "minimum"),
            maximum=_opt_str(data, "maximum"),
            outliers=_int(data, "outliers"),
            constant=_bool(data, "constant"),
            near_empty=_bool(data, "near_empty"),
            numbers_as_text=_bool(data, "numbers_as_text"),
            both_decimal_separators=_bool(data, "both_decimal_separators"),
            ambiguous=_int(data, "ambiguous"),
            whitespace=_int(data, "whitespace"),
            personal=tuple(
                PersonalFinding.from_dict(_mapping(item, "finding"))
                for item in _list(data, "personal")
            ),
        )


@dataclass(frozen=True)
class DateCoverage:
    """Which periods the file's main date column covers (dates as ISO text, yyyy-mm-dd)."""

    column: str
    first: str
    last: str
    grain: str  # one of GRAINS: "workday" when (almost) no date falls on a weekend
    expected_periods: int  # periods from the first to the last date, both included
    missing_periods: int  # of those, periods without a date
    longest_gap_days: int  # calendar days of the longest run of missing periods
    gaps: tuple[tuple[str, str], ...]  # up to five longest runs: first and last missing day

    def to_dict(self) -> dict[str, object]:
        return {
            "column": self.column,
            "first": self.first,
            "last": self.last,
            "grain": self.grain,
            "expected_periods": self.expected_periods,
            "missing_periods": self.missing_periods,
            "longest_gap_days": self.longest_gap_days,
            "gaps": [[first, last] for first, last in self.gaps],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> DateCoverage:
        return cls(
            column=_str(data, "column"),
            first=_str(data, "first"),
            last=_str(data, "last"),
            grain=_one_of(_str(data, "grain"), GRAINS, "grain"),
            expected_periods=_int(data, "expected_periods"),
            missing_periods=_int(data, "missing_periods"),
            longest_gap_days=_int(data, "longest_gap_days"),
            gaps=_text_pairs(data, "gaps"),
        )


@dataclass(frozen=True)
class Profile:
    """A file's profile: what the Django side stores (``to_dict``) instead of the file."""

    engine_version: str
    sniffed: Sniffed
    rows: int  # data rows, blank rows left out
    blank_rows: int  # rows with no value at all
    columns: tuple[ColumnProfile, ...]
    duplicate_rows: int  # rows that repeat an earlier row exactly
    candidate_keys: tuple[str, ...]  # columns with a different value in every row
    duplicate_keys: dict[str, int]  # id-like columns: rows whose id an earlier row has
    coverage: DateCoverage | None  # of the main date column (personal ones left out)
    personal_columns: tuple[str, ...]
    warnings: tuple[str, ...]  # codes, see read.WARNINGS

    def column(self, name: str) -> ColumnProfile:
        """The column of this name; ``KeyError`` if there is none."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": SCHEMA,
            "engine_version": self.engine_version,
            "sniffed": self.sniffed.to_dict(),
            "rows": self.rows,
            "blank_rows": self.blank_rows,
            "columns": [column.to_dict() for column in self.columns],
            "duplicate_rows": self.duplicate_rows,
            "candidate_keys": list(self.candidate_keys),
            "duplicate_keys": dict(self.duplicate_keys),
            "coverage": None if self.coverage is None else self.coverage.to_dict(),
            "personal_columns": list(self.personal_columns),
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Profile:
        if _get(data, "schema") != SCHEMA:
            raise ValueError(f"unknown schema: {data['schema']!r}")
        coverage = _get(data, "coverage")
        return cls(
            engine_version=_str(data, "engine_version"),
            sniffed=Sniffed.from_dict(_mapping(_get(data, "sniffed"), "sniffed")),
            rows=_int(data, "rows"),
            blank_rows=_int(data, "blank_rows"),
            columns=tuple(
                ColumnProfile.from_dict(_mapping(item, "column")) for item in _list(data, "columns")
            ),
            duplicate_rows=_int(data, "duplicate_rows"),
            candidate_keys=_strs(data, "candidate_keys"),
            duplicate_keys=_counts(data, "duplicate_keys"),
            coverage=(
                None if coverage is None else DateCoverage.from_dict(_mapping(coverage, "coverage"))
            ),
            personal_columns=_strs(data, "personal_columns"),
            warnings=_strs(data, "warnings"),
        )
