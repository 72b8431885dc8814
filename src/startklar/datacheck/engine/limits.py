"""What reading keeps to and how a file is refused, and the callbacks of a profile (pure: no
polars, so that importing the engine, for its results alone, stays cheap)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .personal import PersonalFinding

if TYPE_CHECKING:
    import polars as pl

Progress = Callable[[float], None]
# The personal-data detector: header, the column's values, the neighbouring headers.
Detect = Callable[[str, "pl.Series", Sequence[str]], tuple[PersonalFinding, ...]]


class DataFileError(Exception):
    """A file that cannot be profiled: ``code`` from :data:`ERRORS`, ``detail`` for the log."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Limits:
    """The bounds reading keeps to (tests lower them)."""

    max_columns: int = 2000
    max_line_bytes: int = 4 * 2**20
    sniff_bytes: int = 2**20  # the beginning the encoding, delimiter and header come from
    chunk_bytes: int = 8 * 2**20
    max_unzipped_bytes: int = 2**30  # an .xlsx's members together, as its directory says
    max_zip_ratio: float = 200.0  # a member's unpacked to packed size (from 1 MiB unpacked)
    max_zip_members: int = 10_000
