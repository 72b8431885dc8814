"""Measurements from a CSV or Excel file (.xlsx): read cell by cell into ``services.FileRow``s
(the services check them, all or nothing), and the template file to fill in.

Columns, German or English, in any order: KPI, Datum/Periode (date), Wert (value), Notiz (note,
optional). Numbers are read in the reader's language and, where only one reading is possible,
in the other one (``core.numbers``); dates as 31.12.2026, 2026-12-31 or 31/12/2026, a month as
2026-12 or 12.2026.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
import zipfile
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from startklar.core import numbers
from startklar.core.spreadsheet import append_row

from .services import FileRow, RowError

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 20

HEADERS = {
    "kpi": "kpi",
    "kennzahl": "kpi",
    "name": "kpi",
    "datum": "period",
    "periode": "period",
    "date": "period",
    "period": "period",
    "wert": "value",
    "value": "value",
    "notiz": "note",
    "note": "note",
    "bemerkung": "note",
}
REQUIRED = ("kpi", "period", "value")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y")
MONTH = re.compile(r"^(?:(\d{4})-(\d{1,2})|(\d{1,2})[./](\d{4}))$")


class FileError(ValueError):
    """The file cannot be read at all; ``errors`` says why (line 1: the file or its header)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def column_names() -> dict[str, str]:
    """How the columns are called in the reader's language (for messages and the template)."""
    return {
        "kpi": _("KPI"),
        "period": _("Date"),
        "value": pgettext("measurement column", "Value"),
        "note": _("Note"),
    }


def _file_error(message: str) -> FileError:
    return FileError([RowError(1, "file", message)])


def _date(text: str) -> datetime.date | str:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    match = MONTH.match(text)
    if match:
        year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
        if 1 <= int(month) <= 12:
            return datetime.date(int(year), int(month), 1)
    return text


def _period(value: Any) -> object:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return _date(str(value).strip()) if value is not None else ""


def _value(value: Any, language: str) -> object:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value).strip()
    try:
        return numbers.parse(text, language)
    except ValueError:
        return text


def _header(cells: list[Any]) -> list[str | None]:
    names = [HEADERS.get(str(c).strip().lower()) if c is not None else None for c in cells]
    missing = [column_names()[k] for k in REQUIRED if k not in names]
    if missing:
        raise _file_error(
            _("The file needs the columns %(columns)s (missing: %(missing)s).")
            % {
                "columns": ", ".join(column_names()[k] for k in REQUIRED),
                "missing": ", ".join(missing),
            }
        )
    return names


def _rows(table: list[list[Any]], language: str) -> list[FileRow]:
    if not table:
        raise _file_error(_("The file is empty."))
    names = _header(table[0])
    if len(table) - 1 > MAX_ROWS:
        raise _file_error(_("At most %(count)d rows can be imported.") % {"count": MAX_ROWS})
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        values = {n: cells[i] for i, n in enumerate(names) if n and i < len(cells)}
        rows.append(
            FileRow(
                line=line,
                kpi=values.get("kpi"),
                period=_period(values.get("period")),
                value=_value(values.get("value"), language),
                note=values.get("note") or "",
            )
        )
    return rows


def _csv(data: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 fails only on five bytes
        text = data.decode("latin-1")
    text = text.replace("\x00", "")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(itertools.islice(csv.reader(io.StringIO(text), dialect), MAX_ROWS + 2))
    except csv.Error:
        raise _file_error(_("This is not a CSV file that can be read.")) from None


def _xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _file_error(_("This is not an Excel file (.xlsx).")) from None
    if unpacked > MAX_UNPACKED:
        raise _file_error(_("The file unpacks to more than 50 MB."))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        found = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        return [list(r) for r in itertools.islice(found, MAX_ROWS + 2)]
    except Exception:  # noqa: BLE001 - broken or malicious XML: not a file to import
        raise _file_error(_("This is not an Excel file (.xlsx).")) from None


def read(name: str, data: bytes, language: str) -> list[FileRow]:
    """The data rows of a .csv or .xlsx file; :class:`FileError` if it cannot be read."""
    if len(data) > MAX_BYTES:
        raise _file_error(_("The file is larger than 5 MB."))
    if data[:2] == b"PK" or name.lower().endswith(".xlsx"):
        return _rows(_xlsx(data), language)
    return _rows(_csv(data), language)


def template(kpi_names: list[str], language: str) -> bytes:
    """An Excel file with the columns and an example row per KPI."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Measurements")[:31]
    names = column_names()
    append_row(sheet, [names["kpi"], names["period"], names["value"], names["note"]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    today = datetime.date.today()
    for name in kpi_names or [_("Name of the KPI")]:
        append_row(sheet, [name, today, None, ""])
        sheet.cell(row=sheet.max_row, column=2).number_format = (
            "DD.MM.YYYY" if language.startswith("de") else "YYYY-MM-DD"
        )
    for letter, width in zip("ABCD", (40, 14, 12, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
