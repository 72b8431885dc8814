"""The statistics of a file, gathered chunk by chunk (pure, polars).

:class:`Gatherer` takes the file's chunks one after the other and keeps per column only what
the statistics need: counts by format and by placeholder, the counts of the distinct values
by a 64-bit hash of each (their texts only for the few most frequent of each chunk), the
numbers and dates with their counts, the smallest and largest values; and per file a hash of
every row. :meth:`Gatherer.finish` turns them into the columns' profiles, the duplicate rows,
candidate and duplicate keys and the main date column's coverage.

So memory grows with the distinct values, not with the rows, and no column is ever held whole.
Top values are exact in their counts; in a column of nearly distinct values a value whose
occurrences are spread thinly over the chunks may be missing from them. A format's example is
its most frequent value in the first chunk that has the format.

Speed: each column's values of a chunk are counted as distinct values (polars ``group_by``),
or, once nearly every value of a chunk differs (an id, an e-mail address), row by row without
grouping them first. Classifying a value (``formats.classify``) costs far more than looking it
up, so the classified values of a column whose values recur and are not cheap to classify
(numbers and dates) are kept and looked up in later chunks. The columns can be shared out
among lanes worked on side by side (:data:`LANES`, one thread each, polars working without
holding the interpreter); all statistics are added up by column, so which lane worked on a
column does not matter.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import polars as pl

from . import formats
from .limits import Detect
from .model import ColumnProfile, DateCoverage, FormatShare
from .personal import PersonalFinding, neighbours_of

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
    """Partial frames added up by ``keys`` with ``aggregations`` at the end, and on the way
    while that makes them markedly smaller (parts whose keys hardly repeat are left alone)."""

    def __init__(
        self,
        keys: list[str],
        schema: Mapping[str, type[pl.DataType]],
        aggregations: Sequence[pl.Expr] = (),
    ) -> None:
        self.keys = keys
        self.aggregations = list(aggregations) or [pl.col("count").sum()]
        self.done = pl.DataFrame(schema=schema)
        self.pending: list[pl.DataFrame] = []
        self.rows = 0
        self.worth = True  # whether adding up on the way shrinks the parts

    def add(self, part: pl.DataFrame) -> None:
        if not part.height:
            return
        self.pending.append(part)
        self.rows += part.height
        if self.worth and self.rows > max(COMPACT_ROWS, 2 * self.done.height):
            before = self.rows + self.done.height
            self.total()
            self.worth = self.done.height < 0.5 * before

    def lazy_total(self) -> pl.LazyFrame:
        """The parts added up, to be collected (with other columns' in parallel)."""
        if not self.pending:
            return self.done.lazy()
        whole = pl.concat([self.done, *self.pending])
        if self.keys == ["key"] and not self.done.height and whole["count"].max() == 1:
            # Counted row by row: the runs of the sorted keys are their counts (cheaper).
            runs = whole.lazy().select(pl.col("key").sort().rle()).unnest("key")
            return runs.select(
                pl.col("value").alias("key"), pl.col("len").cast(_COUNT).alias("count")
            )
        return whole.lazy().group_by(self.keys).agg(self.aggregations)

    def lazy_whole(self) -> pl.LazyFrame:
        """Every part as it is, not added up (for statistics that need no distinct keys)."""
        return pl.concat([self.done, *self.pending]).lazy()

    def total(self) -> pl.DataFrame:
        if self.pending:
            self.done = self.lazy_total().collect()
            self.pending, self.rows = [], 0
        return self.done


# Lanes of columns worked on side by side at most (no more than polars' threads). Each lane
# pays the fixed cost of its own polars calls: on the benchmark's file two lanes took a fifth
# more processor time, and the work went slower unless a second core stood idle. One lane
# by default, more where the machine has cores to spare.
LANES = 1
LANE_ROWS = 10_000  # rows of a chunk from which its columns are worked on in lanes
COMPACT_ROWS = 100_000  # pending partial rows from which they are added up
SAMPLE = 50_000  # values per column that the personal-data detector sees at most

_COUNT = pl.UInt32
KNOWN_FROM = 2  # chunks after which a column whose values hardly recur is no longer kept
KNOWN_HITS = 0.2  # the share of a chunk's distinct values found among the kept ones below which
KNOWN_MOST = 200_000  # distinct values of a column kept at most
KNOWN_PIECES = 8  # pieces of a column's kept values from which they are put together
UNIQUE_SHARE = 0.9  # distinct values per row from which a column is counted row by row
UNIQUE_FROM = 1_000  # rows of a chunk from which its share of distinct values says so
# What is kept of a classified value (no text: that would keep its chunk's text alive).
_KNOWN = ["raw", "code", "number", "day", "spaced"]
_KEYS = {"key": pl.UInt64, "count": _COUNT}
_NUMBERS = {"number": pl.Float64, "count": _COUNT}
# The rows of a chunk's values: ``weight`` orders the candidates for the top values (the
# count; for a column counted row by row 2 for a value that repeats in the chunk, else 0), ``raw``
# is the hash of the value as written (by which classified values are kept).
_COUNTED = {
    "col": pl.UInt16,
    "value": pl.String,
    "count": _COUNT,
    "weight": _COUNT,
    "raw": pl.UInt64,
}
_CLASSIFIED = {name: formats.SCHEMA[name] for name in _KNOWN[1:]}
_MISSING_ID = formats.ID[formats.MISSING]
_AMBIGUOUS_IDS = [formats.ID[code] for code in formats.AMBIGUOUS]
_TEXT_IDS = [formats.ID["text"], formats.ID["leading_zero"], formats.ID["integer"]]
# Codes whose values are cheap to classify again (not worth keeping them).
_CHEAP_IDS = [
    formats.ID[code]
    for code in (
        formats.MISSING,
        "text",
        "integer",
        "leading_zero",
        "formula_error",
        *formats.BOOLEANS,
    )
]


class _Piles:
    """What the chunks' values add up to, by column (``col``) and what the pile counts: the
    format counts, the placeholders, the candidates for the top values, the ambiguous numbers,
    the dates, the extremes of each chunk."""

    def __init__(self) -> None:
        text, count = pl.col("text"), pl.col("count")
        self.formats = _Parts(
            ["col", "code"],
            {"col": pl.UInt16, "code": pl.UInt8, "count": _COUNT, "spaced": _COUNT},
            [count.sum(), pl.col("spaced").sum()],
        )
        self.missing = _Parts(
            ["col", "text"], {"col": pl.UInt16, "text": pl.String, "count": _COUNT}
        )
        self.candidates = _Parts(
            ["col", "key"], {"col": pl.UInt16, "key": pl.UInt64, "text": pl.String}, [text.first()]
        )
        self.ambiguous = _Parts(
            ["col", "text", "code"],
            {"col": pl.UInt16, "text": pl.String, "code": pl.UInt8, "count": _COUNT},
        )
        self.days = _Parts(["col", "day"], {"col": pl.UInt16, "day": pl.Date, "count": _COUNT})
        self.extremes: dict[str, list[pl.DataFrame]] = {"number": [], "day": [], "text": []}


@dataclass
class _Column:
    name: str
    position: int
    distinct: _Parts  # (hash of the value without spaces around it, count)
    numbers: _Parts  # (number, count)
    sample: list[pl.Series]  # an even sample of the raw values, for the detector
    known: pl.DataFrame | None = None  # classified values by their raw hash (_KNOWN)
    caching: bool = True  # whether classified values are kept for later chunks
    unique: bool = False  # nearly every value differs: counted row by row, not grouped
    # The last chunk's values (distinct, or rows when counted row by row), how many of them
    # were found among the kept ones, and (counted row by row) how many repeat in the chunk.
    values: int = 0
    hits: int = 0
    repeated: int = 0


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
        # By column and format: an example, the most frequent value of the format in the
        # first chunk that has it (value and count).
        self.examples: dict[tuple[int, int], tuple[int, str]] = {}
        # The columns are worked on in lanes side by side (each lane a thread of its own
        # for a share of the columns, polars working without holding the interpreter).
        self.piles = [_Piles() for _ in range(lane_count())]

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
        self.chunks += 1
        lanes = _lanes(self.columns, len(self.piles) if chunk.height >= LANE_ROWS else 1)
        if len(lanes) == 1:
            self._lane(chunk, lanes[0], self.piles[0])
        else:
            with ThreadPoolExecutor(len(lanes), thread_name_prefix="startklar-lane") as pool:
                done = [
                    pool.submit(self._lane, chunk, columns, piles)
                    for columns, piles in zip(lanes, self.piles, strict=False)
                ]
                for future in done:
                    future.result()
        if self.detect is not None:
            # Copies (the texts written anew): the rows taken would keep the chunk's text alive.
            sample = chunk.gather_every(self.stride, offset).select(
                pl.concat_str(pl.col(name), pl.lit("")) for name in self.names
            )
            for column in self.columns:
                column.sample.append(sample.get_column(column.name))

    def _lane(self, chunk: pl.DataFrame, columns: list[_Column], piles: _Piles) -> None:
        """The chunk's values of ``columns``, counted, classified and added to ``piles``."""
        counted = self._counted(chunk, columns)
        self._gather(self._classified(counted, chunk.height, columns), columns, piles)

    def _counted(self, chunk: pl.DataFrame, columns: list[_Column]) -> pl.DataFrame:
        """Each column's values of a chunk (``_COUNTED``), in one frame: its distinct values
        with their counts, or for a column counted row by row every value with a count of 1;
        with the classification of the values kept from earlier chunks (``_CLASSIFIED``, null
        for the others). Notes each column's values and those found among the kept ones."""
        lazy = chunk.lazy()
        plans = []
        for column in columns:
            i = pl.lit(column.position, pl.UInt16).alias("col")
            value = pl.col(column.name).alias("value")
            if column.unique:
                plan = lazy.select(i, value, pl.lit(1, _COUNT).alias("count")).with_columns(
                    pl.col("value").hash().alias("raw")
                )
                plan = plan.with_columns(
                    (pl.col("raw").is_duplicated().cast(_COUNT) * 2).alias("weight")
                )
            else:
                plan = (
                    lazy.group_by(value)
                    .agg(pl.len().cast(_COUNT).alias("count"))
                    .with_columns(
                        i, pl.col("count").alias("weight"), pl.col("value").hash().alias("raw")
                    )
                )
            plan = plan.select(list(_COUNTED))
            if column.known is not None:
                plan = plan.join(column.known.lazy(), on="raw", how="left")
            else:
                plan = plan.with_columns(
                    pl.lit(None, dtype).alias(name) for name, dtype in _CLASSIFIED.items()
                )
            plans.append(plan)
        parts = pl.collect_all(plans)
        for column, part in zip(columns, parts, strict=True):
            column.values = part.height
            column.hits = 0 if column.known is None else part.height - part["code"].null_count()
            column.repeated = int((part["weight"] > 1).sum()) if column.unique else 0
        return pl.concat(parts, how="vertical")

    def _classified(self, counted: pl.DataFrame, rows: int, columns: list[_Column]) -> pl.DataFrame:
        """The chunk's values classified (``formats.classify``): those kept from an earlier
        chunk looked up, the others classified and kept for later while a column's values
        recur often enough and cost enough to classify for that to pay. Decides how each
        column is counted next."""
        known = pl.col("code").is_not_null()
        hits = counted.filter(known).with_columns(pl.col("value").str.strip_chars().alias("text"))
        new = formats.classify(counted.filter(~known).select(list(_COUNTED)))
        deciding = [c for c in columns if c.caching and not c.unique]
        if deciding:
            self._keep(new, deciding)
        for column in columns:
            if column.unique:
                # Back to grouping when the values have begun to repeat.
                column.unique = column.repeated <= (1 - UNIQUE_SHARE) * column.values
            elif rows >= UNIQUE_FROM and column.values >= UNIQUE_SHARE * rows:
                column.unique, column.caching, column.known = True, False, None
        return pl.concat([hits.select(new.columns), new], how="vertical")

    def _keep(self, new: pl.DataFrame, columns: list[_Column]) -> None:
        """Keeps the newly classified values of the ``columns`` that still keep theirs, while
        that pays: values that recur and are not cheap to classify (numbers and dates rather
        than whole numbers and text)."""
        mine = pl.col("col").is_in([column.position for column in columns])
        kept = _split(
            new.filter(mine).select(
                "col", *_KNOWN, pl.col("code").is_in(_CHEAP_IDS).alias("cheap")
            ),
            len(self.columns),
        )
        for column in columns:
            part = kept[column.position]
            cheap = int(part["cheap"].sum())
            if self.chunks == 1 and part.height and cheap > 0.5 * part.height:
                column.caching = False
            elif self.chunks > KNOWN_FROM and column.hits < KNOWN_HITS * column.values:
                column.caching = False  # its values hardly recur
            elif column.known is not None and column.known.height + part.height > KNOWN_MOST:
                column.caching = False
            if not column.caching:
                column.known = None
                continue
            part = part.drop("cheap")
            column.known = part if column.known is None else pl.concat([column.known, part])
            if column.known.n_chunks() > KNOWN_PIECES:
                column.known = column.known.rechunk()

    def _gather(self, found: pl.DataFrame, columns: list[_Column], piles: _Piles) -> None:
        text, code = pl.col("text"), pl.col("code")
        pair = (pl.col("col").cast(pl.UInt32) * 256 + code).alias("pair")  # column and format
        lazy = found.lazy().with_columns(text.hash().alias("key"))
        missing = code == _MISSING_ID
        present = lazy.filter(~missing)
        numbers = present.filter(pl.col("number").is_not_null())
        days = present.filter(pl.col("day").is_not_null())
        count = pl.col("count")
        known = [col * 256 + code for col, code in list(self.examples)]
        (
            format_rows,
            example_rows,
            missing_rows,
            distinct_rows,
            number_rows,
            candidate_rows,
            ambiguous_rows,
            day_rows,
            number_extremes,
            day_extremes,
            text_extremes,
        ) = pl.collect_all(
            [
                present.group_by(pair).agg(
                    count.sum(), count.filter(pl.col("spaced")).sum().alias("spaced")
                ),
                present.filter(~pair.is_in(known))
                .group_by(pair)
                .agg(text.filter(count == count.max()).min(), count.max()),
                lazy.filter(missing).group_by("col", text.fill_null("")).agg(count.sum()),
                present.select("col", "key", "count"),
                numbers.select("col", "number", "count"),
                # In a column counted row by row only the values that repeat in the chunk:
                # there a value that occurs once is no likelier a top value than any other.
                present.filter(pl.col("weight") > 0)
                .group_by("col")
                .agg(pl.col("key", "text").top_k_by("weight", CANDIDATES))
                .explode("key", "text"),
                present.filter(code.is_in(_AMBIGUOUS_IDS)).select("col", "text", "code", "count"),
                days.group_by("col", "day").agg(count.sum()),
                _extreme(numbers, "number"),
                _extreme(days, "day"),
                present.filter(code.is_in(_TEXT_IDS))
                .group_by("col")
                .agg(text.min().alias("low"), text.max().alias("high")),
            ]
        )
        piles.formats.add(
            format_rows.select(
                (pl.col("pair") // 256).cast(pl.UInt16).alias("col"),
                (pl.col("pair") % 256).cast(pl.UInt8).alias("code"),
                pl.col("count").cast(_COUNT),
                pl.col("spaced").cast(_COUNT),
            )
        )
        for key, example, many in example_rows.iter_rows():
            self.examples[divmod(key, 256)] = (many, example)
        piles.missing.add(missing_rows)
        piles.candidates.add(candidate_rows)
        piles.ambiguous.add(ambiguous_rows)
        piles.days.add(day_rows)
        width = len(self.columns)
        distinct_parts, number_parts = _split(distinct_rows, width), _split(number_rows, width)
        for column in columns:
            column.distinct.add(distinct_parts[column.position])
            column.numbers.add(number_parts[column.position])
        piles.extremes["number"].append(number_extremes)
        piles.extremes["day"].append(day_extremes)
        piles.extremes["text"].append(text_extremes)

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


def lane_count() -> int:
    """The lanes to work in: as many as polars has threads, at most :data:`LANES`."""
    return max(1, min(LANES, pl.thread_pool_size()))


def _lanes(columns: list[_Column], lanes: int) -> list[list[_Column]]:
    """The columns shared out among at most ``lanes`` lanes of about as much work each, by
    the values of each in the last chunk (the costliest first to the least loaded lane)."""
    shares: list[list[_Column]] = [[] for _ in range(lanes)]
    loads = [0] * lanes
    for column in sorted(columns, key=lambda c: -c.values):
        lane = loads.index(min(loads))
        shares[lane].append(column)
        loads[lane] += column.values + 1
    return [share for share in shares if share]


def _split(frame: pl.DataFrame, columns: int) -> list[pl.DataFrame]:
    """``frame``'s rows by column (``col``), without it: one frame for each column."""
    parts = frame.partition_by("col", as_dict=True, include_key=False)
    empty = frame.clear().drop("col")
    return [parts.get((i,), empty) for i in range(columns)]


def _extreme(frame: pl.LazyFrame, by: str) -> pl.LazyFrame:
    """Per column the smallest and the largest value by ``by``, and their texts."""
    return frame.group_by("col").agg(
        pl.col(by).min().alias("low_key"),
        pl.col("text").get(pl.col(by).arg_min()).alias("low"),
        pl.col(by).max().alias("high_key"),
        pl.col("text").get(pl.col(by).arg_max()).alias("high"),
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
    piles = gather.piles
    formats_by = _by_col(_concat([p.formats.total() for p in piles]))
    missing_by = _by_col(_concat([p.missing.total() for p in piles]))
    candidates_by = _by_col(_concat([p.candidates.total() for p in piles]))
    ambiguous_by = _by_col(_concat([p.ambiguous.total() for p in piles]))
    days_by = _by_col(_concat([p.days.total() for p in piles]))
    extremes_by = {
        kind: _by_col(_concat([part for p in piles for part in p.extremes[kind]]))
        for kind in ("number", "day", "text")
    }
    summaries = [
        _summary(
            c.name,
            formats_by.get(c.position),
            missing_by.get(c.position),
            {code: found for (col, code), found in gather.examples.items() if col == c.position},
        )
        for c in gather.columns
    ]
    # Every column's distinct values, and the numbers of number columns in order (for the
    # outliers), computed side by side.
    numbered = [c for c, s in zip(gather.columns, summaries, strict=True) if s.inferred == "number"]
    totals = pl.collect_all(
        [c.distinct.lazy_total() for c in gather.columns]
        + [c.numbers.lazy_whole().sort("number") for c in numbered]
    )
    hashed = totals[: len(gather.columns)]
    numbers = dict(zip([c.position for c in numbered], totals[len(gather.columns) :], strict=True))

    # The detector on each column's sample, the columns side by side.
    def personal(pair: tuple[_Column, _Summary]) -> tuple[PersonalFinding, ...]:
        column, summary = pair
        return gather.personal(column, list(summary.placeholders), summary.present)

    pairs = list(zip(gather.columns, summaries, strict=True))
    with ThreadPoolExecutor(lane_count(), thread_name_prefix="startklar-detect") as pool:
        findings = list(pool.map(personal, pairs))
    columns = []
    for (column, summary), found in zip(pairs, findings, strict=True):
        i = column.position
        columns.append(
            _column(
                column,
                summary,
                found,
                hashed[i],
                numbers.get(i),
                rows,
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


@dataclass(frozen=True)
class _Summary:
    """What a column's formats and placeholders say (before its other statistics)."""

    raw: dict[str, int]  # present values by code, ambiguous ones undecided
    counts: dict[str, int]  # present values by reported format
    example_of: dict[str, tuple[int, str]]  # by reported format: (count, value)
    side: str | None  # "de" or "en": how the column writes its numbers; None if it never says
    present: int
    inferred: str
    placeholders: dict[str, int]
    spaced: int


def _summary(
    name: str,
    format_rows: pl.DataFrame | None,
    missing_rows: pl.DataFrame | None,
    example_rows: Mapping[int, tuple[int, str]],
) -> _Summary:
    raw: dict[str, int] = defaultdict(int)
    examples: dict[str, tuple[int, str]] = {}
    spaced = 0
    if format_rows is not None:
        for code, count, around in format_rows.select("code", "count", "spaced").iter_rows():
            name_of = formats.CODES[code]
            raw[name_of] += count
            spaced += around
            examples[name_of] = example_rows[code]
    de = sum(n for code, n in raw.items() if formats.FAMILIES.get(code) == "de")
    en = sum(n for code, n in raw.items() if formats.FAMILIES.get(code) == "en")
    side = None if de == en == 0 else ("en" if en > de else "de")
    counts: dict[str, int] = defaultdict(int)
    example_of: dict[str, tuple[int, str]] = {}
    for code, count in raw.items():
        reported = formats.resolve(code, side)
        counts[reported] += count
        example_of[reported] = _commoner(example_of.get(reported), examples.get(code, (0, "")))
    present = sum(counts.values())
    return _Summary(
        raw=dict(raw),
        counts=dict(counts),
        example_of=example_of,
        side=side,
        present=present,
        inferred=_inferred(name, counts, present),
        placeholders=_counts(missing_rows, "text"),
        spaced=spaced,
    )


def _column(
    column: _Column,
    summary: _Summary,
    personal: tuple[PersonalFinding, ...],
    hashed: pl.DataFrame,
    number_rows: pl.DataFrame | None,
    rows: int,
    candidate_rows: pl.DataFrame | None,
    ambiguous_rows: pl.DataFrame | None,
    extreme_rows: dict[str, pl.DataFrame | None],
) -> ColumnProfile:
    raw, counts, side = summary.raw, summary.counts, summary.side
    present, inferred, placeholders = summary.present, summary.inferred, summary.placeholders
    de = sum(n for code, n in raw.items() if formats.FAMILIES.get(code) == "de")
    en = sum(n for code, n in raw.items() if formats.FAMILIES.get(code) == "en")
    ambiguous = 0 if side else sum(n for c, n in raw.items() if c in formats.AMBIGUOUS)
    missing = sum(placeholders.values())
    distinct = hashed.height
    boolean_x = inferred == "boolean" and max(counts, key=lambda c: counts[c]) == "boolean_x"
    numbers = None if number_rows is None else _numbers(number_rows, ambiguous_rows, side or "de")
    # Identifiers that are whole numbers throughout are ordered as numbers.
    whole = inferred == "identifier" and present == counts.get("integer", 0)
    order = "number" if whole else inferred
    low, high, far = _range(order, numbers, extreme_rows, ambiguous_rows, side or "de")
    return ColumnProfile(
        name=column.name,
        position=column.position,
        inferred=inferred,
        formats=tuple(
            FormatShare(
                code,
                round(count / present, 4),
                count,
                "" if personal else summary.example_of[code][1],
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
        whitespace=summary.spaced,
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
    """The column's numbers (``number`` ascending, ``count``; a number may have several
    rows), the ambiguous ones read as ``side``."""
    if ambiguous_rows is None:
        return number_rows
    ambiguous = _ambiguous_numbers(ambiguous_rows, side).select("number", "count")
    return pl.concat([number_rows, ambiguous]).sort("number")


def _ambiguous_numbers(rows: pl.DataFrame, side: str) -> pl.DataFrame:
    text = pl.col("text")
    number = formats.number_value(
        formats.core_of(text), pl.col("code"), formats.negative_of(text), german=side == "de"
    )
    return rows.with_columns(number.alias("number"))


def _range(
    inferred: str,
    numbers: pl.DataFrame | None,
    extreme_rows: dict[str, pl.DataFrame | None],
    ambiguous_rows: pl.DataFrame | None,
    side: str,
) -> tuple[str | None, str | None, int]:
    """Smallest and largest value as written, by the inferred type's order, and the outliers
    (of a number column: ``numbers`` are its numbers in order, None for other columns)."""
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
    spread = 0 if numbers is None else outliers(numbers)
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
