"""The data check's engine (pure Python with polars and fastexcel, no Django): the profile of
a CSV or Excel file, with German conventions, and the personal data in it.

``profile(path)`` reads the file chunk by chunk (``read``), counts each column's formats
(``formats``) and gathers the statistics (``stats``), asks ``personal.detect_column`` about
each column's values, and returns a ``model.Profile``: codes and numbers only, and no values
of a column with personal data. A file it cannot read raises ``DataFileError`` with a code.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from .limits import DataFileError, Detect, Limits, Progress
from .model import ColumnProfile, DateCoverage, FormatShare, Profile, Sniffed

if TYPE_CHECKING:
    import polars as pl

# Reading and counting (and with them polars) are imported when a file is first looked at:
# the web app reads the results of this package in every process.

ENGINE_VERSION = "1.1"

__all__ = [
    "ENGINE_VERSION",
    "ColumnProfile",
    "DataFileError",
    "DateCoverage",
    "Detect",
    "FormatShare",
    "Limits",
    "Profile",
    "Progress",
    "Sniffed",
    "load",
    "profile",
    "sheets",
    "sniff",
]

READ_SHARE = 0.95  # of the progress, for reading and counting; the rest for the statistics


def sniff(path: Path, *, sheet: str | None = None, limits: Limits | None = None) -> Sniffed:
    """How ``path`` will be read (kind, encoding, delimiter, header, sheets)."""
    from .read import open_table

    return open_table(path, sheet=sheet, limits=limits).sniffed


def load(path: Path, *, sheet: str | None = None, limits: Limits | None = None) -> pl.DataFrame:
    """The whole file as text columns (for small files; ``profile`` reads in chunks)."""
    from .read import open_table

    return open_table(path, sheet=sheet, limits=limits).frame()


def sheets(path: Path, *, limits: Limits | None = None) -> tuple[str, ...]:
    """A workbook's sheet names in order; () for a CSV file."""
    from . import read

    return read.sheets(path, limits=limits)


def profile(
    path: Path,
    *,
    sheet: str | None = None,
    progress: Progress | None = None,
    detect: Detect | None = None,
    limits: Limits | None = None,
) -> Profile:
    """The profile of the CSV or .xlsx file at ``path``.

    ``sheet``: a workbook's sheet by name (default: the first that holds data).
    ``progress``: told the share done, from 0 to 1, as the file is read.
    ``detect``: the personal-data detector (default ``personal.detect_column``).
    ``limits``: the bounds of reading (``read.Limits``)."""
    from .read import open_table
    from .stats import Gatherer

    if detect is None:
        from .personal import default_vocabulary, detect_column

        detect = functools.partial(detect_column, vocabulary=default_vocabulary())
    report = progress or _ignore
    table = open_table(path, sheet=sheet, limits=limits)
    gather = Gatherer(table.sniffed.columns, detect, table.rows_estimate)
    for chunk in table.chunks_ahead(lambda share: report(share * READ_SHARE)):
        gather.add(chunk)
    result = gather.finish()
    report(1.0)
    return Profile(
        engine_version=ENGINE_VERSION,
        sniffed=table.sniffed,
        rows=result.rows,
        blank_rows=result.blank_rows,
        columns=result.columns,
        duplicate_rows=result.duplicate_rows,
        candidate_keys=result.candidate_keys,
        duplicate_keys=result.duplicate_keys,
        coverage=result.coverage,
        personal_columns=tuple(c.name for c in result.columns if c.personal),
        warnings=tuple(dict.fromkeys(table.warnings)),
    )


def _ignore(_share: float) -> None:
    return None
