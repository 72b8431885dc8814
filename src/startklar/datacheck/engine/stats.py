"""The statistics of a file, gathered chunk by chunk (pure, polars).

:class:`Gatherer` takes the file's chunks one after the other and keeps per column only what
the statistics need: counts by format and by placeholder, the counts of the distinct values
by a 64-bit hash of each (their texts only for the few most frequent of each chunk), the
numbers and dates with their counts, the smallest and largest values; and per file a hash of
every row. :meth:`Gatherer.finish` turns them into the columns' profiles, the duplicate rows,
candidate and duplicate keys and the main date column's coverage.

So memory grows with the distinct values, not with the rows, and no column is ever held whole.
Top values are exact in their counts; in a column of nearly distinct values a value whose
occurrences are spread thinly over the chunks may be missing from them.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from . import formats
from .model import ColumnProfile, DateCoverage, FormatShare
from .personal import PersonalFinding, neighbours_of

Detect = Callable[[str, pl.Series, Sequence[str]], tuple[PersonalFinding, ...]]

TOP = 5  # top values kept per column
CANDIDATES = 50  # most frequent values of each chunk whose text is kept
NEAR_EMPTY = 0.95  # share of missing values from which a column is near-empty
IDENTIFIER_SHARE = 0.01  # values with a leading zero from which whole numbers are identifiers
KEY_UNIQUE = 0.9  # share of distinct values from which an id-like column should be a key
WEEKEND_SHARE = 0.01  # dates on weekends below which a daily series counts only workdays
IQR_FACTOR = 1.5

# Headers that name an identifier: whole words, or (German compounds) word endings.
_ID_WORDS = frozenset({"id", "nr", "no", "key", "code", "number", "uuid", "guid", "ean", "gtin"})
_ID_ENDINGS = ("nr", "nummer", "schluessel", "schlüssel", "kennung", "code")
_WORD = re.compile(r"[A-ZÄÖÜ]?[a-zäöüß]+|[A-ZÄÖÜ]+(?![a-zäöüß])|\d+")


def id_like(header: str) -> bool:
    """Whether a header names an identifier: "Belegnr", "Kunden-Nr.", "ArtikelID", "Order
    No", "Rechnungsnummer", "Code"."""
    words = [w.lower() for w in _WORD.findall(header)]
    if any(w in _ID_WORDS for w in words):
        return True
    last = words[-1] if words else ""
    return len(last) > 4 and last.endswith(_ID_ENDINGS)


class _Parts:
    """Partial frames of one column, added up by ``keys`` at the end, and on the way while
    that makes them markedly smaller (a column whose values hardly repeat is left alone)."""

    def __init__(self, keys: list[str], schema: Mapping[str, type[pl.DataType]]) -> None:
        self.keys = keys
        self.done = pl.DataFrame(schema=schema)
        self.pending: list[pl.DataFrame] = []
        self.rows = 0
        self.worth = True  # whether adding up on the way shrinks the parts

    def add(self, part: pl.DataFrame) -> None:
        self.pending.append(part)
        self.rows += part.height
        if self.worth and self.rows > max(COMPACT_ROWS, 2 * self.done.height):
            before = self.rows + self.done.height
            self.total()
            self.worth = self.done.height < 0.5 * before

    def total(self) -> pl.DataFrame:
        if self.pending:
            whole = pl.concat([self.done, *self.pending])
            self.done = whole.group_by(self.keys).agg(pl.col("count").sum())
            self.pending, self.rows = [], 0
        return self.done


COMPACT_ROWS = 100_000  # pending partial rows of a column from which they are added up
SAMPLE = 50_000  # values per column that the personal-data detector sees at most

_COUNT = pl.UInt32
KNOWN_FROM = 2  # chunks after which a column whose values hardly recur is no longer kept
KNOWN_HITS = 0.2  # the share of a chunk's distinct values found among the kept ones below which
KNOWN_MOST = 500_000  # distinct values of a column kept at most
# What is kept of a classified value (no text: that would keep its chunk's text alive).
_KNOWN = ["raw", "code", "number", "day", "spaced"]
_KEYS = {"key": pl.UInt64, "count": _COUNT}
_NUMBERS = {"number": pl.Float64, "count": _COUNT}


@dataclass
class _Column:
    name: str
    position: int
    distinct: _Parts  # (hash of the value without spaces around it, count)
    numbers: _Parts  # (number, count)
    sample: list[pl.Series]  # an even sample of the raw values, for the detector
    known: pl.DataFrame | None = None  # classified values by their raw hash (_KNOWN)


class Gatherer:
    """The statistics of the chunks given to :meth:`add`, for the columns ``names``.
    ``rows`` is an estimate of the data rows (for spreading the detector's sample)."""

    def __init__(self, names: Sequence[str], detect: Detect | None, rows: int = 0) -> None:
        self.names = tuple(names)
        self.detect = detect
        self.stride = max(1, rows // SAMPLE)
        self.rows = 0
        self.chunks = 0
        self.blank = 0
        self.hashes: list[pl.Series] = []
        self.columns = [
            _Column(n, i, _Parts(["key"], _KEYS), _Parts(["number"], _NUMBERS), [])
            for i, n in enumerate(self.names)
        ]
        self.formats: list[pl.DataFrame] = []
        self.missing: list[pl.DataFrame] = []
        self.candidates: list[pl.DataFrame] = []
        self.ambiguous: list[pl.DataFrame] = []
        self.days: list[pl.DataFrame] = []
        self.extremes: dict[str, list[pl.DataFrame]] = {"number": [], "day": [], "text": []}

    # Chunks ------------------------------------------------------------------------------------

    def add(self, chunk: pl.DataFrame) -> None:
        blank = chunk.select(pl.all_horizontal(pl.all().is_null()).alias("blank"))["blank"]
        if blank.any():
            self.blank += int(blank.sum())
            chunk = chunk.filter(~blank)
        if not chunk.height:
            return
        offset = -self.rows % self.stride  # the sample's rows: every stride-th of the file
        self.rows += chunk.height
        self.hashes.append(chunk.hash_rows())
        lazy = chunk.lazy()
        counted = pl.collect_all(
            [
                lazy.select(pl.col(name).alias("value"))
                .group_by(pl.col("value").hash().alias("raw"))
                .agg(pl.col("value").first(), pl.len().cast(_COUNT).alias("count"))
                .select(pl.lit(i, pl.UInt16).alias("col"), "raw", "value", "count")
                for i, name in enumerate(self.names)
            ]
        )
        self.chunks += 1
        found = self._classified(counted)
        self._gather(found.with_columns(pl.col("text").hash().alias("key")))
        if self.detect is not None:
            sample = chunk.gather_every(self.stride, offset)
            for column in self.columns:
                # A copy: a slice would keep the whole chunk's text alive.
                values = sample.get_column(column.name)
                column.sample.append(pl.Series(column.name, values.to_list(), pl.String))

    def _classified(self, counted: list[pl.DataFrame]) -> pl.DataFrame:
        """Each column's distinct values of a chunk classified (``formats.classify``): those
        seen in an earlier chunk looked up, the others classified and kept for later, while
        a column's values recur often enough for that to pay."""
        hits, misses = [], []
        for column, part in zip(self.columns, counted, strict=True):
            known = column.known
            if known is None or known.height == 0:
                misses.append(part)
                continue
            found = part.join(known, on="raw", how="left")
            hit = found.filter(pl.col("code").is_not_null())
            hits.append(hit.with_columns(pl.col("value").str.strip_chars().alias("text")))
            misses.append(found.filter(pl.col("code").is_null()).select(part.columns))
            if self.chunks > KNOWN_FROM and hit.height < KNOWN_HITS * part.height:
                column.known = None  # its values hardly recur: not worth keeping
        new = formats.classify(pl.concat(misses).rechunk())
        if self.chunks <= KNOWN_FROM or any(c.known is not None for c in self.columns):
            for column, part in zip(self.columns, _split(new, len(self.columns)), strict=True):
                if column.known is None and self.chunks > 1:
                    continue
                kept = part.select(_KNOWN)
                known = kept if column.known is None else pl.concat([column.known, kept])
                column.known = known.rechunk() if known.height <= KNOWN_MOST else None
        columns = [*counted[0].columns, *formats.SCHEMA]
        return pl.concat([*(h.select(columns) for h in hits), new.select(columns)])

    def _gather(self, found: pl.DataFrame) -> None:
        value = pl.col("value").str.strip_chars()
        missing = pl.col("code") == formats.ID[formats.MISSING]
        self.missing.append(
            found.filter(missing)
            .group_by("col", value.fill_null("").alias("text"))
            .agg(pl.col("count").sum())
        )
        present = found.filter(~missing)
        self.formats.append(
            present.group_by("col", "code").agg(
                pl.col("count").sum(),
                pl.col("text")
                .filter(pl.col("count") == pl.col("count").max())
                .min()
                .alias("example"),
                pl.col("count").max().alias("example_count"),
                pl.col("count").filter(pl.col("spaced")).sum().alias("spaced"),
            )
        )
        numbers = present.filter(pl.col("number").is_not_null())
        for column, part in zip(
            self.columns,
            _split(present.select("col", "key", "count"), len(self.names)),
            strict=True,
        ):
            column.distinct.add(part)
        for column, part in zip(
            self.columns,
            _split(numbers.select("col", "number", "count"), len(self.names)),
            strict=True,
        ):
            if part.height:
                column.numbers.add(part)
        self.candidates.append(
            present.group_by("col")
            .agg(pl.col("key", "value").top_k_by("count", CANDIDATES))
            .explode("key", "value")
            .select("col", "key", value.alias("text"))
        )
        ambiguous = [formats.ID[code] for code in formats.AMBIGUOUS]
        self.ambiguous.append(
            present.filter(pl.col("code").is_in(ambiguous)).select(
                "col", value.alias("text"), "code", "count"
            )
        )
        days = present.filter(pl.col("day").is_not_null())
        self.days.append(days.group_by("col", "day").agg(pl.col("count").sum()))
        self.extremes["number"].append(_extreme(numbers, "number"))
        self.extremes["day"].append(_extreme(days, "day"))
        texts = [formats.ID["text"], formats.ID["leading_zero"], formats.ID["integer"]]
        self.extremes["text"].append(
            present.filter(pl.col("code").is_in(texts))
            .group_by("col")
            .agg(pl.col("value").min().alias("low"), pl.col("value").max().alias("high"))
            .with_columns(pl.col("low", "high").str.strip_chars())
        )

    # The profile -------------------------------------------------------------------------------

    def finish(self) -> Result:
        """The statistics of everything added."""
        return _finish(self)

    def personal(
        self, column: _Column, placeholders: Sequence[str], present: int
    ) -> tuple[PersonalFinding, ...]:
        """The detector's findings on the column's sample, their counts scaled to the column."""
        if self.detect is None or not column.sample:
            return ()
        values = pl.concat(column.sample)
        stripped = values.str.strip_chars()
        values = values.set(stripped.is_in(list(placeholders)) | (stripped == ""), None)
        seen = values.len() - values.null_count()
        found = self.detect(column.name, values, neighbours_of(self.names, column.position))
        scale = present / seen if seen else 0.0
        return tuple(
            PersonalFinding(
                f.kind,
                min(present, round(f.count * scale)),
                f.share,
                f.reason,
                f.special,
            )
            for f in found
        )


def _split(frame: pl.DataFrame, columns: int) -> list[pl.DataFrame]:
    """``frame``'s rows by column (``col``), without it: one frame for each column."""
    parts = frame.partition_by("col", as_dict=True, include_key=False)
    empty = frame.clear().drop("col")
    return [parts.get((i,), empty) for i in range(columns)]


def _extreme(frame: pl.DataFrame, by: str) -> pl.DataFrame:
    """Per column the smallest and the largest value by ``by``, and their texts."""
    return frame.group_by("col").agg(
        pl.col(by).min().alias("low_key"),
        pl.col("value").get(pl.col(by).arg_min()).str.strip_chars().alias("low"),
        pl.col(by).max().alias("high_key"),
        pl.col("value").get(pl.col(by).arg_max()).str.strip_chars().alias("high"),
    )


@dataclass(frozen=True)
class Result:
    rows: int
    blank_rows: int
    duplicate_rows: int
    columns: tuple[ColumnProfile, ...]
    candidate_keys: tuple[str, ...]
    duplicate_keys: dict[str, int]
    coverage: DateCoverage | None


def _by_col(frame: pl.DataFrame | None) -> dict[int, pl.DataFrame]:
    if frame is None or frame.height == 0:
        return {}
    parts = frame.partition_by("col", as_dict=True)
    return {int(str(key[0])): part for key, part in parts.items()}


def _finish(gather: Gatherer) -> Result:
    rows = gather.rows
    formats_by = _by_col(_concat(gather.formats))
    missing_by = _by_col(_concat(gather.missing))
    candidates_by = _by_col(_concat(gather.candidates))
    ambiguous_by = _by_col(_concat(gather.ambiguous))
    days_by = _by_col(_concat(gather.days))
    extremes_by = {kind: _by_col(_concat(parts)) for kind, parts in gather.extremes.items()}
    columns = []
    for column in gather.columns:
        i = column.position
        columns.append(
            _column(
                gather,
                column,
                rows,
                formats_by.get(i),
                missing_by.get(i),
                candidates_by.get(i),
                ambiguous_by.get(i),
                {kind: found.get(i) for kind, found in extremes_by.items()},
            )
        )
    hashes = pl.concat(gather.hashes) if gather.hashes else pl.Series([], dtype=pl.UInt64)
    duplicate_rows = rows - hashes.n_unique()
    candidate_keys = tuple(
        c.name for c in columns if rows >= 2 and c.missing == 0 and c.distinct == rows
    )
    duplicate_keys = {
        c.name: c.present - c.distinct
        for c in columns
        if id_like(c.name)
        and not c.personal
        and c.distinct >= KEY_UNIQUE * c.present
        and c.present > c.distinct
    }
    dated = [
        (int(days_by[c.position]["count"].sum()), -c.position, c)
        for c in columns
        if c.inferred == "date" and not c.personal and c.position in days_by
    ]
    coverage = None
    if dated:
        _, _, main = max(dated, key=lambda item: item[:2])
        day_counts = days_by[main.position].group_by("day").agg(pl.col("count").sum()).sort("day")
        coverage = date_coverage(
            main.name, list(zip(day_counts["day"], day_counts["count"], strict=True))
        )
    return Result(
        rows=rows,
        blank_rows=gather.blank,
        duplicate_rows=duplicate_rows,
        columns=tuple(columns),
        candidate_keys=candidate_keys,
        duplicate_keys=duplicate_keys,
        coverage=coverage,
    )


def _concat(parts: list[pl.DataFrame]) -> pl.DataFrame | None:
    return pl.concat(parts) if parts else None


def _counts(frame: pl.DataFrame | None, key: str) -> dict[str, int]:
    """``count`` added up by ``key``, most frequent first."""
    found: dict[str, int] = defaultdict(int)
    for name, count in [] if frame is None else frame.select(key, "count").iter_rows():
        found[str(name)] += int(count)
    return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def _column(
    gather: Gatherer,
    column: _Column,
    rows: int,
    format_rows: pl.DataFrame | None,
    missing_rows: pl.DataFrame | None,
    candidate_rows: pl.DataFrame | None,
    ambiguous_rows: pl.DataFrame | None,
    extreme_rows: dict[str, pl.DataFrame | None],
) -> ColumnProfile:
    raw: dict[str, int] = defaultdict(int)
    examples: dict[str, tuple[int, str]] = {}
    spaced = 0
    if format_rows is not None:
        for code, count, example, example_count, around in format_rows.select(
            "code", "count", "example", "example_count", "spaced"
        ).iter_rows():
            name = formats.CODES[code]
            raw[name] += count
            spaced += around
            examples[name] = _commoner(examples.get(name), (example_count, example))
    de = sum(n for code, n in raw.items() if formats.FAMILIES.get(code) == "de")
    en = sum(n for code, n in raw.items() if formats.FAMILIES.get(code) == "en")
    side = None if de == en == 0 else ("en" if en > de else "de")
    counts: dict[str, int] = defaultdict(int)
    example_of: dict[str, tuple[int, str]] = {}
    for code, count in raw.items():
        reported = formats.resolve(code, side)
        counts[reported] += count
        example_of[reported] = _commoner(example_of.get(reported), examples.get(code, (0, "")))
    ambiguous = 0 if side else sum(n for c, n in raw.items() if c in formats.AMBIGUOUS)
    present = sum(counts.values())
    inferred = _inferred(column.name, counts, present)
    placeholders = _counts(missing_rows, "text")
    missing = sum(placeholders.values())
    hashed = column.distinct.total()
    distinct = hashed.height
    personal = gather.personal(column, list(placeholders), present)
    boolean_x = inferred == "boolean" and max(counts, key=lambda c: counts[c]) == "boolean_x"
    numbers = _numbers(column.numbers.total(), ambiguous_rows, side or "de")
    # Identifiers that are whole numbers throughout are ordered as numbers.
    whole = inferred == "identifier" and present == counts.get("integer", 0)
    order = "number" if whole else inferred
    low, high, far = _range(order, numbers, extreme_rows, ambiguous_rows, side or "de")
    far = far if inferred == "number" else 0
    return ColumnProfile(
        name=column.name,
        position=column.position,
        inferred=inferred,
        formats=tuple(
            FormatShare(
                code, round(count / present, 4), count, "" if personal else example_of[code][1]
            )
            for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ),
        mixed=_mixed(counts, present),
        missing=missing,
        placeholders=placeholders,
        distinct=distinct,
        top=() if personal else _top(hashed, candidate_rows),
        minimum=None if personal else low,
        maximum=None if personal else high,
        outliers=far,
        constant=distinct == 1 and not boolean_x,
        near_empty=rows > 0 and missing >= NEAR_EMPTY * rows and not boolean_x,
        numbers_as_text=inferred == "identifier" and counts.get("leading_zero", 0) > 0,
        both_decimal_separators=de > 0 and en > 0,
        ambiguous=ambiguous,
        whitespace=spaced,
        personal=personal,
    )


def _commoner(one: tuple[int, str] | None, other: tuple[int, str]) -> tuple[int, str]:
    """The example seen more often (the first in order if as often)."""
    return other if one is None else min(one, other, key=lambda pair: (-pair[0], pair[1]))


def _inferred(name: str, counts: dict[str, int], present: int) -> str:
    if present == 0:
        return "empty"
    by_type: dict[str, int] = defaultdict(int)
    for code, count in counts.items():
        by_type[formats.FORMATS[code]] += count
    leading, whole = counts.get("leading_zero", 0), counts.get("integer", 0)
    if leading >= IDENTIFIER_SHARE * present and leading + whole >= present / 2:
        return "identifier"
    kind, count = max(by_type.items(), key=lambda item: (item[1], item[0]))
    if count < present / 2:
        return "mixed"
    if kind == "number" and id_like(name) and whole >= 0.9 * present:
        return "identifier"
    return kind


def _mixed(counts: dict[str, int], present: int) -> bool:
    families: dict[str, set[str]] = defaultdict(set)
    for code, count in counts.items():
        family = formats.FAMILIES.get(code)
        if family is not None and count >= formats.MIXED_SHARE * present:
            families[formats.FORMATS[code]].add(family)
    return any(len(found) > 1 for found in families.values())


def _top(hashed: pl.DataFrame, candidates: pl.DataFrame | None) -> tuple[tuple[str, int], ...]:
    """Up to TOP values that occur more than once, most frequent first."""
    if candidates is None:
        return ()
    known = candidates.unique("key")
    repeated = hashed.filter(pl.col("count") >= 2).join(known.select("key", "text"), on="key")
    best = repeated.sort(["count", "text"], descending=[True, False]).head(TOP)
    return tuple(
        (str(text), int(count)) for text, count in best.select("text", "count").iter_rows()
    )


def _numbers(
    number_rows: pl.DataFrame, ambiguous_rows: pl.DataFrame | None, side: str
) -> pl.DataFrame:
    """The column's numbers (``number``, ``count``), the ambiguous ones read as ``side``."""
    parts = [number_rows.select("number", "count")]
    if ambiguous_rows is not None:
        parts.append(_ambiguous_numbers(ambiguous_rows, side).select("number", "count"))
    return pl.concat(parts).group_by("number").agg(pl.col("count").sum()).sort("number")


def _ambiguous_numbers(rows: pl.DataFrame, side: str) -> pl.DataFrame:
    text = pl.col("text")
    number = formats.number_value(
        formats.core_of(text), pl.col("code"), formats.negative_of(text), german=side == "de"
    )
    return rows.with_columns(number.alias("number"))


def _range(
    inferred: str,
    numbers: pl.DataFrame,
    extreme_rows: dict[str, pl.DataFrame | None],
    ambiguous_rows: pl.DataFrame | None,
    side: str,
) -> tuple[str | None, str | None, int]:
    """Smallest and largest value as written, by the inferred type's order, and the outliers."""
    kind = {"number": "number", "date": "day", "identifier": "text", "text": "text"}.get(inferred)
    rows = None if kind is None else extreme_rows[kind]
    if kind is None or rows is None:
        return None, None, 0
    if kind == "text":
        return rows["low"].min(), rows["high"].max(), 0  # type: ignore[return-value]
    found = pl.concat(
        [
            rows.select(pl.col("low_key").alias("key"), pl.col("low").alias("text")),
            rows.select(pl.col("high_key").alias("key"), pl.col("high").alias("text")),
        ]
    )
    if kind == "number" and ambiguous_rows is not None:
        found = pl.concat(
            [
                found,
                _ambiguous_numbers(ambiguous_rows, side).select(
                    pl.col("number").alias("key"), "text"
                ),
            ]
        )
    ordered = found.sort("key", "text")
    spread = outliers(numbers) if kind == "number" else 0
    return ordered["text"][0], ordered["text"][-1], spread


def quantile(numbers: pl.DataFrame, q: float) -> float:
    """The ``q`` quantile of ``numbers`` (``number`` ascending, ``count``): the smallest value
    with at least q of the weight at or below it."""
    cumulative = numbers["count"].cum_sum()
    index = cumulative.search_sorted(q * cumulative[-1], side="left")
    return float(numbers["number"][min(int(index), numbers.height - 1)])


def outliers(numbers: pl.DataFrame) -> int:
    """How many values lie outside the quartiles ± 1.5 times their distance (Tukey)."""
    if numbers.height == 0:
        return 0
    low, high = quantile(numbers, 0.25), quantile(numbers, 0.75)
    spread = IQR_FACTOR * (high - low)
    outside = numbers.filter((pl.col("number") < low - spread) | (pl.col("number") > high + spread))
    return int(outside["count"].sum())


# Date coverage ---------------------------------------------------------------------------------


def _period(day: datetime.date, grain: str) -> int:
    if grain == "month":
        return day.year * 12 + day.month - 1
    if grain == "week":
        return (day.toordinal() - day.weekday()) // 7
    return day.toordinal()


def _bounds(period: int, grain: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a period."""
    if grain == "month":
        year, month = divmod(period, 12)
        first = datetime.date(year, month + 1, 1)
        following = datetime.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
        return first, following - datetime.timedelta(days=1)
    if grain == "week":
        monday = datetime.date.fromordinal(period * 7 + 1)
        return monday, monday + datetime.timedelta(days=6)
    day = datetime.date.fromordinal(period)
    return day, day


def grain_of(days: Sequence[datetime.date], counts: Sequence[int]) -> str:
    """Day, workday, week or month, from the distinct dates (ascending) and their counts."""
    if len(days) < 2:
        return "day"
    gaps = sorted((b - a).days for a, b in itertools.pairwise(days))
    median = gaps[len(gaps) // 2]
    if median >= 28 or (len(days) > 2 and all(d.day == 1 for d in days)):
        return "month"
    if median >= 7 or (len(days) > 2 and len({d.weekday() for d in days}) == 1):
        return "week"
    weekend = sum(n for d, n in zip(days, counts, strict=True) if d.weekday() >= 5)
    span = (days[-1] - days[0]).days
    if span >= 14 and weekend < WEEKEND_SHARE * sum(counts):
        return "workday"
    return "day"


def date_coverage(column: str, dated: Sequence[tuple[datetime.date, int]]) -> DateCoverage:
    """The periods the dates cover: ``dated`` are the distinct dates with their counts,
    ascending."""
    days = [d for d, _ in dated]
    grain = grain_of(days, [n for _, n in dated])
    step = "day" if grain == "workday" else grain
    present = {_period(d, step) for d in days}
    first, last = _period(days[0], step), _period(days[-1], step)
    expected = [
        p
        for p in range(first, last + 1)
        if grain != "workday" or datetime.date.fromordinal(p).weekday() < 5
    ]
    runs: list[tuple[datetime.date, datetime.date]] = []
    start: int | None = None
    previous = first
    for period in expected:
        if period in present:
            if start is not None:
                runs.append((_bounds(start, step)[0], _bounds(previous, step)[1]))
                start = None
        elif start is None:
            start = period
        previous = period
    longest = sorted(runs, key=lambda run: (-(run[1] - run[0]).days, run[0]))
    return DateCoverage(
        column=column,
        first=days[0].isoformat(),
        last=days[-1].isoformat(),
        grain=grain,
        expected_periods=len(expected),
        missing_periods=sum(1 for p in expected if p not in present),
        longest_gap_days=(longest[0][1] - longest[0][0]).days + 1 if longest else 0,
        gaps=tuple((a.isoformat(), b.isoformat()) for a, b in longest[:5]),
    )
