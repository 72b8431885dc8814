"""Reading a CSV or .xlsx file as text, in bounded time and memory (pure, polars, fastexcel).

:func:`open_table` looks at the file (:class:`~.model.Sniffed`: kind, encoding, delimiter,
quoting, header row, sheets) and returns a :class:`Table` whose :meth:`Table.chunks` gives the
data as polars frames of text columns (``pl.String``; nulls for empty cells), a few megabytes
of the file at a time, so a file of any size is read with the memory of one chunk.

CSV: the encoding from a byte order mark, else UTF-8 if the beginning decodes as UTF-8, else
Windows-1252 (called ISO-8859-1 when none of the bytes 0x80–0x9F, where the two differ,
occurs). The delimiter (``;`` ``,`` tab ``|``) is the one that splits the sampled lines into
the same number of fields most consistently; title lines above the table are skipped; the
header row is taken for one unless its cells look like the values below them. A beginning in
UTF-8 that turns out to be followed by Windows-1252 bytes is read as Windows-1252 when no
earlier byte said otherwise (warning ``encoding_guessed``).

Excel (.xlsx): every sheet is listed; the one asked for or the first that holds data is read
with calamine (cached results of formulas, dates as ISO text). Header cells merged over
several columns with a second header row below are joined ("Umsatz 2025").

Bad files raise :class:`DataFileError` with a stable ``code`` (:data:`ERRORS`), checked on the
first megabyte where that suffices and chunk by chunk afterwards: nothing reads a whole line
or a whole decompressed sheet it has not measured first.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import queue
import re
import threading
import zipfile
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from . import formats
from .limits import DataFileError, Limits, Progress
from .model import Sniffed

__all__ = ["DataFileError", "Limits", "Progress", "Table", "open_table", "sheets"]

ERRORS = (
    "empty",  # no bytes, or nothing but spaces and line breaks
    "binary",  # NUL or control bytes: not a text file
    "encoding",  # not UTF-8, UTF-16 with BOM, Windows-1252 or ISO-8859-1
    "encoding_mixed",  # UTF-8 at first, invalid UTF-8 later
    "quoting",  # a quote that is never closed, or a field that goes on after its closing quote
    "too_many_columns",  # more than Limits.max_columns
    "line_too_long",  # a line longer than Limits.max_line_bytes
    "zip_bomb",  # an .xlsx that would unpack far beyond its size
    "xlsx_broken",  # a zip or workbook calamine cannot read
    "not_a_table",  # a zip file that is no workbook (.docx, .zip …)
    "xls_unsupported",  # the old binary Excel format
    "sheet_not_found",
)
WARNINGS = (
    "title_rows",  # lines above the header were skipped
    "no_header",  # the first row holds values: columns are named "#1", "#2" …
    "two_row_header",  # merged header cells with a second header row, joined
    "empty_headers",  # columns without a name got "#n"
    "duplicate_headers",  # names that occur twice got " (2)" …
    "ragged_rows",  # rows with more fields than the header: the extra ones were left out
    "double_encoded",  # "Ã¤" for "ä": the file was converted to UTF-8 twice
    "encoding_guessed",  # UTF-8 at first, Windows-1252 later: read as Windows-1252
)

DELIMITERS = (";", ",", "\t", "|")  # preferred in this order when equally consistent
SINGLE = "\x1f"  # what a single column is split at: a byte no text holds
HEADER_SAMPLE = 200  # rows below the header that its cells are compared with
_XLSX_SLICE = 100_000  # rows of a sheet per chunk
AHEAD = 2  # chunks and progress reports read ahead at most (Table.chunks_ahead)


# Opening -----------------------------------------------------------------------------------------


def open_table(path: Path, *, sheet: str | None = None, limits: Limits | None = None) -> Table:
    """The file at ``path``, looked at: raises :class:`DataFileError` for a file it cannot
    read. ``sheet`` picks a workbook's sheet by name (CSV files ignore it)."""
    limits = limits or Limits()
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(limits.sniff_bytes)
    if not head.strip():
        raise DataFileError("empty")
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, sheet, limits)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataFileError("xls_unsupported")
    return _open_csv(path, size, head, limits)


def sheets(path: Path, *, limits: Limits | None = None) -> tuple[str, ...]:
    """A workbook's sheet names in order; () for a CSV file."""
    return open_table(path, limits=limits).sniffed.sheets


@dataclass
class Table:
    """An opened file: how it was read, and its data chunk by chunk."""

    sniffed: Sniffed
    warnings: list[str]
    rows_estimate: int  # data rows, roughly (from the sample's line length)
    _read: Callable[[Table, Progress], Iterator[pl.DataFrame]]
    _state: dict[str, object] = field(default_factory=dict)

    def chunks(self, progress: Progress | None = None) -> Iterator[pl.DataFrame]:
        """The data rows as frames of text columns named ``sniffed.columns``; ``progress`` is
        told the share of the file read so far (0 to 1)."""
        return self._read(self, progress or _ignore)

    def chunks_ahead(self, progress: Progress | None = None) -> Generator[pl.DataFrame]:
        """:meth:`chunks`, read one chunk ahead in a thread of its own: reading the next chunk
        (polars parses without holding the interpreter) goes on while the caller works on this
        one. ``progress`` is told in the caller's thread; a reading error is raised there."""
        report = progress or _ignore
        items: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=AHEAD)
        stop = threading.Event()

        def put(item: tuple[str, object]) -> None:
            while not stop.is_set():
                try:
                    items.put(item, timeout=0.05)
                except queue.Full:
                    continue
                return

        def read() -> None:
            try:
                for chunk in self.chunks(lambda share: put(("share", share))):
                    put(("chunk", chunk))
                    if stop.is_set():
                        return  # the caller stopped early
                put(("done", None))
            except Exception as error:  # noqa: BLE001 - raised again in the caller's thread
                put(("error", error))

        reader = threading.Thread(target=read, name="startklar-read", daemon=True)
        reader.start()
        try:
            while True:
                kind, item = items.get()
                if kind == "chunk":
                    assert isinstance(item, pl.DataFrame)
                    yield item
                elif kind == "share":
                    assert isinstance(item, float)
                    report(item)
                elif kind == "error":
                    assert isinstance(item, Exception)
                    raise item
                else:
                    return
        finally:
            stop.set()
            reader.join()

    def frame(self) -> pl.DataFrame:
        """All data rows in one frame (for small files: the chunks put together)."""
        parts = list(self.chunks())
        return pl.concat(parts) if parts else _empty_frame(self.sniffed.columns)


def _ignore(_share: float) -> None:
    return None


def _empty_frame(columns: Sequence[str]) -> pl.DataFrame:
    return pl.DataFrame(schema=dict.fromkeys(columns, pl.String))


# The header, shared by CSV and Excel -------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
    row: int | None  # the header row's index among the records; None: no header
    start: int  # the first data record
    names: tuple[str, ...]
    warnings: tuple[str, ...]


def _filled(record: Sequence[str | None]) -> int:
    return sum(1 for cell in record if cell is not None and cell.strip())


def _cell(record: Sequence[str | None], index: int) -> str:
    cell = record[index] if index < len(record) else None
    return "" if cell is None else cell.strip()


def _types(row: list[str], below: Sequence[Sequence[str | None]]) -> tuple[list[str], list[str]]:
    """The type of each cell of ``row`` and the most frequent type of each column ``below``
    ("missing" for none), as the format detection sees them."""
    width = len(row)
    cells = row + [_cell(r, j) for r in below for j in range(width)]
    frame = pl.DataFrame(
        {"value": cells, "index": range(len(cells))}, schema={"value": pl.String, "index": pl.Int64}
    )
    codes = formats.classify(frame).sort("index")["code"].to_list()
    types = [formats.FORMATS.get(formats.CODES[code], "missing") for code in codes]
    columns = [
        Counter(t for t in types[width + j :: width] if t != "missing") for j in range(width)
    ]
    return types[:width], [c.most_common(1)[0][0] if c else "missing" for c in columns]


def _header(records: Sequence[Sequence[str | None]], width: int) -> _Header:
    """Where the header is among the first ``records``, and the column names."""
    warnings: list[str] = []
    most = max((_filled(r) for r in records), default=0)
    row = next((i for i, r in enumerate(records) if _filled(r) >= max(1, math.ceil(most / 2))), -1)
    if row < 0:
        raise DataFileError("empty", "no row with values")
    if any(_filled(r) for r in records[:row]):
        warnings.append("title_rows")
    cells = [_cell(records[row], j) for j in range(width)]
    below = records[row + 1 : row + 1 + HEADER_SAMPLE]
    row_types, column_types = _types(cells, below)
    values = {"number", "date", "time", "boolean", "identifier"}
    evidence_for = any(
        t == "text" and c in values for t, c in zip(row_types, column_types, strict=True)
    )
    evidence_against = any(
        t == c and c in values for t, c in zip(row_types, column_types, strict=True)
    )
    if evidence_against and not evidence_for:
        names = [f"#{j + 1}" for j in range(width)]
        return _Header(None, row, tuple(names), (*warnings, "no_header"))
    start = row + 1
    gaps = [j for j in range(width) if not cells[j] and any(cells[:j])]
    if gaps and below:
        sub = [_cell(below[0], j) for j in range(width)]
        standalone = [j for j in range(width) if cells[j] and j + 1 not in gaps]
        if all(sub[j] for j in gaps) and any(not sub[j] for j in standalone):
            parent = ""
            for j in range(width):
                parent = cells[j] or parent
                cells[j] = f"{parent} {sub[j]}".strip() if sub[j] else parent
            start += 1
            warnings.append("two_row_header")
    names, seen = [], Counter[str]()
    for j, cell in enumerate(cells):
        name = cell or f"#{j + 1}"
        if not cell:
            warnings.append("empty_headers")
        seen[name] += 1
        if seen[name] > 1:
            warnings.append("duplicate_headers")
            name = f"{name} ({seen[name]})"
        names.append(name)
    return _Header(row, start, tuple(names), tuple(dict.fromkeys(warnings)))


# CSV -------------------------------------------------------------------------------------------

_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1a")
_C1 = re.compile(rb"[\x80-\x9f]")
_RARE = frozenset("ŠšŸŽžŒœ‹›ˆ˜‰†‡ƒ")  # Mac Roman's umlauts read as Windows-1252
_COMMON = frozenset("äöüÄÖÜß€„“”–")
_DOUBLE = re.compile("Ã[¤¶¼Ÿ„–œ©]")


def _encoding(head: bytes, complete: bool) -> tuple[str, str]:
    """The encoding and the decoded beginning (without the byte order mark)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = codecs.getincrementaldecoder("utf-16")().decode(head, final=complete)
        except UnicodeDecodeError as error:
            raise DataFileError("encoding", str(error)) from None
        return "utf-16", text
    if b"\x00" in head:
        raise DataFileError("binary", "NUL bytes")
    if len(head.translate(None, delete=_CONTROL)) < len(head) * 0.99:
        raise DataFileError("binary", "control bytes")
    if head.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8-sig", head[3:]
    else:
        encoding, body = "utf-8", head
    try:
        return encoding, codecs.getincrementaldecoder("utf-8")().decode(body, final=complete)
    except UnicodeDecodeError:
        if encoding == "utf-8-sig":
            raise DataFileError("encoding", "invalid UTF-8 after a UTF-8 byte order mark") from None
    try:
        text = head.decode("cp1252")
    except UnicodeDecodeError as error:
        raise DataFileError("encoding", str(error)) from None
    rare = sum(1 for c in text if c in _RARE)
    if rare >= 3 and rare > sum(1 for c in text if c in _COMMON):
        raise DataFileError("encoding", "Mac Roman or another code page")
    return ("windows-1252" if _C1.search(head) else "iso-8859-1"), text


def _line_end(path: Path, text: str, size: int, head: bytes, limits: Limits) -> str:
    """The line break ("\\n", also for "\\r\\n", or "\\r" alone); a first line longer than
    the limit is refused without reading it whole."""
    if "\n" in text:
        return "\n"
    if "\r" in text:
        return "\r"
    if len(head) < size:
        with path.open("rb") as handle:
            handle.seek(len(head))
            read = len(head)
            while read < min(size, limits.max_line_bytes + 1):
                block = handle.read(min(limits.chunk_bytes, limits.max_line_bytes + 1 - read))
                if b"\n" in block or b"\r" in block:
                    return "\n" if b"\n" in block else "\r"
                read += len(block)
            if read > limits.max_line_bytes:
                raise DataFileError("line_too_long", f"no line break in {read} bytes")
    return "\n"


def _delimiter(sample: str) -> str:
    """The candidate that splits the sampled records into the same number of fields most
    consistently (more fields winning a tie); "" for a single column."""
    best, score = "", (0.0, 1)
    for delimiter in DELIMITERS:
        counts = Counter(
            len(r) for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if r
        )
        fields, hits = counts.most_common(1)[0]
        candidate = (round(hits / sum(counts.values()), 2), fields)
        if fields > 1 and candidate > score:
            best, score = delimiter, candidate
    return best


def _records(
    sample: str, delimiter: str, quote: str, complete: bool
) -> tuple[list[list[str]], list[int]]:
    """The sample's records (strictly parsed) and the lines each ends on. An unclosed quote
    is forgiven only where the sample was cut off and the open field began near its end."""
    reader = csv.reader(
        io.StringIO(sample, newline=""),
        delimiter=delimiter or SINGLE,
        quotechar=quote or '"',
        quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE,
        strict=True,
    )
    records: list[list[str]] = []
    ends: list[int] = []
    lines = sample.count("\n") or sample.count("\r")
    try:
        for record in reader:
            records.append(record)
            ends.append(reader.line_num)
    except csv.Error as error:
        began = ends[-1] if ends else 0
        if complete or lines - began > max(50, lines // 10):
            raise DataFileError("quoting", f"line {began + 1}: {error}") from None
    return records, ends


def _open_csv(path: Path, size: int, head: bytes, limits: Limits) -> Table:
    complete = len(head) == size
    encoding, text = _encoding(head, complete)
    eol = _line_end(path, text, size, head, limits)
    sample = text if complete else text[: text.rfind(eol) + 1] or text
    first = sample.split(eol, 1)[0]
    if max(first.count(d) for d in DELIMITERS) >= limits.max_columns:
        raise DataFileError("too_many_columns", f"over {limits.max_columns} in the first line")
    if not sample.strip():
        raise DataFileError("empty")
    delimiter = _delimiter(sample)
    quoted = re.search(f'(?:^|[{re.escape(delimiter)}\r\n])"', sample)
    quote = '"' if quoted else ""
    records, ends = _records(sample, delimiter, quote, complete)
    widths = Counter(len(r) for r in records if r)
    width = max(widths.most_common(1)[0][0], 1)
    if width > limits.max_columns:
        raise DataFileError("too_many_columns", f"{width} columns")
    header = _header(records, width)
    skip = ends[header.start - 1] if header.start else 0
    warnings = list(header.warnings)
    if _DOUBLE.search(text) and len(_DOUBLE.findall(text)) >= 3:
        warnings.append("double_encoded")
    sniffed = Sniffed(
        kind="csv",
        encoding=encoding,
        delimiter=delimiter,
        quote=quote,
        header_row=header.row,
        sheets=(),
        sheet="",
        columns=header.names,
    )
    state: dict[str, object] = {
        "path": path,
        "size": size,
        "eol": eol,
        "skip": skip,
        "limits": limits,
        "ascii": text.isascii(),
    }
    sampled = len(records) - header.start
    used = len(sample.encode()) if complete else len(head)
    estimate = round(sampled * size / used) if sampled > 0 else 0
    return Table(sniffed, warnings, estimate, _csv_chunks, state)


def _source_blocks(table: Table) -> Iterator[tuple[bytes, float]]:
    """The file in blocks of about ``chunk_bytes`` (UTF-16 turned into UTF-8, the byte order
    mark left out), each with the share of the file read so far."""
    path, size, limits = table._state["path"], table._state["size"], table._state["limits"]
    assert isinstance(path, Path)
    assert isinstance(size, int)
    assert isinstance(limits, Limits)
    encoding = table.sniffed.encoding
    decoder = codecs.getincrementaldecoder("utf-16")() if encoding == "utf-16" else None
    read = 0
    with path.open("rb") as handle:
        if encoding == "utf-8-sig":
            read = len(handle.read(3))
        while block := handle.read(limits.chunk_bytes):
            read += len(block)
            if decoder is not None:
                try:
                    block = decoder.decode(block, final=read == size).encode("utf-8")
                except UnicodeDecodeError as error:
                    raise DataFileError("encoding", str(error)) from None
            yield block, read / size if size else 1.0


def _cut(data: bytes, eol: bytes, quoted: bool) -> int:
    """Where ``data`` can be cut: after its last line break outside quotes; -1 if nowhere."""
    position = data.rfind(eol)
    if not quoted or position < 0:
        return position + 1 if position >= 0 else -1
    after = 0  # quotes after the candidate position
    total = data.count(b'"')
    end = len(data)
    while position >= 0:
        after += data.count(b'"', position, end)
        if (total - after) % 2 == 0:
            return position + 1
        end = position
        position = data.rfind(eol, 0, position)
    return -1


def _skip_lines(data: bytes, eol: bytes, lines: int) -> tuple[bytes, int]:
    """``data`` without its first ``lines`` lines, and how many lines are still to skip."""
    position = 0
    while lines and (found := data.find(eol, position)) >= 0:
        position, lines = found + 1, lines - 1
    return (b"" if lines else data[position:]), lines


def _csv_chunks(table: Table, progress: Progress) -> Iterator[pl.DataFrame]:
    limits = table._state["limits"]
    assert isinstance(limits, Limits)
    eol = str(table._state["eol"]).encode()
    skip = int(str(table._state["skip"]))
    quoted = bool(table.sniffed.quote)
    carry = b""
    for block, share in _source_blocks(table):
        data = carry + block
        if skip:
            data, skip = _skip_lines(data, eol, skip)
        cut = _cut(data, eol, quoted)
        if cut <= 0:
            if len(data) > limits.max_line_bytes:
                odd = quoted and data.count(b'"') % 2
                raise DataFileError("quoting" if odd else "line_too_long", f"{len(data)} bytes")
            carry = data
            continue
        carry = data[cut:]
        yield _parse(table, data[:cut])
        progress(share)
    if carry.strip():
        yield _parse(table, carry)
    progress(1.0)


def _text(table: Table, data: bytes) -> bytes:
    """A chunk as UTF-8."""
    encoding = table.sniffed.encoding
    if encoding in ("utf-8", "utf-8-sig", "utf-16"):
        if table._state["ascii"] and not data.isascii():
            table._state["ascii"] = False
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                if encoding != "utf-8":
                    raise DataFileError("encoding_mixed", "invalid UTF-8") from None
                table.sniffed = _with_encoding(table.sniffed, "windows-1252")
                table.warnings.append("encoding_guessed")
                return _text(table, data)
        return data
    if encoding == "iso-8859-1" and _C1.search(data):
        table.sniffed = _with_encoding(table.sniffed, "windows-1252")
    try:
        return data.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError as error:
        raise DataFileError("encoding", str(error)) from None


def _with_encoding(sniffed: Sniffed, encoding: str) -> Sniffed:
    from dataclasses import replace

    return replace(sniffed, encoding=encoding)


def _parse(table: Table, data: bytes) -> pl.DataFrame:
    names = table.sniffed.columns
    text = _text(table, data)
    options = {
        "has_header": False,
        "separator": table.sniffed.delimiter or SINGLE,
        "quote_char": table.sniffed.quote or None,
        "eol_char": str(table._state["eol"]),
        "schema": dict.fromkeys(names, pl.String),
        "encoding": "utf8",
        "missing_columns": "insert",
    }
    try:
        try:
            return pl.read_csv(io.BytesIO(text), **options)  # type: ignore[arg-type]
        except pl.exceptions.ComputeError as error:
            if "more fields" not in str(error):
                raise
            if "ragged_rows" not in table.warnings:
                table.warnings.append("ragged_rows")
            return pl.read_csv(
                io.BytesIO(text),
                truncate_ragged_lines=True,
                **options,  # type: ignore[arg-type]
            )
    except pl.exceptions.PolarsError as error:
        if "utf-8" in str(error).lower() or "utf8" in str(error).lower():
            raise DataFileError("encoding_mixed", str(error).splitlines()[0]) from None
        raise DataFileError("quoting", str(error).splitlines()[0]) from None


# Excel -------------------------------------------------------------------------------------------

_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"


def _check_zip(path: Path, limits: Limits) -> None:
    """Refuse a workbook whose directory promises too much unpacked data."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise DataFileError("xlsx_broken", str(error)) from None
    if len(members) > limits.max_zip_members:
        raise DataFileError("zip_bomb", f"{len(members)} members")
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unzipped_bytes:
        raise DataFileError("zip_bomb", f"{unpacked} bytes unpacked")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 2**20 and ratio > limits.max_zip_ratio:
            raise DataFileError("zip_bomb", f"{member.filename}: {ratio:.0f}:1")
    if not any(m.filename == "xl/workbook.xml" for m in members):
        raise DataFileError("not_a_table", "no xl/workbook.xml")


def _open_xlsx(path: Path, sheet: str | None, limits: Limits) -> Table:
    import fastexcel

    _check_zip(path, limits)
    try:
        reader = fastexcel.read_excel(path)
        names = tuple(reader.sheet_names)
        if sheet is not None and sheet not in names:
            raise DataFileError("sheet_not_found", sheet)
        frame = pl.DataFrame()
        chosen = sheet
        for name in [sheet] if sheet is not None else names:
            assert name is not None
            loaded = reader.load_sheet(name, header_row=None, dtypes="string")
            chosen, frame = name, pl.DataFrame(loaded.to_polars())
            if frame.height and frame.width:
                break
    except fastexcel.FastExcelError as error:
        raise DataFileError("xlsx_broken", str(error)) from None
    if not frame.height or not frame.width:
        raise DataFileError("empty", "no sheet holds data")
    if frame.width > limits.max_columns:
        raise DataFileError("too_many_columns", f"{frame.width} columns")
    records = frame.head(HEADER_SAMPLE + 50).rows()
    header = _header(records, frame.width)
    data = frame.slice(header.start)
    data.columns = list(header.names)
    data = data.with_columns(pl.all().str.replace(_MIDNIGHT, "${1}"))
    sniffed = Sniffed(
        kind="xlsx",
        encoding="",
        delimiter="",
        quote="",
        header_row=header.row,
        sheets=names,
        sheet=str(chosen),
        columns=header.names,
    )
    return Table(sniffed, list(header.warnings), data.height, _xlsx_chunks, {"frame": data})


def _xlsx_chunks(table: Table, progress: Progress) -> Iterator[pl.DataFrame]:
    frame = table._state["frame"]
    assert isinstance(frame, pl.DataFrame)
    for start in range(0, frame.height, _XLSX_SLICE):
        yield frame.slice(start, _XLSX_SLICE)
        progress(min(1.0, (start + _XLSX_SLICE) / frame.height))
    progress(1.0)
